//go:build !darwin

package install

import "errors"

// HostMacOSVersion fails: this is not macOS.
func HostMacOSVersion() (string, error) { return "", errors.New("not macOS") }

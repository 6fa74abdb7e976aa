package install

import "golang.org/x/sys/unix"

// HostMacOSVersion is the running macOS's version, "14.5"
// (sysctl kern.osproductversion).
func HostMacOSVersion() (string, error) { return unix.Sysctl("kern.osproductversion") }

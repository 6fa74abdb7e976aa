//go:build !darwin

package registry

import (
	"fmt"
	"io/fs"
)

// Sysctl answers "does not exist": only macOS has the sysctls gvx asks.
func Sysctl(name string) (uint32, error) {
	return 0, fmt.Errorf("sysctl %s: %w", name, fs.ErrNotExist)
}

// sysctlFlag answers "no": only macOS has the Apple Silicon sysctls.
func sysctlFlag(string) (bool, error) { return false, nil }

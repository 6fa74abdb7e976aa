package registry

import (
	"errors"
	"fmt"
	"io/fs"

	"golang.org/x/sys/unix"
)

// Sysctl reads a numeric macOS sysctl such as hw.optional.arm64; one that
// does not exist (an Intel Mac has no sysctl.proc_translated) is an error
// wrapping fs.ErrNotExist. It is gvx's one reader of sysctls.
func Sysctl(name string) (uint32, error) {
	v, err := unix.SysctlUint32(name)
	if errors.Is(err, unix.ENOENT) {
		return 0, fmt.Errorf("sysctl %s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		return 0, fmt.Errorf("sysctl %s: %w", name, err)
	}
	return v, nil
}

// SysctlString reads a string sysctl such as kern.osproductversion.
func SysctlString(name string) (string, error) {
	v, err := unix.Sysctl(name)
	if errors.Is(err, unix.ENOENT) {
		return "", fmt.Errorf("sysctl %s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		return "", fmt.Errorf("sysctl %s: %w", name, err)
	}
	return v, nil
}

// sysctlFlag reads a 0/1 sysctl; one that does not exist means "no".
func sysctlFlag(name string) (bool, error) {
	v, err := Sysctl(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return v == 1, err
}

//go:build !darwin

package doctor

import (
	"fmt"
	"io/fs"
)

// sysctl answers "does not exist": only macOS has the sysctls doctor asks.
func sysctl(name string) (uint32, error) {
	return 0, fmt.Errorf("sysctl %s: %w", name, fs.ErrNotExist)
}

// shellTranslated answers "no": Rosetta 2 exists only on macOS.
func shellTranslated() (bool, error) { return false, nil }

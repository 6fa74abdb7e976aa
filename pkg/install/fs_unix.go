//go:build unix

package install

import (
	"os"
	"syscall"
)

// oNoFollow makes Create refuse to open a symlink: an archive must never get
// a file written through a link it planted.
const oNoFollow = syscall.O_NOFOLLOW

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package doctor

import (
	"errors"
	"os"
	"syscall"
)

// lockHeld tries the flock(2) lock that lockedfile (and so gvx install)
// takes on path, without waiting: EWOULDBLOCK means someone holds it.
func lockHeld(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

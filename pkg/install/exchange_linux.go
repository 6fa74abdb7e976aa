package install

import "golang.org/x/sys/unix"

// exchange swaps the directories at a and b in one step (renameat2
// RENAME_EXCHANGE), so that b is never missing.
func (osFS) exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

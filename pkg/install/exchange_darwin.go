package install

import "golang.org/x/sys/unix"

// exchange swaps the directories at a and b in one step (renamex_np
// RENAME_SWAP), so that b is never missing.
func (osFS) exchange(a, b string) error {
	return unix.RenamexNp(a, b, unix.RENAME_SWAP)
}

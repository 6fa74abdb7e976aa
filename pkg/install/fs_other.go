//go:build !unix

package install

import (
	"io/fs"
	"os"
)

// oNoFollow is zero where the system has no O_NOFOLLOW; the extractor's own
// bookkeeping (every parent is a directory it made) still applies.
const oNoFollow = 0

func (osFS) Create(path string, perm fs.FileMode) (writeFile, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, perm)
}

// syncDir is a no-op where directories cannot be opened for syncing.
func syncDir(dir string) error { return nil }

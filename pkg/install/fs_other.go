//go:build !unix

package install

// oNoFollow is zero where the system has no O_NOFOLLOW; the extractor's own
// bookkeeping (every parent is a directory it made) still applies.
const oNoFollow = 0

// syncDir is a no-op where directories cannot be opened for syncing.
func syncDir(dir string) error { return nil }

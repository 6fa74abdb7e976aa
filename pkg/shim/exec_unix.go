//go:build unix

package shim

import (
	"io/fs"
	"os"
	"syscall"
)

// exeSuffix is the suffix of executables.
const exeSuffix = ""

// execTool replaces the shim with the real tool: one hop, no child process.
// It returns only when the exec fails.
func execTool(path string, argv, env []string) (int, error) {
	return 1, syscall.Exec(path, argv, env)
}

// normKey returns the form of an environment key used to compare keys.
func normKey(k string) string { return k }

func isExecutable(fi fs.FileInfo) bool { return fi.Mode()&0o111 != 0 }

// linkShim makes link a relative symlink to target, replacing what is there
// atomically. It reports whether anything changed.
func linkShim(target, link string) (bool, error) {
	rel := relTarget(target, link)
	if cur, err := os.Readlink(link); err == nil && cur == rel {
		return false, nil
	}
	tmp := link + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(rel, tmp); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

//go:build !windows

package layout

import "io/fs"

// ExeSuffix is the suffix of executables: ".exe" on Windows.
const ExeSuffix = ""

// IsExecutable reports whether a file with this FileInfo may be run: a
// regular file with an execute bit.
func IsExecutable(fi fs.FileInfo) bool { return fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 }

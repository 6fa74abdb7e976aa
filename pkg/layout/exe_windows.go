package layout

import "io/fs"

// ExeSuffix is the suffix of executables: ".exe" on Windows.
const ExeSuffix = ".exe"

// IsExecutable reports whether a file with this FileInfo may be run; on
// Windows every regular file may.
func IsExecutable(fi fs.FileInfo) bool { return fi.Mode().IsRegular() }

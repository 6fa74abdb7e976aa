package layout

import (
	"io/fs"
	"path/filepath"
	"runtime"
)

// IsExecutable reports whether a file with this FileInfo may be run here.
func IsExecutable(fi fs.FileInfo) bool { return ExecutableOn(runtime.GOOS, fi) }

// ExecutableOn reports whether a file with this FileInfo may be run on
// goos: a regular file, with an execute bit except on Windows, which has
// none. Callers that fake the platform pass theirs.
func ExecutableOn(goos string, fi fs.FileInfo) bool {
	return fi.Mode().IsRegular() && (goos == "windows" || fi.Mode().Perm()&0o111 != 0)
}

// ExeName is the file name of the program name on goos: name.exe on
// Windows. ExeSuffix is the same for the platform gvx was built for.
func ExeName(goos, name string) string {
	if goos == "windows" {
		return name + ".exe"
	}
	return name
}

// SearchPath returns the directories of the PATH list pathList that a
// search for a program may use, cleaned, in order: the absolute ones.
// Empty and relative entries are skipped, as os/exec refuses them: they
// name the current directory, which a cloned repository controls.
func SearchPath(pathList string) []string {
	var out []string
	for _, d := range filepath.SplitList(pathList) {
		if d != "" && filepath.IsAbs(d) {
			out = append(out, filepath.Clean(d))
		}
	}
	return out
}

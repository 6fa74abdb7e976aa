package cli

import (
	"os"
	"path/filepath"
	"strings"
)

// gvxPath returns the path through which rc files, shell functions and
// GVX_AUTO_INSTALL should reach gvx later, and whether that is the gvx found
// on PATH:
//
//   - gvx on PATH when it is this very file, so that a stable name such as
//     /opt/homebrew/bin/gvx wins over the versioned file it links to, which
//     an upgrade removes;
//   - else this executable;
//   - but never a binary of 'go run', which lives in a temporary or cache
//     directory and vanishes: then the gvx on PATH, whatever it is, or "".
func (e *env) gvxPath() (path string, onPath bool) {
	self, err := os.Executable()
	if err != nil {
		self = ""
	}
	onPathGvx, err := lookPathIn("gvx", e.getenv("PATH"))
	if err != nil || isGoRunBinary(onPathGvx) {
		onPathGvx = ""
	}
	switch {
	case self == "" || isGoRunBinary(self):
		return onPathGvx, onPathGvx != ""
	case onPathGvx != "" && sameFile(self, onPathGvx):
		return onPathGvx, true
	}
	return self, false
}

// isGoRunBinary reports whether path is an executable built by 'go run':
// $TMPDIR/go-build123/b001/exe/gvx, or, since Go 1.24, one cached under
// GOCACHE (…/go-build/ab/ab12…-d/gvx).
func isGoRunBinary(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(path), "/") {
		if strings.HasPrefix(part, "go-build") {
			return true
		}
	}
	return false
}

func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

package goenv

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// gvxPaths is what makes a go gvx's: the shims and libexec directories and
// the versions root (each also with symlinks resolved), and the shim binary.
type gvxPaths struct {
	dirs     []string // a go directly in one of these is gvx's
	versions []string // a go anywhere below one of these is gvx's
	shimBin  os.FileInfo
	self     os.FileInfo
}

func newGvxPaths(dirs layout.Dirs) *gvxPaths {
	g := &gvxPaths{}
	if dirs.Home == "" {
		return g
	}
	g.dirs = withResolved(dirs.Shims(), dirs.Libexec())
	g.versions = withResolved(dirs.Versions())
	g.shimBin, _ = os.Stat(filepath.Join(dirs.Libexec(), "gvx-shim"+layout.ExeSuffix))
	if self, err := os.Executable(); err == nil {
		g.self, _ = os.Stat(self)
	}
	return g
}

// withResolved returns paths, each followed by its symlink-resolved form
// when that differs.
func withResolved(paths ...string) []string {
	out := make([]string, 0, 2*len(paths))
	for _, p := range paths {
		out = append(out, p)
		if r, err := filepath.EvalSymlinks(p); err == nil && r != p {
			out = append(out, r)
		}
	}
	return out
}

// inDir reports whether dir is one of gvx's directories or below a
// versions root.
func (g *gvxPaths) inDir(dir string) bool {
	for _, d := range g.dirs {
		if dir == d {
			return true
		}
	}
	for _, v := range g.versions {
		if dir == v || strings.HasPrefix(dir, v+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// owns reports whether the executable p (whose FileInfo is fi) is gvx's:
// in a gvx directory, the shim binary or the running gvx under another
// name, or a link that resolves into a gvx directory.
func (g *gvxPaths) owns(p string, fi os.FileInfo) bool {
	if g.inDir(filepath.Dir(p)) {
		return true
	}
	if (g.shimBin != nil && os.SameFile(fi, g.shimBin)) || (g.self != nil && os.SameFile(fi, g.self)) {
		return true
	}
	if r, err := filepath.EvalSymlinks(p); err == nil && g.inDir(filepath.Dir(r)) {
		return true
	}
	return false
}

// IsGvx reports whether the go (or any tool) at path is gvx's: a shim, the
// shim binary, a link to one of them, or a tool inside an installed root.
func IsGvx(dirs layout.Dirs, path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return newGvxPaths(dirs).inDir(filepath.Dir(filepath.Clean(path)))
	}
	return newGvxPaths(dirs).owns(filepath.Clean(path), fi)
}

// SystemGo returns the first go on pathList that is not gvx's (see IsGvx):
// the go that the spec "system" runs, and the one gvx asks for settings.
// Relative PATH entries are skipped, as os/exec refuses them.
func SystemGo(dirs layout.Dirs, pathList string) (string, bool) {
	gos := systemGos(dirs, pathList, true)
	if len(gos) == 0 {
		return "", false
	}
	return gos[0], true
}

// SystemGos returns every go on pathList that is not gvx's, in PATH order,
// each file once (two entries that resolve to one file count once).
func SystemGos(dirs layout.Dirs, pathList string) []string {
	return systemGos(dirs, pathList, false)
}

func systemGos(dirs layout.Dirs, pathList string, first bool) []string {
	var g *gvxPaths
	var out []string
	seen := map[string]bool{}
	for _, dir := range layout.SearchPath(pathList) {
		p := filepath.Join(dir, "go"+layout.ExeSuffix)
		fi, err := os.Stat(p)
		if err != nil || !layout.IsExecutable(fi) {
			continue
		}
		if g == nil {
			g = newGvxPaths(dirs)
		}
		if g.owns(p, fi) {
			continue
		}
		key := p
		if r, err := filepath.EvalSymlinks(p); err == nil {
			key = r
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, p)
		if first {
			break
		}
	}
	return out
}

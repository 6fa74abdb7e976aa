package goenv

import (
	"path/filepath"
	"runtime"
	"strings"
)

// ModCache returns the module cache directory of a go command started with
// settings s, as cmd/go/internal/cfg computes GOMODCACHE: the GOMODCACHE
// setting (the environment, Go's user env file, the root's go.env), else
// the first GOPATH entry (see GOPATH) joined with pkg/mod. It returns ""
// when the go command has no usable module cache: GOMODCACHE is relative
// (modfetch refuses it), or there is no GOPATH to put it in.
func ModCache(s *Settings) string {
	if v := s.Value("GOMODCACHE"); v != "" {
		if !filepath.IsAbs(v) {
			return ""
		}
		return filepath.Clean(v)
	}
	list := filepath.SplitList(goPath(s))
	if len(list) == 0 || list[0] == "" {
		return ""
	}
	return filepath.Join(list[0], "pkg", "mod")
}

// goPath returns GOPATH as a go command started with settings s sees it
// (cmd/go/internal/cfg and the checks in cmd/go's main): the GOPATH
// setting, else $HOME/go ($USERPROFILE on Windows, $home on Plan 9) unless
// that is the GOROOT itself. It returns "" when there is none, and when the
// go command would refuse to run with it: an entry that is relative or
// starts with "~". (An inferred relative default is dropped, as the go
// command drops it.)
func goPath(s *Settings) string {
	v := s.Value("GOPATH")
	if v == "" {
		v = defaultGOPATH(s)
	}
	if v == "" {
		return ""
	}
	if s.GOROOT != "" && filepath.Clean(v) == filepath.Clean(s.GOROOT) {
		// The go command only warns about GOPATH=GOROOT, and checks no
		// entries then.
		return v
	}
	for _, p := range filepath.SplitList(v) {
		if p == "" {
			continue // the go command ignores empty entries
		}
		if strings.HasPrefix(p, "~") || !filepath.IsAbs(p) {
			return ""
		}
	}
	return v
}

// defaultGOPATH is go/build's default: the home directory's go, unless
// that is the GOROOT.
func defaultGOPATH(s *Settings) string {
	goos := s.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	key := "HOME"
	switch goos {
	case "windows":
		key = "USERPROFILE"
	case "plan9":
		key = "home"
	}
	home := s.getenv(key)
	if home == "" {
		return ""
	}
	def := filepath.Join(home, "go")
	if s.GOROOT != "" && filepath.Clean(def) == filepath.Clean(s.GOROOT) {
		return ""
	}
	return def
}

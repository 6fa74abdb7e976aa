package registry

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// GoEnvOptions configure GoEnv.
type GoEnvOptions struct {
	// Getenv reads GOPROXY, GOSUMDB and (when PATH is empty) PATH.
	Getenv func(string) string
	// PATH is searched for a go that is not gvx's; empty means Getenv("PATH").
	PATH string
	// Dirs is the gvx home: its shims and libexec are skipped on PATH, and
	// its installed versions are asked last.
	Dirs layout.Dirs
	// Timeout bounds each 'go env' run; zero means 10s.
	Timeout time.Duration
	// Environ is the environment 'go env' runs with; nil means os.Environ().
	// GOTOOLCHAIN=local is always added, so the go asked never downloads.
	Environ []string
}

// GoEnv returns GOPROXY and GOSUMDB the way the go command would see them:
// from the environment, Go's user env file and the go.env of the first go on
// PATH that is not gvx's (goenv.Settings, goenv.SystemGo), else from 'go env
// GOPROXY GOSUMDB' of that go; else the same for the newest installed gvx
// version. gosumdb may be empty when only GOPROXY
// is known, which means Go's default checksum database.
func GoEnv(opts GoEnvOptions) (goproxy, gosumdb string, err error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	goproxy, gosumdb = strings.TrimSpace(getenv("GOPROXY")), strings.TrimSpace(getenv("GOSUMDB"))
	if goproxy != "" && gosumdb != "" {
		return goproxy, gosumdb, nil
	}
	path := opts.PATH
	if path == "" {
		path = getenv("PATH")
	}
	var errs []error
	ask := func(gobin, goroot string) bool {
		p, s, err := runGoEnv(gobin, goroot, opts)
		if err != nil {
			errs = append(errs, err)
			return false
		}
		if p == "" {
			return false
		}
		if goproxy == "" {
			goproxy = p
		}
		if gosumdb == "" {
			gosumdb = s
		}
		return true
	}
	// Go's own files first (goenv.Settings: the user env file, then the
	// root's go.env), so that no go needs to run; a go older than 1.21 has
	// no go.env and compiled-in defaults, so it is asked.
	gobin, _ := goenv.SystemGo(opts.Dirs, path)
	read := func(root string) bool {
		st := &goenv.Settings{Getenv: getenv, GOROOT: root}
		if goproxy == "" {
			goproxy = st.Value("GOPROXY")
		}
		if gosumdb == "" {
			gosumdb = st.Value("GOSUMDB")
		}
		return goproxy != "" && gosumdb != ""
	}
	if gobin != "" {
		if read(rootOf(gobin)) || ask(gobin, "") {
			return goproxy, gosumdb, nil
		}
	}
	for _, root := range installedRoots(opts.Dirs) {
		if read(root) || ask(filepath.Join(root, "bin", "go"+layout.ExeSuffix), root) {
			return goproxy, gosumdb, nil
		}
	}
	if goproxy != "" {
		return goproxy, gosumdb, nil
	}
	msg := "GOPROXY is not set and no go toolchain could be asked for it"
	if len(errs) > 0 {
		msg += " (" + errors.Join(errs...).Error() + ")"
	}
	return "", "", errors.New(strings.ReplaceAll(msg, "\n", "; ") + "; set GOPROXY to a module proxy URL, or install Go with GVX_SOURCE=dl")
}

// rootOf returns the GOROOT of the go executable at gobin: the parent of
// its bin directory, with symlinks resolved (Homebrew links bin/go into
// its Cellar).
func rootOf(gobin string) string {
	if r, err := filepath.EvalSymlinks(gobin); err == nil {
		gobin = r
	}
	return filepath.Dir(filepath.Dir(gobin))
}

// installedRoots lists the gvx home's installed versions, newest first.
func installedRoots(dirs layout.Dirs) []string {
	if dirs.Home == "" {
		return nil
	}
	ents, err := os.ReadDir(dirs.Versions())
	if err != nil {
		return nil
	}
	var vs []goversion.Version
	for _, e := range ents {
		if v, ok := layout.VersionDir(e.Name()); ok && e.IsDir() {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(a, b goversion.Version) int { return goversion.Compare(b, a) })
	roots := make([]string, len(vs))
	for i, v := range vs {
		roots[i] = dirs.Version(v.String())
	}
	return roots
}

// runGoEnv runs 'gobin env GOPROXY GOSUMDB' with GOTOOLCHAIN=local (and
// GOROOT=goroot when given) under a timeout.
func runGoEnv(gobin, goroot string, opts GoEnvOptions) (goproxy, gosumdb string, err error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = goenv.QueryTimeout
	}
	env := opts.Environ
	if env == nil {
		env = os.Environ()
	}
	env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "GOTOOLCHAIN=") || (goroot != "" && strings.HasPrefix(kv, "GOROOT="))
	})
	env = append(env, "GOTOOLCHAIN=local")
	if goroot != "" {
		env = append(env, "GOROOT="+goroot)
	}
	vals, err := goenv.Query(context.Background(), timeout, gobin, env, "GOPROXY", "GOSUMDB")
	if err != nil {
		return "", "", err
	}
	return vals[0], vals[1], nil
}

package shim

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// depthVar counts how many times a gvx shim has been entered in a chain of
// processes. It is gvx's only internal variable.
const depthVar = "GVX_SHIM_DEPTH"

// maxShimDepth bounds shim re-entry; a loop through PATH (a "system" go that
// is a wrapper calling go again, which finds the shim again) would otherwise
// fork forever. Real nesting (go generate running a tool that runs go) stays
// far below it.
const maxShimDepth = 16

// Environ returns the environment the selected real go (or gofmt) gets, built
// from environ (usually os.Environ()):
//
//   - for an installed version, GOROOT is its root (overriding a stale
//     exported GOROOT) and its bin directory comes first on PATH, once, so
//     nested go calls (go generate, gopls, linters) run it directly and skip
//     the shim; gvx's internal variables are removed, since a real toolchain
//     ends the chain of shims;
//   - for "system", GOROOT is removed so that go finds its own root, PATH is
//     left alone, and the shim depth counter is kept: a system go may be a
//     wrapper that calls go through PATH again, and the counter is what stops
//     that loop;
//   - GOPATH, GOBIN, GOTOOLCHAIN and the user's GVX_* settings (GVX_HOME,
//     GVX_GO_VERSION, ...) are left as they are, so tools installed with go
//     install stay where they are across switches, and Go's own toolchain
//     switching still finds the version-named shims;
//   - no key appears twice (the last value wins, as in os/exec).
func Environ(sel Selection, environ []string, dirs layout.Dirs) []string {
	root := ""
	if sel.Installed && sel.GOROOT != "" {
		root = sel.GOROOT
	}
	out := make([]string, 0, len(environ)+2)
	index := make(map[string]int, len(environ))
	for _, kv := range environ {
		k, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if k == "" { // Windows keeps per-drive directories as "=C:=C:\dir"
			out = append(out, kv)
			continue
		}
		nk := normKey(k)
		if nk == "GOROOT" || (nk == depthVar && root != "") {
			continue
		}
		if i, dup := index[nk]; dup {
			out[i] = kv
			continue
		}
		index[nk] = len(out)
		out = append(out, kv)
	}
	if root == "" {
		return out
	}
	bin := filepath.Join(root, "bin")
	if i, ok := index["PATH"]; ok {
		k, v, _ := strings.Cut(out[i], "=")
		out[i] = k + "=" + prependPath(bin, v)
	} else {
		out = append(out, "PATH="+bin)
	}
	return append(out, "GOROOT="+root)
}

// prependPath puts dir first on the list path, removing other copies of it so
// that nested shim calls do not grow PATH.
func prependPath(dir, path string) string {
	parts := []string{dir}
	for _, p := range filepath.SplitList(path) {
		if p != dir {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, string(os.PathListSeparator))
}

// SetEnv returns environ with key set to value, replacing earlier settings;
// keys compare as the system compares them (case-insensitively on Windows,
// where PATH is spelt Path).
func SetEnv(environ []string, key, value string) []string {
	return setEnvOn(runtime.GOOS, environ, key, value)
}

// EnvValue returns the last value of key in environ, comparing keys as
// SetEnv does; "" when it is not there.
func EnvValue(environ []string, key string) string {
	return envValueOn(runtime.GOOS, environ, key)
}

// normKey returns the form of an environment key used to compare keys here.
func normKey(k string) string { return normKeyOn(runtime.GOOS, k) }

// normKeyOn is normKey on goos: Windows keys are case-insensitive ("Path"
// is PATH). Tests pass "windows" to run the Windows rule anywhere.
func normKeyOn(goos, k string) string {
	if goos == "windows" {
		return strings.ToUpper(k)
	}
	return k
}

func setEnvOn(goos string, environ []string, key, value string) []string {
	out := make([]string, 0, len(environ)+1)
	nk := normKeyOn(goos, key)
	for _, kv := range environ {
		if k, _, ok := strings.Cut(kv, "="); ok && normKeyOn(goos, k) == nk {
			continue
		}
		out = append(out, kv)
	}
	return append(out, key+"="+value)
}

func envValueOn(goos string, environ []string, key string) string {
	v, nk := "", normKeyOn(goos, key)
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && normKeyOn(goos, k) == nk {
			v = val
		}
	}
	return v
}

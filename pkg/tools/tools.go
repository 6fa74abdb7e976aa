// Package tools reads what the executables in GOBIN were built from (their
// build info: module path and version, main package, Go version), so that
// gvx can tell which tools outgrew their Go and rebuild them with a newer
// one through 'go install pkg@version'.
package tools

import (
	"debug/buildinfo"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// Tool is one Go executable and what its build info says.
type Tool struct {
	Name    string // the file name, without .exe
	Path    string
	Package string // the main package: "honnef.co/go/tools/cmd/staticcheck"
	Module  string // the main module: "honnef.co/go/tools"
	Version string // the main module's version: "v0.5.1", "(devel)"
	// Go is the toolchain it was built with; zero when the build info
	// names none gvx can read (a development toolchain).
	Go    goversion.Version
	GoRaw string // as recorded: "go1.22.6", "go1.23.0 X:boringcrypto"
}

// Installable reports whether 'go install Package@Version' can rebuild t:
// it was built from a module at a version (not "(devel)", not a GOPATH or
// local build).
func (t Tool) Installable() bool {
	return t.Package != "" && t.Module != "" && t.Version != "" && t.Version != "(devel)"
}

// Read reads one executable's build info; ok is false for a file that is
// not a Go executable.
func Read(path string) (Tool, bool) {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return Tool{}, false
	}
	name := strings.TrimSuffix(filepath.Base(path), ".exe")
	t := Tool{Name: name, Path: path, Package: bi.Path, Module: bi.Main.Path, Version: bi.Main.Version, GoRaw: bi.GoVersion}
	if f := strings.Fields(bi.GoVersion); len(f) > 0 {
		if v, err := goversion.Parse(f[0]); err == nil {
			t.Go = v
		}
	}
	return t, true
}

// List returns the Go executables in dir, by name. Other files (scripts,
// links to elsewhere that are not Go programs) are left out.
func List(dir string) ([]Tool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Tool
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Stat(p) // through a symbolic link
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if runtime.GOOS != "windows" && fi.Mode()&0o111 == 0 {
			continue
		}
		if t, ok := Read(p); ok {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Older reports whether t was built with a Go older than v.
func (t Tool) Older(v goversion.Version) bool {
	return !t.Go.IsZero() && !v.IsZero() && goversion.Compare(t.Go, v) < 0
}

// Known are the linters, debuggers and language servers that refuse, or
// misread, code for a newer Go than they were built with; gvx doctor
// checks them on PATH.
var Known = []string{
	"golangci-lint", "staticcheck", "gopls", "dlv", "revive", "govulncheck",
	"gofumpt", "goimports", "errcheck", "ineffassign", "gocritic", "gosec",
	"shadow", "nilaway", "deadcode", "go-critic",
}

package shim

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunFailures covers what the shim does before it execs: each case ends
// with a message on stderr and an exit code.
func TestRunFailures(t *testing.T) {
	dirs := fakeHome(t, "1.22.6")
	cwd := t.TempDir()
	t.Chdir(cwd)
	tests := []struct {
		name string
		args []string
		env  []string
		code int
		want string
	}{
		{"unknown name", []string{"/x/gvx-shim", "version"}, nil, 2, `gvx: the shim runs as go, gofmt or go<version>, not "gvx-shim"`},
		{"loop guard", []string{"go", "version"}, []string{depthVar, "16"}, 1, "gvx: go re-entered gvx's shims 16 times: a loop"},
		{"bad +version", []string{"go", "+banana", "version"}, nil, 2, `gvx: +banana argument: "banana": not a Go version spec`},
		{"+version not installed", []string{"go", "+1.21.5", "version"}, nil, 1,
			"gvx: go1.21.5 is not installed (selected by +1.21.5 argument); run 'gvx install 1.21.5'\n"},
		{"version-named shim not installed", []string{"/h/shims/go1.21.5", "version"}, nil, 1,
			"gvx: go1.21.5 is not installed (selected by go1.21.5 command); run 'gvx install 1.21.5'\n"},
		{"argument beats shim name", []string{"go1.22.6", "+1.21.5", "version"}, nil, 1,
			"gvx: go1.21.5 is not installed (selected by +1.21.5 argument)"},
		{"nothing selected", []string{"gofmt", "-l", "."}, nil, 1,
			"gvx: no Go version selected; run 'gvx use --global 1.22.6' or add a .go-version\n"},
		{"env not installed", []string{"go", "build"}, []string{EnvGoVersion, "1.23.0"}, 1,
			"gvx: go1.23.0 is not installed (selected by GVX_GO_VERSION); run 'gvx install 1.23.0'\n"},
		{"auto-install without gvx", []string{"go", "build"}, []string{EnvGoVersion, "1.23.0", envAutoInstall, "1", "PATH", t.TempDir()}, 1,
			"gvx: go1.23.0 is not installed (selected by GVX_GO_VERSION); run 'gvx install 1.23.0'; automatic install: gvx not found"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		env := append([]string{"GVX_HOME", dirs.Home}, tt.env...)
		code := run(tt.args, envFunc(env...), nil, &stderr)
		if code != tt.code || !strings.HasPrefix(stderr.String(), tt.want) {
			t.Errorf("%s: run(%q) = %d, stderr %q; want %d, %q", tt.name, tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
}

// TestShimDependencies guards the shim's weight: every package linked into
// it runs its init on every go call.
func TestShimDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not on PATH: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/gvx-dev/gvx/cmd/gvx-shim").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed %q; want the dependency list", out)
	}
	// Only the standard library and gvx's own light packages: no module
	// from outside (hashicorp/go-version alone brought regexp, compiled in
	// its init on every call, and database/sql/driver).
	own := []string{"github.com/gvx-dev/gvx/cmd/gvx-shim", "github.com/gvx-dev/gvx/pkg/shim",
		"github.com/gvx-dev/gvx/pkg/goenv", "github.com/gvx-dev/gvx/pkg/goversion", "github.com/gvx-dev/gvx/pkg/layout",
		"github.com/gvx-dev/gvx/internal/atomicfile",
		// The shims lock of Sync: standard library only inside.
		"github.com/rogpeppe/go-internal/lockedfile", "github.com/rogpeppe/go-internal/lockedfile/internal/filelock"}
	for _, d := range deps {
		if first, _, _ := strings.Cut(d, "/"); strings.Contains(first, ".") && !containsString(own, d) {
			t.Errorf("cmd/gvx-shim depends on %s; keep the shim to the standard library and %q", d, own)
		}
		for _, banned := range []string{"net/http", "crypto/tls", "archive/tar", "archive/zip", "compress/gzip",
			"encoding/json", "net", "regexp", "database/sql"} {
			if d == banned || strings.HasPrefix(d, banned+"/") {
				t.Errorf("cmd/gvx-shim depends on %s; keep the shim to what selection needs", d)
			}
		}
	}
	if !containsString(deps, "github.com/gvx-dev/gvx/pkg/shim") {
		t.Errorf("go list -deps does not list pkg/shim: %q", deps)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// buildShim builds cmd/gvx-shim into a temporary directory.
func buildShim(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "gvx-shim"+exeSuffix)
	cmd := exec.Command("go", "build", "-o", out, "github.com/gvx-dev/gvx/cmd/gvx-shim")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/gvx-shim: %v\n%s", err, b)
	}
	return out
}

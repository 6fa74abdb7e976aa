package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// fakeInstall makes dirs look as if version v were installed: a root with
// the receipt that marks it complete and an executable bin/go script.
func fakeInstall(t *testing.T, dirs layout.Dirs, v, goScript string) {
	t.Helper()
	bin := filepath.Join(dirs.Version(v), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(goScript), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dirs.Receipt(v), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestToolchainOutcome(t *testing.T) {
	dirs := layout.Dirs{Home: t.TempDir()}
	fakeInstall(t, dirs, "1.999.0", "#!/bin/sh\n")
	have, missing := goversion.MustParse("1.999.0"), goversion.MustParse("1.1000.0")
	tests := []struct {
		gotoolchain string
		min         goversion.Version
		want        []string
	}{
		{"local", have, []string{"GOTOOLCHAIN=local", "refuse", "gvx use 1.999.0"}},
		{"", have, []string{"unset (auto)", "on PATH", "downloads", filepath.Join(dirs.Shims(), "go1.999.0"), "(installed)"}},
		{"auto", missing, []string{"GOTOOLCHAIN=auto", "downloads", "run 'gvx install 1.1000.0'"}},
		{"local+auto", have, []string{"switch to a newer toolchain"}},
		{"go1.998.1+auto", have, []string{"switch to a newer toolchain"}},
		{"go1.998.1+path", missing, []string{"on PATH and fail without one", "gvx install 1.1000.0"}},
		{"local+path", have, []string{"on PATH and fail without one"}},
		{"go1.998.1", have, []string{"GOTOOLCHAIN=go1.998.1: the go command runs that toolchain", "older than go1.999.0"}},
	}
	for _, tt := range tests {
		got := toolchainOutcome(tt.gotoolchain, dirs, tt.min)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("toolchainOutcome(%q, %s) = %q, want it to contain %q", tt.gotoolchain, tt.min, got, w)
			}
		}
	}
}

func TestDescribeSelection(t *testing.T) {
	goVersion := shim.Origin{Kind: shim.OriginGoVersion, Path: "/src/app/.go-version", Line: 1}
	tests := []struct {
		sel  shim.Selection
		want string
	}{
		{shim.Selection{Spec: goversion.MustParseSpec("1.22.6"), Origin: goVersion, Version: goversion.MustParse("1.22.6"), Installed: true},
			"1.22.6 (set by /src/app/.go-version:1)"},
		{shim.Selection{Spec: goversion.MustParseSpec("1.22"), Origin: shim.Origin{Kind: shim.OriginEnv}, Version: goversion.MustParse("1.22.6"), Installed: true},
			"1.22.6 (set by GVX_GO_VERSION: 1.22)"},
		{shim.Selection{Spec: goversion.MustParseSpec("1.22.6"), Origin: goVersion},
			"1.22.6 (set by /src/app/.go-version:1)"},
		{shim.Selection{Spec: goversion.AtLeastSpec(goversion.MustParse("1.21.0")), Origin: shim.Origin{Kind: shim.OriginGoMod, Path: "/m/go.mod", Line: 3}, Version: goversion.MustParse("1.22.6"), Installed: true},
			"1.22.6 (newest installed for /m/go.mod:3, which requires go1.21.0 or newer)"},
		{shim.Selection{Spec: goversion.MustParseSpec("system"), Origin: goVersion, System: "/usr/bin/go", Installed: true},
			"system /usr/bin/go (set by /src/app/.go-version:1)"},
	}
	for _, tt := range tests {
		if got := describeSelection(tt.sel); got != tt.want {
			t.Errorf("describeSelection(%s from %s) = %q, want %q", tt.sel.Spec, tt.sel.Origin, got, tt.want)
		}
	}
}

// TestCurrentWarnsOnlyWhenOlder checks that the go.mod warning appears when
// the selection is older than the requirement, and not otherwise.
func TestCurrentWarnsOnlyWhenOlder(t *testing.T) {
	gvxEnv(t)
	dirs := layout.Dirs{Home: os.Getenv("GVX_HOME")}
	fakeInstall(t, dirs, "1.998.1", "#!/bin/sh\n")
	fakeInstall(t, dirs, "1.999.0", "#!/bin/sh\n")
	proj := t.TempDir()
	if err := os.WriteFile(filepath.Join(proj, "go.mod"), []byte("module m\n\ngo 1.999.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(proj)
	for _, tt := range []struct {
		pin  string
		warn bool
	}{{"1.998.1", true}, {"1.999.0", false}} {
		t.Setenv(shim.EnvGoVersion, tt.pin)
		code, stdout, stderr := run("current")
		if code != exitOK || !strings.HasPrefix(stdout, tt.pin+" (set by GVX_GO_VERSION)") {
			t.Errorf("gvx current with %s = %d, %q; want 0 and the version", tt.pin, code, stdout)
		}
		if got := strings.Contains(stderr, "requires go1.999.0 or newer"); got != tt.warn {
			t.Errorf("gvx current with %s: warning %v, want %v; stderr %q", tt.pin, got, tt.warn, stderr)
		}
	}
}

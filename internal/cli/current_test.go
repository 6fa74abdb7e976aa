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

// TestToolchainNotes checks what gvx current says the go command will do
// when it cannot simply run the selection: switch by itself to a toolchain
// gvx lacks, or refuse.
func TestToolchainNotes(t *testing.T) {
	dirs := layout.Dirs{Home: t.TempDir()}
	fakeInstall(t, dirs, "1.998.1", "#!/bin/sh\n")
	proj := t.TempDir()
	if err := os.WriteFile(filepath.Join(proj, "go.mod"), []byte("module m\n\ngo 1.1000.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gomod := filepath.Join(proj, "go.mod") + ":3"
	tests := []struct {
		gotoolchain string
		want        []string // "" = no notes
	}{
		{"local", []string{gomod + " requires go1.1000.0 or newer, but GVX_GO_VERSION selects go1.998.1",
			"GOTOOLCHAIN=local does not let it switch: the go command will refuse to work here; pin a newer version with 'gvx use 1.1000.0', or allow switching with GOTOOLCHAIN=auto"}},
		{"", []string{"GOTOOLCHAIN unset does not let it switch"}},
		{"auto", []string{"the selected go1.998.1 (set by GVX_GO_VERSION) will switch to go1.1000.0: " + gomod + " requires go1.1000.0 and GOTOOLCHAIN=auto allows switching; gvx has no go1.1000.0, so the go command downloads it into the module cache; run 'gvx install 1.1000.0' and gvx runs it directly"}},
		{"local+path", []string{"will look for go1.1000.0 on PATH: " + gomod + " requires go1.1000.0 and GOTOOLCHAIN=local+path allows switching; gvx has no go1.1000.0, so go commands here fail; run 'gvx install 1.1000.0'"}},
		{"go1.998.1", []string{"GOTOOLCHAIN=go1.998.1 does not let it switch"}},
		{"go1.998.2", []string{"will switch to go1.998.2: GOTOOLCHAIN=go1.998.2 names it; gvx has no go1.998.2"}},
	}
	for _, tt := range tests {
		getenv := func(k string) string {
			return map[string]string{shim.EnvGoVersion: "1.998.1", "GOTOOLCHAIN": tt.gotoolchain, "GOENV": "off"}[k]
		}
		sel, err := shim.Select(dirs, proj, getenv)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(toolchainNotes(sel), "\n")
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("GOTOOLCHAIN=%s: notes %q, want them to contain %q", tt.gotoolchain, got, w)
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

package shim

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// fakeHome returns a gvx home with the given versions installed (each with
// bin/go and a receipt).
func fakeHome(t testing.TB, versions ...string) layout.Dirs {
	t.Helper()
	dirs := layout.Dirs{Home: filepath.Join(t.TempDir(), "gvx")}
	for _, v := range versions {
		install(t, dirs, v)
	}
	return dirs
}

func install(t testing.TB, dirs layout.Dirs, v string) {
	t.Helper()
	writeFile(t, filepath.Join(dirs.Version(v), "bin", "go"+exeSuffix), "#!/bin/sh\necho go version go"+v+"\n")
	writeFile(t, dirs.Receipt(v), `{"version":"`+v+`"}`)
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

func envFunc(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string // relative to the tree root
		global  string            // content of $GVX_HOME/version; "" = none
		env     []string
		cwd     string // relative to the tree root
		version string // the installed version chosen
		origin  string // Origin.String(), with ROOT for the tree root and HOME for GVX_HOME
		kind    OriginKind
		req     string // Requirement.Path relative to ROOT; "" = nil
	}{
		{
			name:  "go-version in cwd",
			files: map[string]string{"app/.go-version": "1.22.6\n"},
			cwd:   "app", version: "1.22.6", origin: "ROOT/app/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "walk up 8 levels",
			files: map[string]string{".go-version": "# pin\n1.21.13\n"},
			cwd:   "a/b/c/d/e/f/g/h", version: "1.21.13", origin: "ROOT/.go-version:2", kind: OriginGoVersion,
		},
		{
			name:  "nearest wins",
			files: map[string]string{".go-version": "1.21.13", "a/.go-version": "1.22.6"},
			cwd:   "a/b", version: "1.22.6", origin: "ROOT/a/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "go-version before tool-versions in one directory",
			files: map[string]string{"a/.go-version": "1.22.6", "a/.tool-versions": "golang 1.21.13\n"},
			cwd:   "a", version: "1.22.6", origin: "ROOT/a/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "nearer tool-versions beats farther go-version",
			files: map[string]string{".go-version": "1.22.6", "a/.tool-versions": "nodejs 20\ngolang 1.21.13\n"},
			cwd:   "a", version: "1.21.13", origin: "ROOT/a/.tool-versions:2", kind: OriginToolVersions,
		},
		{
			name:  "tool-versions without go is passed over",
			files: map[string]string{".go-version": "1.22.6", "a/.tool-versions": "nodejs 20\n"},
			cwd:   "a", version: "1.22.6", origin: "ROOT/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "tool-versions fallback: first installed wins",
			files: map[string]string{".tool-versions": "golang 1.23.0 1.21.13 1.22.6\n"},
			cwd:   "", version: "1.21.13", origin: "ROOT/.tool-versions:1", kind: OriginToolVersions,
		},
		{
			name:  "env beats files",
			files: map[string]string{".go-version": "1.22.6"},
			env:   []string{EnvGoVersion, "1.21"},
			cwd:   "", version: "1.21.13", origin: "GVX_GO_VERSION", kind: OriginEnv,
		},
		{
			name:   "files beat global",
			files:  map[string]string{"a/.go-version": "1.21.13"},
			global: "1.22.6\n",
			cwd:    "a", version: "1.21.13", origin: "ROOT/a/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:   "global",
			global: "1.22\n",
			cwd:    "a", version: "1.22.6", origin: "HOME/version:1", kind: OriginGlobal,
		},
		{
			name:   "global beats go.mod",
			files:  map[string]string{"a/go.mod": "module m\ngo 1.22\n"},
			global: "1.21.13\n",
			cwd:    "a", version: "1.21.13", origin: "HOME/version:1", kind: OriginGlobal, req: "a/go.mod",
		},
		{
			name:  "go.mod go line is a minimum: newest installed",
			files: map[string]string{"a/go.mod": "module m\n\ngo 1.21\n"},
			cwd:   "a/pkg", version: "1.22.6", origin: "ROOT/a/go.mod:3", kind: OriginGoMod, req: "a/go.mod",
		},
		{
			name:  "go.mod toolchain line raises the minimum",
			files: map[string]string{"go.mod": "module m\ngo 1.21\ntoolchain go1.22.5\n"},
			cwd:   "", version: "1.22.6", origin: "ROOT/go.mod:3", kind: OriginGoMod, req: "go.mod",
		},
		{
			name:  "go.work before go.mod in one directory",
			files: map[string]string{"go.work": "go 1.22.6\n", "go.mod": "module m\ngo 1.20\n"},
			cwd:   "", version: "1.22.6", origin: "ROOT/go.work:1", kind: OriginGoWork, req: "go.work",
		},
		{
			name:  "go.work above the module applies",
			files: map[string]string{"go.work": "go 1.22.6\n", "a/go.mod": "module m\ngo 1.20\n"},
			cwd:   "a", version: "1.22.6", origin: "ROOT/go.work:1", kind: OriginGoWork, req: "go.work",
		},
		{
			name:  "GOWORK=off ignores go.work",
			files: map[string]string{"go.work": "go 1.22.6\n", "a/go.mod": "module m\ngo 1.21.0\n"},
			env:   []string{"GOWORK", "off"},
			cwd:   "a", version: "1.22.6", origin: "ROOT/a/go.mod:2", kind: OriginGoMod, req: "a/go.mod",
		},
		{
			name:  "go-version above go.mod: requirement seen on the way",
			files: map[string]string{".go-version": "1.21.13", "a/go.mod": "module m\ngo 1.22\n"},
			cwd:   "a", version: "1.21.13", origin: "ROOT/.go-version:1", kind: OriginGoVersion, req: "a/go.mod",
		},
		{
			name:  "broken go.mod does not matter when a pin decides",
			files: map[string]string{".go-version": "1.21.13", "a/go.mod": "module m\ngo banana\n"},
			cwd:   "a", version: "1.21.13", origin: "ROOT/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "latest",
			files: map[string]string{".go-version": "latest"},
			cwd:   "", version: "1.22.6", origin: "ROOT/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "constraint",
			files: map[string]string{".go-version": ">=1.21, <1.22"},
			cwd:   "", version: "1.21.13", origin: "ROOT/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "old release spelled with .0",
			files: map[string]string{".go-version": "1.20.0"},
			cwd:   "", version: "1.20", origin: "ROOT/.go-version:1", kind: OriginGoVersion,
		},
		{
			name:  "prerelease exact",
			files: map[string]string{".go-version": "go1.23rc1"},
			cwd:   "", version: "1.23rc1", origin: "ROOT/.go-version:1", kind: OriginGoVersion,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dirs := fakeHome(t, "1.20", "1.21.13", "1.22.5", "1.22.6", "1.23rc1")
			root := t.TempDir()
			for p, c := range tt.files {
				writeFile(t, filepath.Join(root, p), c)
			}
			if tt.global != "" {
				writeFile(t, dirs.Global(), tt.global)
			}
			cwd := filepath.Join(root, tt.cwd)
			if err := os.MkdirAll(cwd, 0o755); err != nil {
				t.Fatal(err)
			}
			sel, err := Select(dirs, cwd, envFunc(tt.env...))
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			origin := strings.NewReplacer(root, "ROOT", dirs.Home, "HOME").Replace(sel.Origin.String())
			if sel.Version.String() != tt.version || origin != tt.origin || sel.Origin.Kind != tt.kind || !sel.Installed {
				t.Errorf("Select = %s (installed %v) from %s (kind %d), want %s from %s (kind %d)",
					sel.Version, sel.Installed, origin, sel.Origin.Kind, tt.version, tt.origin, tt.kind)
			}
			if want := dirs.Version(tt.version); sel.GOROOT != want {
				t.Errorf("Select GOROOT = %q, want %q", sel.GOROOT, want)
			}
			if got, want := sel.Tool("gofmt"), filepath.Join(dirs.Version(tt.version), "bin", "gofmt"+exeSuffix); got != want {
				t.Errorf("Tool(gofmt) = %q, want %q", got, want)
			}
			gotReq := ""
			if sel.Requirement != nil {
				gotReq = strings.TrimPrefix(sel.Requirement.Path, root+string(filepath.Separator))
			}
			if gotReq != tt.req {
				t.Errorf("Select Requirement = %q, want %q", gotReq, tt.req)
			}
		})
	}
}

func TestSelectErrors(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		env    []string
		global string
		want   string // the whole message, with ROOT for the tree root
		check  func(error) bool
	}{
		{
			name:  "not installed",
			files: map[string]string{"src/app/.go-version": "1.22.7\n"},
			want:  "go1.22.7 is not installed (selected by ROOT/src/app/.go-version:1); run 'gvx install 1.22.7'",
			check: func(err error) bool { var e *NotInstalledError; return errors.As(err, &e) },
		},
		{
			name:  "line not installed",
			files: map[string]string{".go-version": "1.19\n"},
			want:  `no installed Go matches "1.19" (selected by ROOT/.go-version:1); run 'gvx install 1.19'`,
			check: func(err error) bool { var e *NotInstalledError; return errors.As(err, &e) },
		},
		{
			name:  "go.mod needs newer",
			files: map[string]string{"go.mod": "module m\ngo 1.24\n"},
			want:  "no installed Go is go1.24.0 or newer (required by ROOT/go.mod:2); run 'gvx install 1.24.0'",
			check: func(err error) bool { var e *NotInstalledError; return errors.As(err, &e) },
		},
		{
			name:  "tool-versions: none of the fallbacks installed",
			files: map[string]string{".tool-versions": "golang 1.23.0 1.22.7\n"},
			want:  "go1.23.0 is not installed (selected by ROOT/.tool-versions:1); run 'gvx install 1.23.0'",
			check: func(err error) bool { var e *NotInstalledError; return errors.As(err, &e) },
		},
		{
			name:  "env not installed",
			env:   []string{EnvGoVersion, "1.22.7"},
			want:  "go1.22.7 is not installed (selected by GVX_GO_VERSION); run 'gvx install 1.22.7'",
			check: func(err error) bool { var e *NotInstalledError; return errors.As(err, &e) },
		},
		{
			name:  "nothing selected",
			want:  "no Go version selected; run 'gvx use --global 1.22.6' or add a .go-version",
			check: func(err error) bool { var e *NoSelectionError; return errors.As(err, &e) },
		},
		{
			name:  "merge conflict",
			files: map[string]string{"src/app/.go-version": "<<<<<<< HEAD\n1.22.6\n=======\n1.21.13\n>>>>>>> main\n"},
			want:  "ROOT/src/app/.go-version:1: unresolved merge conflict; resolve it and keep one version",
			check: func(err error) bool { return errors.Is(err, errMergeConflict) },
		},
		{
			name:   "bad global",
			files:  map[string]string{},
			global: "what\n",
			want:   "HOME/version:1: not a Go version (4 bytes, not shown); write one such as 1.22.6",
			check:  func(err error) bool { var e *FileError; return errors.As(err, &e) },
		},
		{
			name:  "broken go.mod decides",
			files: map[string]string{"go.mod": "module m\ngo banana\n"},
			want:  `ROOT/go.mod:2: invalid go version "banana": must match format 1.23.0`,
			check: func(err error) bool { var e *FileError; return errors.As(err, &e) },
		},
		{
			name:  "bad env",
			env:   []string{EnvGoVersion, "$(id)"},
			want:  `GVX_GO_VERSION: "$(id)": not a Go version spec; use a version such as 1.22.6, 1.22, latest or ">=1.21, <1.23"; fix it or run 'gvx shell --unset'`,
			check: func(err error) bool { return err != nil },
		},
		{
			name:  "a directory where a file should be",
			files: map[string]string{"src/app/.go-version/x": ""},
			want:  "ROOT/src/app/.go-version: a directory, not a regular file; gvx reads only regular files here: remove it or replace it with a file",
			check: func(err error) bool { var e *FileError; return errors.As(err, &e) },
		},
		{
			name:  "too large",
			files: map[string]string{".go-version": strings.Repeat("1.22.6\n", 20000)},
			want:  "ROOT/.go-version: larger than 64 KiB; it should hold one Go version",
			check: func(err error) bool { var e *FileError; return errors.As(err, &e) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dirs := fakeHome(t, "1.21.13", "1.22.6")
			root := t.TempDir()
			for p, c := range tt.files {
				writeFile(t, filepath.Join(root, p), c)
			}
			if tt.global != "" {
				writeFile(t, dirs.Global(), tt.global)
			}
			cwd := filepath.Join(root, "src", "app")
			if err := os.MkdirAll(cwd, 0o755); err != nil {
				t.Fatal(err)
			}
			sel, err := Select(dirs, cwd, envFunc(tt.env...))
			if err == nil {
				t.Fatalf("Select = %s from %s, want error %q", sel.Version, sel.Origin, tt.want)
			}
			got := strings.NewReplacer(root, "ROOT", dirs.Home, "HOME").Replace(err.Error())
			if got != tt.want || !tt.check(err) {
				t.Errorf("Select error = %q (%T), want %q", got, err, tt.want)
			}
			if sel.Installed {
				t.Errorf("Select with error: Installed = true")
			}
		})
	}
}

// TestSelectNotInstalledKeepsSelection: gvx current shows what is selected
// even when it is not installed.
func TestSelectNotInstalledKeepsSelection(t *testing.T) {
	dirs := fakeHome(t)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".go-version"), "1.22.6")
	sel, err := Select(dirs, root, envFunc())
	var nie *NotInstalledError
	if !errors.As(err, &nie) || nie.InstallArg() != "1.22.6" {
		t.Fatalf("Select error = %v, want *NotInstalledError for 1.22.6", err)
	}
	if sel.Spec.String() != "1.22.6" || sel.Origin.Kind != OriginGoVersion || sel.Installed || !sel.Version.IsZero() {
		t.Errorf("Select = %+v, want spec 1.22.6 from .go-version, not installed", sel)
	}
}

// TestSelectNeedsReceipt: a root without its receipt is an install in
// progress (or a broken one) and does not count.
func TestSelectNeedsReceipt(t *testing.T) {
	dirs := fakeHome(t, "1.21.13")
	writeFile(t, filepath.Join(dirs.Version("1.22.6"), "bin", "go"), "")
	writeFile(t, filepath.Join(dirs.Version("1.22.7"), "bin", "go"), "")
	for spec, want := range map[string]string{"1.22.6": "", "1.22": "", "latest": "1.21.13", ">=1.21": "1.21.13"} {
		sel, err := Resolve(dirs, envFunc(), Origin{Kind: OriginEnv}, mustSpec(t, spec))
		if got := sel.Version.String(); got != want || (want == "") != (err != nil) {
			t.Errorf("Resolve(%q) = %q, %v; want %q", spec, got, err, want)
		}
	}
	if got := InstalledVersions(dirs); len(got) != 1 || got[0].String() != "1.21.13" {
		t.Errorf("InstalledVersions = %v, want [1.21.13]", got)
	}
}

func TestInstalledVersions(t *testing.T) {
	dirs := fakeHome(t, "1.22.6", "1.20", "1.21rc2", "1.21.0", "1.9")
	writeFile(t, filepath.Join(dirs.Versions(), "notes.txt"), "")
	if err := os.MkdirAll(filepath.Join(dirs.Versions(), "go1.22.6"), 0o755); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range InstalledVersions(dirs) {
		got = append(got, v.String())
	}
	if want := "1.9 1.20 1.21rc2 1.21.0 1.22.6"; strings.Join(got, " ") != want {
		t.Errorf("InstalledVersions = %q, want %q", got, want)
	}
}

func TestResolveSystem(t *testing.T) {
	dirs := fakeHome(t, "1.22.6")
	sys := t.TempDir()
	writeFile(t, filepath.Join(sys, "go"+exeSuffix), "#!/bin/sh\n")
	t.Run("found", func(t *testing.T) {
		sel, err := Resolve(dirs, envFunc("PATH", sys), Origin{Kind: OriginEnv}, mustSpec(t, "system"))
		if err != nil || !sel.Installed || sel.System != filepath.Join(sys, "go"+exeSuffix) || sel.GOROOT != "" {
			t.Errorf("Resolve(system) = %+v, %v; want the go in %s", sel, err, sys)
		}
		if got, want := sel.Tool("gofmt"), filepath.Join(sys, "gofmt"+exeSuffix); got != want {
			t.Errorf("Tool(gofmt) = %q, want %q", got, want)
		}
	})
	t.Run("missing falls back", func(t *testing.T) {
		sel, err := Resolve(dirs, envFunc("PATH", t.TempDir()), Origin{Kind: OriginEnv}, mustSpec(t, "system"), mustSpec(t, "1.22.6"))
		if err != nil || sel.Version.String() != "1.22.6" {
			t.Errorf("Resolve(system, 1.22.6) = %+v, %v; want 1.22.6", sel, err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := Resolve(dirs, envFunc("PATH", t.TempDir()), Origin{Kind: OriginEnv}, mustSpec(t, "system"))
		want := "no system go on PATH outside gvx (selected by GVX_GO_VERSION); install Go another way or choose a version with 'gvx use 1.22.6'"
		if err == nil || err.Error() != want {
			t.Errorf("Resolve(system) error = %v, want %q", err, want)
		}
	})
}

func TestFindRequirement(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.work"), "go 1.23.0\n")
	writeFile(t, filepath.Join(root, "m", "go.mod"), "module m\ngo 1.22\ntoolchain go1.22.6\n")
	writeFile(t, filepath.Join(root, "other.work"), "go 1.24rc1\n")
	cwd := filepath.Join(root, "m", "sub")
	if err := os.MkdirAll(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env  []string
		path string
		min  string
	}{
		{nil, filepath.Join(root, "go.work"), "1.23.0"},
		{[]string{"GOWORK", "off"}, filepath.Join(root, "m", "go.mod"), "1.22.6"},
		{[]string{"GOWORK", filepath.Join(root, "other.work")}, filepath.Join(root, "other.work"), "1.24rc1"},
	} {
		r, err := FindRequirement(cwd, envFunc(tt.env...))
		if err != nil || r == nil {
			t.Errorf("FindRequirement(%v) = %v, %v", tt.env, r, err)
			continue
		}
		if min, _ := r.Minimum(); r.Path != tt.path || min.String() != tt.min {
			t.Errorf("FindRequirement(%v) = %s minimum %s, want %s minimum %s", tt.env, r.Path, min, tt.path, tt.min)
		}
	}
	r, err := FindRequirement(t.TempDir(), envFunc())
	if r != nil || err != nil {
		t.Errorf("FindRequirement(empty dir) = %v, %v; want nil, nil", r, err)
	}
}

func mustSpec(t *testing.T, s string) goversion.Spec {
	t.Helper()
	sp, err := goversion.ParseSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// TestApplyFloor checks what an explicit choice becomes in a module that
// asks for a newer Go, for each GOTOOLCHAIN: the toolchain the go command
// would switch to when it is installed, else one it accepts without
// switching, else the choice itself.
func TestApplyFloor(t *testing.T) {
	dirs := fakeHome(t, "1.20.14", "1.21.13", "1.22.3", "1.22.6", "1.23rc1", "1.23rc2", "1.25.1", "1.25.3", "1.27rc1")
	tests := []struct {
		name        string
		pin         string // GVX_GO_VERSION
		gomod       string // "" = no go.mod
		gotoolchain string
		want        string // the version that runs
		raised      bool
		run         string // Floor.Verdict.Run; "" = no Floor
	}{
		{"older pin, go line patch installed", "1.21.13", "go 1.22.6", "auto", "1.22.6", true, "go1.22.6"},
		{"older pin, language version: newest patch of the line", "1.21.13", "go 1.22", "auto", "1.22.6", true, "go1.22.0"},
		{"older pin, patch missing: a newer patch of the line", "1.21.13", "go 1.22.4", "auto", "1.22.6", true, "go1.22.4"},
		{"older pin, line missing: newest patch of the oldest newer line", "1.21.13", "go 1.24.0", "auto", "1.25.3", true, "go1.24.0"},
		{"older pin, nothing new enough: the pin runs", "1.21.13", "go 1.28.0", "auto", "1.21.13", false, "go1.28.0"},
		{"a prerelease meets the go line", "1.22.6", "go 1.23rc1", "auto", "1.23rc1", true, "go1.23rc1"},
		{"a newer prerelease of the line", "1.22.6", "go 1.23rc1\ntoolchain go1.23rc2", "auto", "1.23rc2", true, "go1.23rc2"},
		{"toolchain line compared with the raw go line", "1.22.6", "go 1.23\ntoolchain go1.23rc2", "auto", "1.23rc2", true, "go1.23rc2"},
		{"a stable release wins over a prerelease", "1.22.6", "go 1.25rc1", "auto", "1.25.3", true, "go1.25rc1"},
		{"toolchain line newer than go line", "1.21.13", "go 1.21\ntoolchain go1.22.6", "auto", "1.22.6", true, "go1.22.6"},
		{"toolchain default: never switch", "1.21.13", "go 1.22.6\ntoolchain default", "auto", "1.21.13", false, ""},
		{"pin meets the requirement", "1.22.6", "go 1.22.0", "auto", "1.22.6", false, ""},
		{"newer pin is kept", "1.25.1", "go 1.22.0", "auto", "1.25.1", false, ""},
		{"GOTOOLCHAIN=local: the pin runs and Go refuses", "1.21.13", "go 1.22.6", "local", "1.21.13", false, ""},
		{"GOTOOLCHAIN unset: the pin runs", "1.21.13", "go 1.22.6", "", "1.21.13", false, ""},
		{"GOTOOLCHAIN=path allows switching", "1.21.13", "go 1.22.6", "path", "1.22.6", true, "go1.22.6"},
		{"GOTOOLCHAIN=local+auto", "1.21.13", "go 1.22.4", "local+auto", "1.22.6", true, "go1.22.4"},
		{"bare GOTOOLCHAIN names the toolchain", "1.21.13", "", "go1.22.6", "1.22.6", true, "go1.22.6"},
		{"bare GOTOOLCHAIN not installed: the pin runs", "1.21.13", "", "go1.22.5", "1.21.13", false, "go1.22.5"},
		{"X+auto: only X itself avoids a switch", "1.21.13", "go 1.21.0", "go1.22.4+auto", "1.21.13", false, "go1.22.4"},
		{"X+auto: the module raises it further", "1.21.13", "go 1.22.6", "go1.22.0+auto", "1.22.6", true, "go1.22.6"},
		{"X+auto may go down", "1.25.3", "go 1.21.0", "go1.22.6+auto", "1.22.6", true, "go1.22.6"},
		{"invalid GOTOOLCHAIN: the pin runs, Go reports it", "1.21.13", "go 1.22.6", "banana", "1.21.13", false, ""},
		{"broken go.mod: the pin runs, Go reports it", "1.21.13", "go banana", "auto", "1.21.13", false, ""},
		{"a pin older than go1.21 never switches", "1.20.14", "go 1.21.13", "auto", "1.20.14", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if tt.gomod != "" {
				writeFile(t, filepath.Join(root, "go.mod"), "module m\n"+tt.gomod+"\n")
			}
			env := []string{EnvGoVersion, tt.pin, "GOTOOLCHAIN", tt.gotoolchain}
			for _, withReq := range []bool{true, false} {
				sel, err := selectVersion(dirs, root, envFunc(env...), withReq)
				if err != nil {
					t.Fatalf("select: %v", err)
				}
				if sel.Version.String() != tt.want || sel.GOROOT != dirs.Version(tt.want) {
					t.Errorf("withReq %v: runs %s (%s), want %s", withReq, sel.Version, sel.GOROOT, tt.want)
				}
				if sel.Origin.Kind != OriginEnv {
					t.Errorf("withReq %v: origin %s, want GVX_GO_VERSION", withReq, sel.Origin)
				}
				run, raised := "", false
				if sel.Floor != nil {
					run, raised = sel.Floor.Verdict.Run, sel.Floor.Raised
					if sel.Floor.From.String() != tt.pin {
						t.Errorf("withReq %v: Floor.From = %s, want %s", withReq, sel.Floor.From, tt.pin)
					}
				}
				if run != tt.run || raised != tt.raised {
					t.Errorf("withReq %v: Floor run %q raised %v, want %q %v", withReq, run, raised, tt.run, tt.raised)
				}
			}
		})
	}
}

// TestGoModMinimumPrerelease: with no explicit choice, a prerelease meets
// the go line, and a stable release wins when both are installed.
func TestGoModMinimumPrerelease(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.mod"), "module m\ngo 1.23rc1\n")
	dirs := fakeHome(t, "1.23rc1")
	sel, err := Select(dirs, root, envFunc())
	if err != nil || sel.Version.String() != "1.23rc1" {
		t.Fatalf("Select = %s, %v; want 1.23rc1", sel.Version, err)
	}
	install(t, dirs, "1.23rc2")
	install(t, dirs, "1.23.0")
	install(t, dirs, "1.24rc1")
	if sel, err = Select(dirs, root, envFunc()); err != nil || sel.Version.String() != "1.23.0" {
		t.Fatalf("Select = %s, %v; want the stable 1.23.0 over 1.24rc1", sel.Version, err)
	}
}

// TestFindRequirementGoRules ports the go command's rules for finding the
// module's requirement (modload.FindGoWork, FindGoMod; cmd/go's work_env,
// work_gowork and mod_toolchain scripts).
func TestFindRequirementGoRules(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.work"), "use ./m\n") // no go line
	writeFile(t, filepath.Join(root, "m", "go.mod"), "module m\ngo 1.22.6\n")
	cwd := filepath.Join(root, "m")

	// go.work wins over a nearer go.mod, and without a go line means 1.18.
	r, err := FindRequirement(cwd, envFunc())
	if err != nil || r == nil || r.Path != filepath.Join(root, "go.work") {
		t.Fatalf("FindRequirement = %v, %v; want the go.work", r, err)
	}
	if min, line := r.Minimum(); min.String() != "1.18" || line != 0 {
		t.Errorf("go.work without a go line: Minimum() = %s line %d, want 1.18 line 0", min, line)
	}
	// A relative GOWORK is an error naming GOWORK.
	_, err = FindRequirement(cwd, envFunc("GOWORK", "go.work"))
	if err == nil || !strings.Contains(err.Error(), "GOWORK=go.work: invalid GOWORK: not an absolute path") {
		t.Errorf("relative GOWORK: error = %v", err)
	}
	// A GOWORK that does not exist yet (go work init) is skipped: go.mod applies.
	r, err = FindRequirement(cwd, envFunc("GOWORK", filepath.Join(root, "new.work")))
	if err != nil || r == nil || r.Path != filepath.Join(cwd, "go.mod") {
		t.Errorf("missing GOWORK file: FindRequirement = %v, %v; want the go.mod", r, err)
	}
	// A go.mod without a go line means 1.16.
	writeFile(t, filepath.Join(root, "n", "go.mod"), "module n\n")
	r, err = FindRequirement(filepath.Join(root, "n"), envFunc("GOWORK", "off"))
	if err != nil || r == nil {
		t.Fatalf("FindRequirement(n) = %v, %v", r, err)
	}
	if min, _ := r.Minimum(); min.String() != "1.16" {
		t.Errorf("go.mod without a go line: Minimum() = %s, want 1.16", min)
	}

	// A go.mod in the system temp directory itself is ignored, even a
	// broken one, and the search ends there (golang.org/issue/26708).
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	writeFile(t, filepath.Join(tmp, "go.mod"), "module x\ngo banana\n")
	writeFile(t, filepath.Join(tmp, "proj", "sub", "keep"), "")
	if r, err := FindRequirement(filepath.Join(tmp, "proj", "sub"), envFunc()); r != nil || err != nil {
		t.Errorf("go.mod in the temp root: FindRequirement = %v, %v; want nil, nil", r, err)
	}
	writeFile(t, filepath.Join(tmp, "proj", "go.mod"), "module p\ngo 1.22.0\n")
	if r, err := FindRequirement(filepath.Join(tmp, "proj", "sub"), envFunc()); err != nil || r == nil || r.Path != filepath.Join(tmp, "proj", "go.mod") {
		t.Errorf("go.mod below the temp root: FindRequirement = %v, %v; want it", r, err)
	}
}

// TestLanguageLineAcceptsPrerelease: go1.22rc2 runs a "go 1.22" module
// without switching (the go line is a language version), so it is chosen
// when it is all there is, and raised to when a pin is older.
func TestLanguageLineAcceptsPrerelease(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.mod"), "module m\ngo 1.22\n")
	dirs := fakeHome(t, "1.21.13", "1.22rc2")
	sel, err := Select(dirs, root, envFunc())
	if err != nil || sel.Version.String() != "1.22rc2" {
		t.Errorf("Select with only go1.22rc2 = %s, %v; want 1.22rc2", sel.Version, err)
	}
	sel, err = Select(dirs, root, envFunc(EnvGoVersion, "1.21.13", "GOTOOLCHAIN", "auto"))
	if err != nil || sel.Version.String() != "1.22rc2" || sel.Floor == nil || !sel.Floor.Raised {
		t.Errorf("Select with an older pin = %s, %v; want raised to 1.22rc2", sel.Version, err)
	}
	// Nothing meets it: the message names what the go command would download.
	_, err = Select(fakeHome(t, "1.21.13"), root, envFunc())
	want := "no installed Go is go1.22.0 or newer (required by " + filepath.Join(root, "go.mod") + ":2); run 'gvx install 1.22.0'"
	if err == nil || err.Error() != want {
		t.Errorf("Select with nothing new enough: error %v, want %q", err, want)
	}
}

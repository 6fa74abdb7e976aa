package shim

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goenv"
)

func TestEnviron(t *testing.T) {
	dirs := fakeHome(t, "1.22.6")
	root := dirs.Version("1.22.6")
	bin := filepath.Join(root, "bin")
	sep := string(os.PathListSeparator)
	installed := Selection{Installed: true, GOROOT: root}
	system := Selection{Installed: true, System: "/usr/bin/go"}
	tests := []struct {
		name string
		sel  Selection
		in   []string
		want []string
	}{
		{
			name: "installed: GOROOT replaced, bin first, depth removed, user settings kept",
			sel:  installed,
			in: []string{"HOME=/home/u", "GOROOT=/stale/go", "PATH=/usr/bin" + sep + "/bin", depthVar + "=3",
				"GOPATH=/home/u/go", "GOBIN=/home/u/bin", "GOTOOLCHAIN=auto", "GVX_HOME=/h", "GVX_GO_VERSION=1.22"},
			want: []string{"HOME=/home/u", "PATH=" + bin + sep + "/usr/bin" + sep + "/bin",
				"GOPATH=/home/u/go", "GOBIN=/home/u/bin", "GOTOOLCHAIN=auto", "GVX_HOME=/h", "GVX_GO_VERSION=1.22", "GOROOT=" + root},
		},
		{
			name: "installed: bin not repeated when nested",
			sel:  installed,
			in:   []string{"PATH=" + bin + sep + "/usr/bin" + sep + bin},
			want: []string{"PATH=" + bin + sep + "/usr/bin", "GOROOT=" + root},
		},
		{
			name: "installed: no PATH at all",
			sel:  installed,
			in:   []string{"HOME=/home/u"},
			want: []string{"HOME=/home/u", "PATH=" + bin, "GOROOT=" + root},
		},
		{
			name: "duplicate keys: last wins, first position",
			sel:  installed,
			in:   []string{"A=1", "PATH=/x", "A=2", "GOROOT=/a", "GOROOT=/b", "junk-without-equals"},
			want: []string{"A=2", "PATH=" + bin + sep + "/x", "GOROOT=" + root},
		},
		{
			name: "system: GOROOT removed, PATH and depth kept",
			sel:  system,
			in:   []string{"GOROOT=/stale", "PATH=/usr/bin", depthVar + "=2", "GOTOOLCHAIN=local"},
			want: []string{"PATH=/usr/bin", depthVar + "=2", "GOTOOLCHAIN=local"},
		},
	}
	for _, tt := range tests {
		got := Environ(tt.sel, tt.in, dirs)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\nEnviron(%q)\n = %q\nwant %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestSetEnv(t *testing.T) {
	got := SetEnv([]string{"A=1", depthVar + "=1", "B=2", depthVar + "=5"}, depthVar, "6")
	if want := []string{"A=1", "B=2", depthVar + "=6"}; !slices.Equal(got, want) {
		t.Errorf("setEnv = %q, want %q", got, want)
	}
}

// TestFindSystemSkipsGvx: the system go is the first go on PATH that is not
// gvx's own: the shims directory, libexec, installed roots, links to the shim
// binary and relative PATH entries are all passed over.
func TestFindSystemSkipsGvx(t *testing.T) {
	dirs := fakeHome(t, "1.22.6")
	shimBin := filepath.Join(dirs.Libexec(), ShimBinary)
	writeFile(t, shimBin, "#!/bin/sh\n")
	if err := InstallShims(dirs, shimBin, []string{"1.22.6"}); err != nil {
		t.Fatal(err)
	}
	linked := t.TempDir() // a go elsewhere that is a link to the shim
	if err := os.Symlink(filepath.Join(dirs.Shims(), "go"), filepath.Join(linked, "go")); err != nil {
		t.Fatal(err)
	}
	hard := t.TempDir() // a hard link to the shim binary
	if err := os.Link(shimBin, filepath.Join(hard, "go")); err != nil {
		t.Fatal(err)
	}
	notExec := t.TempDir()
	if err := os.WriteFile(filepath.Join(notExec, "go"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dirOnly := t.TempDir()
	if err := os.Mkdir(filepath.Join(dirOnly, "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	real := t.TempDir()
	writeFile(t, filepath.Join(real, "go"), "#!/bin/sh\n")
	rel := "relative/dir"

	path := strings.Join([]string{"", dirs.Shims(), dirs.Shims() + "/", dirs.Libexec(), filepath.Join(dirs.Version("1.22.6"), "bin"),
		linked, hard, notExec, dirOnly, rel, real}, string(os.PathListSeparator))
	got, ok := goenv.SystemGo(dirs, path)
	if want := filepath.Join(real, "go"); !ok || got != want {
		t.Errorf("goenv.SystemGo(%q) = %q, %v; want %q", path, got, ok, want)
	}
	if got, ok := goenv.SystemGo(dirs, strings.Join([]string{dirs.Shims(), linked}, string(os.PathListSeparator))); ok {
		t.Errorf("goenv.SystemGo(shims only) = %q, want none", got)
	}
}

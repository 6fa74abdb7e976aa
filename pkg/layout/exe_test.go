//go:build !windows

package layout

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestExecutableOn(t *testing.T) {
	dir := t.TempDir()
	for name, mode := range map[string]fs.FileMode{"run": 0o755, "plain": 0o644} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, mode); err != nil {
			t.Fatal(err)
		}
	}
	stat := func(name string) fs.FileInfo {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	for _, tc := range []struct {
		goos, name string
		want       bool
	}{
		{"linux", "run", true},
		{"darwin", "plain", false},
		{"windows", "plain", true}, // Windows has no exec bit
		{"windows", ".", false},    // a directory never runs
		{"linux", ".", false},
	} {
		if got := ExecutableOn(tc.goos, stat(tc.name)); got != tc.want {
			t.Errorf("ExecutableOn(%s, %s) = %v, want %v", tc.goos, tc.name, got, tc.want)
		}
	}
	if ExeName("windows", "go") != "go.exe" || ExeName("darwin", "go") != "go" {
		t.Errorf("ExeName = %q, %q; want go.exe, go", ExeName("windows", "go"), ExeName("darwin", "go"))
	}
}

func TestSearchPath(t *testing.T) {
	list := filepath.Join("/usr", "bin") + string(os.PathListSeparator) +
		"" + string(os.PathListSeparator) +
		"relative/bin" + string(os.PathListSeparator) +
		"." + string(os.PathListSeparator) +
		"/opt//go/bin/"
	want := []string{"/usr/bin", "/opt/go/bin"}
	if got := SearchPath(list); !slices.Equal(got, want) {
		t.Errorf("SearchPath(%q) = %q, want %q", list, got, want)
	}
}

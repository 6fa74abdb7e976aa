package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func TestIsGoRunBinary(t *testing.T) {
	for path, want := range map[string]bool{
		"/tmp/go-build2674420009/b001/exe/gvx":                                    true,
		"/Users/me/Library/Caches/go-build/c7/c7720fda38a7dbe3-d/gvx":             true,
		"/root/.cache/go-build/c7/c7720fda38a7dbe30f6aecf31acfe764775adee7-d/gvx": true,
		"/opt/homebrew/bin/gvx":                                                   false,
		"/home/me/go/bin/gvx":                                                     false,
		"/home/me/.local/bin/gvx":                                                 false,
	} {
		if got := isGoRunBinary(path); got != want {
			t.Errorf("isGoRunBinary(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestSyncShimsFromGoRun is 'go run ./cmd/gvx' after a real install: this
// test binary, like a go run build, lives under go-build and has no
// gvx-shim beside it. The installed shim binary stays, and no path that
// will vanish is recorded for GVX_AUTO_INSTALL.
func TestSyncShimsFromGoRun(t *testing.T) {
	self, err := os.Executable()
	if err != nil || !isGoRunBinary(self) {
		t.Fatalf("test binary %q (%v) is not where go builds it", self, err)
	}
	dirs := layout.Dirs{Home: t.TempDir()}
	real := filepath.Join(dirs.Libexec(), shim.ShimBinary)
	if err := os.MkdirAll(dirs.Libexec(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("the released gvx-shim"), 0o755); err != nil {
		t.Fatal(err)
	}
	e := newEnv(nil, nil, nil, func(string) string { return "" })
	if err := syncShims(e, dirs, func() ([]string, error) { return nil, nil }); err != nil {
		t.Fatalf("syncShims: %v", err)
	}
	if data, _ := os.ReadFile(real); string(data) != "the released gvx-shim" {
		t.Errorf("%s was replaced (%d bytes) by a copy of a go run build", real, len(data))
	}
	if _, err := os.Stat(filepath.Join(dirs.Libexec(), shim.GvxPathFile)); err == nil {
		t.Errorf("a go run build's path was recorded for GVX_AUTO_INSTALL")
	}
}

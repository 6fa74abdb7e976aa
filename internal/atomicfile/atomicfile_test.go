package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteNewAndExisting(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".go-version")
	if err := Write(p, []byte("1.22.6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p); got != "1.22.6\n" {
		t.Errorf("content %q", got)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("1.23.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if got := read(t, p); got != "1.23.0\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("rewrite: %q mode %v, want the new content and the old mode 0600", got, fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the file", len(ents))
	}
}

// TestWriteThroughLinks: a link (a dotfile manager's) stays a link, and its
// target is written, even when the target does not exist yet.
func TestWriteThroughLinks(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "dotfiles")
	if err := os.Mkdir(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, ".zshrc")
	if err := os.Symlink("dotfiles/zshrc", rc); err != nil { // relative, dangling
		t.Fatal(err)
	}
	if err := Write(rc, []byte("# zsh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(rc); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symlink (%v)", rc, err)
	}
	if got := read(t, filepath.Join(repo, "zshrc")); got != "# zsh\n" {
		t.Errorf("target content %q", got)
	}
	// A chain of two links.
	second := filepath.Join(dir, ".zshrc2")
	if err := os.Symlink(rc, second); err != nil {
		t.Fatal(err)
	}
	if err := Write(second, []byte("# again\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(repo, "zshrc")); got != "# again\n" {
		t.Errorf("target through two links: %q", got)
	}
	// A loop is an error, not a hang.
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	if err := Write(loop, []byte("x"), 0o644); err == nil {
		t.Error("Write through a link loop succeeded")
	}
}

// TestStaleTempsRemoved: temporary files a killed write left are removed
// by the next write of that file; a fresh one (a write in progress) stays.
func TestStaleTempsRemoved(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".bashrc")
	stale := filepath.Join(dir, "..bashrc"+tempMarker+"111")
	fresh := filepath.Join(dir, "..bashrc"+tempMarker+"222")
	other := filepath.Join(dir, "..profile"+tempMarker+"333")
	legacy := filepath.Join(dir, "..bashrc.123456.tmp") // left by an older gvx
	for _, f := range []string{stale, fresh, other, legacy} {
		if err := os.WriteFile(f, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleAfter)
	os.Chtimes(stale, old, old)
	os.Chtimes(other, old, old)
	os.Chtimes(legacy, old, old)
	if err := Write(p, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{stale, legacy} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("stale temporary file %s still there (%v)", f, err)
		}
	}
	for _, f := range []string{fresh, other} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed: %v", f, err)
		}
	}
}

//go:build unix

package install

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs f with the process umask set to mask. Tests that call it
// must not run in parallel.
func withUmask(t *testing.T, mask int, f func()) {
	t.Helper()
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

func TestCreateWritesWithFinalMode(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		perm fs.FileMode
		want fs.FileMode
	}{
		{0o755, 0o755},
		{0o644, 0o644},
		{0o777, 0o755}, // less the umask
		{0o600, 0o600},
	} {
		name := filepath.Join(dir, tc.perm.String())
		withUmask(t, 0o022, func() {
			f, err := osFS{}.Create(name, tc.perm)
			if err != nil {
				t.Fatalf("Create(%q, %v): %v", name, tc.perm, err)
			}
			if f.Name() != name {
				t.Errorf("Name() = %q, want %q", f.Name(), name)
			}
			if n, err := f.Write([]byte("hello")); n != 5 || err != nil {
				t.Errorf("Write = %d, %v; want 5, nil", n, err)
			}
			if err := f.Sync(); err != nil {
				t.Errorf("Sync: %v", err)
			}
			if err := f.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		st, err := os.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode(); got != tc.want {
			t.Errorf("Create(%q, %v) made mode %v, want %v", name, tc.perm, got, tc.want)
		}
		if b, err := os.ReadFile(name); err != nil || string(b) != "hello" {
			t.Errorf("ReadFile(%q) = %q, %v; want \"hello\"", name, b, err)
		}
	}
}

func TestCreateRefusesExistingFilesAndSymlinks(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	if err := os.WriteFile(existing, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		want error
	}{
		{existing, fs.ErrExist},
		{link, nil}, // ELOOP or EEXIST, by system: refused either way
	} {
		f, err := osFS{}.Create(tc.name, 0o644)
		if err == nil {
			f.Close()
			t.Errorf("Create(%q) succeeded; want it refused", tc.name)
			continue
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != tc.name || pe.Op != "open" {
			t.Errorf("Create(%q) = %#v; want an *fs.PathError for open of it", tc.name, err)
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("Create(%q) = %v; want %v", tc.name, err, tc.want)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file now holds %q", b)
	}
	if _, err := os.Lstat(outside); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file was made through the symlink: Lstat(%q) = %v", outside, err)
	}
}

func TestFdFileAfterClose(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	f, err := osFS{}.Create(name, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("x")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Write after Close = %v, want %v", err, fs.ErrClosed)
	}
	if err := f.Sync(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Sync after Close = %v, want %v", err, fs.ErrClosed)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close = %v, want %v", err, fs.ErrClosed)
	}
}

// TestCreateErrorsKeepTheirCause checks that the errors the installer's
// hints look for (a read-only or unwritable directory) come through the
// bare descriptor as they do through os.OpenFile.
func TestCreateErrorsKeepTheirCause(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "f")
	_, err := osFS{}.Create(missing, 0o644)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Create in a missing directory = %v, want %v", err, fs.ErrNotExist)
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) || errno != syscall.ENOENT {
		t.Errorf("Create in a missing directory = %v, want ENOENT inside", err)
	}
}

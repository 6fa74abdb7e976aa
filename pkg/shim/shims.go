package shim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/gvx-dev/gvx/internal/atomicfile"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// ShimBinary is gvx's own copy of the shim binary inside Dirs.Libexec(); the
// shims in Dirs.Shims() point at it, never at wherever gvx ran from, so they
// survive gvx moving, being upgraded, or being a temporary go run build.
const ShimBinary = "gvx-shim" + exeSuffix

// exeSuffix is the suffix of executables.
const exeSuffix = layout.ExeSuffix

// GvxPathFile, inside Dirs.Libexec(), holds the absolute path of the gvx
// executable, written by RecordGvx when gvx installs the shims. The shim runs
// that gvx for GVX_AUTO_INSTALL=1, falling back to gvx on PATH.
const GvxPathFile = "gvx-path"

// ToolNames are the tools a shim stands in for.
var ToolNames = []string{"go", "gofmt"}

// InstallShims copies shimBinary into Dirs.Libexec() (through a temporary
// file and a rename, and only when its content changed) and makes the shims
// go, gofmt and go<version> for each of versions ("1.22.6") point at that
// copy: relative symlinks on Unix, hard links or copies on Windows.
// Version-named shims of versions not listed are removed. It is idempotent.
func InstallShims(dirs layout.Dirs, shimBinary string, versions []string) error {
	want := map[string]bool{}
	for _, t := range ToolNames {
		want[t+exeSuffix] = true
	}
	for _, s := range versions {
		v, err := goversion.Parse(s)
		if err != nil {
			return fmt.Errorf("install shims: %w", err)
		}
		want[v.GoName()+exeSuffix] = true
	}
	for _, d := range []string{dirs.Libexec(), dirs.Shims()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("install shims: %w", err)
		}
	}
	target := filepath.Join(dirs.Libexec(), ShimBinary)
	if err := replaceFile(shimBinary, target); err != nil {
		return fmt.Errorf("install shims: copy %s: %w", shimBinary, err)
	}
	for name := range want {
		if _, err := linkShim(target, filepath.Join(dirs.Shims(), name)); err != nil {
			return fmt.Errorf("install shims: %w", err)
		}
	}
	entries, err := os.ReadDir(dirs.Shims())
	if err != nil {
		return fmt.Errorf("install shims: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if want[name] || !isVersionShim(name) {
			continue
		}
		// Another gvx syncing the shims at the same time may have removed it.
		if err := os.Remove(filepath.Join(dirs.Shims(), name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("install shims: remove stale shim: %w", err)
		}
	}
	return nil
}

// isVersionShim reports whether name is a version-named shim, "go1.22.6".
func isVersionShim(name string) bool {
	base := strings.TrimSuffix(name, exeSuffix)
	if !strings.HasPrefix(base, "go1") {
		return false
	}
	_, err := goversion.Parse(base)
	return err == nil
}

// RecordGvx writes the path of the gvx executable to Libexec()/GvxPathFile,
// for GVX_AUTO_INSTALL=1.
func RecordGvx(dirs layout.Dirs, gvxExecutable string) error {
	abs, err := filepath.Abs(gvxExecutable)
	if err != nil {
		return fmt.Errorf("record gvx path: %w", err)
	}
	name := filepath.Join(dirs.Libexec(), GvxPathFile)
	if cur, err := os.ReadFile(name); err == nil && string(cur) == abs+"\n" {
		return nil // unchanged: a read-only home stays usable
	}
	if err := os.MkdirAll(dirs.Libexec(), 0o755); err != nil {
		return fmt.Errorf("record gvx path: %w", err)
	}
	if err := writeAtomic(name, []byte(abs+"\n"), 0o644); err != nil {
		return fmt.Errorf("record gvx path: %w", err)
	}
	return nil
}

// replaceFile copies src over dst through a temporary file and a rename,
// unless dst already has src's content.
func replaceFile(src, dst string) error {
	if same, err := sameContent(src, dst); err != nil || same {
		return err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeAtomic(dst, data, 0o755)
}

func writeAtomic(path string, data []byte, mode os.FileMode) error {
	return atomicfile.Write(path, data, mode)
}

// sameContent reports whether b exists with a's content. An unreadable a is
// an error; a missing b is not.
func sameContent(a, b string) (bool, error) {
	da, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Open(b)
	if err != nil {
		return false, nil
	}
	defer fb.Close()
	db, err := io.ReadAll(io.LimitReader(fb, int64(len(da))+1))
	return err == nil && bytes.Equal(da, db), nil
}

// tempSeq numbers the temporary links of one process.
var tempSeq atomic.Uint64

// tempLinkName returns a name beside link for building its replacement, one
// that no other gvx process (several install or uninstall at once, and each
// syncs the shims) and no other goroutine uses: the process id and a
// sequence number. A fixed name let one process remove or rename another's
// half-made link. The leading dot keeps it out of the version-named shims.
func tempLinkName(link string) string {
	return filepath.Join(filepath.Dir(link), fmt.Sprintf(".%s.%d.%d.tmp", filepath.Base(link), os.Getpid(), tempSeq.Add(1)))
}

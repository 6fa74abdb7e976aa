package install

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/registry"
)

// FuzzExtractTar feeds arbitrary bytes to the tar extractor as an archive:
// whatever it does, it must not panic, must write nothing outside its root,
// and must leave no symlink there that resolves outside it.
func FuzzExtractTar(f *testing.F) {
	for _, tc := range hostileCases(f) {
		if !strings.HasPrefix(string(tc.format), "tar") {
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(tc.data))
		if err != nil {
			f.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			f.Fatal(err)
		}
		if len(raw) < 64<<10 { // the bombs are too slow to mutate
			f.Add(raw)
		}
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "go/a", Typeflag: tar.TypeSymlink, Linkname: "."})
	tw.WriteHeader(&tar.Header{Name: "go/b", Typeflag: tar.TypeSymlink, Linkname: "a/../../x"})
	tw.WriteHeader(&tar.Header{Name: "go/a/c", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
	tw.Write([]byte("c"))
	tw.Close()
	f.Add(buf.Bytes())

	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		root := filepath.Join(base, "root")
		if err := os.Mkdir(root, 0o777); err != nil {
			t.Fatal(err)
		}
		x := newExtractor(osFS{}, root, "go/", Limits{MaxEntries: 1000, MaxBytes: 1 << 20})
		unpackTar(context.Background(), bytes.NewReader(data), x) // any error is fine
		checkConfined(t, base, root)
	})
}

// FuzzExtractZip does the same for zip archives, whose central directory
// and local headers can disagree and whose names the extractor must check
// just as strictly.
func FuzzExtractZip(f *testing.F) {
	for _, tc := range hostileCases(f) {
		if tc.format != registry.Zip && tc.format != registry.ModuleZip {
			continue
		}
		if len(tc.data) < 64<<10 { // the bombs are too slow to mutate
			f.Add(tc.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		zipPath := filepath.Join(base, "archive.zip")
		if err := os.WriteFile(zipPath, data, 0o666); err != nil {
			t.Fatal(err)
		}
		root := filepath.Join(base, "root")
		if err := os.Mkdir(root, 0o777); err != nil {
			t.Fatal(err)
		}
		x := newExtractor(osFS{}, root, "go/", Limits{MaxEntries: 1000, MaxBytes: 1 << 20})
		unpackZip(context.Background(), zipPath, x) // any error is fine
		if err := os.Remove(zipPath); err != nil {
			t.Fatal(err)
		}
		checkConfined(t, base, root)
	})
}

// checkConfined fails t if anything but root exists in base, or if a symlink
// under root resolves outside it.
func checkConfined(t *testing.T, base, root string) {
	t.Helper()
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != base && p != root && !strings.HasPrefix(p, root+string(filepath.Separator)) {
			t.Errorf("written outside the root: %s", p)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if to, err := filepath.EvalSymlinks(p); err == nil && to != realRoot &&
				!strings.HasPrefix(to, realRoot+string(filepath.Separator)) {
				target, _ := os.Readlink(p)
				t.Errorf("symlink %s -> %q resolves outside the root, to %s", p, target, to)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

package install

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// readOnlyModCache writes a module cache holding the fake toolchain's zip
// and makes it read-only, as the go command leaves its module cache.
func readOnlyModCache(t *testing.T) (registry.ModCache, registry.Artifact) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mod")
	at := filepath.Join(dir, "cache", "download", "golang.org", "toolchain", "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(at, testModVersion+".zip"), zipFile(t, testModPrefix, goroot()), 0o444); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{at, filepath.Dir(at), dir} {
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { // let t.TempDir remove it
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	mc := registry.ModCache{Dir: dir}
	a, ok := mc.Find(goversion.MustParse(testVersion), registry.Platform{OS: "linux", Arch: "amd64"})
	if !ok {
		t.Fatal("the module cache's zip is not found")
	}
	return mc, a
}

func TestInstallFromModCache(t *testing.T) {
	mc, a := readOnlyModCache(t)
	before := readTree(t, mc.Dir)
	in, _ := testInstaller(t)
	in.KeepDownloads = true // the module cache keeps the zip already
	var out bytes.Buffer
	in.Reporter = NewReporter(&out, false, false)
	var checked string
	in.Checker = &fakeChecker{check: func(zipFile string) { checked = zipFile }}

	res, err := in.Install(context.Background(), mc, a)
	if err != nil {
		t.Fatal(err)
	}
	if rel, err := filepath.Rel(in.Dirs.Staging(), checked); err != nil || strings.HasPrefix(rel, "..") {
		t.Errorf("checked %s; want the copy in staging, the very bytes that are unpacked", checked)
	}
	r := res.Receipt
	if r.Source != registry.SourceModCache || r.URL != a.URL || !strings.HasPrefix(r.URL, "file:///") || !strings.HasPrefix(r.H1, "h1:") || len(r.SHA256) != 64 || r.Size != a.Size {
		t.Errorf("receipt = %+v", r)
	}
	if st, err := os.Stat(filepath.Join(res.Root, "bin", "go")); err != nil || st.Mode().Perm()&0o111 == 0 {
		t.Errorf("bin/go = %v, %v; want executable", st, err)
	}
	log := out.String()
	if strings.Contains(log, "downloading") || !strings.Contains(log, "reading "+a.Filename+" from Go's module cache (no download)") {
		t.Errorf("progress:\n%s", log)
	}
	if kept, _ := filepath.Glob(filepath.Join(in.CacheDir, "downloads", "*")); len(kept) != 0 {
		t.Errorf("kept %v; the module cache keeps the zip", kept)
	}
	if after := readTree(t, mc.Dir); !reflect.DeepEqual(before, after) {
		t.Errorf("the module cache changed")
	}
}

func TestInstallFromModCacheMismatch(t *testing.T) {
	mc, a := readOnlyModCache(t)
	before := readTree(t, mc.Dir)
	in, base := testInstaller(t)
	treeBefore := tree(t, base)
	in.Checker = &fakeChecker{err: &verify.MismatchError{What: "h1 (checksum database)", Subject: a.ModPath + "@" + a.ModVersion, URL: a.URL}}
	_, err := in.Install(context.Background(), mc, a)
	var mm *verify.MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("Install = %v; want the mismatch", err)
	}
	assertNothingLeft(t, in, base, treeBefore)
	if after := readTree(t, mc.Dir); !reflect.DeepEqual(before, after) {
		t.Errorf("the module cache changed")
	}
}

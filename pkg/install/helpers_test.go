package install

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// testVersion cannot be a real Go release, so nothing here can be mistaken
// for one.
const (
	testVersion    = "1.999.0"
	testModVersion = "v0.0.1-go1.999.0.linux-amd64"
	testModPrefix  = "golang.org/toolchain@" + testModVersion + "/"
	goScript       = "#!/bin/sh\necho go version go1.999.0 linux/amd64\n"
)

// file is one entry of a generated archive, named without its top directory.
type file struct {
	name     string
	body     string
	mode     int64 // tar only; 0 means 0644
	typeflag byte  // tar only; 0 means a regular file
	link     string
}

// goroot is a fake GOROOT: enough for the installer to accept it and for
// bin/go to run.
func goroot() []file {
	return []file{
		{name: "VERSION", body: "go1.999.0\ntime 2099-01-01T00:00:00Z\n"},
		{name: "bin/go", body: goScript, mode: 0o755},
		{name: "bin/gofmt", body: "#!/bin/sh\necho gofmt\n", mode: 0o755},
		{name: "pkg/tool/linux_amd64/compile", body: "#!/bin/sh\necho compile\n", mode: 0o755},
		{name: "src/fmt/print.go", body: "package fmt\n"},
		{name: "src/README.vendor", body: "vendored\n"},
	}
}

// tarGz builds a tar.gz whose entries are the files under prefix ("go/");
// names starting with "!" are written as given, without the prefix.
func tarGz(t testing.TB, prefix string, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		name := prefix + f.name
		if strings.HasPrefix(f.name, "!") {
			name = f.name[1:]
		}
		hdr := &tar.Header{Name: name, Mode: f.mode, Typeflag: f.typeflag, Linkname: f.link, ModTime: time.Unix(1e9, 0)}
		if hdr.Mode == 0 {
			hdr.Mode = 0o644
		}
		if hdr.Typeflag == 0 {
			hdr.Typeflag = tar.TypeReg
		}
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(f.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := io.WriteString(tw, f.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipFile builds a zip of files under prefix, "!" names as given. A file
// with typeflag tar.TypeSymlink gets a symlink mode.
func zipFile(t testing.TB, prefix string, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		name := prefix + f.name
		if strings.HasPrefix(f.name, "!") {
			name = f.name[1:]
		}
		hdr := &zip.FileHeader{Name: name, Method: zip.Deflate}
		if f.typeflag == tar.TypeSymlink {
			hdr.SetMode(fs.ModeSymlink | 0o777)
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// tarArtifact lists data as the dl source would: name, URL, SHA-256, size.
func tarArtifact(version string, data []byte) registry.Artifact {
	name := "go" + version + ".linux-amd64.tar.gz"
	return registry.Artifact{
		Version:  goversion.MustParse(version),
		Platform: registry.Platform{OS: "linux", Arch: "amd64"},
		Source:   "dl",
		Format:   registry.TarGz,
		Filename: name,
		URL:      "https://dl.test/" + name,
		SHA256:   sum(data),
		Size:     int64(len(data)),
	}
}

func zipArtifact(version string, data []byte) registry.Artifact {
	name := "go" + version + ".windows-amd64.zip"
	return registry.Artifact{
		Version:  goversion.MustParse(version),
		Platform: registry.Platform{OS: "linux", Arch: "amd64"}, // bin/go, not bin/go.exe
		Source:   "dl",
		Format:   registry.Zip,
		Filename: name,
		URL:      "https://dl.test/" + name,
		SHA256:   sum(data),
		Size:     int64(len(data)),
	}
}

// modArtifact lists a module zip as the proxy source would: no SHA-256 and
// no size.
// toolchainArtifact returns the fake toolchain packed in format, and its
// artifact.
func toolchainArtifact(t *testing.T, format registry.Format) (registry.Artifact, []byte) {
	t.Helper()
	switch format {
	case registry.TarGz:
		data := tarGz(t, "go/", goroot())
		return tarArtifact(testVersion, data), data
	case registry.Zip:
		data := zipFile(t, "go/", goroot())
		return zipArtifact(testVersion, data), data
	}
	return modArtifact(), zipFile(t, testModPrefix, goroot())
}

func modArtifact() registry.Artifact {
	return registry.Artifact{
		Version:    goversion.MustParse(testVersion),
		Platform:   registry.Platform{OS: "linux", Arch: "amd64"},
		Source:     "proxy",
		Format:     registry.ModuleZip,
		Filename:   testModVersion + ".zip",
		URL:        "http://proxy.test/golang.org/toolchain/@v/" + testModVersion + ".zip",
		ModPath:    "golang.org/toolchain",
		ModVersion: testModVersion,
	}
}

// fakeSource serves archives from memory by file name.
type fakeSource struct {
	files   map[string][]byte
	fetches atomic.Int32
	// fetch, when set, replaces the body: it gets the archive's bytes.
	fetch func(ctx context.Context, data []byte) (io.ReadCloser, error)
}

func newSource(a registry.Artifact, data []byte) *fakeSource {
	return &fakeSource{files: map[string][]byte{a.Filename: data}}
}

func (s *fakeSource) Name() string { return "fake" }

func (s *fakeSource) List(context.Context) ([]registry.Release, error) { return nil, nil }

func (s *fakeSource) Fetch(ctx context.Context, a registry.Artifact) (io.ReadCloser, error) {
	s.fetches.Add(1)
	data, ok := s.files[a.Filename]
	if !ok {
		return nil, fmt.Errorf("%s: 404 Not Found", a.URL)
	}
	if s.fetch != nil {
		return s.fetch(ctx, data)
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// failingSource fails every fetch: a machine with no network.
type failingSource struct{ fetches atomic.Int32 }

func (s *failingSource) Name() string                                     { return "offline" }
func (s *failingSource) List(context.Context) ([]registry.Release, error) { return nil, nil }
func (s *failingSource) Fetch(context.Context, registry.Artifact) (io.ReadCloser, error) {
	s.fetches.Add(1)
	return nil, errors.New("dial tcp: network is unreachable")
}

// fakeChecker stands in for the checksum database.
type fakeChecker struct {
	err   error
	calls atomic.Int32
	check func(zipFile string) // runs inside CheckZip
}

func (c *fakeChecker) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	c.calls.Add(1)
	if c.check != nil {
		c.check(zipFile)
	}
	return c.err
}

// testInstaller returns an Installer over a fresh home in base/home, with
// its cache in base/cache.
func testInstaller(t *testing.T) (*Installer, string) {
	t.Helper()
	base := t.TempDir()
	return &Installer{
		Dirs:       layout.Dirs{Home: filepath.Join(base, "home")},
		CacheDir:   filepath.Join(base, "cache"),
		GvxVersion: "0.0.0-test",
		Now:        func() time.Time { return time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC) },
	}, base
}

// tree lists every path under base, with its kind, except the lock files
// (which installs keep on purpose).
func tree(t *testing.T, base string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		if strings.HasPrefix(rel, filepath.Join("home", "locks")) {
			return nil
		}
		paths = append(paths, fmt.Sprintf("%s %v", filepath.ToSlash(rel), d.Type()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	return paths
}

// assertNothingLeft checks that a failed install left no trace: base holds
// exactly what it held before (plus the empty directories an install makes),
// staging is empty, and no version exists.
func assertNothingLeft(t *testing.T, in *Installer, base string, before []string) {
	t.Helper()
	allowed := map[string]bool{
		"home d---------":            true,
		"home/staging d---------":    true,
		"home/versions d---------":   true,
		"cache d---------":           true,
		"cache/downloads d---------": true,
	}
	was := map[string]bool{}
	for _, p := range before {
		was[p] = true
	}
	for _, p := range tree(t, base) {
		if !was[p] && !allowed[p] {
			t.Errorf("left behind: %s", p)
		}
	}
	if list, err := in.List(); err != nil || len(list) != 0 {
		t.Errorf("List() = %v, %v; want nothing installed", list, err)
	}
}

// faultFS fails writes as a full disk or a read-only home would.
type faultFS struct {
	osFS
	space    atomic.Int64 // bytes that may still be written
	readOnly bool
}

func (f *faultFS) ro(op, path string) error {
	if f.readOnly {
		return &fs.PathError{Op: op, Path: path, Err: syscall.EROFS}
	}
	return nil
}

func (f *faultFS) MkdirAll(path string, perm fs.FileMode) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil
	}
	if err := f.ro("mkdir", path); err != nil {
		return err
	}
	return f.osFS.MkdirAll(path, perm)
}

func (f *faultFS) Mkdir(path string, perm fs.FileMode) error {
	if err := f.ro("mkdir", path); err != nil {
		return err
	}
	return f.osFS.Mkdir(path, perm)
}

func (f *faultFS) MkdirTemp(dir, pattern string) (string, error) {
	if err := f.ro("mkdirtemp", filepath.Join(dir, pattern)); err != nil {
		return "", err
	}
	return f.osFS.MkdirTemp(dir, pattern)
}

func (f *faultFS) Create(path string, perm fs.FileMode) (writeFile, error) {
	if err := f.ro("open", path); err != nil {
		return nil, err
	}
	w, err := f.osFS.Create(path, perm)
	if err != nil {
		return nil, err
	}
	return &fullFile{w, f}, nil
}

func (f *faultFS) CreateTemp(dir, pattern string) (writeFile, error) {
	if err := f.ro("open", filepath.Join(dir, pattern)); err != nil {
		return nil, err
	}
	w, err := f.osFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &fullFile{w, f}, nil
}

func (f *faultFS) Symlink(target, path string) error {
	if err := f.ro("symlink", path); err != nil {
		return err
	}
	return f.osFS.Symlink(target, path)
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if err := f.ro("rename", oldpath); err != nil {
		return err
	}
	return f.osFS.Rename(oldpath, newpath)
}

// fullFile fails a write once the disk's space is used up.
type fullFile struct {
	writeFile
	fs *faultFS
}

func (f *fullFile) Write(p []byte) (int, error) {
	if f.fs.space.Add(-int64(len(p))) < 0 {
		return 0, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.writeFile.Write(p)
}

// readTree returns the contents of every regular file under root.
func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

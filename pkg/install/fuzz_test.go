package install

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fuzzRoot is where the fuzzers unpack, in a memFS: an install root in
// staging, with the gvx home and more above it.
var fuzzRoot = filepath.Join(string(filepath.Separator)+"home", "gvx", "staging", "1.999.0.gvx-1", "go")

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
		m := newMemFS(fuzzRoot)
		x := newExtractor(m, fuzzRoot, "go/", Limits{MaxEntries: 1000, MaxBytes: 1 << 20})
		unpackTar(context.Background(), bytes.NewReader(data), x) // any error is fine
		checkMemConfined(t, m)
	})
}

// FuzzExtractZip does the same for zip archives, whose central directory
// and local headers can disagree and whose names the extractor must check
// just as strictly.
func FuzzExtractZip(f *testing.F) {
	// Small seeds: the fuzzer minimizes each new input in time that grows
	// with the square of its length, and the hostile cases, each with a
	// whole fake GOROOT, are a kilobyte or more.
	for _, files := range [][]file{
		{{name: "bin/go", body: "go"}},
		{{name: "!go/", body: ""}, {name: "src/", body: ""}, {name: "src/a", body: "a"}},
		{{name: "../x", body: "x"}},
		{{name: "!/x", body: "x"}},
		{{name: "l", typeflag: tar.TypeSymlink, body: ".."}},
		{{name: "a", body: "1"}, {name: "a", body: "2"}},
		{{name: "a", body: "1"}, {name: "A", body: "2"}},
		{{name: "a", body: "1"}, {name: "a/b", body: "2"}},
	} {
		f.Add(zipFile(f, "go/", files))
	}
	mismatched := zipFile(f, "go/", []file{{name: "aaaa", body: "x"}})
	copy(mismatched[bytes.Index(mismatched, []byte("go/aaaa")):], "go/evil")
	f.Add(mismatched)
	// unpackZip reads a file: one per worker process, rewritten each run.
	zipPath := filepath.Join(f.TempDir(), "archive.zip")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(zipPath, data, 0o666); err != nil {
			t.Fatal(err)
		}
		m := newMemFS(fuzzRoot)
		x := newExtractor(m, fuzzRoot, "go/", Limits{MaxEntries: 1000, MaxBytes: 1 << 20})
		unpackZip(context.Background(), zipPath, x) // any error is fine
		checkMemConfined(t, m)
	})
}

// memFS is an in-memory fileSystem for the extraction fuzzers. On a shared
// machine the real disk made each run take tens of milliseconds, so that a
// time-limited run spent its minutes minimizing a handful of inputs; in
// memory a run takes microseconds. It resolves paths as the kernel does
// (symlinks followed in every parent, and in the final element except where
// Create's O_NOFOLLOW, mkdir, symlink and link do not follow it) and
// reports, through escaped, every change that would land outside root.
type memFS struct {
	root    string
	nodes   map[string]*memNode // by clean absolute path; root is a directory
	escaped []string
}

type memNode struct {
	kind   nodeKind // explicitDir, regularFile or symlink
	target string   // a symlink's target
}

var errMemUnused = errors.New("memFS: not used by the extractor")

func newMemFS(root string) *memFS {
	return &memFS{root: root, nodes: map[string]*memNode{root: {kind: explicitDir}}}
}

// inside reports whether the clean absolute path p is root or under it.
func (m *memFS) inside(p string) bool {
	return p == m.root || strings.HasPrefix(p, m.root+string(filepath.Separator))
}

// resolve returns the path p names with every symlink in it followed, the
// final element only if follow. Paths outside root that memFS does not
// hold are taken to be directories, as the real ones above root are.
func (m *memFS) resolve(p string, follow bool) (string, error) {
	return m.resolveDepth(p, follow, 0)
}

func (m *memFS) resolveDepth(p string, follow bool, depth int) (string, error) {
	if depth > 40 {
		return "", syscall.ELOOP
	}
	elems := strings.Split(strings.TrimPrefix(p, string(filepath.Separator)), string(filepath.Separator))
	cur := string(filepath.Separator)
	for i, elem := range elems {
		switch elem {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, elem)
		n := m.nodes[next]
		last := i == len(elems)-1
		switch {
		case n != nil && n.kind == symlink && (!last || follow):
			t := filepath.FromSlash(n.target)
			if !filepath.IsAbs(t) {
				t = filepath.Join(cur, t)
			}
			r, err := m.resolveDepth(t, true, depth+1)
			if err != nil {
				return "", err
			}
			cur = r
		case n != nil && n.kind == regularFile && !last:
			return "", syscall.ENOTDIR
		case n == nil && !last && m.inside(next):
			return "", syscall.ENOENT
		default:
			cur = next
		}
	}
	return cur, nil
}

// place resolves the path a new node would take: its parent followed, its
// final element not. It records an escape, and refuses a path that exists.
func (m *memFS) place(op, path string) (string, error) {
	dir, err := m.resolve(filepath.Dir(path), true)
	if err != nil {
		return "", &fs.PathError{Op: op, Path: path, Err: err}
	}
	p := filepath.Join(dir, filepath.Base(path))
	if !m.inside(p) {
		m.escaped = append(m.escaped, op+" "+path+" -> "+p)
		return "", &fs.PathError{Op: op, Path: path, Err: syscall.EACCES}
	}
	if m.nodes[p] != nil {
		return "", &fs.PathError{Op: op, Path: path, Err: fs.ErrExist}
	}
	if d := m.nodes[dir]; d == nil || !d.kind.isDir() {
		return "", &fs.PathError{Op: op, Path: path, Err: syscall.ENOENT}
	}
	return p, nil
}

func (m *memFS) Mkdir(path string, perm fs.FileMode) error {
	p, err := m.place("mkdir", path)
	if err == nil {
		m.nodes[p] = &memNode{kind: explicitDir}
	}
	return err
}

func (m *memFS) Create(path string, perm fs.FileMode) (writeFile, error) {
	p, err := m.place("open", path)
	if err != nil {
		return nil, err
	}
	m.nodes[p] = &memNode{kind: regularFile}
	return memFile{path}, nil
}

func (m *memFS) Symlink(target, path string) error {
	p, err := m.place("symlink", path)
	if err == nil {
		m.nodes[p] = &memNode{kind: symlink, target: target}
	}
	return err
}

// Link makes newpath another name of oldpath, which, as with link(2), is
// not followed if it is a symlink.
func (m *memFS) Link(oldpath, newpath string) error {
	old, err := m.resolve(oldpath, false)
	if err != nil {
		return &fs.PathError{Op: "link", Path: oldpath, Err: err}
	}
	if !m.inside(old) {
		m.escaped = append(m.escaped, "link to "+oldpath+" -> "+old)
		return &fs.PathError{Op: "link", Path: oldpath, Err: syscall.EACCES}
	}
	n := m.nodes[old]
	if n == nil || n.kind.isDir() {
		return &fs.PathError{Op: "link", Path: oldpath, Err: syscall.EPERM}
	}
	p, err := m.place("link", newpath)
	if err == nil {
		m.nodes[p] = n
	}
	return err
}

func (m *memFS) MkdirAll(string, fs.FileMode) error           { return errMemUnused }
func (m *memFS) MkdirTemp(string, string) (string, error)     { return "", errMemUnused }
func (m *memFS) CreateTemp(string, string) (writeFile, error) { return nil, errMemUnused }
func (m *memFS) Rename(string, string) error                  { return errMemUnused }
func (m *memFS) Chmod(string, fs.FileMode) error              { return errMemUnused }
func (m *memFS) Remove(string) error                          { return errMemUnused }
func (m *memFS) RemoveAll(string) error                       { return errMemUnused }

// memFile discards what is written to it.
type memFile struct{ name string }

func (f memFile) Write(p []byte) (int, error) { return len(p), nil }
func (f memFile) Name() string                { return f.name }
func (f memFile) Sync() error                 { return nil }
func (f memFile) Close() error                { return nil }

// checkMemConfined fails t if anything was made outside m's root, or if a
// symlink in it resolves outside it.
func checkMemConfined(t *testing.T, m *memFS) {
	t.Helper()
	for _, e := range m.escaped {
		t.Errorf("written outside the root: %s", e)
	}
	for p, n := range m.nodes {
		if n.kind != symlink {
			continue
		}
		if to, err := m.resolve(p, true); err == nil && !m.inside(to) {
			t.Errorf("symlink %s -> %q resolves outside the root, to %s", p, n.target, to)
		}
	}
}

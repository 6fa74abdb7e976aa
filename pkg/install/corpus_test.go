package install

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/pkg/registry"
)

// The hostile archive corpus lives in testdata/hostile as real files, so
// that other tools (and other extractors) can be pointed at the same bytes.
// corpusCases is its manifest: each case's generator made its file, and
// TestHostileCorpus installs each file and checks the refusal. To change the
// corpus, edit corpusCases and regenerate the files with
//
//	go test ./pkg/install -run TestGenerateHostileCorpus -args -generate
//
// then commit testdata/hostile.
var generateCorpus = flag.Bool("generate", false, "rewrite the hostile archive corpus in testdata/hostile from corpusCases")

const corpusDir = "testdata/hostile"

// corpusOutside is the absolute path the "absolute" archives aim at. The test
// checks that it does not exist afterwards.
const corpusOutside = "/tmp/gvx-hostile-corpus/pwned"

// bombSize is what the bomb archives expand to; corpusBombLimit is the byte
// limit the test installs them under. The default limit (2 GiB) would stop
// them the same way, only after writing 2 GiB; the ratio of expanded to
// compressed size, which is what makes a bomb, is the same.
const (
	bombSize        = 64 << 20
	corpusBombLimit = 16 << 20
)

// corpusCase is one archive of the corpus. Every archive starts with a valid
// GOROOT, so the refusal comes with files already unpacked in staging, and
// its hostile entries aim at "sentinel", a directory beside the gvx home:
// from the install root in staging (home/staging/<v>.gvx-*/go), four ".."
// reach the directory that holds both.
type corpusCase struct {
	file   string // the name in testdata/hostile; its extension is its format
	entry  string // the entry the error must name
	want   string // and what it must say about it
	limits Limits
	make   func(t testing.TB) []byte
}

func (c corpusCase) format() registry.Format {
	if strings.HasSuffix(c.file, ".zip") {
		return registry.Zip
	}
	return registry.TarGz
}

func corpusCases() []corpusCase {
	tgz := func(files ...file) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return tarGz(t, "go/", append(goroot(), files...)) }
	}
	zp := func(files ...file) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return zipFile(t, "go/", append(goroot(), files...)) }
	}
	const escape = "../../../../sentinel"
	zeros := strings.Repeat("\x00", bombSize)
	return []corpusCase{
		{file: "traversal.tar.gz", entry: "go/" + escape + "/pwned", want: "path escapes the install root",
			make: tgz(file{name: escape + "/pwned", body: "pwned"})},
		{file: "traversal-bare.tar.gz", entry: "../sentinel/pwned", want: "path escapes the install root",
			make: tgz(file{name: "!../sentinel/pwned", body: "pwned"})},
		{file: "absolute.tar.gz", entry: corpusOutside, want: "absolute path",
			make: tgz(file{name: "!" + corpusOutside, body: "pwned"})},
		{file: "symlink-escape.tar.gz", entry: "go/lib", want: "escapes the install root",
			make: tgz(
				file{name: "lib", typeflag: tar.TypeSymlink, link: escape},
				file{name: "lib/pwned", body: "pwned"})},
		{file: "symlink-absolute.tar.gz", entry: "go/lib", want: "symlink to an absolute path",
			make: tgz(
				file{name: "lib", typeflag: tar.TypeSymlink, link: filepath.Dir(corpusOutside)},
				file{name: "lib/pwned", body: "pwned"})},
		// The link itself stays inside the root (src/up is the root); the
		// file written through it is refused, as a chain of such links
		// could climb out one safe-looking step at a time.
		{file: "symlink-then-file.tar.gz", entry: "go/src/up/pwned", want: `path goes through a symlink ("src/up")`,
			make: tgz(
				file{name: "src/up", typeflag: tar.TypeSymlink, link: ".."},
				file{name: "src/up/pwned", body: "pwned"})},
		{file: "symlink-then-overwrite.tar.gz", entry: "go/src/l", want: "duplicate entry",
			make: tgz(
				file{name: "src/l", typeflag: tar.TypeSymlink, link: "../bin/go"},
				file{name: "src/l", body: "#!/bin/sh\necho pwned\n"})},
		{file: "hardlink-escape.tar.gz", entry: "go/hl", want: "path escapes the install root",
			make: tgz(file{name: "hl", typeflag: tar.TypeLink, link: "go/" + escape + "/secret"})},
		{file: "hardlink-absolute.tar.gz", entry: "go/hl", want: "absolute path",
			make: tgz(file{name: "hl", typeflag: tar.TypeLink, link: "/etc/passwd"})},
		{file: "hardlink-through-symlink.tar.gz", entry: "go/hl", want: "not a regular file",
			make: tgz(
				file{name: "src/up", typeflag: tar.TypeSymlink, link: ".."},
				file{name: "hl", typeflag: tar.TypeLink, link: "go/src/up"})},
		{file: "duplicate.tar.gz", entry: "go/bin/go", want: "duplicate entry",
			make: tgz(file{name: "bin/go", body: "#!/bin/sh\necho pwned\n", mode: 0o755})},
		{file: "device-char.tar.gz", entry: "go/dev/null", want: "device or fifo entry",
			make: tgz(file{name: "dev/null", typeflag: tar.TypeChar})},
		{file: "device-block.tar.gz", entry: "go/dev/sda", want: "device or fifo entry",
			make: tgz(file{name: "dev/sda", typeflag: tar.TypeBlock})},
		{file: "fifo.tar.gz", entry: "go/fifo", want: "device or fifo entry",
			make: tgz(file{name: "fifo", typeflag: tar.TypeFifo})},
		{file: "case-collision.tar.gz", entry: "go/bin/GO", want: `collides with "go/bin/go" on case-insensitive file systems`,
			make: tgz(file{name: "bin/GO", body: "#!/bin/sh\necho pwned\n", mode: 0o755})},
		{file: "gzip-bomb.tar.gz", entry: "go/bomb", want: fmt.Sprintf("more than %d bytes", corpusBombLimit),
			limits: Limits{MaxBytes: corpusBombLimit},
			make:   tgz(file{name: "bomb", body: zeros})},

		{file: "zip-traversal.zip", entry: "go/" + escape + "/pwned", want: "path escapes the install root",
			make: zp(file{name: escape + "/pwned", body: "pwned"})},
		{file: "zip-absolute.zip", entry: corpusOutside, want: "absolute path",
			make: zp(file{name: "!" + corpusOutside, body: "pwned"})},
		{file: "zip-symlink.zip", entry: "go/lib", want: "symlink in a zip archive",
			make: zp(file{name: "lib", typeflag: tar.TypeSymlink, body: escape})},
		{file: "zip-duplicate.zip", entry: "go/bin/go", want: "duplicate entry",
			make: zp(file{name: "bin/go", body: "#!/bin/sh\necho pwned\n"})},
		{file: "zip-device.zip", entry: "go/dev/null", want: "device, fifo or socket entry",
			make: func(t testing.TB) []byte {
				return zipWithModes(t, map[string]fs.FileMode{"go/dev/null": fs.ModeDevice | fs.ModeCharDevice | 0o666})
			}},
		{file: "zip-header-mismatch.zip", entry: "go/bin/aaaa", want: `local header names "go/bin/evil", central directory names "go/bin/aaaa"`,
			make: func(t testing.TB) []byte {
				data := zp(file{name: "bin/aaaa", body: "pwned"})(t)
				i := bytes.Index(data, []byte("go/bin/aaaa")) // the local header comes first
				if i < 0 {
					t.Fatal("no local header name to patch")
				}
				copy(data[i:], "go/bin/evil")
				return data
			}},
		{file: "zip-case-collision.zip", entry: "go/src/readme.VENDOR", want: `collides with "go/src/README.vendor" on case-insensitive file systems`,
			make: zp(file{name: "src/readme.VENDOR", body: "pwned"})},
		{file: "zip-case-collision-dir.zip", entry: "go/BIN/go", want: `collides with "go/bin"`,
			make: zp(file{name: "BIN/go", body: "#!/bin/sh\necho pwned\n"})},
		{file: "zip-bomb.zip", entry: "go/bomb", want: fmt.Sprintf("more than %d bytes", corpusBombLimit),
			limits: Limits{MaxBytes: corpusBombLimit},
			make:   zp(file{name: "bomb", body: zeros})},
	}
}

// zipWithModes builds a zip of the fake GOROOT under "go/" plus empty
// entries with the given modes.
func zipWithModes(t testing.TB, modes map[string]fs.FileMode) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(hdr *zip.FileHeader, body string) {
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range goroot() {
		add(&zip.FileHeader{Name: "go/" + f.name, Method: zip.Deflate}, f.body)
	}
	names := make([]string, 0, len(modes))
	for name := range modes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		hdr := &zip.FileHeader{Name: name}
		hdr.SetMode(modes[name])
		add(hdr, "")
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGenerateHostileCorpus rewrites testdata/hostile with -generate;
// without it, it checks that the directory holds exactly the corpus's
// files, none missing and none stale.
func TestGenerateHostileCorpus(t *testing.T) {
	cases := corpusCases()
	if *generateCorpus {
		if err := os.MkdirAll(corpusDir, 0o777); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if err := os.WriteFile(filepath.Join(corpusDir, c.file), c.make(t), 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	var want []string
	for _, c := range cases {
		want = append(want, c.file)
	}
	want = append(want, "README.md")
	slices.Sort(want)
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %q\nwant %q\nregenerate it: go test ./pkg/install -run TestGenerateHostileCorpus -args -generate", corpusDir, got, want)
	}
}

// TestHostileCorpus installs each archive of testdata/hostile through a
// source that serves its bytes with the right SHA-256, so that only the
// unpacker stands between it and the disk, and checks that it is refused
// with its entry named, that nothing outside staging changed, that no
// version is installed and that staging is empty.
func TestHostileCorpus(t *testing.T) {
	for _, c := range corpusCases() {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, c.file))
			if err != nil {
				t.Fatalf("%v; regenerate the corpus: go test ./pkg/install -run TestGenerateHostileCorpus -args -generate", err)
			}
			if c.limits.MaxBytes != 0 {
				// Keep the bombs bombs: small on disk, huge unpacked.
				if ratio := bombSize / len(data); len(data) > 128<<10 || ratio < 500 {
					t.Fatalf("%s is %d bytes for %d unpacked (ratio %d); want at most 128 KiB and a ratio of 500 or more", c.file, len(data), bombSize, ratio)
				}
			}

			in, base := testInstaller(t)
			in.Limits = c.limits
			sentinel := filepath.Join(base, "sentinel")
			makeSentinel(t, sentinel)
			before := snapshot(t, sentinel)
			treeBefore := tree(t, base)
			if _, err := os.Lstat(corpusOutside); err == nil {
				t.Fatalf("%s exists before the test; remove it", corpusOutside)
			}

			var a registry.Artifact
			if c.format() == registry.Zip {
				a = zipArtifact(testVersion, data)
			} else {
				a = tarArtifact(testVersion, data)
			}
			_, err = in.Install(context.Background(), newSource(a, data), a)

			var ae *archiveError
			switch {
			case err == nil:
				t.Errorf("Install(%s) succeeded; want it refused", c.file)
			case !errors.As(err, &ae):
				t.Errorf("Install(%s) = %v; want an *archiveError", c.file, err)
			case ae.Entry != c.entry || !strings.Contains(ae.Problem, c.want):
				t.Errorf("Install(%s) = %v\nwant entry %q: ...%s...", c.file, err, c.entry, c.want)
			}
			if err != nil && !strings.Contains(err.Error(), "archive entry "+strconvQuote(c.entry)+": ") {
				t.Errorf("Install(%s) error does not name the entry %q: %v", c.file, c.entry, err)
			}
			if after := snapshot(t, sentinel); !slices.Equal(after, before) {
				t.Errorf("the sentinel tree beside the home changed:\nbefore %q\nafter  %q", before, after)
			}
			if _, err := os.Lstat(corpusOutside); err == nil {
				os.RemoveAll(filepath.Dir(corpusOutside))
				t.Errorf("%s was written", corpusOutside)
			}
			if staged, err := os.ReadDir(in.Dirs.Staging()); err != nil || len(staged) != 0 {
				t.Errorf("staging holds %v, %v; want it empty", staged, err)
			}
			if _, err := os.Lstat(in.Dirs.Version(testVersion)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s exists (%v); want no version installed", in.Dirs.Version(testVersion), err)
			}
			assertNothingLeft(t, in, base, treeBefore)
		})
	}
}

// makeSentinel fills dir with what an escape would reach for: a file a
// hard link could take, a directory a file could be planted in, and a
// symlink.
func makeSentinel(t *testing.T, dir string) {
	t.Helper()
	for name, body := range map[string]string{"secret": "do not touch\n", "sub/keep": "kept\n"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("secret", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
}

// snapshot describes every path under dir: its kind and mode, its
// modification time, and the hash of its contents or its link target.
func snapshot(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		what := ""
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			what, err = os.Readlink(p)
		case st.Mode().IsRegular():
			var b []byte
			b, err = os.ReadFile(p)
			what = fmt.Sprintf("%x", sha256.Sum256(b))
		}
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %v %s %s", filepath.ToSlash(rel), st.Mode(), st.ModTime().Format(time.RFC3339Nano), what))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

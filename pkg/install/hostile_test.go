package install

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/registry"
)

// hostileCases are archives that must be refused, each naming the entry at
// fault. Valid GOROOT files come first, so that the refusal happens with
// files already unpacked in staging.
func hostileCases(t testing.TB) []struct {
	name   string
	format registry.Format
	data   []byte
	limits Limits
	entry  string // the entry the error must name
	want   string // and what it must say about it
} {
	withRoot := func(files ...file) []file { return append(goroot(), files...) }
	big := strings.Repeat("\x00", 3<<20)
	many := goroot()
	for i := range 20 {
		many = append(many, file{name: "src/f" + string(rune('a'+i)) + ".go", body: "package f\n"})
	}
	tgz := func(files ...file) []byte { return tarGz(t, "go/", withRoot(files...)) }
	zp := func(files ...file) []byte { return zipFile(t, "go/", withRoot(files...)) }

	// A zip whose local header names a different file than its central
	// directory: the names have the same length so only the name differs.
	mismatched := zp(file{name: "bin/aaaa", body: "x"})
	if i := bytes.Index(mismatched, []byte("go/bin/aaaa")); i < 0 {
		t.Fatal("no local header name to patch")
	} else {
		copy(mismatched[i:], "go/bin/evil")
	}

	return []struct {
		name   string
		format registry.Format
		data   []byte
		limits Limits
		entry  string
		want   string
	}{
		{"dot-dot", registry.TarGz, tgz(file{name: "../../etc/passwd", body: "root::0:0"}), Limits{}, "go/../../etc/passwd", "path escapes the install root"},
		{"dot-dot inside", registry.TarGz, tgz(file{name: "src/../../../../outside", body: "x"}), Limits{}, "go/src/../../../../outside", "path escapes the install root"},
		{"absolute", registry.TarGz, tgz(file{name: "!/etc/passwd", body: "x"}), Limits{}, "/etc/passwd", "absolute path"},
		{"outside go/", registry.TarGz, tgz(file{name: "!evil/file", body: "x"}), Limits{}, "evil/file", "outside the archive's top directory"},
		{"windows drive", registry.TarGz, tgz(file{name: "C:/Windows/evil", body: "x"}), Limits{}, "go/C:/Windows/evil", "colon in path"},
		{"backslash", registry.TarGz, tgz(file{name: `..\..\evil`, body: "x"}), Limits{}, `go/..\..\evil`, "backslash in path"},
		{"symlink out", registry.TarGz, tgz(file{name: "lib", typeflag: tar.TypeSymlink, link: "../../../../outside"}), Limits{}, "go/lib", "escapes the install root"},
		{"symlink absolute", registry.TarGz, tgz(file{name: "lib", typeflag: tar.TypeSymlink, link: "/etc"}), Limits{}, "go/lib", "absolute path"},
		{"symlink climbing after a name", registry.TarGz, tgz(file{name: "src/l", typeflag: tar.TypeSymlink, link: "s/../.."}), Limits{}, "go/src/l", "climbs"},
		{"symlink then file through it", registry.TarGz, tgz(
			file{name: "lib", typeflag: tar.TypeSymlink, link: "src"},
			file{name: "lib/evil", body: "x"}), Limits{}, "go/lib/evil", "path goes through a symlink"},
		{"symlink then file over it", registry.TarGz, tgz(
			file{name: "src/l", typeflag: tar.TypeSymlink, link: "fmt"},
			file{name: "src/l", body: "x"}), Limits{}, "go/src/l", "duplicate entry"},
		{"hard link out", registry.TarGz, tgz(file{name: "hl", typeflag: tar.TypeLink, link: "go/../../etc/passwd"}), Limits{}, "go/hl", "path escapes the install root"},
		{"hard link absolute", registry.TarGz, tgz(file{name: "hl", typeflag: tar.TypeLink, link: "/etc/passwd"}), Limits{}, "go/hl", "absolute path"},
		{"hard link to a later entry", registry.TarGz, tgz(
			file{name: "hl", typeflag: tar.TypeLink, link: "go/bin/later"},
			file{name: "bin/later", body: "x"}), Limits{}, "go/hl", "not extracted before it"},
		{"hard link to a directory", registry.TarGz, tgz(file{name: "hl", typeflag: tar.TypeLink, link: "go/src"}), Limits{}, "go/hl", "not a regular file"},
		{"char device", registry.TarGz, tgz(file{name: "dev/null", typeflag: tar.TypeChar}), Limits{}, "go/dev/null", "device or fifo"},
		{"block device", registry.TarGz, tgz(file{name: "dev/sda", typeflag: tar.TypeBlock}), Limits{}, "go/dev/sda", "device or fifo"},
		{"fifo", registry.TarGz, tgz(file{name: "fifo", typeflag: tar.TypeFifo}), Limits{}, "go/fifo", "device or fifo"},
		{"duplicate", registry.TarGz, tgz(file{name: "bin/go", body: "#!/bin/sh\nrm -rf ~\n", mode: 0o755}), Limits{}, "go/bin/go", "duplicate entry"},
		{"file under a file", registry.TarGz, tgz(file{name: "VERSION/x", body: "x"}), Limits{}, "go/VERSION/x", "path goes through a file"},
		{"too many entries", registry.TarGz, tarGz(t, "go/", many), Limits{MaxEntries: 10}, "go/src/fe.go", "more than 10 entries"},
		{"gzip bomb", registry.TarGz, tgz(file{name: "big", body: big}), Limits{MaxBytes: 1 << 20}, "go/big", "more than 1048576 bytes"},
		{"case collision", registry.Zip, zp(file{name: "src/readme.VENDOR", body: "x"}), Limits{}, "go/src/readme.VENDOR", `collides with "go/src/README.vendor"`},
		{"case collision of a directory", registry.Zip, zp(file{name: "SRC/x.go", body: "x"}), Limits{}, "go/SRC/x.go", `collides with "go/src"`},
		{"zip local header mismatch", registry.Zip, mismatched, Limits{}, "go/bin/aaaa", `local header names "go/bin/evil"`},
		{"zip dot-dot", registry.Zip, zp(file{name: "../../evil", body: "x"}), Limits{}, "go/../../evil", "path escapes the install root"},
		{"zip symlink", registry.Zip, zp(file{name: "lib", typeflag: tar.TypeSymlink, body: "/etc"}), Limits{}, "go/lib", "symlink in a zip archive"},
		{"zip duplicate", registry.Zip, zp(file{name: "VERSION", body: "x"}), Limits{}, "go/VERSION", "duplicate entry"},
		{"zip too many entries", registry.Zip, zipFile(t, "go/", many), Limits{MaxEntries: 10}, "go/src/fe.go", "more than 10 entries"},
		{"zip bomb", registry.Zip, zp(file{name: "big", body: big}), Limits{MaxBytes: 1 << 20}, "go/big", "more than 1048576 bytes"},
		{"module zip outside prefix", registry.ModuleZip, zipFile(t, testModPrefix, withRoot(file{name: "!golang.org/toolchain@v0.0.2/evil", body: "x"})), Limits{}, "golang.org/toolchain@v0.0.2/evil", "outside the archive's top directory"},
		{"module zip dot-dot", registry.ModuleZip, zipFile(t, testModPrefix, withRoot(file{name: "../../../evil", body: "x"})), Limits{}, testModPrefix + "../../../evil", "path escapes the install root"},
	}
}

func TestInstallRefusesHostileArchives(t *testing.T) {
	for _, tc := range hostileCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			in, base := testInstaller(t)
			in.Limits = tc.limits
			in.Checker = &fakeChecker{}
			// Something outside the home that an escape would reach.
			if err := os.WriteFile(filepath.Join(base, "outside"), []byte("precious"), 0o666); err != nil {
				t.Fatal(err)
			}
			before := tree(t, base)
			var a registry.Artifact
			switch tc.format {
			case registry.TarGz:
				a = tarArtifact(testVersion, tc.data)
			case registry.Zip:
				a = zipArtifact(testVersion, tc.data)
			default:
				a = modArtifact()
			}
			_, err := in.Install(context.Background(), newSource(a, tc.data), a)
			var ae *archiveError
			if !errors.As(err, &ae) {
				t.Fatalf("Install = %v, want an *archiveError", err)
			}
			if ae.Entry != tc.entry || !strings.Contains(ae.Problem, tc.want) {
				t.Errorf("Install = %v\nwant entry %q: ...%s...", err, tc.entry, tc.want)
			}
			if !strings.Contains(err.Error(), "archive entry "+strconvQuote(tc.entry)+": ") {
				t.Errorf("error does not name the entry: %v", err)
			}
			if b, err := os.ReadFile(filepath.Join(base, "outside")); err != nil || string(b) != "precious" {
				t.Errorf("file outside the home changed: %q, %v", b, err)
			}
			assertNothingLeft(t, in, base, before)
		})
	}
}

// A symlink that stays inside the root is an ordinary part of a tree.
func TestInstallKeepsInsideSymlinks(t *testing.T) {
	in, _ := testInstaller(t)
	data := tarGz(t, "go/", append(goroot(),
		file{name: "src/link", typeflag: tar.TypeSymlink, link: "fmt/print.go"},
		file{name: "pkg/tool/linux_amd64/up", typeflag: tar.TypeSymlink, link: "../../../VERSION"},
		file{name: "bin/hard", typeflag: tar.TypeLink, link: "go/bin/go"},
		file{name: "!go/misc/", typeflag: tar.TypeDir},
	))
	a := tarArtifact(testVersion, data)
	res, err := in.Install(context.Background(), newSource(a, data), a)
	if err != nil {
		t.Fatal(err)
	}
	for link, want := range map[string]string{"src/link": "package fmt\n", "pkg/tool/linux_amd64/up": "go1.999.0\n", "bin/hard": goScript} {
		b, err := os.ReadFile(filepath.Join(res.Root, link))
		if err != nil || !strings.HasPrefix(string(b), strings.SplitN(want, "\n", 2)[0]) {
			t.Errorf("%s reads %q, %v; want %q", link, b, err, want)
		}
	}
	if st, err := os.Stat(filepath.Join(res.Root, "misc")); err != nil || !st.IsDir() {
		t.Errorf("misc/ = %v, %v", st, err)
	}
}

func TestCheckLinkTarget(t *testing.T) {
	for _, tc := range []struct {
		rel, target string
		ok          bool
	}{
		{"a", "b", true},
		{"a", ".", true},
		{"a", "..", false},
		{"d/a", "..", true},
		{"d/a", "../b/c", true},
		{"d/a", "../..", false},
		{"d/e/a", "../../x", true},
		{"d/e/a", "./../../x", true},
		{"d/e/a", "x/../../..", false},
		{"d/a", "x/..", false},
		{"a", "/etc", false},
		{"a", "", false},
		{"a", `..\x`, false},
		{"a", "C:x", false},
	} {
		if got := checkLinkTarget(tc.rel, tc.target) == ""; got != tc.ok {
			t.Errorf("checkLinkTarget(%q, %q) ok = %v, want %v", tc.rel, tc.target, got, tc.ok)
		}
	}
}

func TestFoldPath(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"src/README", "src/readme", true},
		{"K", "\u212a", true}, // Kelvin sign folds to K
		{"ß", "ss", false},
		{"a", "b", false},
	} {
		if got := foldPath(tc.a) == foldPath(tc.b); got != tc.same {
			t.Errorf("foldPath(%q) == foldPath(%q) is %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// An archive whose bytes are not the format the listing gives is refused
// for what it is, whatever its name, even when its hash is the listed one:
// a zip listed as a tar.gz, a tar.gz listed as a zip, a gzipped page, and a
// tar.gz with a zip appended, which archive/zip alone, reading from the
// end, would take for a zip. archives.Identify tries its formats in map
// order, so each case runs several times to show the answer is the same.
func TestInstallRefusesArchiveOfAnotherFormat(t *testing.T) {
	tgz := tarGz(t, "go/", goroot())
	zp := zipFile(t, "go/", goroot())
	var page bytes.Buffer
	gw := gzip.NewWriter(&page)
	gw.Write([]byte("<html><body>mirror maintenance</body></html>\n"))
	gw.Close()
	cases := []struct {
		name   string
		format registry.Format
		data   []byte
		want   string
	}{
		{"zip listed as tar.gz", registry.TarGz, zp, "the archive's bytes are a zip, not a tar.gz"},
		{"tar.gz listed as zip", registry.Zip, tgz, "the archive's bytes are a tar.gz, not a zip"},
		{"gzipped page", registry.TarGz, page.Bytes(), "the archive's bytes are a gz, not a tar.gz"},
		{"plain page", registry.TarGz, []byte("<html>\n"), "the archive's bytes are in no format gvx knows, not a tar.gz"},
		{"tar.gz with a zip appended", registry.Zip, append(append([]byte{}, tgz...), zp...), "the archive's bytes are a tar.gz, not a zip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 8 {
				in, base := testInstaller(t)
				before := tree(t, base)
				a := tarArtifact(testVersion, tc.data)
				if tc.format == registry.Zip {
					a = zipArtifact(testVersion, tc.data)
				}
				_, err := in.Install(context.Background(), newSource(a, tc.data), a)
				want := "install go" + testVersion + ": unpack " + a.Filename + ": " + tc.want
				if err == nil || err.Error() != want {
					t.Fatalf("Install = %v\nwant %s", err, want)
				}
				assertNothingLeft(t, in, base, before)
			}
		})
	}
}

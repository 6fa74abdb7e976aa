package install

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// fakeSums is a checksum database that knows one module version.
type fakeSums struct {
	modVersion, h1 string
	err            error
}

func (s *fakeSums) Lookup(ctx context.Context, modPath, modVersion string) (string, error) {
	if s.err != nil {
		return "", s.err
	}
	if modPath != "golang.org/toolchain" || modVersion != s.modVersion {
		return "", errors.New("not known: " + modPath + "@" + modVersion)
	}
	return s.h1, nil
}

// distFiles is a go.dev-style distribution: it has the directories and the
// go.mod names distpack leaves out of or renames in the module.
func distFiles() []file {
	return append(goroot(),
		file{name: "src/go.mod", body: "module std\n"},
		file{name: "api/go1.txt", body: "pkg fmt\n"},
		file{name: "misc/wasm/wasm_exec.js", body: "//\n"},
		file{name: "test/run.go", body: "package main\n"},
		file{name: "doc/go_spec.html", body: "<html>\n"},
	)
}

// genuineH1 is the h1: the checksum database would hold for distFiles:
// dirhash.HashZip of the module zip distpack makes from them.
func genuineH1(t *testing.T) string {
	t.Helper()
	var mod []file
	for _, f := range distFiles() {
		if name, ok := verify.ModuleFileName(f.name); ok {
			mod = append(mod, file{name: name, body: f.body})
		}
	}
	p := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(p, zipFile(t, testModPrefix, mod), 0o666); err != nil {
		t.Fatal(err)
	}
	h, err := dirhash.HashZip(p, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// forged changes one byte of bin/go.
func forged() []file {
	files := distFiles()
	for i := range files {
		if files[i].name == "bin/go" {
			files[i].body = strings.Replace(files[i].body, "1.999.0", "1.999.1", 1)
		}
	}
	return files
}

func TestDLTreeCheckedAgainstSumDB(t *testing.T) {
	for _, format := range []registry.Format{registry.TarGz, registry.Zip} {
		pack := func(files []file) (registry.Artifact, []byte) {
			if format == registry.TarGz {
				data := tarGz(t, "go/", files)
				return tarArtifact(testVersion, data), data
			}
			data := zipFile(t, "go/", files)
			return zipArtifact(testVersion, data), data
		}
		t.Run(string(format)+"/genuine", func(t *testing.T) {
			in, _ := testInstaller(t)
			in.Sums = &fakeSums{modVersion: testModVersion, h1: genuineH1(t)}
			a, data := pack(distFiles())
			res, err := in.Install(context.Background(), newSource(a, data), a)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{CheckedSHA256, CheckedSumDB}
			if !slices.Equal(res.Receipt.Checked, want) || res.Receipt.H1 != genuineH1(t) {
				t.Errorf("receipt checked %q, h1 %q; want %q, %q", res.Receipt.Checked, res.Receipt.H1, want, genuineH1(t))
			}
		})
		t.Run(string(format)+"/forged", func(t *testing.T) {
			in, _ := testInstaller(t)
			in.Sums = &fakeSums{modVersion: testModVersion, h1: genuineH1(t)}
			in.SHA256Only = true      // the opt-out never accepts a mismatch
			a, data := pack(forged()) // the listing's SHA-256 matches the forgery
			_, err := in.Install(context.Background(), newSource(a, data), a)
			var mm *verify.MismatchError
			if !errors.As(err, &mm) || mm.What != "h1 (checksum database)" || mm.Expected != genuineH1(t) {
				t.Fatalf("Install of a forged archive = %v, want an h1 mismatch", err)
			}
			assertNothingInstalled(t, in)
		})
	}
}

func assertNothingInstalled(t *testing.T, in *Installer) {
	t.Helper()
	if ents, _ := os.ReadDir(in.Dirs.Versions()); len(ents) != 0 {
		t.Errorf("versions/ after a refused install: %v", ents)
	}
	if ents, _ := os.ReadDir(in.Dirs.Staging()); len(ents) != 0 {
		t.Errorf("staging/ after a refused install: %v", ents)
	}
}

func TestDLTreeUnreachableSumDB(t *testing.T) {
	down := errors.New("cannot reach checksum database sum.gvx.test")
	for _, tc := range []struct {
		name      string
		url       string
		optOut    bool
		wantErr   bool
		wantCheck string
		wantNote  string
	}{
		{name: "mirror fails closed", url: "https://dl.test/", wantErr: true},
		{name: "mirror with the opt-out", url: "https://dl.test/", optOut: true, wantCheck: CheckedOptOut, wantNote: "note: GVX_VERIFY=sha256: "},
		{name: "go.dev over https", url: registry.DefaultDLBase, wantCheck: CheckedUnreached, wantNote: "from go.dev over https only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, _ := testInstaller(t)
			var out bytes.Buffer
			in.Reporter = NewReporter(&out, false, false)
			in.Sums = &fakeSums{err: down}
			in.SHA256Only = tc.optOut
			data := tarGz(t, "go/", distFiles())
			a := tarArtifact(testVersion, data)
			a.URL = tc.url + a.Filename
			res, err := in.Install(context.Background(), newSource(a, data), a)
			if tc.wantErr {
				var ue *uncheckedError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), "GVX_VERIFY=sha256") || verify.IsSecurity(err) {
					t.Fatalf("Install = %v, want an uncheckedError naming GVX_VERIFY=sha256", err)
				}
				assertNothingInstalled(t, in)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(res.Receipt.Checked, tc.wantCheck) || !strings.Contains(out.String(), tc.wantNote) {
				t.Errorf("receipt checked %q, output:\n%s\nwant %q and a note with %q", res.Receipt.Checked, out.String(), tc.wantCheck, tc.wantNote)
			}
		})
	}
}

func TestDLBefore121IsSHA256Only(t *testing.T) {
	in, _ := testInstaller(t)
	in.Sums = &fakeSums{err: errors.New("must not be asked")}
	data := tarGz(t, "go/", goroot())
	a := tarArtifact("1.20.14", data)
	res, err := in.Install(context.Background(), newSource(a, data), a)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{CheckedSHA256, CheckedNoModule}; !slices.Equal(res.Receipt.Checked, want) {
		t.Errorf("receipt checked %q, want %q", res.Receipt.Checked, want)
	}
}

// TestInsecureHTTPNeedsTheDatabaseForEveryByte: an archive whose listing or
// bytes came over http from another host is installed only when the
// checksum database vouches for it, never on the opt-out, and without the
// directories the database does not cover.
func TestInsecureHTTPNeedsTheDatabaseForEveryByte(t *testing.T) {
	data := tarGz(t, "go/", distFiles())
	insecure := func() registry.Artifact {
		a := tarArtifact(testVersion, data)
		a.URL = "http://mirror.test/" + a.Filename
		return a
	}

	in, _ := testInstaller(t)
	in.Sums = &fakeSums{modVersion: testModVersion, h1: genuineH1(t)}
	a := insecure()
	res, err := in.Install(context.Background(), newSource(a, data), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"api", "doc", "misc", "test"} {
		if _, err := os.Stat(filepath.Join(res.Root, dir)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s/ installed from insecure http (%v); the checksum database does not cover it", dir, err)
		}
	}
	if _, err := os.Stat(filepath.Join(res.Root, "src", "go.mod")); err != nil {
		t.Errorf("src/go.mod not installed: %v", err)
	}

	in, _ = testInstaller(t)
	in.Sums = &fakeSums{err: errors.New("offline")}
	in.SHA256Only = true
	a = insecure()
	if _, err := in.Install(context.Background(), newSource(a, data), a); err == nil || !strings.Contains(err.Error(), "over http") {
		t.Errorf("Install over http with the database unreachable and the opt-out = %v, want refused", err)
	}
	assertNothingInstalled(t, in)

	in, _ = testInstaller(t)
	in.Sums = &fakeSums{}
	old := tarGz(t, "go/", goroot())
	a = tarArtifact("1.20.14", old)
	a.URL = "http://mirror.test/" + a.Filename
	if _, err := in.Install(context.Background(), newSource(a, old), a); err == nil || !strings.Contains(err.Error(), "before 1.21") {
		t.Errorf("Install of go1.20.14 over http = %v, want refused", err)
	}
	assertNothingInstalled(t, in)

	// Loopback http is this machine: the usual rules.
	in, _ = testInstaller(t)
	a = tarArtifact("1.20.14", old)
	a.URL = "http://127.0.0.1:1/" + a.Filename
	if _, err := in.Install(context.Background(), newSource(a, old), a); err != nil {
		t.Errorf("Install from loopback http = %v", err)
	}
}

// TestModuleZipSinglePass: with Sums, a proxy zip is checked from the
// hashes its extraction takes, equal to dirhash.HashZip's (directory
// entries included), and never handed to the Checker.
func TestModuleZipSinglePass(t *testing.T) {
	withDirs := append([]file{{name: "!" + testModPrefix}, {name: "!" + testModPrefix + "src/"}}, goroot()...)
	for _, tc := range []struct {
		name  string
		files []file
	}{{"files only", goroot()}, {"with directory entries", withDirs}} {
		t.Run(tc.name, func(t *testing.T) {
			data := zipFile(t, testModPrefix, tc.files)
			p := filepath.Join(t.TempDir(), "m.zip")
			if err := os.WriteFile(p, data, 0o666); err != nil {
				t.Fatal(err)
			}
			want, err := dirhash.HashZip(p, dirhash.Hash1)
			if err != nil {
				t.Fatal(err)
			}
			in, _ := testInstaller(t)
			checker := &fakeChecker{}
			in.Checker = checker
			in.Sums = &fakeSums{modVersion: testModVersion, h1: want}
			a := modArtifact()
			res, err := in.Install(context.Background(), newSource(a, data), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Receipt.H1 != want || checker.calls.Load() != 0 {
				t.Errorf("receipt h1 %q, CheckZip calls %d; want %q and none", res.Receipt.H1, checker.calls.Load(), want)
			}

			in, _ = testInstaller(t)
			in.Checker = checker
			in.Sums = &fakeSums{modVersion: testModVersion, h1: genuineH1(t)}
			_, err = in.Install(context.Background(), newSource(a, data), a)
			var mm *verify.MismatchError
			if !errors.As(err, &mm) || mm.Subject != "golang.org/toolchain@"+testModVersion {
				t.Fatalf("Install of a zip the database does not vouch for = %v, want an h1 mismatch", err)
			}
			assertNothingInstalled(t, in)
		})
	}
}

// TestSumDBOnlyArchive: an archive no listing vouches for (a files-only
// mirror, the versions from the proxy) installs only on the checksum
// database's word, never on the opt-out, with only what it covers.
func TestSumDBOnlyArchive(t *testing.T) {
	data := tarGz(t, "go/", distFiles())
	mirrored := func() registry.Artifact {
		a := tarArtifact(testVersion, data)
		a.SHA256, a.Size, a.SumDBOnly = "", 0, true
		a.URL = "https://mirror.test/golang/" + a.Filename
		return a
	}
	in, _ := testInstaller(t)
	in.Sums = &fakeSums{modVersion: testModVersion, h1: genuineH1(t)}
	a := mirrored()
	res, err := in.Install(context.Background(), newSource(a, data), a)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Receipt.Checked, []string{CheckedSumDB}) {
		t.Errorf("receipt checked %q, want the checksum database only", res.Receipt.Checked)
	}
	if _, err := os.Stat(filepath.Join(res.Root, "misc")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("misc/ installed though the database does not cover it (%v)", err)
	}

	for _, sums := range []SumLookup{nil, &fakeSums{err: errors.New("offline")}} {
		in, _ := testInstaller(t)
		in.Sums, in.SHA256Only = sums, true
		a := mirrored()
		if _, err := in.Install(context.Background(), newSource(a, data), a); err == nil || !strings.Contains(err.Error(), "no listing vouches for it") {
			t.Errorf("Install with sums %v = %v, want refused", sums, err)
		}
		assertNothingInstalled(t, in)
	}
}

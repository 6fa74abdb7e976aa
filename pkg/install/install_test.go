package install

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// The checksum database client is what Install takes as its checker.
var _ ZipChecker = (*verify.Checker)(nil)

func TestInstallTarGz(t *testing.T) {
	in, _ := testInstaller(t)
	var out bytes.Buffer
	in.Reporter = NewReporter(&out, false, false)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	src := newSource(a, data)

	res, err := in.Install(context.Background(), src, a)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	root := in.Dirs.Version(testVersion)
	if res.Version != testVersion || res.Root != root || res.AlreadyInstalled {
		t.Errorf("Install = %+v, want version %s in %s, not already installed", res, testVersion, root)
	}
	got := readTree(t, root)
	for _, f := range goroot() {
		if got[f.name] != f.body {
			t.Errorf("%s = %q, want %q", f.name, got[f.name], f.body)
		}
	}
	want := Receipt{
		Version: testVersion, OS: "linux", Arch: "amd64", Source: "dl", URL: a.URL,
		Filename: a.Filename, SHA256: a.SHA256, Size: a.Size,
		InstalledAt: time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC), GvxVersion: "0.0.0-test",
	}
	rec, err := readReceipt(root)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rec.Tree, "h1:") {
		t.Errorf("receipt tree = %q, want an h1: hash", rec.Tree)
	}
	want.Tree, want.Checked = rec.Tree, []string{CheckedSHA256} // no Sums: SHA-256 only
	if !reflect.DeepEqual(rec, want) || !reflect.DeepEqual(res.Receipt, want) {
		t.Errorf("receipt = %+v\nresult receipt = %+v\nwant %+v", rec, res.Receipt, want)
	}
	if runtime.GOOS != "windows" {
		outb, err := exec.Command(filepath.Join(root, "bin", "go"), "version").Output()
		if err != nil || string(outb) != "go version go1.999.0 linux/amd64\n" {
			t.Errorf("bin/go version = %q, %v", outb, err)
		}
	}
	wantOut := "downloading go1.999.0.linux-amd64.tar.gz (" + HumanBytes(a.Size) + ")\n" +
		"verifying sha256\n" +
		"installed go1.999.0 in " + root + "\n"
	if out.String() != wantOut {
		t.Errorf("progress:\n%s\nwant:\n%s", out.String(), wantOut)
	}
	if ents, _ := os.ReadDir(in.Dirs.Staging()); len(ents) != 0 {
		t.Errorf("staging not empty after install: %v", ents)
	}

	out.Reset()
	res, err = in.Install(context.Background(), src, a)
	if err != nil || !res.AlreadyInstalled || !reflect.DeepEqual(res.Receipt, want) {
		t.Errorf("second Install = %+v, %v; want already installed with the same receipt", res, err)
	}
	if n := src.fetches.Load(); n != 1 {
		t.Errorf("fetches = %d, want 1", n)
	}
	if want := "go1.999.0 is already installed in " + root + "\n"; out.String() != want {
		t.Errorf("progress = %q, want %q", out.String(), want)
	}
}

func TestInstallZipFormats(t *testing.T) {
	for _, format := range []registry.Format{registry.Zip, registry.ModuleZip} {
		t.Run(string(format), func(t *testing.T) {
			in, _ := testInstaller(t)
			var out bytes.Buffer
			in.Reporter = NewReporter(&out, false, false)
			var a registry.Artifact
			var data []byte
			if format == registry.Zip {
				data = zipFile(t, "go/", goroot())
				a = zipArtifact(testVersion, data)
			} else {
				data = zipFile(t, testModPrefix, goroot())
				a = modArtifact()
			}
			checker := &fakeChecker{check: func(zipFile string) {
				// The checksum database is asked before anything is unpacked.
				if _, err := os.Stat(zipFile); err != nil {
					t.Errorf("CheckZip: zip not there: %v", err)
				}
				if m, _ := filepath.Glob(filepath.Join(in.Dirs.Staging(), "*", "go", "bin")); len(m) != 0 {
					t.Errorf("CheckZip called after unpacking began: %v", m)
				}
			}}
			in.Checker = checker
			res, err := in.Install(context.Background(), newSource(a, data), a)
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			got := readTree(t, res.Root)
			for _, f := range goroot() {
				if got[f.name] != f.body {
					t.Errorf("%s = %q, want %q", f.name, got[f.name], f.body)
				}
			}
			wantChecks := int32(0)
			if format == registry.ModuleZip {
				wantChecks = 1
				if !strings.HasPrefix(res.Receipt.H1, "h1:") {
					t.Errorf("receipt h1 = %q, want an h1: hash", res.Receipt.H1)
				}
			}
			if n := checker.calls.Load(); n != wantChecks {
				t.Errorf("CheckZip calls = %d, want %d", n, wantChecks)
			}
			if res.Receipt.SHA256 != sum(data) || res.Receipt.Size != int64(len(data)) {
				t.Errorf("receipt sha256, size = %s, %d; want %s, %d", res.Receipt.SHA256, res.Receipt.Size, sum(data), len(data))
			}
			if runtime.GOOS != "windows" {
				outb, err := exec.Command(filepath.Join(res.Root, "bin", "go"), "version").Output()
				if err != nil || !strings.Contains(string(outb), "go1.999.0") {
					t.Errorf("bin/go version = %q, %v", outb, err)
				}
			}
			if !strings.Contains(out.String(), "unpacking\n") {
				t.Errorf("progress has no unpacking step:\n%s", out.String())
			}
		})
	}
}

func TestInstallWrongSHA256(t *testing.T) {
	in, base := testInstaller(t)
	before := tree(t, base)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	a.SHA256 = strings.Repeat("ab", 32)
	_, err := in.Install(context.Background(), newSource(a, data), a)
	var mm *verify.MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("Install = %v, want a *verify.MismatchError", err)
	}
	if mm.What != "SHA-256" || mm.Expected != a.SHA256 || mm.Got != sum(data) || mm.URL != a.URL {
		t.Errorf("mismatch = %+v", mm)
	}
	if !strings.HasPrefix(err.Error(), "SECURITY ERROR") {
		t.Errorf("error does not lead with the security warning: %v", err)
	}
	assertNothingLeft(t, in, base, before)
}

func TestInstallWrongSize(t *testing.T) {
	in, base := testInstaller(t)
	before := tree(t, base)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	a.Size--
	_, err := in.Install(context.Background(), newSource(a, data), a)
	var mm *verify.MismatchError
	if !errors.As(err, &mm) || mm.What != "size" {
		t.Fatalf("Install = %v, want a size *verify.MismatchError", err)
	}
	assertNothingLeft(t, in, base, before)
}

func TestInstallWrongH1(t *testing.T) {
	in, base := testInstaller(t)
	before := tree(t, base)
	data := zipFile(t, testModPrefix, goroot())
	a := modArtifact()
	in.Checker = &fakeChecker{err: &verify.MismatchError{What: "h1 (checksum database)", Subject: a.ModPath + "@" + a.ModVersion,
		URL: a.URL, Expected: "h1:expected=", Got: "h1:got="}}
	_, err := in.Install(context.Background(), newSource(a, data), a)
	var mm *verify.MismatchError
	if !errors.As(err, &mm) || mm.Got != "h1:got=" {
		t.Fatalf("Install = %v, want the checker's *verify.MismatchError", err)
	}
	assertNothingLeft(t, in, base, before)

	// Any other checker failure stops the install too.
	in.Checker = &fakeChecker{err: errors.New("checksum database unreachable")}
	_, err = in.Install(context.Background(), newSource(a, data), a)
	if err == nil || !strings.Contains(err.Error(), "checksum database unreachable") {
		t.Fatalf("Install = %v, want the checker's error", err)
	}
	assertNothingLeft(t, in, base, before)
}

func TestInstallTruncatedBody(t *testing.T) {
	data := tarGz(t, "go/", goroot())
	for _, tc := range []struct {
		name string
		err  error // what the body returns after half the bytes
		want string
	}{
		{"clean EOF", io.EOF, "the body ended after"},
		{"unexpected EOF", io.ErrUnexpectedEOF, "unexpected EOF"},
		{"reset", syscall.ECONNRESET, "connection reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, base := testInstaller(t)
			before := tree(t, base)
			a := tarArtifact(testVersion, data)
			src := newSource(a, data)
			src.fetch = func(ctx context.Context, data []byte) (io.ReadCloser, error) {
				return io.NopCloser(io.MultiReader(bytes.NewReader(data[:len(data)/2]), errReader{tc.err})), nil
			}
			_, err := in.Install(context.Background(), src, a)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Install = %v, want an error containing %q", err, tc.want)
			}
			var mm *verify.MismatchError
			if errors.As(err, &mm) {
				t.Errorf("a truncated download is reported as a security error: %v", err)
			}
			assertNothingLeft(t, in, base, before)
		})
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// stallReader serves its bytes, then signals and blocks until ctx is done.
type stallReader struct {
	ctx     context.Context
	r       io.Reader
	stalled chan<- struct{}
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		close(s.stalled)
		<-s.ctx.Done()
		return n, s.ctx.Err()
	}
	return n, err
}

func TestInstallCancelled(t *testing.T) {
	for _, format := range []registry.Format{registry.TarGz, registry.ModuleZip} {
		t.Run(string(format), func(t *testing.T) {
			in, base := testInstaller(t)
			in.Checker = &fakeChecker{}
			before := tree(t, base)
			var data []byte
			var a registry.Artifact
			if format == registry.TarGz {
				data = tarGz(t, "go/", goroot())
				a = tarArtifact(testVersion, data)
			} else {
				data = zipFile(t, testModPrefix, goroot())
				a = modArtifact()
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stalled := make(chan struct{})
			src := newSource(a, data)
			src.fetch = func(ctx context.Context, data []byte) (io.ReadCloser, error) {
				return io.NopCloser(&stallReader{ctx, bytes.NewReader(data[:len(data)*2/3]), stalled}), nil
			}
			go func() {
				<-stalled
				cancel()
			}()
			_, err := in.Install(ctx, src, a)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Install = %v, want context.Canceled", err)
			}
			assertNothingLeft(t, in, base, before)
		})
	}
}

func TestInstallConcurrent(t *testing.T) {
	in, _ := testInstaller(t)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	src := newSource(a, data)
	const n = 16
	results := make([]Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = in.Install(context.Background(), src, a)
		}()
	}
	wg.Wait()
	fresh := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("install %d: %v", i, errs[i])
		}
		if !results[i].AlreadyInstalled {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d installs did the work, want 1", fresh)
	}
	if got := src.fetches.Load(); got != 1 {
		t.Errorf("fetches = %d, want 1", got)
	}
	if list, err := in.List(); err != nil || len(list) != 1 {
		t.Errorf("List() = %v, %v; want one root", list, err)
	}
}

// TestMain lets TestInstallConcurrentProcesses run this test binary as an
// installing child process.
func TestMain(m *testing.M) {
	if os.Getenv("GVX_INSTALL_TEST_CHILD") == "1" {
		os.Exit(childInstall())
	}
	os.Exit(m.Run())
}

// logSource serves one archive from disk and appends a line to a log on
// each fetch, so that fetches can be counted across processes.
type logSource struct{ archive, log string }

func (s logSource) Name() string                                     { return "file" }
func (s logSource) List(context.Context) ([]registry.Release, error) { return nil, nil }
func (s logSource) Fetch(context.Context, registry.Artifact) (io.ReadCloser, error) {
	f, err := os.OpenFile(s.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString("fetch\n"); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return os.Open(s.archive)
}

func childInstall() int {
	// Wait for the parent to release every child at once.
	io.Copy(io.Discard, os.Stdin)
	data, err := os.ReadFile(os.Getenv("GVX_TEST_ARCHIVE"))
	if err != nil {
		os.Stderr.WriteString(err.Error())
		return 1
	}
	in := &Installer{Dirs: layout.Dirs{Home: os.Getenv("GVX_TEST_HOME")}}
	src := logSource{os.Getenv("GVX_TEST_ARCHIVE"), os.Getenv("GVX_TEST_LOG")}
	if _, err := in.Install(context.Background(), src, tarArtifact(testVersion, data)); err != nil {
		os.Stderr.WriteString(err.Error())
		return 1
	}
	return 0
}

func TestInstallConcurrentProcesses(t *testing.T) {
	base := t.TempDir()
	archive := filepath.Join(base, "go.tar.gz")
	if err := os.WriteFile(archive, tarGz(t, "go/", goroot()), 0o666); err != nil {
		t.Fatal(err)
	}
	home, log := filepath.Join(base, "home"), filepath.Join(base, "fetch.log")
	const n = 4
	var cmds []*exec.Cmd
	var stdins []io.Closer
	for range n {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "GVX_INSTALL_TEST_CHILD=1",
			"GVX_TEST_HOME="+home, "GVX_TEST_ARCHIVE="+archive, "GVX_TEST_LOG="+log)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		w, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, stdins = append(cmds, cmd), append(stdins, w)
	}
	for _, w := range stdins {
		w.Close()
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v: %s", i, err, cmd.Stderr)
		}
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "fetch\n"); got != 1 {
		t.Errorf("%d fetches across %d processes, want 1", got, n)
	}
	if _, err := readReceipt(filepath.Join(home, "versions", testVersion)); err != nil {
		t.Errorf("no complete root: %v", err)
	}
}

func TestInstallCleansStaleStaging(t *testing.T) {
	in, _ := testInstaller(t)
	// go1.20 is a release; the staging of 1.20.1 must survive its install.
	stale := filepath.Join(in.Dirs.Staging(), "1.20"+stagingSep+"123", "go", "bin")
	other := filepath.Join(in.Dirs.Staging(), "1.20.1"+stagingSep+"456", "go")
	for _, dir := range []string{stale, other} {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	data := tarGz(t, "go/", goroot())
	a := tarArtifact("1.20", data)
	if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(filepath.Dir(stale))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale staging of 1.20 still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("staging of 1.20.1 was removed by an install of 1.20: %v", err)
	}
	if _, err := readReceipt(in.Dirs.Version("1.20")); err != nil {
		t.Errorf("1.20 not installed: %v", err)
	}
}

func TestInstallReplacesIncompleteLeftover(t *testing.T) {
	in, _ := testInstaller(t)
	dest := in.Dirs.Version(testVersion)
	if err := os.MkdirAll(filepath.Join(dest, "bin"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "junk"), []byte("half"), 0o666); err != nil {
		t.Fatal(err)
	}
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)

	// A failing install leaves the leftover exactly as it was...
	bad := a
	bad.SHA256 = strings.Repeat("0", 64)
	if _, err := in.Install(context.Background(), newSource(bad, data), bad); err == nil {
		t.Fatal("Install with a wrong SHA-256 succeeded")
	}
	if b, err := os.ReadFile(filepath.Join(dest, "junk")); err != nil || string(b) != "half" {
		t.Errorf("leftover changed by a failed install: %q, %v", b, err)
	}
	// ...and a good one replaces it whole.
	res, err := in.Install(context.Background(), newSource(a, data), a)
	if err != nil || res.AlreadyInstalled {
		t.Fatalf("Install = %+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dest, "junk")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover file survived: %v", err)
	}
	if got := readTree(t, dest)["bin/go"]; got != goScript {
		t.Errorf("bin/go = %q", got)
	}
	if ents, _ := os.ReadDir(in.Dirs.Staging()); len(ents) != 0 {
		t.Errorf("staging not empty: %v", ents)
	}
}

func TestKeptDownloads(t *testing.T) {
	for _, format := range []registry.Format{registry.TarGz, registry.Zip, registry.ModuleZip} {
		t.Run(string(format), func(t *testing.T) {
			in, _ := testInstaller(t)
			in.KeepDownloads = true
			checker := &fakeChecker{}
			in.Checker = checker
			a, data := toolchainArtifact(t, format)
			if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
				t.Fatal(err)
			}
			kept := filepath.Join(in.CacheDir, "downloads", a.Filename)
			if b, err := os.ReadFile(kept); err != nil || !bytes.Equal(b, data) {
				t.Fatalf("kept download: %d bytes, %v; want the %d bytes downloaded", len(b), err, len(data))
			}
			if ents, _ := os.ReadDir(filepath.Dir(kept)); len(ents) != 1 {
				t.Errorf("downloads dir holds %d entries, want only the kept archive", len(ents))
			}
			if err := in.Uninstall(context.Background(), testVersion); err != nil {
				t.Fatal(err)
			}

			// Reinstall with no network: the kept archive is verified again.
			offline := &failingSource{}
			res, err := in.Install(context.Background(), offline, a)
			if err != nil {
				t.Fatalf("reinstall from the kept download: %v", err)
			}
			if offline.fetches.Load() != 0 {
				t.Errorf("reinstall fetched from the network")
			}
			if res.Receipt.SHA256 != sum(data) {
				t.Errorf("receipt sha256 = %s, want %s", res.Receipt.SHA256, sum(data))
			}
			if format == registry.ModuleZip && checker.calls.Load() != 2 {
				t.Errorf("CheckZip calls = %d, want 2 (the kept zip is checked again)", checker.calls.Load())
			}

			// A damaged kept archive is replaced by a fresh download.
			if err := in.Uninstall(context.Background(), testVersion); err != nil {
				t.Fatal(err)
			}
			if format == registry.ModuleZip {
				checker.err = &verify.MismatchError{What: "h1"}
				checker.check = func(string) { // only the kept one (the third check) is bad
					if checker.calls.Load() > 3 {
						checker.err = nil
					}
				}
			} else if err := os.WriteFile(kept, append([]byte(nil), data[:len(data)-1]...), 0o666); err != nil {
				t.Fatal(err)
			}
			src := newSource(a, data)
			if _, err := in.Install(context.Background(), src, a); err != nil {
				t.Fatalf("install over a damaged kept download: %v", err)
			}
			if src.fetches.Load() != 1 {
				t.Errorf("fetches = %d, want 1", src.fetches.Load())
			}
			if b, err := os.ReadFile(kept); err != nil || !bytes.Equal(b, data) {
				t.Errorf("kept download not replaced: %d bytes, %v", len(b), err)
			}
		})
	}
}

func TestUninstall(t *testing.T) {
	in, base := testInstaller(t)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
		t.Fatal(err)
	}
	if err := in.Uninstall(context.Background(), "go"+testVersion); err != nil {
		t.Fatalf("Uninstall: %v", err)
	}
	if _, err := os.Stat(in.Dirs.Version(testVersion)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("root still there: %v", err)
	}
	if ents, _ := os.ReadDir(in.Dirs.Staging()); len(ents) != 0 {
		t.Errorf("staging not empty: %v", ents)
	}
	err := in.Uninstall(context.Background(), testVersion)
	if !errors.Is(err, errNotInstalled) || err.Error() != "go1.999.0 is not installed; see 'gvx list'" {
		t.Errorf("second Uninstall = %v, want go1.999.0 is not installed", err)
	}
	outside := filepath.Join(base, "precious")
	if err := os.Mkdir(outside, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../precious", "../../" + filepath.Base(base) + "/precious", "/etc", `..\x`, "1.22/../../x", "latest"} {
		if err := in.Uninstall(context.Background(), name); err == nil || errors.Is(err, errNotInstalled) || !strings.Contains(err.Error(), strconvQuote(name)) {
			t.Errorf("Uninstall(%q) = %v, want a refusal quoting it", name, err)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("Uninstall removed something outside the home: %v", err)
	}
}

func strconvQuote(s string) string { return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"` }

func TestList(t *testing.T) {
	in, _ := testInstaller(t)
	if list, err := in.List(); err != nil || list != nil {
		t.Fatalf("List() on a fresh home = %v, %v", list, err)
	}
	data := tarGz(t, "go/", goroot())
	for _, v := range []string{"1.21.0", "1.9", "1.21rc1", "1.20", "1.10.1"} {
		a := tarArtifact(v, data)
		if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
			t.Fatal(err)
		}
	}
	// Debris that is not a complete root of a version.
	for _, dir := range []string{"1.22.0", "notaversion", "go1.23.0"} {
		if err := os.MkdirAll(filepath.Join(in.Dirs.Versions(), dir, "bin"), 0o777); err != nil {
			t.Fatal(err)
		}
	}
	list, err := in.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range list {
		got = append(got, i.Version.String())
		if i.Root != in.Dirs.Version(i.Version.String()) || i.Receipt.Version != i.Version.String() {
			t.Errorf("List entry %+v: root or receipt does not match", i)
		}
	}
	if want := "1.9 1.10.1 1.20 1.21rc1 1.21.0"; strings.Join(got, " ") != want {
		t.Errorf("List() = %v, want %s", got, want)
	}
}

func TestInstallDiskFull(t *testing.T) {
	in, base := testInstaller(t)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
		t.Fatal(err)
	}
	rootBefore := readTree(t, in.Dirs.Version(testVersion))
	before := tree(t, base)

	// Room for some files but not all, then room for all but the receipt.
	for _, space := range []int64{40, int64(len(strings.Join(bodies(goroot()), "")))} {
		ffs := &faultFS{}
		ffs.space.Store(space)
		in.fs = ffs
		b := tarArtifact("1.999.1", data)
		_, err := in.Install(context.Background(), newSource(b, data), b)
		if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "free some space") {
			t.Fatalf("Install on a full disk (%d bytes free) = %v, want ENOSPC with a hint", space, err)
		}
		if got := tree(t, base); strings.Join(got, "\n") != strings.Join(before, "\n") {
			t.Errorf("disk full (%d bytes free) changed the home:\n%s\nwas:\n%s", space, strings.Join(got, "\n"), strings.Join(before, "\n"))
		}
	}
	if got := readTree(t, in.Dirs.Version(testVersion)); len(got) != len(rootBefore) {
		t.Errorf("installed root changed: %d files, was %d", len(got), len(rootBefore))
	}
}

func bodies(files []file) []string {
	var s []string
	for _, f := range files {
		s = append(s, f.body)
	}
	return s
}

func TestInstallReadOnlyHome(t *testing.T) {
	in, base := testInstaller(t)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
		t.Fatal(err)
	}
	before := tree(t, base)
	in.fs = &faultFS{readOnly: true}

	// What is installed still reads as installed.
	if res, err := in.Install(context.Background(), newSource(a, data), a); err != nil || !res.AlreadyInstalled {
		t.Errorf("Install of an installed version on a read-only home = %+v, %v", res, err)
	}
	b := tarArtifact("1.999.1", data)
	_, err := in.Install(context.Background(), newSource(b, data), b)
	if !errors.Is(err, syscall.EROFS) || !strings.Contains(err.Error(), "is not writable") {
		t.Fatalf("Install on a read-only home = %v, want EROFS saying the home is not writable", err)
	}
	if err := in.Uninstall(context.Background(), testVersion); !errors.Is(err, syscall.EROFS) || !strings.Contains(err.Error(), "is not writable") {
		t.Errorf("Uninstall on a read-only home = %v", err)
	}
	if got := tree(t, base); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Errorf("read-only home changed:\n%s", strings.Join(got, "\n"))
	}
}

func TestInstallRefusesBadArtifacts(t *testing.T) {
	in, base := testInstaller(t)
	before := tree(t, base)
	data := tarGz(t, "go/", goroot())
	good := tarArtifact(testVersion, data)
	for _, tc := range []struct {
		name   string
		change func(*registry.Artifact)
		want   string
	}{
		{"no sha256", func(a *registry.Artifact) { a.SHA256 = "" }, "no SHA-256"},
		{"short sha256", func(a *registry.Artifact) { a.SHA256 = "abc" }, "no SHA-256"},
		{"path in file name", func(a *registry.Artifact) { a.Filename = "../../go.tar.gz" }, `archive name "../../go.tar.gz"`},
		{"no version", func(a *registry.Artifact) { a.Version = goversion.Version{} }, "no version"},
		{"unknown format", func(a *registry.Artifact) { a.Format = "rar" }, `unsupported archive format "rar"`},
		{"module zip, no checker", func(a *registry.Artifact) { *a = modArtifact() }, "no checksum database checker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good
			tc.change(&a)
			src := newSource(good, data)
			_, err := in.Install(context.Background(), src, a)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Install = %v, want an error containing %q", err, tc.want)
			}
			if src.fetches.Load() != 0 {
				t.Errorf("a refused artifact was fetched")
			}
			assertNothingLeft(t, in, base, before)
		})
	}
	a := modArtifact()
	a.ModVersion = "v0.0.1-go1.22.6.linux-amd64"
	in.Checker = &fakeChecker{}
	if _, err := in.Install(context.Background(), newSource(a, data), a); err == nil || !strings.Contains(err.Error(), "not a toolchain for go1.999.0") {
		t.Errorf("Install of a module version for another Go = %v", err)
	}
}

func TestInstallNotAToolchain(t *testing.T) {
	in, base := testInstaller(t)
	before := tree(t, base)
	data := tarGz(t, "go/", []file{{name: "README", body: "hello"}})
	a := tarArtifact(testVersion, data)
	_, err := in.Install(context.Background(), newSource(a, data), a)
	if err == nil || !strings.Contains(err.Error(), "not a Go toolchain") {
		t.Fatalf("Install = %v, want not a Go toolchain", err)
	}
	assertNothingLeft(t, in, base, before)
}

func TestReporter(t *testing.T) {
	var plain bytes.Buffer
	r := NewReporter(&plain, false, false)
	w := r.Download("go1.999.0.linux-amd64.tar.gz", 68_900_000)
	w.Write(make([]byte, 1000))
	w.Close()
	r.Step("verifying sha256")
	r.Done("installed go1.999.0 in /x")
	want := "downloading go1.999.0.linux-amd64.tar.gz (68.9 MB)\nverifying sha256\ninstalled go1.999.0 in /x\n"
	if plain.String() != want {
		t.Errorf("plain output:\n%q\nwant:\n%q", plain.String(), want)
	}

	for _, color := range []bool{false, true} {
		var tty bytes.Buffer
		r := NewReporter(&tty, true, color)
		w := r.Download("go1.999.0.linux-amd64.tar.gz", 2000)
		w.Write(make([]byte, 2000))
		w.Close()
		r.Done("installed go1.999.0 in /x")
		out := tty.String()
		if !strings.Contains(out, "go1.999.0.linux-amd64.tar.gz") || !strings.Contains(out, "100%") {
			t.Errorf("tty (color %v) output has no bar: %q", color, out)
		}
		if strings.Contains(out, "\x1b") != color {
			t.Errorf("tty (color %v) output: escape codes present = %v: %q", color, !color, out)
		}
	}

	for n, want := range map[int64]string{999: "999 B", 1000: "1.0 kB", 68_912_345: "68.9 MB", 2 << 30: "2.1 GB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// h1Checker is a checksum database that reports the h1 it checked.
type h1Checker struct{ h1 string }

func (c h1Checker) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	return nil
}

func (c h1Checker) CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error) {
	return c.h1, nil
}

// A checker that reports the h1 it checked saves the second pass over the
// zip: the receipt records the checker's h1, where a plain checker's
// install hashes the zip itself.
func TestInstallModuleZipTakesTheCheckersH1(t *testing.T) {
	data := zipFile(t, testModPrefix, goroot())
	zipPath := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(zipPath, data, 0o666); err != nil {
		t.Fatal(err)
	}
	own, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		checker ZipChecker
		want    string
	}{
		{"reports its h1", h1Checker{"h1:as-the-checker-checked-it="}, "h1:as-the-checker-checked-it="},
		{"plain", &fakeChecker{}, own},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, _ := testInstaller(t)
			in.Checker = tc.checker
			a := modArtifact()
			res, err := in.Install(context.Background(), newSource(a, data), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Receipt.H1 != tc.want {
				t.Errorf("receipt h1 = %q, want %q", res.Receipt.H1, tc.want)
			}
		})
	}
}

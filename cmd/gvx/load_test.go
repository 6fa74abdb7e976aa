package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/internal/fake"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// TestLoad runs gvx and its shim as real processes, many at once, against a
// fake release server: the promises of issue 5's "Load" part. The binaries
// are built once for both subtests.
func TestLoad(t *testing.T) {
	bin := buildLoadBinaries(t)
	t.Run("ConcurrentInstall", func(t *testing.T) { testConcurrentInstall(t, bin) })
	t.Run("ShimRace", func(t *testing.T) { testShimRace(t, bin) })
}

// loadBinaries are the programs TestLoad runs.
type loadBinaries struct {
	gvx    string // cmd/gvx, with cmd/gvx-shim beside it
	fakeGo string // a static bin/go for fake toolchains (see fakeGoSource)
}

// buildLoadBinaries builds cmd/gvx, cmd/gvx-shim and the fake bin/go into a
// temporary directory. The go command is looked up on PATH past the copies
// of this test binary that testscript.Main puts first (one of them is named
// go and would run the shim).
func buildLoadBinaries(t *testing.T) loadBinaries {
	t.Helper()
	goCmd := realGoCommand(t)
	dir := t.TempDir()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	build := func(dir, out string, pkgs ...string) {
		t.Helper()
		cmd := exec.Command(goCmd, append([]string{"build", "-o", out}, pkgs...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", strings.Join(pkgs, " "), err, out)
		}
	}
	build(repo, dir+string(filepath.Separator), "./cmd/gvx", "./cmd/gvx-shim")

	src := filepath.Join(dir, "fakego")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"go.mod":  "module fakego\n\ngo 1.24\n",
		"main.go": fakeGoSource,
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build(src, filepath.Join(dir, "fakego.bin"), ".")
	return loadBinaries{gvx: filepath.Join(dir, "gvx"), fakeGo: filepath.Join(dir, "fakego.bin")}
}

// realGoCommand returns the first go on PATH that is not a copy of this
// test binary.
func realGoCommand(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	selfData, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, "go")
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
			continue
		}
		if fi.Size() == int64(len(selfData)) {
			if data, err := os.ReadFile(p); err == nil && bytes.Equal(data, selfData) {
				continue
			}
		}
		return p
	}
	t.Fatal("no go command on PATH besides this test binary's copies")
	return ""
}

// fakeGoSource is the bin/go of the toolchains in the shim race: a static
// binary, not a shell script. The kernel runs a script by handing its path
// to /bin/sh, which opens it again; an uninstall renaming the root away
// between the two makes sh fail, which says nothing about gvx (a real bin/go
// is a binary, mapped once by execve). It names its version after its root,
// the directory above its bin, as argv[0] (the path the shim execs) shows it.
const fakeGoSource = `package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

func main() {
	root := filepath.Dir(filepath.Dir(os.Args[0]))
	if len(os.Args) == 2 && os.Args[1] == "version" {
		fmt.Printf("go version go%s %s/%s\n", filepath.Base(root), runtime.GOOS, runtime.GOARCH)
		return
	}
	fmt.Fprintf(os.Stderr, "fake go: only 'go version' is served, got %q\n", os.Args[1:])
	os.Exit(2)
}
`

// loadEnv is the whole environment of the processes of one load test:
// every gvx and XDG directory inside home, releases from srv's dl listing.
func loadEnv(work string, srv *fake.Server) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(work, "home"),
		"GVX_HOME=" + filepath.Join(work, ".gvx"),
		"XDG_CACHE_HOME=" + filepath.Join(work, ".cache"),
		"XDG_STATE_HOME=" + filepath.Join(work, ".state"),
		"XDG_DATA_HOME=" + filepath.Join(work, ".data"),
		"XDG_CONFIG_HOME=" + filepath.Join(work, ".config"),
		"GVX_DL_BASE=" + srv.DLBase(),
		"GOPROXY=" + srv.GOPROXY(),
		"GOSUMDB=" + srv.GOSUMDB(),
		"GVX_SOURCE=dl",
		"GVX_HTTP_TIMEOUT=60s",
	}
}

// outcome is how one process ended.
type outcome struct {
	args           []string
	stdout, stderr string
	code           int    // exit code; -1 when killed by a signal
	signal         string // the signal that killed it, if one did
	err            error  // the process could not be started or waited for
}

func (o outcome) String() string {
	return fmt.Sprintf("%q: exit %d%s, stdout %q, stderr %q", o.args, o.code,
		map[bool]string{true: " (killed by " + o.signal + ")"}[o.signal != ""], o.stdout, o.stderr)
}

// run runs a program in dir with env and reports how it ended.
func run(dir string, env []string, name string, args ...string) outcome {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	o := outcome{args: append([]string{filepath.Base(name)}, args...), stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		o.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			o.signal = ws.Signal().String()
		}
	default:
		o.code, o.err = -1, err
	}
	return o
}

// testConcurrentInstall starts 16 gvx install processes of one version at
// once. The archive is held back until all 16 have fetched the listing, so
// every one of them is installing while the download is under way: one
// download, 16 successes, one complete root, nothing left in staging.
func testConcurrentInstall(t *testing.T, bin loadBinaries) {
	const n = 16
	srv := fake.NewServer(releases...)
	defer srv.Close()
	work := t.TempDir()
	env := loadEnv(work, srv)
	dirs := layout.Dirs{Home: filepath.Join(work, ".gvx")}

	listing := get(t, srv.DLBase()+"?mode=json&include=all")
	archive := fmt.Sprintf("go1.999.0.%s-%s.tar.gz", runtime.GOOS, runtime.GOARCH)
	archivePath := "/dl/" + archive
	var listed atomic.Int32
	allListed := make(chan struct{})
	srv.Handle("/dl/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(listing)
		if listed.Add(1) == n {
			close(allListed)
		}
	})
	srv.Handle(archivePath, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-allListed:
		case <-time.After(2 * time.Minute): // a bound, not a synchronisation: the test fails below
			t.Errorf("only %d of %d installs fetched the listing", listed.Load(), n)
		}
		w.Write(srv.Archive(archive))
	})

	// --refresh: each process fetches the listing, though they share a cache.
	outs := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = run(work, env, bin.gvx, "install", "--refresh", "1.999.0")
		}()
	}
	wg.Wait()

	downloaded, already := 0, 0
	for _, o := range outs {
		if o.code != 0 || o.err != nil || o.stdout != "" {
			t.Errorf("%v, want exit 0 and nothing on stdout", o)
			continue
		}
		switch {
		case strings.Contains(o.stderr, "installed go1.999.0 in "+dirs.Version("1.999.0")+"\n") &&
			strings.Contains(o.stderr, "downloading "+archive):
			downloaded++
		case strings.Contains(o.stderr, "go1.999.0 is already installed in "+dirs.Version("1.999.0")+"\n") &&
			!strings.Contains(o.stderr, "downloading"):
			already++
		default:
			t.Errorf("%v: says neither that it installed go1.999.0 nor that it was already installed", o)
		}
	}
	if downloaded != 1 || already != n-1 {
		t.Errorf("%d installs downloaded and %d found it installed, want 1 and %d", downloaded, already, n-1)
	}
	if got := srv.Hits(archivePath); got != 1 {
		t.Errorf("%s was requested %d times, want 1", archivePath, got)
	}
	if got := listed.Load(); got != n {
		t.Errorf("the listing was requested %d times, want %d (one per --refresh install)", got, n)
	}

	if got := dirNames(t, dirs.Versions()); !slices.Equal(got, []string{"1.999.0"}) {
		t.Errorf("versions/ holds %q, want only 1.999.0", got)
	}
	if got := dirNames(t, dirs.Staging()); len(got) != 0 {
		t.Errorf("staging holds %q after every install ended, want nothing", got)
	}
	if _, err := os.Stat(dirs.Receipt("1.999.0")); err != nil {
		t.Errorf("the root has no receipt: %v", err)
	}
	want := fmt.Sprintf("go version go1.999.0 %s/%s\n", runtime.GOOS, runtime.GOARCH)
	if o := run(work, env, filepath.Join(dirs.Version("1.999.0"), "bin", "go"), "version"); o.code != 0 || o.stdout != want {
		t.Errorf("%v, want stdout %q", o, want)
	}
	if got := dirNames(t, dirs.Shims()); !slices.Equal(got, []string{"go", "go1.999.0", "gofmt"}) {
		t.Errorf("shims/ holds %q, want go, go1.999.0 and gofmt (no temporary files)", got)
	}
	if o := run(work, env, filepath.Join(dirs.Shims(), "go1.999.0"), "version"); o.code != 0 || o.stdout != want {
		t.Errorf("%v, want stdout %q", o, want)
	}
}

// get returns the body of a GET of url, which must answer 200.
func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", url, resp.Status, err)
	}
	return body
}

// dirNames returns the sorted names in dir; none when it does not exist.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// serveBinaryToolchains makes srv offer, for the host, the given versions
// with bin/go the fake Go binary, in its own listing: the archives differ
// from the fake package's, whose bin/go is a script.
func serveBinaryToolchains(t *testing.T, srv *fake.Server, fakeGo string, versions ...string) {
	t.Helper()
	goBin, err := os.ReadFile(fakeGo)
	if err != nil {
		t.Fatal(err)
	}
	type (
		file    = fake.ListingFile
		release = fake.ListingRelease
	)
	var listing []release
	for _, v := range versions {
		files := fake.GOROOT(v, runtime.GOOS, runtime.GOARCH)
		for i := range files {
			if files[i].Name == "bin/go" {
				files[i].Body = string(goBin)
			}
		}
		srv.Vouch(fake.ModVersion(v, runtime.GOOS, runtime.GOARCH), files)
		tgz := fake.TarGz(files)
		sum := sha256.Sum256(tgz)
		name := fmt.Sprintf("go%s.%s-%s.tar.gz", v, runtime.GOOS, runtime.GOARCH)
		srv.Handle("/dl/"+name, func(w http.ResponseWriter, r *http.Request) { w.Write(tgz) })
		listing = append([]release{{Version: "go" + v, Stable: true, Files: []file{{
			Filename: name, OS: runtime.GOOS, Arch: runtime.GOARCH, Version: "go" + v,
			SHA256: hex.EncodeToString(sum[:]), Size: len(tgz), Kind: "archive",
		}}}}, listing...)
	}
	data, err := json.Marshal(listing)
	if err != nil {
		t.Fatal(err)
	}
	srv.Handle("/dl/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	})
}

// testShimRace runs 200 shim calls in a project whose .go-version gvx use
// flips between 1.999.0 and 1.998.1, and 200 more that select 1.997.0 and
// 1.998.0 with a +VERSION argument, while other processes install and
// uninstall those two over and over. Every call must run a complete version
// (exactly its go version line) or fail with exactly the not-installed
// message; no other output, no signal deaths. A watcher checks meanwhile
// that no root in versions/ is ever seen with its receipt but without the
// rest of its files.
func testShimRace(t *testing.T, bin loadBinaries) {
	const (
		projectCalls = 200 // shims/go version in the project
		plusCalls    = 100 // per racing version: shims/go +VERSION version
		callers      = 4   // goroutines sharing the calls
		minCycles    = 5   // install/uninstall cycles and use flips at least
	)
	srv := fake.NewServer()
	defer srv.Close()
	serveBinaryToolchains(t, srv, bin.fakeGo, "1.997.0", "1.998.0", "1.998.1", "1.999.0")
	work := t.TempDir()
	env := loadEnv(work, srv)
	dirs := layout.Dirs{Home: filepath.Join(work, ".gvx")}
	project := filepath.Join(work, "project")
	deep := filepath.Join(project, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	mustRun := func(dir string, args ...string) {
		t.Helper()
		if o := run(dir, env, bin.gvx, args...); o.code != 0 || o.err != nil {
			t.Fatalf("%v", o)
		}
	}
	mustRun(work, "install", "1.999.0", "1.998.1")
	mustRun(project, "use", "1.999.0")
	goShim := filepath.Join(dirs.Shims(), "go")
	versionLine := func(v string) string {
		return fmt.Sprintf("go version go%s %s/%s\n", v, runtime.GOOS, runtime.GOARCH)
	}
	notInstalled := func(v string) string {
		return fmt.Sprintf("gvx: go%[1]s is not installed (selected by +%[1]s argument); run 'gvx install %[1]s'\n", v)
	}

	done := make(chan struct{}) // closed when every shim call has ended
	var failures atomic.Int32
	fail := func(format string, args ...any) {
		if failures.Add(1) <= 20 {
			t.Errorf(format, args...)
		}
	}
	var bg sync.WaitGroup
	stopped := func(cycles int) bool {
		select {
		case <-done:
			return cycles >= minCycles
		default:
			return false
		}
	}

	// gvx use flips the project's .go-version.
	var flips atomic.Int32
	bg.Add(1)
	go func() {
		defer bg.Done()
		for i := 0; !stopped(i); i++ {
			v := []string{"1.998.1", "1.999.0"}[i%2]
			if o := run(project, env, bin.gvx, "use", v); o.code != 0 || o.err != nil {
				fail("%v", o)
				return
			}
			flips.Add(1)
		}
	}()
	// Install and uninstall 1.997.0 and 1.998.0 over and over.
	var installs atomic.Int32
	for _, v := range []string{"1.997.0", "1.998.0"} {
		bg.Add(1)
		go func() {
			defer bg.Done()
			for i := 0; !stopped(i); i++ {
				for _, cmd := range []string{"install", "uninstall"} {
					if o := run(work, env, bin.gvx, cmd, v); o.code != 0 || o.err != nil {
						fail("%v", o)
						return
					}
				}
				installs.Add(1)
			}
		}()
	}
	// Watch versions/: a root with a receipt must be whole.
	var looks atomic.Int32
	bg.Add(1)
	go func() {
		defer bg.Done()
		for i := 0; !stopped(i); i++ {
			entries, _ := os.ReadDir(dirs.Versions())
			for _, e := range entries {
				if err := checkRoot(dirs, e.Name()); err != nil {
					fail("half-installed root seen: %v", err)
				}
			}
			looks.Add(1)
		}
	}()

	type call struct {
		dir  string
		args []string
		ok   func(outcome) bool
	}
	var calls []call
	for i := 0; i < max(projectCalls, plusCalls); i++ {
		if i < projectCalls {
			dir := project
			if i%2 == 1 {
				dir = deep
			}
			calls = append(calls, call{dir, []string{"version"}, func(o outcome) bool {
				return o.code == 0 && o.stderr == "" && (o.stdout == versionLine("1.999.0") || o.stdout == versionLine("1.998.1"))
			}})
		}
		if i < plusCalls {
			for _, v := range []string{"1.997.0", "1.998.0"} {
				calls = append(calls, call{deep, []string{"+" + v, "version"}, func(o outcome) bool {
					return o.code == 0 && o.stderr == "" && o.stdout == versionLine(v) ||
						o.code == 1 && o.stdout == "" && o.stderr == notInstalled(v)
				}})
			}
		}
	}
	var ran, notFound atomic.Int32
	var next atomic.Int32
	var callWG sync.WaitGroup
	for range callers {
		callWG.Add(1)
		go func() {
			defer callWG.Done()
			for i := int(next.Add(1)) - 1; i < len(calls); i = int(next.Add(1)) - 1 {
				c := calls[i]
				o := run(c.dir, env, goShim, c.args...)
				if o.err != nil || o.signal != "" || !c.ok(o) {
					fail("shim call %v: neither a complete run nor the not-installed message", o)
				}
				if o.code == 0 {
					ran.Add(1)
				} else {
					notFound.Add(1)
				}
			}
		}()
	}
	callWG.Wait()
	close(done)
	bg.Wait()
	t.Logf("%d shim calls: %d ran a version, %d said not installed; meanwhile %d install/uninstall cycles, %d gvx use flips, %d looks at versions/",
		len(calls), ran.Load(), notFound.Load(), installs.Load(), flips.Load(), looks.Load())

	// Afterwards: only the two versions the project uses, nothing in
	// staging, and the shims directory in step.
	if got := dirNames(t, dirs.Versions()); !slices.Equal(got, []string{"1.998.1", "1.999.0"}) {
		t.Errorf("versions/ holds %q, want 1.998.1 and 1.999.0", got)
	}
	if got := dirNames(t, dirs.Staging()); len(got) != 0 {
		t.Errorf("staging holds %q, want nothing", got)
	}
	// Each gvx lists the installed versions and syncs the shims under one
	// lock, so the last to finish leaves the shims exactly in step, and no
	// temporary link is left behind.
	if got, want := dirNames(t, dirs.Shims()), []string{"go", "go1.998.1", "go1.999.0", "gofmt"}; !slices.Equal(got, want) {
		t.Errorf("shims/ holds %q after the race, want %q", got, want)
	}
	if got := dirNames(t, project); !slices.Equal(got, []string{".go-version", "a"}) {
		t.Errorf("the project holds %q, want .go-version and a (no temporary files)", got)
	}
}

// checkRoot reports a root of versions/ that has its receipt but lacks
// another of its files. A root renamed away meanwhile (an uninstall) is no
// fault: it is checked again after a missing file is found.
func checkRoot(dirs layout.Dirs, name string) error {
	if _, err := os.Stat(dirs.Receipt(name)); err != nil {
		return nil // no receipt: not installed, so not selectable
	}
	root := dirs.Version(name)
	for _, f := range fake.GOROOT(name, runtime.GOOS, runtime.GOARCH) {
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(f.Name)))
		if err == nil && fi.Mode().Perm()&0o111 == f.Mode&0o111 {
			continue
		}
		if _, rerr := os.Stat(dirs.Receipt(name)); rerr != nil {
			return nil // uninstalled while looked at
		}
		if err != nil {
			return fmt.Errorf("%s has its receipt but %v", root, err)
		}
		return fmt.Errorf("%s has its receipt but %s has mode %v", root, f.Name, fi.Mode())
	}
	return nil
}

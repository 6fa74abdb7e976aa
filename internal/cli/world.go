package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/shim"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// world holds what the network-facing commands build from the environment:
// the HTTP client, the release source, the checksum database checker and
// the installer. Parts are built on first use, so that a command that never
// downloads never runs 'go env', reads GOPROXY or parses GVX_HTTP_TIMEOUT.
type world struct {
	env     *env
	dirs    layout.Dirs
	refresh bool

	clientOnce sync.Once
	client     *http.Client
	clientErr  error

	goEnvOnce        sync.Once
	goproxy, gosumdb string
	goEnvErr         error
}

func (e *env) world(refresh bool) (*world, error) {
	dirs, err := e.dirs()
	if err != nil {
		return nil, err
	}
	return &world{env: e, dirs: dirs, refresh: refresh}, nil
}

// httpClient returns the client for every download, built on first use
// from GVX_HTTP_TIMEOUT: a command that downloads nothing never reads it.
func (w *world) httpClient() (*http.Client, error) {
	w.clientOnce.Do(func() {
		timeout, err := registry.HTTPTimeout(w.env.getenv)
		if err != nil {
			w.clientErr = usagef("%v", err)
			return
		}
		w.client = registry.NewHTTPClient(registry.HTTPOptions{Timeout: timeout, UserAgent: "gvx/" + Version()})
	})
	return w.client, w.clientErr
}

// goEnv returns GOPROXY and GOSUMDB as the go command sees them.
func (w *world) goEnv() (goproxy, gosumdb string, err error) {
	w.goEnvOnce.Do(func() {
		w.goproxy, w.gosumdb, w.goEnvErr = registry.GoEnv(registry.GoEnvOptions{Getenv: w.env.getenv, Dirs: w.dirs})
	})
	return w.goproxy, w.gosumdb, w.goEnvErr
}

func (w *world) cache() registry.Cache {
	return registry.Cache{Dir: w.env.cacheDir(), Refresh: w.refresh}
}

func (w *world) source() (registry.Source, error) {
	client, err := w.httpClient()
	if err != nil {
		return nil, err
	}
	src, err := registry.SourceFromEnv(registry.EnvOptions{
		Getenv: w.env.getenv,
		Client: client,
		Cache:  w.cache(),
		Notes:  w.env.stderr,
		GOPROXY: func() (string, error) {
			p, _, err := w.goEnv()
			return p, err
		},
	})
	var setting *registry.SettingError
	if errors.As(err, &setting) {
		return nil, usagef("%v", err)
	}
	return src, err
}

// checker returns the checksum database checker, built on first use: only
// installs from the module proxy need it.
func (w *world) checker() install.ZipChecker {
	return &lazyChecker{mk: func() (*verify.Checker, error) {
		goproxy, gosumdb, err := w.goEnv()
		if err != nil {
			return nil, err
		}
		proxies, err := registry.ParseGOPROXY(goproxy)
		if err != nil {
			return nil, err
		}
		client, err := w.httpClient()
		if err != nil {
			return nil, err
		}
		return verify.NewChecker(verify.SumDBConfig{
			GOSUMDB:  gosumdb,
			Proxies:  proxies,
			StateDir: filepath.Join(w.env.stateDir(), "sumdb"),
			Client:   client,
		})
	}}
}

type lazyChecker struct {
	mk   func() (*verify.Checker, error)
	once sync.Once
	c    *verify.Checker
	err  error
}

func (l *lazyChecker) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	_, err := l.CheckZipH1(ctx, zipFile, modPath, modVersion, url)
	return err
}

// CheckZipH1 is verify.Checker's: CheckZip, returning the h1 it checked.
func (l *lazyChecker) CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error) {
	l.once.Do(func() { l.c, l.err = l.mk() })
	if l.err != nil {
		return "", fmt.Errorf("verify %s@%s: %w", modPath, modVersion, l.err)
	}
	return l.c.CheckZipH1(ctx, zipFile, modPath, modVersion, url)
}

// Lookup is verify.Checker's, for checking dl archives by their tree.
func (l *lazyChecker) Lookup(ctx context.Context, modPath, modVersion string) (string, error) {
	l.once.Do(func() { l.c, l.err = l.mk() })
	if l.err != nil {
		return "", fmt.Errorf("verify %s@%s: %w", modPath, modVersion, l.err)
	}
	return l.c.Lookup(ctx, modPath, modVersion)
}

// installer returns the installer of commands that download, with the
// download settings (GVX_KEEP_DOWNLOADS, GVX_VERIFY) read, and refused here
// when malformed.
func (w *world) installer() (*install.Installer, error) {
	keep, err := w.env.boolEnv("GVX_KEEP_DOWNLOADS")
	if err != nil {
		return nil, err
	}
	sha256Only, err := verifyOptOut(w.env.getenv)
	if err != nil {
		return nil, err
	}
	in := w.storeInstaller()
	in.KeepDownloads, in.SHA256Only = keep, sha256Only
	return in, nil
}

// storeInstaller returns the installer of commands that read or change what
// is installed (list, uninstall, prune, verify): it reads no download
// setting, so a malformed one does not stop them.
func (w *world) storeInstaller() *install.Installer {
	checker := w.checker()
	return &install.Installer{
		Dirs:       w.dirs,
		CacheDir:   w.env.cacheDir(),
		Checker:    checker,
		Sums:       checker.(install.SumLookup),
		Reporter:   install.NewReporter(w.env.stderr, w.env.stderrTTY(), w.env.color()),
		GvxVersion: Version(),
		CanRun:     w.env.canRun(),
		Waiting:    func(msg string) { w.env.notef("%s", msg) },
	}
}

// verifyOptOut reads GVX_VERIFY: "sha256" accepts a dl archive from a
// mirror by its listing's SHA-256 alone when the checksum database cannot
// be reached; unset (or "full") checks everything.
func verifyOptOut(getenv func(string) string) (bool, error) {
	switch v := getenv("GVX_VERIFY"); v {
	case "", "full":
		return false, nil
	case "sha256":
		return true, nil
	default:
		return false, usagef("GVX_VERIFY=%q: want sha256 (accept a mirror's SHA-256 alone when the checksum database cannot be reached) or full", v)
	}
}

// platform is the host's platform as releases name it (the real hardware on
// a Mac, even under Rosetta), unless --arch overrides the architecture.
func (e *env) platform(arch string) (registry.Platform, error) {
	plat, warnings, err := registry.Host(registry.NativeProbe())
	if err != nil {
		return registry.Platform{}, err
	}
	for _, w := range warnings {
		e.notef("%s", w)
	}
	if arch != "" {
		if !validArch(arch) {
			return registry.Platform{}, usagef("--arch %q: want a GOARCH such as amd64 or arm64", arch)
		}
		plat.Arch = arch
	}
	return plat, nil
}

func validArch(a string) bool {
	switch a {
	case "386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
		"ppc64", "ppc64le", "riscv64", "s390x", "wasm":
		return true
	}
	return false
}

// store returns the world and installer for commands that read or change
// what is installed without downloading anything (see storeInstaller).
func (e *env) store() (*world, *install.Installer, error) {
	w, err := e.world(false)
	if err != nil {
		return nil, nil, err
	}
	return w, w.storeInstaller(), nil
}

// refreshShims brings the shims in step with the installed versions
// (shim.Sync, which holds the shims lock from listing to the last link).
func (w *world) refreshShims(in *install.Installer) error {
	return syncShims(w.env, w.dirs, func() ([]string, error) {
		all, err := in.List()
		if err != nil {
			return nil, err
		}
		versions := make([]string, 0, len(all))
		for _, v := range all {
			versions = append(versions, v.Version.String())
		}
		return versions, nil
	})
}

// syncShims brings $GVX_HOME/shims in step with the installed versions:
// go, gofmt and one go<version> per version, all pointing at gvx's own copy
// of the shim binary. It also records where gvx is, for GVX_AUTO_INSTALL.
func syncShims(e *env, dirs layout.Dirs, installed func() ([]string, error)) error {
	bin, fallback, err := shimBinary(e.getenv)
	if err != nil {
		return fmt.Errorf("update shims: %w", err)
	}
	installedShim := filepath.Join(dirs.Libexec(), shim.ShimBinary)
	_, statErr := os.Stat(installedShim)
	firstTime := statErr != nil
	if fallback && !firstTime {
		// A gvx without gvx-shim beside it ('go run ./cmd/gvx', a bare
		// copy) keeps the installed shim binary rather than replacing it
		// with a far larger copy of itself.
		bin = installedShim
	}
	if err := shim.Sync(dirs, bin, installed); err != nil {
		return fmt.Errorf("update shims in %s: %w", dirs.Shims(), err)
	}
	// GVX_AUTO_INSTALL runs the recorded gvx later: never a 'go run'
	// build that is gone by then (gvxPath falls back to gvx on PATH).
	if self, _ := e.gvxPath(); self != "" {
		if err := shim.RecordGvx(dirs, self); err != nil {
			return fmt.Errorf("update shims: %w", err)
		}
	}
	if fallback && firstTime {
		e.notef("no %s next to gvx; the shims run gvx itself, which starts slower (install both: go install github.com/gvx-dev/gvx/cmd/...@latest)", shim.ShimBinary)
	}
	return nil
}

// shimBinary finds the binary the shims should run: $GVX_SHIM_BINARY (for
// packagers that keep it elsewhere), else gvx-shim next to the gvx
// executable (release archives, go install ./cmd/...), else gvx itself,
// which dispatches on its name but links far more and starts slower.
func shimBinary(getenv func(string) string) (path string, fallback bool, err error) {
	if p := getenv("GVX_SHIM_BINARY"); p != "" {
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			return "", false, fmt.Errorf("GVX_SHIM_BINARY=%q is not a file", p)
		}
		return p, false, nil
	}
	self, err := os.Executable()
	if err != nil {
		return "", false, err
	}
	if r, err := filepath.EvalSymlinks(self); err == nil {
		self = r
	}
	cand := filepath.Join(filepath.Dir(self), shim.ShimBinary)
	if fi, err := os.Stat(cand); err == nil && fi.Mode().IsRegular() {
		return cand, false, nil
	}
	return self, true, nil
}

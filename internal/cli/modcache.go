package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/shim"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// goSettings reads the go command's settings as the go that runs here sees
// them: the environment, Go's env file, then the go.env of the selected
// root when it is installed.
func (e *env) goSettings(dirs layout.Dirs) *goenv.Settings {
	root := ""
	if cwd, err := os.Getwd(); err == nil {
		if sel, err := shim.Select(dirs, cwd, e.getenv); err == nil && sel.Installed {
			root = sel.GOROOT
		}
	}
	return &goenv.Settings{Getenv: e.getenv, GOROOT: root}
}

// modCache is Go's module cache, where the go command resolves it.
func (w *world) modCache() registry.ModCache {
	return registry.ModCache{Dir: goenv.ModCache(w.env.goSettings(w.dirs))}
}

// installFromModCache installs v for plat from Go's module cache when the
// go command has downloaded that toolchain there. It reports false, and no
// error, when there is no such zip or when it can be checked neither
// against the checksum database nor offline: the caller then downloads as
// usual. A zip that fails its check is a security error, and nothing is
// installed.
func (w *world) installFromModCache(ctx context.Context, in *install.Installer, v goversion.Version, plat registry.Platform) (install.Result, bool, error) {
	if _, ok := installedVersion(in, v); ok {
		return install.Result{}, false, nil // the usual path says so
	}
	mc := w.modCache()
	a, ok := mc.Find(v, plat)
	if !ok {
		return install.Result{}, false, nil
	}
	fmt.Fprintf(w.env.stderr, "found %s for %s in Go's module cache (%s)\n", v.GoName(), plat, mc.Dir)
	fromCache := *in
	fromCache.Checker = &modCacheChecker{w: w, mc: mc, online: in.Checker}
	res, err := fromCache.Install(ctx, mc, a)
	var ue *verify.UncheckableError
	if errors.As(err, &ue) {
		w.env.notef("not using Go's module cache: %v; downloading %s instead", ue, v.GoName())
		return install.Result{}, false, nil
	}
	if err != nil {
		return install.Result{}, false, err
	}
	return res, true, nil
}

// modCacheChecker checks a zip from Go's module cache against the checksum
// database, or offline against what the go command kept beside it (see
// verify.CheckCachedZip), and says which on stderr.
type modCacheChecker struct {
	w      *world
	mc     registry.ModCache
	online install.ZipChecker
}

func (c *modCacheChecker) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	_, err := c.CheckZipH1(ctx, zipFile, modPath, modVersion, url)
	return err
}

// CheckZipH1 is CheckZip, returning the zip's h1 as checked ("" when the
// check did not report it).
func (c *modCacheChecker) CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error) {
	gosumdb := c.w.sumDB()
	z := verify.CachedZip{File: zipFile, URL: url, ModPath: modPath, ModVersion: modVersion}
	// What cannot be read here only rules out the offline check.
	z.ZipHash, _ = c.mc.ZipHash(modVersion)
	if db, err := verify.SumDBName(gosumdb); err == nil {
		z.Record, _ = c.mc.LookupRecord(db, modVersion)
		z.Tile = c.mc.Tiles(db)
	}
	res, err := verify.CheckCachedZip(ctx, c.online, gosumdb, z)
	if err != nil {
		return "", err
	}
	stderr := c.w.env.stderr
	if !res.Online {
		fmt.Fprintf(stderr, "the checksum database cannot be used (%v)\n", res.OnlineErr)
	}
	fmt.Fprintln(stderr, res)
	return res.H1, nil
}

// sumDB is GOSUMDB as the go command sees it ("" for Go's default).
func (w *world) sumDB() string {
	if _, s, err := w.goEnv(); err == nil {
		return s
	}
	return w.env.goSettings(w.dirs).Value("GOSUMDB")
}

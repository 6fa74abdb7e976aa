package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// checkVersions checks that every versions/* is a complete install whose
// bin/go says it is the version its directory names.
func checkVersions(ctx context.Context, s *state) []Result {
	const id = "store.versions"
	ents, err := s.ReadDir(s.Dirs.Versions())
	if isNotExist(err) {
		return []Result{ok(id, "no Go versions installed yet")}
	}
	if err != nil {
		return []Result{fail(id, "", "read %s: %v", s.Dirs.Versions(), err)}
	}
	var out []Result
	var good []string
	for _, ent := range ents {
		name := ent.Name()
		path := filepath.Join(s.Dirs.Versions(), name)
		v, isVersion := layout.VersionDir(name)
		if !isVersion || !ent.IsDir() {
			out = append(out, warn(id, "remove "+path, "%s is not an installed Go version; gvx ignores it", path))
			continue
		}
		fix := fmt.Sprintf("gvx uninstall %[1]s && gvx install %[1]s", name)
		if _, err := s.Stat(s.Dirs.Receipt(name)); err != nil {
			out = append(out, fail(id, fix, "%s has no receipt (%s): an interrupted or foreign install", path, layout.ReceiptName))
			continue
		}
		gobin := filepath.Join(path, "bin", layout.ExeName(s.GOOS, "go"))
		environ := []string{"GOROOT=" + path, "GOTOOLCHAIN=local", "PATH=" + s.Getenv("PATH"), "HOME=" + s.Getenv("HOME")}
		got, err := s.runTimed(ctx, environ, gobin, "version")
		if err != nil {
			out = append(out, fail(id, fix, "%s version: %v", gobin, err))
			continue
		}
		// "go version go1.22.6 darwin/arm64"
		fields := strings.Fields(got)
		if len(fields) < 3 || fields[0] != "go" || fields[1] != "version" {
			out = append(out, fail(id, fix, "%s version printed %q, not a Go version", gobin, strings.TrimSpace(got)))
			continue
		}
		if said, err := goversion.Parse(fields[2]); err != nil || !goversion.Equal(said, v) {
			out = append(out, fail(id, fix, "%s says %s, not %s", gobin, fields[2], v.GoName()))
			continue
		}
		good = append(good, v.GoName())
	}
	if len(good) > 0 {
		out = append(out, ok(id, "complete and runnable: %s", strings.Join(good, ", ")))
	}
	return out
}

// checkShims checks that the shims match the installed versions.
func checkShims(_ context.Context, s *state) []Result {
	const id = "store.shims"
	if len(s.installed) == 0 {
		if _, err := s.Stat(s.Dirs.Shims()); err != nil {
			return []Result{ok(id, "no shims yet: nothing is installed")}
		}
	}
	want := map[string]bool{}
	for _, n := range shim.ToolNames {
		want[layout.ExeName(s.GOOS, n)] = true
	}
	for _, in := range s.installed {
		want[layout.ExeName(s.GOOS, in.Version.GoName())] = true
	}
	var missing, stray []string
	for n := range want {
		if _, err := s.Stat(filepath.Join(s.Dirs.Shims(), n)); err != nil {
			missing = append(missing, n)
		}
	}
	if _, err := s.Stat(filepath.Join(s.Dirs.Libexec(), shim.ShimBinary)); err != nil {
		missing = append(missing, filepath.Join(s.Dirs.Libexec(), shim.ShimBinary))
	}
	ents, _ := s.ReadDir(s.Dirs.Shims())
	for _, e := range ents {
		if !want[e.Name()] && shim.IsShimName(e.Name()) {
			stray = append(stray, e.Name())
		}
	}
	sort.Strings(missing)
	sort.Strings(stray)
	act := &Action{Kind: SyncShims}
	switch {
	case len(missing) > 0:
		r := warn(id, "gvx doctor --fix", "shims missing or broken in %s: %s", s.Dirs.Shims(), strings.Join(missing, ", "))
		r.Action = act
		return []Result{r}
	case len(stray) > 0:
		r := warn(id, "gvx doctor --fix", "shims for versions that are not installed in %s: %s", s.Dirs.Shims(), strings.Join(stray, ", "))
		r.Action = act
		return []Result{r}
	}
	return []Result{ok(id, "shims match the %d installed versions", len(s.installed))}
}

// checkStaging looks for what interrupted installs left, and for installs
// that have held their lock for over an hour.
func checkStaging(_ context.Context, s *state) []Result {
	const id = "store.staging"
	ents, err := s.ReadDir(s.Dirs.Staging())
	if err != nil && !isNotExist(err) {
		return []Result{fail(id, "", "read %s: %v", s.Dirs.Staging(), err)}
	}
	var out []Result
	var stale []string
	now := s.Now()
	for _, ent := range ents {
		path := filepath.Join(s.Dirs.Staging(), ent.Name())
		fi, err := ent.Info()
		if err != nil {
			continue // removed while we looked: a live install finished
		}
		old := now.Sub(fi.ModTime()) > staleAge
		v, isInstall := layout.StagingVersion(ent.Name())
		held := false
		if isInstall {
			held, _ = s.LockHeld(s.Dirs.Lock(v))
		}
		switch {
		case held && old:
			out = append(out, warn("store.locks", "stop the gvx install of "+v+" that hangs, then run: gvx doctor --fix",
				"an install of go%s has held its lock for over an hour (%s)", v, path))
		case held, !old:
			// A live install.
		default:
			stale = append(stale, path)
		}
	}
	if len(stale) > 0 {
		r := warn(id, "gvx doctor --fix", "%d leftovers of interrupted installs in %s", len(stale), s.Dirs.Staging())
		r.Action = &Action{Kind: RemoveStaging, Paths: stale}
		out = append(out, r)
	} else if len(out) == 0 {
		out = append(out, ok(id, "no leftovers of interrupted installs"))
	}
	return out
}

// checkGlobal checks that the global default, when set, is installed.
func checkGlobal(_ context.Context, s *state) []Result {
	const id = "store.global"
	path := s.Dirs.Global()
	data, err := s.ReadFile(path)
	if isNotExist(err) {
		return []Result{ok(id, "no global default (gvx use --global VERSION sets one)")}
	}
	if err != nil {
		return []Result{fail(id, "", "read the global default: %v", err)}
	}
	spec, line, err := shim.ParseGoVersion(path, data)
	if err != nil {
		return []Result{fail(id, "gvx use --global "+s.newestInstalled("1.22.6"), "%v", err)}
	}
	sel, err := shim.Resolve(s.Dirs, s.Getenv, shim.Origin{Kind: shim.OriginGlobal, Path: path, Line: line}, spec)
	var notInstalled *shim.NotInstalledError
	switch {
	case errors.As(err, &notInstalled) && notInstalled.InstallArg() != "":
		return []Result{fail(id, "gvx install "+notInstalled.InstallArg(), "the global default %s (%s) is not installed", spec, path)}
	case err != nil:
		return []Result{fail(id, "gvx use --global "+s.newestInstalled("1.22.6"), "%v", err)}
	case sel.System != "":
		return []Result{ok(id, "the global default is system (%s)", sel.System)}
	}
	return []Result{ok(id, "the global default %s is installed", sel.Version.GoName())}
}

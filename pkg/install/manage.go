package install

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gvx-dev/gvx/internal/lock"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// Installed is one complete installed root.
type Installed struct {
	Version goversion.Version
	Root    string
	Receipt Receipt
}

// List returns the complete installed roots, oldest version first in Go's
// order. Directories without a receipt (an install in progress elsewhere, or
// debris) and names that are not versions are left out.
func (in *Installer) List() ([]Installed, error) {
	entries, err := os.ReadDir(in.Dirs.Versions())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list installed versions: %w", err)
	}
	var list []Installed
	for _, e := range entries {
		v, ok := layout.VersionDir(e.Name())
		if !ok {
			continue
		}
		root := filepath.Join(in.Dirs.Versions(), e.Name())
		rec, err := readReceipt(root)
		if err != nil {
			continue
		}
		list = append(list, Installed{Version: v, Root: root, Receipt: rec})
	}
	sort.Slice(list, func(i, j int) bool { return goversion.Less(list[i].Version, list[j].Version) })
	return list, nil
}

// Uninstall removes an installed version, given as "1.22.6" or "go1.22.6".
// The root disappears at once (it is renamed into staging under the
// version's lock) and is then removed. An incomplete leftover of that
// version is removed too. A done ctx ends a wait for the lock with nothing
// removed.
func (in *Installer) Uninstall(ctx context.Context, version string) error {
	if strings.ContainsAny(version, `/\`) || strings.Contains(version, "..") {
		return fmt.Errorf("uninstall %q: give a version such as 1.22.6, not a path", version)
	}
	v, err := goversion.Parse(version)
	if err != nil {
		return fmt.Errorf("uninstall %q: not a Go version; see 'gvx list'", version)
	}
	name := v.String()
	dest := in.Dirs.Version(name)
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is %w; see 'gvx list'", v.GoName(), errNotInstalled)
	}
	fsys := in.fsys()
	if err := fsys.MkdirAll(in.Dirs.Locks(), 0o777); err != nil {
		return fmt.Errorf("uninstall %s: %w", v.GoName(), in.hint(err))
	}
	unlock, err := in.lock(ctx, name)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("uninstall %s: %w", v.GoName(), in.hint(err))
	}
	defer unlock()
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is %w; see 'gvx list'", v.GoName(), errNotInstalled)
	}
	if err := fsys.MkdirAll(in.Dirs.Staging(), 0o777); err != nil {
		return fmt.Errorf("uninstall %s: %w", v.GoName(), in.hint(err))
	}
	work, err := fsys.MkdirTemp(in.Dirs.Staging(), name+stagingSep+"*")
	if err != nil {
		return fmt.Errorf("uninstall %s: %w", v.GoName(), in.hint(err))
	}
	if err := fsys.Rename(dest, filepath.Join(work, "go")); err != nil {
		fsys.RemoveAll(work)
		return fmt.Errorf("uninstall %s: %w", v.GoName(), in.hint(err))
	}
	if err := fsys.RemoveAll(work); err != nil {
		return fmt.Errorf("uninstall %s: it is gone from %s, but removing its files failed: %w; the next install of it retries",
			v.GoName(), in.Dirs.Versions(), err)
	}
	return nil
}

// RemoveStaging removes leftovers of interrupted installs from staging
// (what gvx doctor found: the Paths of its RemoveStaging action). Each is removed under its version's
// lock, so an install that started since the check is never touched.
func RemoveStaging(dirs layout.Dirs, paths []string) error {
	var errs []error
	for _, p := range paths {
		if filepath.Dir(filepath.Clean(p)) != filepath.Clean(dirs.Staging()) {
			errs = append(errs, fmt.Errorf("remove %s: not in %s", p, dirs.Staging()))
			continue
		}
		v, ok := layout.StagingVersion(filepath.Base(p))
		if !ok {
			errs = append(errs, os.RemoveAll(p))
			continue
		}
		if err := os.MkdirAll(dirs.Locks(), 0o777); err != nil {
			errs = append(errs, err)
			continue
		}
		unlock, err := lock.Take(context.Background(), dirs.Lock(v), nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", p, err))
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", p, err))
		}
		unlock()
	}
	return errors.Join(errs...)
}

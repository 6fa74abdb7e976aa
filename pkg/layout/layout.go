// Package layout names the files and directories of a gvx home. It imports
// only the standard library, because the shim uses it on every go call.
//
//	$GVX_HOME/
//	  versions/<version>/      a complete GOROOT ("versions/1.22.6/bin/go")
//	  versions/<version>/.gvx-receipt.json
//	  shims/go, shims/gofmt, shims/go1.22.6
//	  libexec/               gvx's own copy of the shim binary
//	  version                the global default (gvx use --global)
//	  staging/               installs in progress, renamed into versions/
//	  locks/<version>.lock   one per version being installed
package layout

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// ReceiptName is the receipt written into each installed root. Its presence
// (it is written before the root is renamed into place) marks a complete
// install.
const ReceiptName = ".gvx-receipt.json"

// Home returns the gvx home: $GVX_HOME, else $XDG_DATA_HOME/gvx, else
// ~/.local/share/gvx (on macOS too: one place on every Unix). A GVX_HOME or
// XDG_DATA_HOME that CheckPath refuses is a *SettingError.
func Home(getenv func(string) string) (string, error) {
	if h := getenv("GVX_HOME"); h != "" {
		if err := CheckPath("GVX_HOME", h); err != nil {
			return "", err
		}
		return filepath.Clean(h), nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		if err := CheckPath("XDG_DATA_HOME", d); err != nil {
			return "", err
		}
		return filepath.Join(d, "gvx"), nil
	}
	home := getenv("HOME")
	if home == "" {
		home = getenv("USERPROFILE")
	}
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", errors.New("cannot find the gvx home: set GVX_HOME or HOME")
		}
	}
	return filepath.Join(home, ".local", "share", "gvx"), nil
}

// Dirs are the paths inside one gvx home.
type Dirs struct {
	Home string
}

// Versions is the directory holding one GOROOT per installed version.
func (d Dirs) Versions() string { return filepath.Join(d.Home, "versions") }

// Version is the GOROOT of version v, written without "go": "1.22.6".
func (d Dirs) Version(v string) string { return filepath.Join(d.Home, "versions", v) }

// VersionDir parses name, an entry of Versions(), as the version whose
// root it is. Only the name Version gives a version counts: "1.22.6" and
// "1.23rc1", not "go1.22.6", "1.22.06" or "tmp".
func VersionDir(name string) (goversion.Version, bool) {
	v, err := goversion.Parse(name)
	return v, err == nil && v.String() == name
}

// Receipt is the receipt file of version v.
func (d Dirs) Receipt(v string) string { return filepath.Join(d.Version(v), ReceiptName) }

// Shims is the directory that goes on PATH.
func (d Dirs) Shims() string { return filepath.Join(d.Home, "shims") }

// Libexec holds gvx's own copy of the shim binary.
func (d Dirs) Libexec() string { return filepath.Join(d.Home, "libexec") }

// Global is the file holding the global default version.
func (d Dirs) Global() string { return filepath.Join(d.Home, "version") }

// Staging holds installs in progress; it is on the same file system as
// Versions so that the final rename is atomic.
func (d Dirs) Staging() string { return filepath.Join(d.Home, "staging") }

// StagingSep separates a version from the random part of its staging names
// ("1.22.6.gvx-123456", a directory in Staging; ".go1.22.6.linux-amd64.tar.gz
// .gvx-123" among kept downloads). No version contains it, so the leftovers
// of 1.2 are never taken for those of 1.2.1.
const StagingSep = ".gvx-"

// StagingVersion returns the version a staging directory's name belongs to,
// and whether the name is one install or uninstall gives them.
func StagingVersion(name string) (string, bool) {
	v, _, ok := strings.Cut(name, StagingSep)
	return v, ok && v != ""
}

// Locks holds one lock file per version being installed, and the shims lock.
func (d Dirs) Locks() string { return filepath.Join(d.Home, "locks") }

// Lock is the lock file of version v ("1.22.6"), held while it is
// installed, removed or tidied.
func (d Dirs) Lock(v string) string { return filepath.Join(d.Locks(), v+".lock") }

// ShimsLock is the lock held while the shims are brought in step with the
// installed versions (shim.Sync).
func (d Dirs) ShimsLock() string { return filepath.Join(d.Locks(), "shims.lock") }

// HomeOf returns the gvx home that the shim executable exe belongs to, when
// exe is an absolute path to $HOME/libexec/gvx-shim or to a shim in
// $HOME/shims, of a home that holds gvx's shim binary: an editor started
// outside a login shell runs the shim without the GVX_HOME that a shell rc
// file exports. It costs one stat.
func HomeOf(exe string) (string, bool) {
	if !filepath.IsAbs(exe) {
		return "", false
	}
	dir := filepath.Dir(filepath.Clean(exe))
	if b := filepath.Base(dir); b != "shims" && b != "libexec" {
		return "", false
	}
	home := filepath.Dir(dir)
	d := Dirs{Home: home}
	if fi, err := os.Stat(filepath.Join(d.Libexec(), "gvx-shim"+ExeSuffix)); err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return home, true
}

// SettingError is a setting (an environment variable or option) with a
// value gvx cannot use. It is a usage error: the CLI and the shim exit with
// code 2.
type SettingError struct {
	Var, Value string
	Problem    string // "is not an absolute path"; "" means "is not valid"
	Want       string // what to use instead: "auto, dl or proxy"
}

func (e *SettingError) Error() string {
	problem := e.Problem
	if problem == "" {
		problem = "is not valid"
	}
	return fmt.Sprintf("%s=%q %s: use %s", e.Var, e.Value, problem, e.Want)
}

// CheckPath checks the value of a path setting once, where gvx reads it: it
// must be absolute, need no shell expansion (a quoted '~/gvx' or '$HOME/gvx'
// would create a directory named ~ or $HOME wherever gvx runs), and hold no
// path-list separator (a gvx home whose shims directory cannot be on PATH).
func CheckPath(name, value string) error {
	fail := func(problem, fix string) error {
		return &SettingError{Var: name, Value: value, Problem: problem, Want: "an absolute path, e.g. " + name + "=" + fix}
	}
	rest, _ := strings.CutPrefix(strings.TrimPrefix(value, "~"), string(filepath.Separator))
	switch {
	case strings.HasPrefix(value, "~"):
		return fail("starts with ~, which only a shell expands (and not inside quotes)", `"$HOME/`+filepath.ToSlash(rest)+`"`)
	case strings.Contains(value, "$"):
		return fail("holds a $ that no shell expanded", `"$HOME/gvx"`)
	case strings.ContainsRune(value, os.PathListSeparator):
		return fail(fmt.Sprintf("holds %q, the PATH list separator, so its shims directory could never be on PATH", os.PathListSeparator), `"$HOME/gvx"`)
	case !filepath.IsAbs(value):
		return fail("is not an absolute path", `"$HOME/`+filepath.ToSlash(value)+`"`)
	}
	return nil
}

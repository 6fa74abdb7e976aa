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
	"os"
	"path/filepath"
)

// ReceiptName is the receipt written into each installed root. Its presence
// (it is written before the root is renamed into place) marks a complete
// install.
const ReceiptName = ".gvx-receipt.json"

// Home returns the gvx home: $GVX_HOME, else $XDG_DATA_HOME/gvx, else
// ~/.local/share/gvx (on macOS too: one place on every Unix).
func Home(getenv func(string) string) (string, error) {
	if h := getenv("GVX_HOME"); h != "" {
		return filepath.Abs(h)
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
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

// Locks holds one lock file per version being installed.
func (d Dirs) Locks() string { return filepath.Join(d.Home, "locks") }

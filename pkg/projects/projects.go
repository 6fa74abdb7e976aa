// Package projects remembers the directories where gvx wrote a pin (a
// .go-version or .tool-versions), so that commands that tidy the store, gvx
// prune and gvx outdated, know which versions other projects still select.
// The list lives in gvx's state directory, one absolute path a line.
package projects

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/lockedfile"

	"github.com/gvx-dev/gvx/pkg/shim"
)

// fileName is the list's name inside the state directory.
const fileName = "projects"

// maxFileBytes bounds the list read; a line a project, far more than anyone
// keeps.
const maxFileBytes = 1 << 20

// Store is the list of known projects in one state directory.
type Store struct {
	Dir string // $XDG_STATE_HOME/gvx
}

func (s Store) path() string { return filepath.Join(s.Dir, fileName) }

// Add records dir, an absolute directory, as a known project. Adding a
// known one changes nothing.
func (s Store) Add(dir string) error {
	if !filepath.IsAbs(dir) {
		return errors.New("projects: " + dir + " is not an absolute path")
	}
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return err
	}
	return lockedfile.Transform(s.path(), func(old []byte) ([]byte, error) {
		dirs := parse(old)
		if slices.Contains(dirs, dir) {
			return old, nil
		}
		return format(append(dirs, dir)), nil
	})
}

// List returns the known projects that still pin a version, in the order
// they were added, and forgets the others: a directory that is gone, or
// that holds neither a .go-version nor a .tool-versions with a go line.
func (s Store) List() ([]string, error) {
	data, err := lockedfile.Read(s.path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	all := parse(data)
	var keep []string
	for _, d := range all {
		if pins(d) {
			keep = append(keep, d)
		}
	}
	if len(keep) == len(all) {
		return keep, nil
	}
	err = lockedfile.Transform(s.path(), func(old []byte) ([]byte, error) {
		var out []string
		for _, d := range parse(old) {
			// Another gvx may have added one meanwhile: keep it.
			if slices.Contains(keep, d) || !slices.Contains(all, d) {
				out = append(out, d)
			}
		}
		return format(out), nil
	})
	return keep, err
}

// pins reports whether dir holds a version pin gvx reads: a .go-version,
// or a .tool-versions with a golang or go line.
func pins(dir string) bool {
	if fi, err := os.Stat(filepath.Join(dir, shim.GoVersionFile)); err == nil && fi.Mode().IsRegular() {
		return true
	}
	p := filepath.Join(dir, shim.ToolVersionsFile)
	data, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	specs, _, err := shim.ParseToolVersions(p, data)
	return err != nil || len(specs) > 0 // a broken go line still pins (and fails loudly)
}

func parse(data []byte) []string {
	if len(data) > maxFileBytes {
		data = data[:maxFileBytes]
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && filepath.IsAbs(l) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func format(dirs []string) []byte {
	var b bytes.Buffer
	for _, d := range dirs {
		b.WriteString(d)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

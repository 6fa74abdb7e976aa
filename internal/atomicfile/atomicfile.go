// Package atomicfile is gvx's one way of replacing a file: the new content
// goes to a temporary file in the same directory, is synced, takes the
// mode, and is renamed over the old one, so that a reader (every shim call)
// sees the old content or the new, never a torn file, and a power cut does
// not leave an empty one. It writes users' files (rc files, .go-version) the
// way a careful editor does: a symbolic link stays a link and its target is
// written, even when the target does not exist yet (a dotfile manager's
// link into a repository not cloned yet); an existing file keeps its
// permissions; and temporary files that a killed gvx left beside the file
// are removed by the next write. It imports only the standard library, as
// the shim uses it.
package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempMarker is in the name of every temporary file, after the name of the
// file it replaces: ".bashrc.gvx-tmp-123456".
const tempMarker = ".gvx-tmp-"

// staleAfter is how old a temporary file must be before a later write
// removes it: long past any write in progress, so that two gvx processes
// writing one file never remove each other's.
const staleAfter = time.Minute

// maxLinks bounds the chain of symbolic links followed, as the kernel does.
const maxLinks = 40

// Write replaces the file at path with data. perm is the mode of a new file;
// an existing one keeps its own. path may be a symbolic link, dangling or
// not: its final target is written and the link is left as it is.
func Write(path string, data []byte, perm fs.FileMode) error {
	target, err := Target(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(target); err == nil {
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	removeStale(dir, base)
	f, err := os.CreateTemp(dir, "."+base+tempMarker+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = os.Rename(tmp, target)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Target returns the file a write to path changes: path itself, or for a
// symbolic link the end of its chain, whether that exists or not.
func Target(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", &fs.PathError{Op: "write", Path: path, Err: errors.New("too many levels of symbolic links")}
}

// removeStale removes the temporary files that writes of base in dir left
// behind when they were killed before their rename.
func removeStale(dir, base string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + tempMarker
	legacy := "." + base + "." // gvx before this package: "..bashrc.123456.tmp"
	for _, e := range ents {
		name := e.Name()
		old, isLegacy := strings.CutPrefix(name, legacy)
		if isLegacy {
			num, ok := strings.CutSuffix(old, ".tmp")
			isLegacy = ok && num != "" && strings.Trim(num, "0123456789") == ""
		}
		if (!strings.HasPrefix(name, prefix) && !isLegacy) || e.IsDir() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

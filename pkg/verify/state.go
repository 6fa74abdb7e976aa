package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/lockedfile"
	"golang.org/x/mod/sumdb"

	"github.com/gvx-dev/gvx/internal/atomicfile"
)

// stateStore keeps what the checksum database client must remember between
// runs, under one directory:
//
//	config/<name>/latest   the newest signed tree head verified so far; it
//	                       must persist, or a forked database goes unnoticed
//	config/<name>/latest.lock
//	cache/<name>/tile/...  verified tiles of the tree
//	cache/<name>/lookup/...  verified lookup records
//
// Several gvx processes may use one store at once. Config files change only
// by compare-and-swap under a lockedfile mutex, and every file is replaced by
// an atomic rename, so a reader never sees half a file.
type stateStore struct {
	dir string
}

// maxStateFile bounds what is read back from the state directory; a tree
// head is a few hundred bytes, a tile at most 8 KiB, a lookup record a few
// lines.
const maxStateFile = 1 << 20

func (s stateStore) path(kind, file string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(file)) {
		return "", fmt.Errorf("checksum database state file %q is not a local path", file)
	}
	return filepath.Join(s.dir, kind, filepath.FromSlash(file)), nil
}

// readConfig returns the content of config file, or no bytes when it does
// not exist yet (the client then starts from the empty tree).
func (s stateStore) readConfig(file string) ([]byte, error) {
	name, err := s.path("config", file)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return nil, fmt.Errorf("checksum database state: %w", err)
	}
	unlock, err := lockedfile.MutexAt(name + ".lock").Lock()
	if err != nil {
		return nil, fmt.Errorf("checksum database state: %w", err)
	}
	defer unlock()
	return readSmall(name)
}

// writeConfig replaces config file's content old with new. It returns
// sumdb.ErrWriteConflict when the file no longer holds old, because another
// process (or goroutine) moved it on; the client then reads it again and
// merges.
func (s stateStore) writeConfig(file string, old, new []byte) error {
	name, err := s.path("config", file)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return fmt.Errorf("checksum database state: %w", err)
	}
	unlock, err := lockedfile.MutexAt(name + ".lock").Lock()
	if err != nil {
		return fmt.Errorf("checksum database state: %w", err)
	}
	defer unlock()
	cur, err := readSmall(name)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	if err := atomicfile.Write(name, new, 0o600); err != nil {
		return fmt.Errorf("checksum database state: %w", err)
	}
	return nil
}

// readCache returns a cached tile or lookup record; any error means "not
// cached" to the client.
func (s stateStore) readCache(file string) ([]byte, error) {
	name, err := s.path("cache", file)
	if err != nil {
		return nil, err
	}
	data, err := readSmall(name)
	if err == nil && len(data) == 0 {
		// Missing files read as empty; an empty tile or record is never
		// valid, so both mean "not cached".
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return data, err
}

// writeCache stores a verified tile or lookup record. Failing to cache only
// costs a download next time, so errors are dropped, as the client's
// interface requires.
func (s stateStore) writeCache(file string, data []byte) {
	name, err := s.path("cache", file)
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return
	}
	_ = atomicfile.Write(name, data, 0o600)
}

// readSmall reads a state file of at most maxStateFile bytes; a missing file
// reads as empty.
func readSmall(name string) ([]byte, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checksum database state: %w", err)
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(f, maxStateFile+1)); err != nil {
		return nil, fmt.Errorf("checksum database state: read %s: %w", name, err)
	}
	if b.Len() > maxStateFile {
		return nil, fmt.Errorf("checksum database state: %s is larger than %d bytes; remove it to start over", name, maxStateFile)
	}
	return b.Bytes(), nil
}

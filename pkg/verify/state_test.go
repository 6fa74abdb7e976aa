package verify

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb"
)

func TestStateConfigCompareAndSwap(t *testing.T) {
	s := stateStore{dir: t.TempDir()}
	const file = "sum.gvx.test/latest"

	data, err := s.readConfig(file)
	if err != nil || len(data) != 0 {
		t.Fatalf("readConfig of a new state = %q, %v; want empty, nil", data, err)
	}
	if err := s.writeConfig(file, nil, []byte("tree 1")); err != nil {
		t.Fatalf("writeConfig(empty -> tree 1) = %v", err)
	}
	if err := s.writeConfig(file, nil, []byte("tree 2")); !errors.Is(err, sumdb.ErrWriteConflict) {
		t.Errorf("writeConfig from a stale empty old = %v, want sumdb.ErrWriteConflict", err)
	}
	if err := s.writeConfig(file, []byte("tree 0"), []byte("tree 2")); !errors.Is(err, sumdb.ErrWriteConflict) {
		t.Errorf("writeConfig from a wrong old = %v, want sumdb.ErrWriteConflict", err)
	}
	if data, _ := s.readConfig(file); string(data) != "tree 1" {
		t.Errorf("after refused writes the config holds %q, want %q", data, "tree 1")
	}
	if err := s.writeConfig(file, []byte("tree 1"), []byte("tree 2")); err != nil {
		t.Errorf("writeConfig(tree 1 -> tree 2) = %v", err)
	}
	if data, _ := s.readConfig(file); string(data) != "tree 2" {
		t.Errorf("config holds %q, want %q", data, "tree 2")
	}
	// No temporary files are left beside it.
	entries, err := os.ReadDir(filepath.Join(s.dir, "config", "sum.gvx.test"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "latest" && e.Name() != "latest.lock" {
			t.Errorf("state directory holds %s, want only latest and its lock", e.Name())
		}
	}
}

// TestStateConfigConcurrentIncrements has many writers, each with its own
// store value as separate processes would, add one to a counter by
// read-compare-swap; a lost update would show as a smaller total.
func TestStateConfigConcurrentIncrements(t *testing.T) {
	dir := t.TempDir()
	const file, writers, each = "db/latest", 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stateStore{dir: dir}
			for range each {
				for {
					old, err := s.readConfig(file)
					if err != nil {
						errs <- err
						return
					}
					n := 0
					if len(old) > 0 {
						if n, err = strconv.Atoi(string(old)); err != nil {
							errs <- err // a torn read
							return
						}
					}
					err = s.writeConfig(file, old, []byte(strconv.Itoa(n+1)))
					if err == nil {
						break
					}
					if !errors.Is(err, sumdb.ErrWriteConflict) {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	data, err := stateStore{dir: dir}.readConfig(file)
	if err != nil || string(data) != strconv.Itoa(writers*each) {
		t.Errorf("counter = %q, %v; want %d", data, err, writers*each)
	}
}

func TestStateCache(t *testing.T) {
	s := stateStore{dir: t.TempDir()}
	const file = "sum.gvx.test/tile/8/0/000.p/1"
	if _, err := s.readCache(file); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readCache(missing) = %v, want fs.ErrNotExist", err)
	}
	s.writeCache(file, []byte("tile"))
	if data, err := s.readCache(file); err != nil || string(data) != "tile" {
		t.Errorf("readCache after writeCache = %q, %v; want %q", data, err, "tile")
	}
	// An empty file (never written by writeCache) is not a cached tile.
	name := filepath.Join(s.dir, "cache", "sum.gvx.test", "tile", "8", "0", "x001", "000")
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := s.readCache("sum.gvx.test/tile/8/0/x001/000"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readCache(empty file) = %v, want fs.ErrNotExist", err)
	}
}

func TestStatePathsStayInside(t *testing.T) {
	parent := t.TempDir()
	s := stateStore{dir: filepath.Join(parent, "state")}
	for _, file := range []string{"../escape", "db/../../escape", "/abs/latest", ""} {
		if _, err := s.readConfig(file); err == nil {
			t.Errorf("readConfig(%q) = nil error, want one", file)
		}
		if err := s.writeConfig(file, nil, []byte("x")); err == nil {
			t.Errorf("writeConfig(%q) = nil error, want one", file)
		}
		if _, err := s.readCache(file); err == nil {
			t.Errorf("readCache(%q) = nil error, want one", file)
		}
		s.writeCache(file, []byte("x"))
	}
	if _, err := os.Stat(filepath.Join(parent, "escape")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a state write escaped its directory: stat = %v", err)
	}
}

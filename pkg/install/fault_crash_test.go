package install

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gvx-dev/gvx/pkg/registry"
)

// errCrashed is what every change to the disk returns once crashFS has
// "died": the process is gone, so nothing it would still do reaches the disk.
var errCrashed = errors.New("crashed")

// crashFS lets the first budget changes to the disk happen (every call of the
// fileSystem interface, and every Write, Sync and Close of a file) and then
// behaves as if the process had been killed: no further change happens,
// not even the deferred cleanup. What is on disk then is exactly what a
// SIGKILL at that moment leaves.
type crashFS struct {
	osFS
	mu      sync.Mutex
	budget  int // changes still allowed; negative means unlimited
	ops     int // changes made
	crashed bool
	last    string // the last change made, for failure messages
}

// step reports whether the change op may happen, counting it.
func (c *crashFS) step(op, path string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.crashed || c.budget == 0 {
		c.crashed = true
		return &fs.PathError{Op: op, Path: path, Err: errCrashed}
	}
	if c.budget > 0 {
		c.budget--
	}
	c.ops++
	c.last = op + " " + path
	return nil
}

func (c *crashFS) MkdirAll(path string, perm fs.FileMode) error {
	if err := c.step("mkdirall", path); err != nil {
		return err
	}
	return c.osFS.MkdirAll(path, perm)
}

func (c *crashFS) Mkdir(path string, perm fs.FileMode) error {
	if err := c.step("mkdir", path); err != nil {
		return err
	}
	return c.osFS.Mkdir(path, perm)
}

func (c *crashFS) MkdirTemp(dir, pattern string) (string, error) {
	if err := c.step("mkdirtemp", filepath.Join(dir, pattern)); err != nil {
		return "", err
	}
	return c.osFS.MkdirTemp(dir, pattern)
}

func (c *crashFS) Create(path string, perm fs.FileMode) (writeFile, error) {
	if err := c.step("create", path); err != nil {
		return nil, err
	}
	f, err := c.osFS.Create(path, perm)
	if err != nil {
		return nil, err
	}
	return &crashFile{f, c}, nil
}

func (c *crashFS) CreateTemp(dir, pattern string) (writeFile, error) {
	if err := c.step("createtemp", filepath.Join(dir, pattern)); err != nil {
		return nil, err
	}
	f, err := c.osFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &crashFile{f, c}, nil
}

func (c *crashFS) Symlink(target, path string) error {
	if err := c.step("symlink", path); err != nil {
		return err
	}
	return c.osFS.Symlink(target, path)
}

func (c *crashFS) Link(oldpath, newpath string) error {
	if err := c.step("link", newpath); err != nil {
		return err
	}
	return c.osFS.Link(oldpath, newpath)
}

func (c *crashFS) Rename(oldpath, newpath string) error {
	if err := c.step("rename", oldpath+" -> "+newpath); err != nil {
		return err
	}
	return c.osFS.Rename(oldpath, newpath)
}

func (c *crashFS) Chmod(path string, mode fs.FileMode) error {
	if err := c.step("chmod", path); err != nil {
		return err
	}
	return c.osFS.Chmod(path, mode)
}

func (c *crashFS) Remove(path string) error {
	if err := c.step("remove", path); err != nil {
		return err
	}
	return c.osFS.Remove(path)
}

func (c *crashFS) RemoveAll(path string) error {
	if err := c.step("removeall", path); err != nil {
		return err
	}
	return c.osFS.RemoveAll(path)
}

// crashFile is a file being written on a crashFS. After the crash its
// descriptor is still closed (the kernel does that for a killed process),
// but nothing more is written.
type crashFile struct {
	writeFile
	c *crashFS
}

func (f *crashFile) Write(p []byte) (int, error) {
	if err := f.c.step("write", f.Name()); err != nil {
		return 0, err
	}
	return f.writeFile.Write(p)
}

func (f *crashFile) Sync() error {
	if err := f.c.step("sync", f.Name()); err != nil {
		return err
	}
	return f.writeFile.Sync()
}

func (f *crashFile) Close() error {
	err := f.c.step("close", f.Name())
	if cerr := f.writeFile.Close(); err == nil {
		err = cerr
	}
	return err
}

// crashCase is one way of installing, killed at every step in turn.
type crashCase struct {
	name string
	keep bool
	// artifact returns what is installed and the archive's bytes.
	artifact func(t *testing.T) (registry.Artifact, []byte)
	checker  ZipChecker
}

func crashCases() []crashCase {
	return []crashCase{
		{name: "tar.gz", artifact: func(t *testing.T) (registry.Artifact, []byte) {
			data := tarGz(t, "go/", goroot())
			return tarArtifact(testVersion, data), data
		}},
		{name: "tar.gz kept", keep: true, artifact: func(t *testing.T) (registry.Artifact, []byte) {
			data := tarGz(t, "go/", goroot())
			return tarArtifact(testVersion, data), data
		}},
		{name: "zip", artifact: func(t *testing.T) (registry.Artifact, []byte) {
			data := zipFile(t, "go/", goroot())
			return zipArtifact(testVersion, data), data
		}},
		{name: "module zip", checker: &fakeChecker{}, artifact: func(t *testing.T) (registry.Artifact, []byte) {
			return modArtifact(), zipFile(t, testModPrefix, goroot())
		}},
	}
}

// TestInstallKilledAtEveryStep kills an install (as SIGKILL would: no
// cleanup runs) after each of its changes to the disk in turn, then checks
// what the next gvx sees: no partial version listed, another installed
// version untouched, the next install succeeds with a working root, and
// nothing is left in staging or among the kept downloads after it.
func TestInstallKilledAtEveryStep(t *testing.T) {
	for _, tc := range crashCases() {
		t.Run(tc.name, func(t *testing.T) {
			a, data := tc.artifact(t)

			// Count the steps of an install that is never killed.
			probe, _ := testInstaller(t)
			probe.KeepDownloads, probe.Checker = tc.keep, tc.checker
			counter := &crashFS{budget: -1}
			probe.fs = counter
			if _, err := probe.Install(context.Background(), newSource(a, data), a); err != nil {
				t.Fatalf("Install without a crash: %v", err)
			}
			steps := counter.ops
			if steps < 10 {
				t.Fatalf("an install made %d changes to the disk; the seam misses some", steps)
			}

			for budget := 0; budget <= steps; budget++ {
				t.Run(fmt.Sprintf("after%02d", budget), func(t *testing.T) {
					t.Parallel()
					in, _ := testInstaller(t)
					in.Checker = tc.checker
					otherData := tarGz(t, "go/", goroot())
					other := tarArtifact("1.998.0", otherData)
					if _, err := in.Install(context.Background(), newSource(other, otherData), other); err != nil {
						t.Fatal(err)
					}
					otherBefore := readTree(t, in.Dirs.Version("1.998.0"))
					in.KeepDownloads = tc.keep

					cfs := &crashFS{budget: budget}
					in.fs = cfs
					_, err := in.Install(context.Background(), newSource(a, data), a)
					if budget < steps && !cfs.crashed {
						t.Fatalf("killed after %d of %d steps: Install = %v without reaching the crash", budget, steps, err)
					}
					after := fmt.Sprintf("killed after step %d of %d (%s)", budget, steps, cfs.last)

					// What the next gvx sees before doing anything.
					in.fs = nil
					list, err := in.List()
					if err != nil {
						t.Fatalf("%s: List: %v", after, err)
					}
					for _, i := range list {
						if i.Version.String() != "1.998.0" && i.Version.String() != testVersion {
							t.Errorf("%s: List shows %s", after, i.Version)
						}
						assertCompleteRoot(t, after, i.Root)
					}
					if got := readTree(t, in.Dirs.Version("1.998.0")); !sameTree(got, otherBefore) {
						t.Errorf("%s: the other installed version changed", after)
					}

					// The next install succeeds and leaves nothing behind.
					if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
						t.Fatalf("%s: the next Install = %v", after, err)
					}
					assertCompleteRoot(t, after, in.Dirs.Version(testVersion))
					if list, _ := in.List(); len(list) != 2 {
						t.Errorf("%s: after the next install List = %v, want 1.998.0 and %s", after, list, testVersion)
					}
					if left := dirNames(t, in.Dirs.Staging()); len(left) > 0 {
						t.Errorf("%s: the next install left in staging: %v", after, left)
					}
					if tc.keep {
						names := dirNames(t, in.downloads())
						if len(names) != 1 || names[0] != a.Filename {
							t.Errorf("%s: kept downloads = %v, want only %s", after, names, a.Filename)
						}
					}
				})
			}
		})
	}
}

// TestUninstallKilledAtEveryStep kills an uninstall after each of its
// changes in turn: the version is then either complete or gone, and the
// next install of it succeeds and leaves staging empty.
func TestUninstallKilledAtEveryStep(t *testing.T) {
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	probe, _ := testInstaller(t)
	if _, err := probe.Install(context.Background(), newSource(a, data), a); err != nil {
		t.Fatal(err)
	}
	counter := &crashFS{budget: -1}
	probe.fs = counter
	if err := probe.Uninstall(context.Background(), testVersion); err != nil {
		t.Fatal(err)
	}
	steps := counter.ops
	for budget := 0; budget <= steps; budget++ {
		t.Run(fmt.Sprintf("after%02d", budget), func(t *testing.T) {
			t.Parallel()
			in, _ := testInstaller(t)
			if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
				t.Fatal(err)
			}
			cfs := &crashFS{budget: budget}
			in.fs = cfs
			in.Uninstall(context.Background(), testVersion)
			after := fmt.Sprintf("uninstall killed after step %d of %d (%s)", budget, steps, cfs.last)
			in.fs = nil
			list, err := in.List()
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range list {
				assertCompleteRoot(t, after, i.Root)
			}
			if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
				t.Fatalf("%s: the next Install = %v", after, err)
			}
			assertCompleteRoot(t, after, in.Dirs.Version(testVersion))
			if left := dirNames(t, in.Dirs.Staging()); len(left) > 0 {
				t.Errorf("%s: the next install left in staging: %v", after, left)
			}
		})
	}
}

// assertCompleteRoot checks that root is a whole install of goroot(): every
// file there with its contents, and a receipt.
func assertCompleteRoot(t *testing.T, context, root string) {
	t.Helper()
	got := readTree(t, root)
	for _, f := range goroot() {
		if got[f.name] != f.body {
			t.Errorf("%s: %s/%s = %q, want %q", context, root, f.name, got[f.name], f.body)
		}
	}
	if _, err := readReceipt(root); err != nil {
		t.Errorf("%s: %v", context, err)
	}
	st, err := os.Stat(filepath.Join(root, "bin", "go"))
	if err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Errorf("%s: %s/bin/go is not executable: %v %v", context, root, st.Mode(), err)
	}
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// dirNames lists dir; a missing dir is empty.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

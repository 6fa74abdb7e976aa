package install

import (
	"io"
	"io/fs"
	"os"
)

// fileSystem is every change the installer makes to disk. The real one is
// osFS; tests put a full disk or a read-only home behind it, which running as
// root (where chmod cannot take write access away) would not otherwise allow.
// Reads go straight to the os package.
type fileSystem interface {
	MkdirAll(path string, perm fs.FileMode) error
	Mkdir(path string, perm fs.FileMode) error
	MkdirTemp(dir, pattern string) (string, error)
	// Create makes a new file: never through a symlink, never over an
	// existing file (O_EXCL|O_NOFOLLOW).
	Create(path string, perm fs.FileMode) (writeFile, error)
	CreateTemp(dir, pattern string) (writeFile, error)
	Symlink(target, path string) error
	Link(oldpath, newpath string) error
	Rename(oldpath, newpath string) error
	Chmod(path string, mode fs.FileMode) error
	Remove(path string) error
	RemoveAll(path string) error
}

// writeFile is a file being written.
type writeFile interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) MkdirAll(path string, perm fs.FileMode) error { return os.MkdirAll(path, perm) }
func (osFS) Mkdir(path string, perm fs.FileMode) error    { return os.Mkdir(path, perm) }
func (osFS) MkdirTemp(dir, pattern string) (string, error) {
	return os.MkdirTemp(dir, pattern)
}

func (osFS) CreateTemp(dir, pattern string) (writeFile, error) {
	return os.CreateTemp(dir, pattern)
}

func (osFS) Symlink(target, path string) error         { return os.Symlink(target, path) }
func (osFS) Link(oldpath, newpath string) error        { return os.Link(oldpath, newpath) }
func (osFS) Rename(oldpath, newpath string) error      { return os.Rename(oldpath, newpath) }
func (osFS) Chmod(path string, mode fs.FileMode) error { return os.Chmod(path, mode) }
func (osFS) Remove(path string) error                  { return os.Remove(path) }
func (osFS) RemoveAll(path string) error               { return os.RemoveAll(path) }

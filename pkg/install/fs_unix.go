//go:build unix

package install

import (
	"io/fs"
	"syscall"
)

// oNoFollow makes Create refuse to open a symlink: an archive must never get
// a file written through a link it planted.
const oNoFollow = syscall.O_NOFOLLOW

// Create opens a new file with its final mode, as a bare descriptor rather
// than an *os.File. A Go release holds about 10,000 files, and for each one
// os.OpenFile adds four fcntl calls and an epoll registration that always
// fails for a regular file; the descriptor is written with blocking writes
// either way.
func (osFS) Create(path string, perm fs.FileMode) (writeFile, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|oNoFollow|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return &fdFile{fd: fd, name: path}, nil
	}
}

// fdFile is a file being written through its bare descriptor. Its errors
// are *fs.PathErrors naming the file, as an *os.File's are.
type fdFile struct {
	fd   int // -1 once closed
	name string
}

func (f *fdFile) Name() string { return f.name }

func (f *fdFile) Write(p []byte) (int, error) {
	if f.fd < 0 {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: fs.ErrClosed}
	}
	n := 0
	for n < len(p) {
		m, err := syscall.Write(f.fd, p[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, &fs.PathError{Op: "write", Path: f.name, Err: err}
		}
		if m == 0 {
			return n, &fs.PathError{Op: "write", Path: f.name, Err: syscall.EIO}
		}
		n += m
	}
	return n, nil
}

func (f *fdFile) Sync() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "sync", Path: f.name, Err: fs.ErrClosed}
	}
	for {
		err := syscall.Fsync(f.fd)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "sync", Path: f.name, Err: err}
		}
		return nil
	}
}

// Close closes the descriptor once; it is not retried on EINTR, since on
// Linux the descriptor is gone whatever close returns.
func (f *fdFile) Close() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	err := syscall.Close(f.fd)
	f.fd = -1
	if err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error { return fsyncPath(dir) }

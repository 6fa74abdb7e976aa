//go:build unix

package shim

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// execTool replaces the shim with the real tool: one hop, no child process.
// It returns only when the exec fails.
func execTool(path string, argv, env []string) (int, error) {
	return 1, syscall.Exec(path, argv, env)
}

// readLimit reads at most limit bytes of path, which must be a regular file
// (a *notRegularError otherwise). It opens without blocking, so that a FIFO
// (or a link to one, or to /dev/stdin) is refused at once instead of hanging
// or reading the caller's input, and without taking a terminal as the
// controlling one. It uses the system calls directly: os.Open would set up
// the runtime's poller (an epoll instance and its registrations) on every
// shim call for files that are never polled.
func readLimit(path string, limit int64) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, &notRegularError{kind: fileKind(uint32(st.Mode) & syscall.S_IFMT)}
	}
	buf := make([]byte, 0, 512)
	// A regular file's size says when the data ends, saving the read that
	// would return nothing; files of /proc report 0 and are read to the end.
	for int64(len(buf)) < limit && (st.Size <= 0 || int64(len(buf)) < st.Size) {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit)]
		n, err := syscall.Read(fd, room)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n <= 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	return buf, nil
}

// fileKind names the kind of file a stat mode's S_IFMT bits say.
func fileKind(format uint32) string {
	switch format {
	case syscall.S_IFIFO:
		return "a named pipe (FIFO)"
	case syscall.S_IFCHR:
		return "a character device"
	case syscall.S_IFBLK:
		return "a block device"
	case syscall.S_IFSOCK:
		return "a socket"
	case syscall.S_IFDIR:
		return "a directory"
	}
	return "not a regular file"
}

// readDirNames returns the names in dir, through the system calls directly
// for the same reason as readLimit.
func readDirNames(dir string) ([]string, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, 8192)
	var names []string
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return names, nil
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
}

// linkShim makes link a relative symlink to target, replacing what is there
// atomically. It reports whether anything changed.
func linkShim(target, link string) (bool, error) {
	rel := relTarget(target, link)
	if cur, err := os.Readlink(link); err == nil && cur == rel {
		return false, nil
	}
	tmp := tempLinkName(link)
	os.Remove(tmp) // a leftover of a killed process that had this pid
	if err := os.Symlink(rel, tmp); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

// relTarget returns target relative to the directory of link, or target
// itself when no relative path exists.
func relTarget(target, link string) string {
	if rel, err := filepath.Rel(filepath.Dir(link), target); err == nil {
		return rel
	}
	return target
}

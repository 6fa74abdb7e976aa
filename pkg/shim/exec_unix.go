//go:build unix

package shim

import (
	"io/fs"
	"os"
	"syscall"
)

// exeSuffix is the suffix of executables.
const exeSuffix = ""

// execTool replaces the shim with the real tool: one hop, no child process.
// It returns only when the exec fails.
func execTool(path string, argv, env []string) (int, error) {
	return 1, syscall.Exec(path, argv, env)
}

// normKey returns the form of an environment key used to compare keys.
func normKey(k string) string { return k }

func isExecutable(fi fs.FileInfo) bool { return fi.Mode()&0o111 != 0 }

// readLimit reads at most limit bytes of path. It uses the system calls
// directly: os.Open would set up the runtime's poller (an epoll instance and
// its registrations) on every shim call for files that are never polled.
func readLimit(path string, limit int64) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, 512)
	for int64(len(buf)) < limit {
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

package install

import "golang.org/x/sys/unix"

// defaultDurability is "files" here too: measured with
// scripts/bench-durability.sh (README, Reliability), neither mode cost a
// measurable amount next to none, and fsync per file waits only for the
// install's own data, while syncfs also waits for whatever else is dirty
// on the file system.
const defaultDurability = "files"

// syncDirs: directories can be fsynced.
const syncDirs = true

// syncFS flushes the whole file system holding path: one system call for
// the ten thousand files of a Go release.
func syncFS(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Syncfs(fd)
}

package install

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// umaskProbe is the file execPerm creates to learn the umask.
const umaskProbe = ".gvx-umask-probe"

// execPerm returns 0777 less the process umask. It creates a file with mode
// 0777 in dir and reads back the mode the system gave it, which, unlike
// syscall.Umask, changes nothing for the rest of the process.
func execPerm(fsys fileSystem, dir string) (fs.FileMode, error) {
	name := filepath.Join(dir, umaskProbe)
	f, err := fsys.Create(name, 0o777)
	if err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	st, err := os.Lstat(name)
	if err != nil {
		return 0, err
	}
	return st.Mode().Perm(), fsys.Remove(name)
}

// setExecBits makes the binaries of an unpacked zip executable: zips carry
// no modes. The order is the go command's: everything under pkg/tool first,
// then bin/gofmt, then the rest of bin with bin/go last, so that anyone who
// sees an executable bin/go also sees executable tools.
func setExecBits(fsys fileSystem, root string, perm fs.FileMode) error {
	var tools []string
	err := filepath.WalkDir(filepath.Join(root, "pkg", "tool"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			tools = append(tools, p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	bin, err := os.ReadDir(filepath.Join(root, "bin"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	rank := func(name string) int {
		switch name {
		case "gofmt", "gofmt.exe":
			return 0
		case "go", "go.exe":
			return 2
		}
		return 1
	}
	sort.SliceStable(bin, func(i, j int) bool { return rank(bin[i].Name()) < rank(bin[j].Name()) })
	for _, d := range bin {
		if d.Type().IsRegular() {
			tools = append(tools, filepath.Join(root, "bin", d.Name()))
		}
	}
	for _, p := range tools {
		if err := fsys.Chmod(p, perm); err != nil {
			return err
		}
	}
	return nil
}

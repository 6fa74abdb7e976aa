package install

import (
	"io/fs"
	"os"
	"path/filepath"
)

// durability says how a fresh root is made durable before it is renamed
// into place, so that a power cut never leaves a published root whose
// files are empty or torn: "syncfs" (Linux: one syncfs(2) of the staging
// file system), "files" (fsync every file and directory), or "none". The
// default is syncfs on Linux, files elsewhere (see durable_linux.go);
// scripts/bench-durability.sh
// builds gvx with each (-ldflags -X) to measure what they cost.
var durability = defaultDurability

// fsyncPath opens the file or directory p and fsyncs it.
func fsyncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncTree makes everything under root durable, as durability says.
func syncTree(root string) error {
	switch durability {
	case "none":
		return nil
	case "syncfs":
		if err := syncFS(root); err == nil {
			return nil
		}
		// Not supported here: fall back to every file.
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		err = fsyncPath(p)
		if err != nil && d.IsDir() && !syncDirs {
			return nil
		}
		return err
	})
}

//go:build !linux

package install

import (
	"errors"
	"runtime"
)

const defaultDurability = "files"

// syncDirs reports whether directories can be fsynced: not on Windows.
var syncDirs = runtime.GOOS != "windows"

func syncFS(string) error { return errors.ErrUnsupported }

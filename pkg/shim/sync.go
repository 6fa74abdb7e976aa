package shim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/rogpeppe/go-internal/lockedfile"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// Sync brings the shims in step with the installed versions: it takes the
// home's shims lock (layout.Dirs.ShimsLock), calls installed for the list
// of versions ("1.22.6") and runs InstallShims with shimBinary, holding the
// lock from the listing to the last link, so that of two gvx processes
// finishing at once the later one's view of versions/ is what the shims
// end up showing. A home on a read-only file system takes no lock: nobody
// can change it, and InstallShims succeeds when the shims are in step and
// says what is wrong when they are not.
func Sync(dirs layout.Dirs, shimBinary string, installed func() ([]string, error)) error {
	mu := lockedfile.MutexAt(dirs.ShimsLock())
	unlock, err := mu.Lock()
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(dirs.Locks(), 0o755); err == nil {
			unlock, err = mu.Lock()
		}
	}
	switch {
	case err == nil:
		defer unlock()
	case errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission):
	default:
		return fmt.Errorf("lock the shims: %w", err)
	}
	versions, err := installed()
	if err != nil {
		return err
	}
	return InstallShims(dirs, shimBinary, versions)
}

package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gvx-dev/gvx/pkg/projects"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// runUnsetGlobal is 'gvx use --global --unset': it removes the global
// default and says what selects in the working directory now.
func runUnsetGlobal(e *env, global bool, arg string) error {
	switch {
	case !global:
		return usagef("use --unset goes with --global; to drop this directory's pin, delete its %s", shim.GoVersionFile)
	case arg != "":
		return usagef("use --global --unset takes no version, got %q", arg)
	}
	dirs, err := e.dirs()
	if err != nil {
		return err
	}
	path := dirs.Global()
	if err := os.Remove(path); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "no global default to remove (%s does not exist)\n", path)
		return nil
	} else if err != nil {
		return fmt.Errorf("remove the global default: %w", err)
	}
	fmt.Fprintf(e.stderr, "removed the global default %s\n", path)
	sel, _, err := e.selectionIn("", "")
	var nse *shim.NoSelectionError
	switch {
	case errors.As(err, &nse):
		e.notef("nothing selects a Go version here now; go fails outside projects that pin one (run 'gvx use --global 1.22.6' to set one)")
	case sel.Installed && !sel.Version.IsZero():
		fmt.Fprintf(e.stderr, "here %s runs (selected by %s)\n", sel.Version.GoName(), sel.Origin)
	}
	return nil
}

// rememberProject records dir as a known project. It is best effort: a
// state directory that cannot be written costs prune its knowledge of dir,
// which a note says.
func (e *env) rememberProject(dir string) {
	if err := (projects.Store{Dir: e.stateDir()}).Add(dir); err != nil {
		e.notef("cannot remember %s as a project (%v); 'gvx prune' will not know what it pins", dir, err)
	}
}

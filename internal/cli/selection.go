package cli

import (
	"os"

	"github.com/gvx-dev/gvx/pkg/shim"
)

// selectedSpec is the spec the working directory selects (for 'gvx install'
// with no arguments). A selection of a version that is not installed is
// exactly what install needs, so that error is not one here.
func (e *env) selectedSpec() (string, error) {
	dirs, err := e.dirs()
	if err != nil {
		return "", err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	sel, err := shim.Select(dirs, cwd, e.getenv)
	if err != nil && sel.Spec.Kind() == 0 {
		return "", err
	}
	// A go.mod minimum prints as ">=1.22.0": install then takes the newest
	// release that meets it.
	return sel.Spec.String(), nil
}

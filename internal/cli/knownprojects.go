package cli

import (
	"errors"
	"fmt"

	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/projects"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// projectSelection is what one known project selects.
type projectSelection struct {
	Dir string
	Sel shim.Selection
	Err error // a *shim.NotInstalledError comes with Sel
}

// knownProjects returns the known projects and what each selects, as a go
// call in that directory would see it from a fresh shell: this shell's
// GVX_GO_VERSION does not count.
func (e *env) knownProjects(dirs layout.Dirs) ([]projectSelection, error) {
	list, err := projects.Store{Dir: e.stateDir()}.List()
	if err != nil {
		return nil, fmt.Errorf("read the known projects: %w", err)
	}
	getenv := func(k string) string {
		if k == shim.EnvGoVersion {
			return ""
		}
		return e.getenv(k)
	}
	var out []projectSelection
	for _, d := range list {
		sel, err := shim.Select(dirs, d, getenv)
		out = append(out, projectSelection{Dir: d, Sel: sel, Err: err})
	}
	return out, nil
}

// runListProjects is 'gvx list --projects'.
func runListProjects(e *env, asJSON bool) error {
	dirs, err := e.dirs()
	if err != nil {
		return err
	}
	ps, err := e.knownProjects(dirs)
	if err != nil {
		return err
	}
	if asJSON {
		type item struct {
			Dir       string `json:"dir"`
			Spec      string `json:"spec"`
			Origin    string `json:"origin"`
			Version   string `json:"version,omitempty"` // the installed version that runs there
			Installed bool   `json:"installed"`
			Error     string `json:"error,omitempty"`
		}
		out := []item{}
		for _, p := range ps {
			it := item{Dir: p.Dir, Spec: p.Sel.Spec.String(), Origin: p.Sel.Origin.String(), Installed: p.Sel.Installed}
			if !p.Sel.Version.IsZero() {
				it.Version = p.Sel.Version.String()
			}
			if p.Err != nil {
				it.Error = p.Err.Error()
			}
			out = append(out, it)
		}
		return printJSON(e, out)
	}
	if len(ps) == 0 {
		e.notef("no known projects yet: 'gvx use VERSION' in a project records it")
		return nil
	}
	for _, p := range ps {
		var nie *shim.NotInstalledError
		switch {
		case p.Err == nil && p.Sel.Installed && !p.Sel.Version.IsZero():
			fmt.Fprintf(e.stdout, "%s %s (selected by %s)\n", p.Dir, p.Sel.Version, p.Sel.Origin)
		case p.Err == nil:
			fmt.Fprintf(e.stdout, "%s %s (selected by %s)\n", p.Dir, p.Sel.Spec, p.Sel.Origin)
		case errors.As(p.Err, &nie):
			fmt.Fprintf(e.stdout, "%s %s, not installed (selected by %s)\n", p.Dir, p.Sel.Spec, p.Sel.Origin)
		default:
			fmt.Fprintf(e.stdout, "%s error: %v\n", p.Dir, p.Err)
		}
	}
	return nil
}

package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func envCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "env",
		Usage: "print the selected Go's GOROOT, version and bin directory, for editors and scripts",
		Description: `Plain output is KEY=value lines: GOROOT, GOVERSION, PATH_ENTRY (the
directory to put first on PATH: GOROOT/bin), GO, GOFMT and ORIGIN.
Editors: VS Code's "go.goroot" is GOROOT (or "go.alternateTools": {"go": GO});
GoLand's GOROOT setting is GOROOT. --dir selects for another directory, such
as the project an editor opened.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print JSON: goroot, version, path_entry, go, gofmt, origin, spec"},
			&ucli.StringFlag{Name: "dir", Usage: "select for this directory instead of the working directory"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("env takes no arguments; use --dir DIR to select for another directory")
			}
			return runEnv(e, c.String("dir"), c.Bool("json"))
		},
	}
}

// envJSON is 'gvx env --json'.
type envJSON struct {
	GOROOT    string `json:"goroot"`
	Version   string `json:"version"`
	PathEntry string `json:"path_entry"`
	Go        string `json:"go"`
	Gofmt     string `json:"gofmt"`
	Origin    string `json:"origin"`
	Spec      string `json:"spec"`
}

func runEnv(e *env, dir string, asJSON bool) error {
	sel, dirs, err := e.selectionIn(dir, "")
	if err != nil {
		return err
	}
	out := envJSON{
		GOROOT:    sel.GOROOT,
		PathEntry: filepath.Dir(sel.Tool("go")),
		Go:        sel.Tool("go"),
		Gofmt:     sel.Tool("gofmt"),
		Origin:    sel.Origin.String(),
		Spec:      sel.Spec.String(),
	}
	if !sel.Version.IsZero() {
		out.Version = sel.Version.String()
	}
	if sel.System != "" {
		// A system go knows its own root and version; gvx does not.
		if out.GOROOT, out.Version, err = askGo(sel, dirs); err != nil {
			return err
		}
	}
	if asJSON {
		return printJSONText(e, out)
	}
	goVersion := ""
	if out.Version != "" {
		goVersion = "go" + out.Version
	}
	for _, kv := range [][2]string{
		{"GOROOT", out.GOROOT},
		{"GOVERSION", goVersion},
		{"PATH_ENTRY", out.PathEntry},
		{"GO", out.Go},
		{"GOFMT", out.Gofmt},
		{"ORIGIN", out.Origin},
	} {
		fmt.Fprintf(e.stdout, "%s=%s\n", kv[0], kv[1])
	}
	return nil
}

// askGo runs the system go's 'go env GOROOT GOVERSION' in the environment
// the shim would give it.
func askGo(sel shim.Selection, dirs layout.Dirs) (goroot, version string, err error) {
	vals, err := goenv.Query(context.Background(), goenv.QueryTimeout, sel.System, shim.Environ(sel, os.Environ(), dirs), "GOROOT", "GOVERSION")
	if err != nil {
		return "", "", fmt.Errorf("ask the system go (%s) for its GOROOT: %w", sel.System, err)
	}
	if vals[0] == "" {
		return "", "", fmt.Errorf("the system go (%s) printed no GOROOT", sel.System)
	}
	if v, err := goversion.Parse(vals[1]); err == nil {
		version = v.String()
	}
	return vals[0], version, nil
}

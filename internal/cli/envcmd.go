package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

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
	cmd := exec.Command(sel.System, "env", "GOROOT", "GOVERSION")
	cmd.Env = shim.Environ(sel, os.Environ(), dirs)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("ask the system go (%s) for its GOROOT: %w: %s", sel.System, err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 1 || lines[0] == "" {
		return "", "", fmt.Errorf("the system go (%s) printed no GOROOT", sel.System)
	}
	goroot = strings.TrimSpace(lines[0])
	if len(lines) > 1 {
		if v, err := goversion.Parse(strings.TrimSpace(lines[1])); err == nil {
			version = v.String()
		}
	}
	return goroot, version, nil
}

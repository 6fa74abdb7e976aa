package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func currentCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "current",
		Usage: "show the Go version selected here, and what selected it",
		Description: `Prints the version the go shim would run in the working directory and where
that choice comes from. Warns when go.mod or go.work requires a newer Go than
the selection, and says what the go command's GOTOOLCHAIN will then do.
Exits 1 when the selected version is not installed.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print JSON: version, spec, origin, installed, goroot, go"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("current takes no arguments; to choose a version run 'gvx use %s'", c.Args().First())
			}
			return runCurrent(e, c.Bool("json"))
		},
	}
}

// currentJSON is 'gvx current --json'.
type currentJSON struct {
	Version   string `json:"version"` // the installed version that runs; "" when not installed or system
	Spec      string `json:"spec"`    // what the origin asks for: "1.22", ">=1.21.0", "system"
	Origin    string `json:"origin"`  // "/src/app/.go-version:1", "GVX_GO_VERSION", ...
	Installed bool   `json:"installed"`
	GOROOT    string `json:"goroot"`       // "" when not installed or system
	Go        string `json:"go,omitempty"` // the go binary that runs
	Required  string `json:"required,omitempty"`
	// RequiredBy is the go.mod or go.work line that asks for Required.
	RequiredBy string `json:"required_by,omitempty"`
}

func runCurrent(e *env, asJSON bool) error {
	sel, dirs, err := e.selectionIn("", "")
	var nie *shim.NotInstalledError
	if err != nil && !errors.As(err, &nie) {
		return err
	}
	if asJSON {
		out := currentJSON{
			Spec:      sel.Spec.String(),
			Origin:    sel.Origin.String(),
			Installed: sel.Installed,
			GOROOT:    sel.GOROOT,
		}
		if !sel.Version.IsZero() {
			out.Version = sel.Version.String()
		}
		if sel.Installed {
			out.Go = sel.Tool("go")
		}
		if r := sel.Requirement; r != nil {
			min, line := r.Minimum()
			out.Required, out.RequiredBy = min.String(), fileLine(r.Path, line)
		}
		if jerr := printJSONText(e, out); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintln(e.stdout, describeSelection(sel))
	}
	warnRequirement(e, dirs, sel)
	return err
}

// describeSelection is the line 'gvx current' prints:
// "1.22.6 (set by /src/app/.go-version:1)".
func describeSelection(s shim.Selection) string {
	var what string
	switch {
	case s.Spec.Kind() == goversion.System && s.Installed:
		what = "system " + s.System
	case s.Installed:
		what = s.Version.String()
	default:
		what = s.Spec.String()
	}
	switch s.Origin.Kind {
	case shim.OriginGoMod, shim.OriginGoWork:
		return fmt.Sprintf("%s (newest installed for %s, which requires %s or newer)", what, s.Origin, s.Spec.Version().GoName())
	}
	if s.Installed && s.Spec.Kind() != goversion.Exact && s.Spec.Kind() != goversion.System {
		return fmt.Sprintf("%s (set by %s: %s)", what, s.Origin, s.Spec)
	}
	return fmt.Sprintf("%s (set by %s)", what, s.Origin)
}

// warnRequirement tells, on stderr, when go.mod or go.work requires a newer
// Go than an explicit choice, and what the go command will then do. gvx
// reports the conflict; it does not override either side.
func warnRequirement(e *env, dirs layout.Dirs, s shim.Selection) {
	r := s.Requirement
	if r == nil || !s.Installed || s.Version.IsZero() {
		return
	}
	min, line := r.Minimum()
	if goversion.Compare(s.Version, min) >= 0 {
		return
	}
	e.notef("%s requires %s or newer, but %s selects %s", fileLine(r.Path, line), min.GoName(), s.Origin, s.Version.GoName())
	e.notef("%s", toolchainOutcome(e.getenv("GOTOOLCHAIN"), dirs, min))
}

// toolchainOutcome says what the go command does, given GOTOOLCHAIN, when
// the running go is older than the go.mod minimum min.
func toolchainOutcome(gotoolchain string, dirs layout.Dirs, min goversion.Version) string {
	shimPath := filepath.Join(dirs.Shims(), min.GoName()+exeSuffix())
	installed := isInstalled(dirs, min)
	onPath := fmt.Sprintf("it finds %s on PATH as gvx's shim %s (installed)", min.GoName(), shimPath)
	if !installed {
		onPath = fmt.Sprintf("gvx has no %s to offer; run 'gvx install %s' (or 'gvx use %s')", min.GoName(), min, min)
	}
	setting := "GOTOOLCHAIN=" + gotoolchain
	if gotoolchain == "" {
		setting = "GOTOOLCHAIN unset (auto)"
	}
	base, mode, _ := strings.Cut(gotoolchain, "+")
	switch {
	case gotoolchain == "local":
		return fmt.Sprintf("%s: the go command will refuse to work here; pin a newer version with 'gvx use %s', or unset GOTOOLCHAIN", setting, min)
	case mode == "path":
		return fmt.Sprintf("%s: the go command will look for a %s command on PATH and fail without one; %s", setting, min.GoName(), onPath)
	case gotoolchain == "" || base == "auto" || mode == "auto":
		return fmt.Sprintf("%s: the go command will switch to a newer toolchain: it looks for %s (or the version go.mod names) on PATH, else downloads it through GOPROXY; %s", setting, min.GoName(), onPath)
	}
	return fmt.Sprintf("%s: the go command runs that toolchain, and refuses to work here if it is older than %s", setting, min.GoName())
}

// isInstalled reports whether version v is installed, and so has its
// version-named shim.
func isInstalled(dirs layout.Dirs, v goversion.Version) bool {
	_, err := shim.Resolve(dirs, func(string) string { return "" }, shim.Origin{}, goversion.MustParseSpec(v.String()))
	return err == nil
}

// printJSONText prints v as indented JSON, leaving <, > and & as they are:
// specs such as ">=1.21" are read by people and jq alike.
func printJSONText(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func fileLine(path string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", path, line)
	}
	return path
}

// selectionIn returns the selection that applies in dir (the working
// directory when ""), or for a non-empty spec the installed version it
// names, as 'go +SPEC' would pick it. Errors are those of shim.Select and
// shim.Resolve: a *shim.NotInstalledError comes with the Selection.
func (e *env) selectionIn(dir, spec string) (shim.Selection, layout.Dirs, error) {
	dirs, err := e.dirs()
	if err != nil {
		return shim.Selection{}, dirs, err
	}
	if spec != "" {
		sp, err := goversion.ParseSpec(spec)
		if err != nil {
			return shim.Selection{}, dirs, err
		}
		sel, err := shim.Resolve(dirs, e.getenv, shim.Origin{Kind: shim.OriginArgument, Spec: sp.String()}, sp)
		return sel, dirs, err
	}
	if dir == "" {
		if dir, err = os.Getwd(); err != nil {
			return shim.Selection{}, dirs, fmt.Errorf("find the working directory: %w", err)
		}
	} else {
		fi, err := os.Stat(dir)
		if err != nil {
			return shim.Selection{}, dirs, usagef("--dir %q: %v", dir, errors.Unwrap(err))
		}
		if !fi.IsDir() {
			return shim.Selection{}, dirs, usagef("--dir %q is not a directory", dir)
		}
		if dir, err = filepath.Abs(dir); err != nil {
			return shim.Selection{}, dirs, err
		}
	}
	sel, err := shim.Select(dirs, dir, e.getenv)
	return sel, dirs, err
}

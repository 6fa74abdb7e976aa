package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goenv"
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
	// RaisedFrom is the explicitly selected version when the go command's
	// toolchain switching made another installed version run instead.
	RaisedFrom string `json:"raised_from,omitempty"`
	// Switch is the toolchain the go command will switch to by itself
	// (downloading it) because gvx has none it accepts.
	Switch string `json:"switch,omitempty"`
	// GOTOOLCHAIN and its source ("environment", a file), as the selected
	// go sees it; empty without an installed explicit selection.
	GOTOOLCHAIN       string `json:"gotoolchain,omitempty"`
	GOTOOLCHAINSource string `json:"gotoolchain_source,omitempty"`
}

func runCurrent(e *env, asJSON bool) error {
	sel, _, err := e.selectionIn("", "")
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
		if f := sel.Floor; f != nil {
			out.GOTOOLCHAIN, out.GOTOOLCHAINSource = f.Toolchain.Value, f.Toolchain.Source
			if f.Raised {
				out.RaisedFrom = f.From.String()
			} else if f.Verdict.Run != "" {
				out.Switch = f.Verdict.Run
			}
		}
		if jerr := printJSONText(e, out); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintln(e.stdout, describeSelection(sel))
	}
	warnRequirement(e, sel)
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
		return fmt.Sprintf("%s (newest installed for %s, which requires %s or newer)", what, s.Origin, goenv.FirstRelease(s.Spec.Version()).GoName())
	}
	if f := s.Floor; f != nil && f.Raised {
		// "1.22.6 (/src/app/go.mod:3 requires go1.22.0; raised from 1.21.13
		// set by GVX_GO_VERSION; GOTOOLCHAIN=auto)"
		if f.Requirement != nil {
			return fmt.Sprintf("%s (%s requires %s; raised from %s set by %s; %s)", what,
				fileLine(f.Requirement.Path, f.Line()), f.Verdict.Version.GoName(), f.From, s.Origin, toolchainSetting(f.Toolchain))
		}
		return fmt.Sprintf("%s (%s; raised from %s set by %s)", what, toolchainSetting(f.Toolchain), f.From, s.Origin)
	}
	if s.Installed && s.Spec.Kind() != goversion.Exact && s.Spec.Kind() != goversion.System {
		return fmt.Sprintf("%s (set by %s: %s)", what, s.Origin, s.Spec)
	}
	return fmt.Sprintf("%s (set by %s)", what, s.Origin)
}

// toolchainSetting is "GOTOOLCHAIN=auto", or "GOTOOLCHAIN unset".
func toolchainSetting(tc goenv.Toolchain) string {
	if tc.Value == "" {
		return "GOTOOLCHAIN unset"
	}
	return "GOTOOLCHAIN=" + tc.Value
}

// warnRequirement tells, on stderr, what the go command will do when it
// cannot simply run the selection here: switch to a toolchain gvx does not
// have (downloading it), or refuse because go.mod or go.work needs a newer
// Go and GOTOOLCHAIN does not let it switch.
func warnRequirement(e *env, s shim.Selection) {
	for _, note := range toolchainNotes(s) {
		e.notef("%s", note)
	}
}

// toolchainNotes are warnRequirement's lines.
func toolchainNotes(s shim.Selection) []string {
	f := s.Floor
	if f == nil || f.Raised {
		return nil
	}
	v := f.Verdict
	setting := toolchainSetting(f.Toolchain)
	if f.Toolchain.Source != goenv.FromEnvironment && f.Toolchain.Source != goenv.FromNowhere {
		setting += " (from " + f.Toolchain.Source + ")"
	}
	switch {
	case v.Run != "":
		why := setting + " names it"
		if f.Requirement != nil {
			why = fmt.Sprintf("%s requires %s and %s allows switching", fileLine(f.Requirement.Path, f.Line()), v.Version.GoName(), setting)
		}
		if v.PathOnly {
			return []string{fmt.Sprintf("the selected %s (set by %s) will look for %s on PATH: %s; gvx has no %s, so go commands here fail; run 'gvx install %s'",
				f.From.GoName(), s.Origin, v.Run, why, v.Run, v.Version)}
		}
		return []string{fmt.Sprintf("the selected %s (set by %s) will switch to %s: %s; gvx has no %s, so the go command downloads it into the module cache; run 'gvx install %s' and gvx runs it directly",
			f.From.GoName(), s.Origin, v.Run, why, v.Run, v.Version)}
	case v.Refuses && f.Requirement != nil:
		r := f.Requirement
		need := goenv.FirstRelease(r.Go)
		why := setting + " does not let it switch"
		if r.ToolchainDefault {
			why = fmt.Sprintf("%s:%d sets toolchain default, so it never switches", r.Path, r.ToolchainLine)
		}
		return []string{
			fmt.Sprintf("%s requires %s or newer, but %s selects %s", fileLine(r.Path, r.GoLine), need.GoName(), s.Origin, f.From.GoName()),
			fmt.Sprintf("%s: the go command will refuse to work here; pin a newer version with 'gvx use %s', or allow switching with GOTOOLCHAIN=auto", why, need),
		}
	}
	return nil
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
		if err != nil {
			return sel, dirs, err
		}
		if dir == "" {
			if dir, err = os.Getwd(); err != nil {
				return sel, dirs, nil
			}
		}
		return shim.ApplyFloor(dirs, dir, e.getenv, sel), dirs, nil
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

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
	"github.com/gvx-dev/gvx/pkg/tools"
)

func toolsCommand(e *env) *ucli.Command {
	with := &ucli.StringFlag{Name: "with", Usage: "compare with (list) or build with (upgrade) this installed Go; default: the newest installed stable"}
	return &ucli.Command{
		Name:  "tools",
		Usage: "find the Go tools in GOBIN that outgrew their Go, and rebuild them",
		Description: `Reads the build info of every executable in GOBIN, else $(go env GOPATH)/bin:
its module, version and the Go it was built with. A tool built with an older
Go than the one selected here, or than the newest installed, may refuse
newer code (linters, debuggers, gopls); 'gvx tools upgrade' rebuilds those
with 'go install PKG@VERSION', keeping each tool's own version (NAME@latest
asks for its newest), using the newest installed stable Go or --with.
GOBIN stays shared by every Go version, so no tool vanishes on a switch.`,
		Action: func(c *ucli.Context) error {
			return runToolsList(c.Context, e, c.String("with"), c.Bool("json"), c.Args().Slice())
		},
		Flags: []ucli.Flag{with, &ucli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Subcommands: []*ucli.Command{
			{
				Name:      "list",
				Usage:     "list the tools, flagging those built with an older Go",
				ArgsUsage: "[NAME...]",
				Flags:     []ucli.Flag{with, &ucli.BoolFlag{Name: "json", Usage: "print JSON"}},
				Action: func(c *ucli.Context) error {
					return runToolsList(c.Context, e, c.String("with"), c.Bool("json"), c.Args().Slice())
				},
			},
			{
				Name:      "upgrade",
				Usage:     "rebuild the flagged tools, or the named ones, with a newer Go",
				ArgsUsage: "[NAME[@latest]...]",
				Flags:     []ucli.Flag{with},
				Action: func(c *ucli.Context) error {
					return runToolsUpgrade(c.Context, e, c.String("with"), c.Args().Slice())
				},
			},
		},
	}
}

// toolsSetup is what both subcommands work out first.
type toolsSetup struct {
	dirs   layout.Dirs
	dir    string         // GOBIN, else GOPATH/bin
	target shim.Selection // the Go to compare with and build with
	here   shim.Selection // what runs in the working directory, if installed
}

func (e *env) toolsSetup(with string) (toolsSetup, error) {
	var ts toolsSetup
	dirs, err := e.dirs()
	if err != nil {
		return ts, err
	}
	ts.dirs = dirs
	if with != "" {
		sp, err := goversion.ParseSpec(with)
		if err != nil {
			return ts, err
		}
		ts.target, err = shim.Resolve(dirs, e.getenv, shim.Origin{Kind: shim.OriginArgument, Spec: sp.String()}, sp)
		var nie *shim.NotInstalledError
		if errors.As(err, &nie) {
			return ts, fmt.Errorf("--with %s: no installed Go matches it; run 'gvx install %s'", sp, nie.InstallArg())
		}
		if err != nil {
			return ts, err
		}
	} else if latest, err := shim.Resolve(dirs, e.getenv, shim.Origin{Kind: shim.OriginArgument, Spec: "latest"}, goversion.MustParseSpec("latest")); err == nil {
		ts.target = latest
	}
	if sel, _, err := e.selectionIn("", ""); err == nil && sel.Installed && !sel.Version.IsZero() {
		ts.here = sel
	}
	ts.dir, err = e.toolsDir(dirs, ts.target)
	return ts, err
}

// toolsDir is GOBIN, else the first GOPATH entry's bin, as 'go env' of the
// target Go reports them (its env file and go.env count); without an
// installed Go, the environment's GOBIN or GOPATH, else ~/go/bin.
func (e *env) toolsDir(dirs layout.Dirs, target shim.Selection) (string, error) {
	if gobin := e.getenv("GOBIN"); gobin != "" {
		return gobin, nil
	}
	if target.Installed && target.GOROOT != "" {
		gobin := filepath.Join(target.GOROOT, "bin", "go"+layout.ExeSuffix)
		env := shim.SetEnv(shim.Environ(target, os.Environ(), dirs), "GOTOOLCHAIN", "local")
		if vals, err := goenv.Query(context.Background(), goenv.QueryTimeout, gobin, env, "GOBIN", "GOPATH"); err == nil {
			if vals[0] != "" {
				return vals[0], nil
			}
			if gp := filepath.SplitList(vals[1]); len(gp) > 0 && gp[0] != "" {
				return filepath.Join(gp[0], "bin"), nil
			}
		}
	}
	if gp := filepath.SplitList(e.getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
		return filepath.Join(gp[0], "bin"), nil
	}
	home, err := e.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "go", "bin"), nil
}

// outgrown says why t needs a rebuild, "" when it does not.
func (ts toolsSetup) outgrown(t tools.Tool) string {
	switch {
	case ts.here.Installed && t.Older(ts.here.Version) && (ts.target.Version.IsZero() || goversion.Compare(ts.here.Version, ts.target.Version) >= 0):
		return fmt.Sprintf("older than %s, selected here by %s", ts.here.Version.GoName(), ts.here.Origin)
	case t.Older(ts.target.Version):
		return fmt.Sprintf("older than %s, the newest installed", ts.target.Version.GoName())
	case ts.here.Installed && t.Older(ts.here.Version):
		return fmt.Sprintf("older than %s, selected here by %s", ts.here.Version.GoName(), ts.here.Origin)
	}
	return ""
}

func selectTools(all []tools.Tool, names []string) ([]tools.Tool, error) {
	if len(names) == 0 {
		return all, nil
	}
	var out []tools.Tool
	for _, n := range names {
		i := slices.IndexFunc(all, func(t tools.Tool) bool { return t.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("no Go tool named %q in GOBIN; see 'gvx tools list'", n)
		}
		out = append(out, all[i])
	}
	return out, nil
}

func runToolsList(ctx context.Context, e *env, with string, asJSON bool, names []string) error {
	ts, err := e.toolsSetup(with)
	if err != nil {
		return err
	}
	all, err := tools.List(ts.dir)
	if errors.Is(err, os.ErrNotExist) {
		all, err = nil, nil
	}
	if err != nil {
		return fmt.Errorf("read the tools in %s: %w", ts.dir, err)
	}
	list, err := selectTools(all, names)
	if err != nil {
		return err
	}
	if asJSON {
		type item struct {
			Name     string `json:"name"`
			Path     string `json:"path"`
			Package  string `json:"package"`
			Module   string `json:"module"`
			Version  string `json:"version"`
			Go       string `json:"go"`
			Outgrown string `json:"outgrown,omitempty"`
		}
		out := []item{}
		for _, t := range list {
			out = append(out, item{t.Name, t.Path, t.Package, t.Module, t.Version, t.GoRaw, ts.outgrown(t)})
		}
		return printJSON(e, out)
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stderr, "no Go tools in %s\n", ts.dir)
		return nil
	}
	flagged := 0
	for _, t := range list {
		line := fmt.Sprintf("%s %s@%s %s", t.Name, t.Package, t.Version, t.GoRaw)
		if why := ts.outgrown(t); why != "" {
			line += " (outgrown: " + why + ")"
			flagged++
		}
		fmt.Fprintln(e.stdout, line)
	}
	if flagged > 0 {
		fmt.Fprintf(e.stderr, "run 'gvx tools upgrade' to rebuild %s with %s\n", plural(flagged, "outgrown tool"), ts.target.Version.GoName())
	}
	return nil
}

func runToolsUpgrade(ctx context.Context, e *env, with string, args []string) error {
	ts, err := e.toolsSetup(with)
	if err != nil {
		return err
	}
	if !ts.target.Installed {
		return errors.New("no installed Go to build tools with; run 'gvx install latest'")
	}
	all, err := tools.List(ts.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read the tools in %s: %w", ts.dir, err)
	}
	latest := map[string]bool{}
	var names []string
	for _, a := range args {
		n, v, _ := strings.Cut(a, "@")
		if v != "" && v != "latest" {
			return usagef("%s: only NAME@latest is taken; a tool is otherwise rebuilt at its own version", a)
		}
		latest[n] = v == "latest"
		names = append(names, n)
	}
	list, err := selectTools(all, names)
	if err != nil {
		return err
	}
	var failed []string
	done := 0
	for _, t := range list {
		if len(names) == 0 && ts.outgrown(t) == "" {
			continue
		}
		if !t.Installable() {
			why := "it was not built from a module at a version"
			if t.Version == "(devel)" {
				why = "it is a (devel) build"
			}
			e.notef("skipped %s: %s, so 'go install' cannot rebuild it", t.Name, why)
			continue
		}
		version := t.Version
		if latest[t.Name] {
			version = "latest"
		}
		if err := e.goInstall(ctx, ts, t.Package+"@"+version); err != nil {
			e.notef("rebuild %s: %v; %s is left as it was", t.Name, err, t.Path)
			failed = append(failed, t.Name)
			continue
		}
		now, _ := tools.Read(t.Path)
		fmt.Fprintf(e.stderr, "rebuilt %s %s@%s with %s (was %s)\n", t.Name, t.Package, now.Version, now.GoRaw, t.GoRaw)
		done++
	}
	if len(failed) > 0 {
		return fmt.Errorf("could not rebuild %s", strings.Join(failed, ", "))
	}
	if done == 0 {
		fmt.Fprintf(e.stderr, "no tool in %s needs a rebuild for %s\n", ts.dir, ts.target.Version.GoName())
	}
	return nil
}

// goInstall runs 'go install pkgAtVersion' with the target Go into the
// tools directory, as that Go exactly (GOTOOLCHAIN=local: no switch).
func (e *env) goInstall(ctx context.Context, ts toolsSetup, pkgAtVersion string) error {
	goBin := filepath.Join(ts.target.GOROOT, "bin", "go"+layout.ExeSuffix)
	cmd := exec.CommandContext(ctx, goBin, "install", pkgAtVersion)
	env := shim.Environ(ts.target, os.Environ(), ts.dirs)
	env = shim.SetEnv(env, "GOTOOLCHAIN", "local")
	cmd.Env = shim.SetEnv(env, "GOBIN", ts.dir)
	cmd.Stdout, cmd.Stderr = e.stderr, e.stderr
	fmt.Fprintf(e.stderr, "%s install %s\n", ts.target.Version.GoName(), pkgAtVersion)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go install %s: %w", pkgAtVersion, err)
	}
	return nil
}

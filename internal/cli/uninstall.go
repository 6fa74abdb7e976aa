package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func uninstallCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "uninstall",
		Usage:     "remove installed Go versions",
		ArgsUsage: "SPEC...",
		Description: `SPEC is an installed version (1.22.6) or a line (1.22) that exactly one
installed version matches; --all removes every version a spec matches.
Removing the version that runs in the working directory, or that the global
default selects, needs --force, and gvx says what will run instead.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "all", Usage: "remove every installed version a spec matches"},
			&ucli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "also remove the version that runs here or that the global default selects"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() == 0 {
				return usagef("uninstall: name the versions to remove, e.g. 'gvx uninstall 1.22.6' (see 'gvx list')")
			}
			return runUninstall(c.Context, e, c.Args().Slice(), c.Bool("all"), c.Bool("force"))
		},
	}
}

func runUninstall(ctx context.Context, e *env, args []string, all, force bool) error {
	w, in, installed, err := e.storeList()
	if err != nil {
		return err
	}
	var targets []goversion.Version
	for _, a := range args {
		vs, err := uninstallTargets(a, installed, all)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if !containsVersion(targets, v) {
				targets = append(targets, v)
			}
		}
	}
	// Refuse before removing anything: half a command is worse than none.
	sels := e.selected(w.dirs)
	remaining := remainingVersions(installed, targets)
	var after []string
	type guard struct {
		sel    shim.Selection
		format string
	}
	guards := []guard{{sels.global, "%s is the global default (%s); %s"}}
	if sels.here.Origin.Kind != shim.OriginGlobal { // else said once, as the global default
		guards = append(guards, guard{sels.here, "%s runs here (selected by %s); %s"})
	}
	for _, v := range targets {
		for _, g := range guards {
			if !runs(g.sel, v) {
				continue
			}
			msg := fmt.Sprintf(g.format, v.GoName(), g.sel.Origin, thenRuns(g.sel, remaining))
			if !force {
				return fmt.Errorf("%s; to remove it anyway: gvx uninstall --force %s", msg, v)
			}
			after = append(after, msg)
		}
	}
	var failed []error
	for _, v := range targets {
		if err := in.Uninstall(ctx, v.String()); err != nil {
			failed = append(failed, err)
			break
		}
		fmt.Fprintf(e.stderr, "uninstalled %s\n", v.GoName())
	}
	for _, m := range after {
		e.notef("%s", m)
	}
	// The shims follow what was removed, also when a removal failed.
	if err := w.refreshShims(in); err != nil {
		failed = append(failed, err)
	}
	return errors.Join(failed...)
}

// uninstallTargets returns the installed versions arg names: an exact
// version (installed or not: Uninstall then says so), or the one installed
// version a line or other spec matches; all takes every match.
func uninstallTargets(arg string, installed []install.Installed, all bool) ([]goversion.Version, error) {
	sp, err := goversion.ParseSpec(arg)
	if err != nil {
		return nil, err
	}
	switch sp.Kind() {
	case goversion.Exact:
		return []goversion.Version{sp.Version()}, nil
	case goversion.System:
		return nil, usagef("uninstall: \"system\" is the go outside gvx; gvx does not remove it")
	}
	var matches []goversion.Version
	for _, i := range installed {
		if sp.Matches(i.Version) {
			matches = append(matches, i.Version)
		}
	}
	switch {
	case len(matches) == 0:
		return nil, fmt.Errorf("no installed Go matches %s; see 'gvx list'", sp)
	case len(matches) > 1 && !all:
		names := make([]string, len(matches))
		for i, v := range matches {
			names[i] = v.String()
		}
		return nil, usagef("%s matches %d installed versions: %s; name one, or add --all to remove them all", sp, len(matches), strings.Join(names, ", "))
	}
	return matches, nil
}

// thenRuns says what a selection picks once only remaining is installed.
func thenRuns(sel shim.Selection, remaining []goversion.Version) string {
	if v, ok := sel.Spec.Best(remaining); ok {
		return "then " + v.GoName() + " runs instead"
	}
	return fmt.Sprintf("then go fails: no installed Go matches %s", sel.Spec)
}

func remainingVersions(installed []install.Installed, removed []goversion.Version) []goversion.Version {
	var out []goversion.Version
	for _, i := range installed {
		if !containsVersion(removed, i.Version) {
			out = append(out, i.Version)
		}
	}
	return out
}

func containsVersion(vs []goversion.Version, v goversion.Version) bool {
	for _, w := range vs {
		if goversion.Equal(w, v) {
			return true
		}
	}
	return false
}

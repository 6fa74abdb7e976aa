package cli

import (
	"context"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
)

func pruneCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "prune",
		Usage: "remove installed Go versions that nothing selects",
		Description: `Removes every installed version that is not the global default, not
selected by the working directory or by a known project (a directory where
'gvx use' wrote a pin), and not the newest installed patch of its line. It
lists each version it keeps and why, and each it removes; then asks on a
terminal, or needs --yes without one. --dry-run only lists.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "list what would be kept and removed; remove nothing"},
			&ucli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "do not ask"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("prune takes no arguments, got %q; to remove one version run 'gvx uninstall %s'", c.Args().First(), c.Args().First())
			}
			return runPrune(c.Context, e, c.Bool("dry-run"), c.Bool("yes"))
		},
	}
}

// keepReasons says why each installed version stays, by version string;
// versions without a reason go.
func (e *env) keepReasons(installed []install.Installed) (map[string]string, error) {
	dirs, err := e.dirs()
	if err != nil {
		return nil, err
	}
	why := map[string]string{}
	keep := func(v goversion.Version, reason string) {
		if _, ok := why[v.String()]; !ok && !v.IsZero() {
			why[v.String()] = reason
		}
	}
	sels := e.selected(dirs)
	if sels.global.Installed {
		keep(sels.global.Version, "the global default ("+sels.global.Origin.String()+")")
	}
	if sels.here.Installed {
		keep(sels.here.Version, "selected here by "+sels.here.Origin.String())
	}
	ps, err := e.knownProjects(dirs)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Sel.Installed {
			keep(p.Sel.Version, "pinned by "+p.Sel.Origin.Path)
		}
	}
	newest := map[string]goversion.Version{}
	for _, i := range installed {
		if l := i.Version.Lang(); goversion.Compare(i.Version, newest[l]) > 0 || newest[l].IsZero() {
			newest[l] = i.Version
		}
	}
	for l, v := range newest {
		keep(v, "the newest "+l+" installed")
	}
	return why, nil
}

func runPrune(ctx context.Context, e *env, dryRun, yes bool) error {
	w, in, installed, err := e.storeList()
	if err != nil {
		return err
	}
	why, err := e.keepReasons(installed)
	if err != nil {
		return err
	}
	var remove []goversion.Version
	for _, i := range installed {
		if reason, ok := why[i.Version.String()]; ok {
			fmt.Fprintf(e.stdout, "keep %s: %s\n", i.Version, reason)
			continue
		}
		fmt.Fprintf(e.stdout, "remove %s\n", i.Version)
		remove = append(remove, i.Version)
	}
	if len(remove) == 0 {
		fmt.Fprintln(e.stderr, "nothing to prune")
		return nil
	}
	if dryRun {
		fmt.Fprintf(e.stderr, "dry run: %s would be removed\n", plural(len(remove), "version"))
		return nil
	}
	ok, err := e.confirm(fmt.Sprintf("remove %s?", plural(len(remove), "version")), "--yes", yes)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(e.stderr, "nothing removed")
		return nil
	}
	for _, v := range remove {
		if err := in.Uninstall(ctx, v.String()); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "uninstalled %s\n", v.GoName())
	}
	return w.refreshShims(in)
}

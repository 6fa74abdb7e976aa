package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

func upgradeCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "upgrade",
		Usage:     "install the newest patch of each installed Go line",
		ArgsUsage: "[LINE...]",
		Description: `Installs the newest patch of each installed Go line, or of the named lines
(1.22), verified as every install is. It never installs a line nobody asked
for, and removes nothing ('gvx prune' does).

--pins also rewrites exact pins of the upgraded lines to the new patch: the
global default, and the .go-version or .tool-versions in the working
directory. Only the version on the pin's line changes; comments, the file's
own spelling (go1.22.6, golang 1.22.6), line endings, permissions and a
symbolic link to the file stay as they were.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "pins", Usage: "also rewrite exact pins here and the global default to the new patch"},
			&ucli.BoolFlag{Name: "refresh", Usage: "fetch the release listing even if the cached one is fresh"},
		},
		BashComplete: completeVersions(e),
		Action: func(c *ucli.Context) error {
			return runUpgrade(c.Context, e, c.Args().Slice(), c.Bool("pins"), c.Bool("refresh"))
		},
	}
}

func runUpgrade(ctx context.Context, e *env, args []string, pins, refresh bool) error {
	var named []string
	for _, a := range args {
		sp, err := goversion.ParseSpec(a)
		if err != nil {
			return err
		}
		if sp.Kind() != goversion.Line {
			return usagef("upgrade takes Go lines such as 1.22, got %q; to install one version run 'gvx install %s'", a, a)
		}
		named = append(named, sp.Version().Lang())
	}
	w, in, r, err := e.outdated(ctx, refresh)
	if err != nil {
		return err
	}
	lines := named
	if len(lines) == 0 {
		installed, err := in.List()
		if err != nil {
			return err
		}
		for _, i := range installed {
			if l := i.Version.Lang(); i.Version.Stable() && !slices.Contains(lines, l) {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			fmt.Fprintln(e.stderr, "no Go installed to upgrade; run 'gvx install latest'")
			return nil
		}
	}
	upgraded := map[string]goversion.Version{}
	for _, l := range lines {
		n, ok := r.newest[l]
		if !ok {
			if slices.Contains(named, l) {
				return noRelease(goversion.MustParseSpec(l), nil)
			}
			continue // an installed line the listing no longer offers for this machine
		}
		if _, ok := installedVersion(in, n); ok {
			fmt.Fprintf(e.stderr, "%s is the newest %s, and installed\n", n.GoName(), l)
		} else if err := runInstall(ctx, e, []string{n.String()}, false, ""); err != nil {
			return err
		}
		upgraded[l] = n
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	for _, p := range r.pinsOf {
		old := p.Spec.Version()
		n, ok := upgraded[old.Lang()]
		if !ok {
			continue
		}
		mine := p.Origin.Path == w.dirs.Global() || filepath.Dir(p.Origin.Path) == cwd
		switch {
		case !pins:
			e.notef("%s still pins %s; 'gvx upgrade --pins' there rewrites it to %s", p.Origin, old, n)
		case !mine:
			e.notef("%s still pins %s (a known project elsewhere); run 'gvx upgrade --pins' in %s to rewrite it", p.Origin, old, filepath.Dir(p.Origin.Path))
		default:
			if err := rewritePin(p, old, n); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "rewrote %s: %s -> %s\n", p.Origin, old, n)
		}
	}
	return nil
}

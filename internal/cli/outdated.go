package cli

import (
	"context"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
)

func outdatedCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "outdated",
		Usage: "show installed Go lines and pins that have a newer patch",
		Description: `Lists each installed Go line (1.N) whose newest patch is not installed, and
each exact pin in effect (here, in a known project, the global default) that
names an older patch than its line's newest. Reads the cached release
listing, refreshing it when it is more than an hour old. The listing does not
say which releases are security fixes, so neither does gvx.
'gvx upgrade' installs the new patches; 'gvx upgrade --pins' also rewrites
the pins here and the global default.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print {lines: [...], pins: [...]} as JSON"},
			&ucli.BoolFlag{Name: "refresh", Usage: "fetch the release listing even if the cached one is fresh"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("outdated takes no arguments, got %q", c.Args().First())
			}
			return runOutdated(c.Context, e, c.Bool("json"), c.Bool("refresh"))
		},
	}
}

// outdatedLine is an installed Go line with a newer patch.
type outdatedLine struct {
	Line      string `json:"line"`      // "1.22"
	Installed string `json:"installed"` // its newest installed patch
	Latest    string `json:"latest"`    // the line's newest release
}

// outdatedPin is an exact pin older than its line's newest patch.
type outdatedPin struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Pinned string `json:"pinned"`
	Latest string `json:"latest"`
}

// staleness is what outdated found: the listing and what is behind it.
type staleness struct {
	lines  []outdatedLine
	pins   []outdatedPin
	newest map[string]goversion.Version
	pinsOf []pin // the outdated pins, for upgrade --pins
}

// outdated compares the installed versions and the pins in effect with the
// newest patch of each line in the listing.
func (e *env) outdated(ctx context.Context, refresh bool) (*world, *install.Installer, staleness, error) {
	w, err := e.world(refresh)
	if err != nil {
		return nil, nil, staleness{}, err
	}
	in, err := w.installer()
	if err != nil {
		return nil, nil, staleness{}, err
	}
	plat, err := e.platform("")
	if err != nil {
		return nil, nil, staleness{}, err
	}
	src, err := w.source()
	if err != nil {
		return nil, nil, staleness{}, err
	}
	rels, err := src.List(ctx)
	if err != nil {
		return nil, nil, staleness{}, fmt.Errorf("list Go releases: %w", err)
	}
	installed, err := in.List()
	if err != nil {
		return nil, nil, staleness{}, err
	}
	r := staleness{newest: newestPatches(rels, plat)}
	have := map[string]goversion.Version{} // line → newest installed stable patch
	var order []string
	for _, i := range installed {
		if !i.Version.Stable() {
			continue
		}
		l := i.Version.Lang()
		if cur, ok := have[l]; !ok || goversion.Compare(i.Version, cur) > 0 {
			if !ok {
				order = append(order, l)
			}
			have[l] = i.Version
		}
	}
	for _, l := range order {
		if n, ok := r.newest[l]; ok && goversion.Compare(n, have[l]) > 0 {
			r.lines = append(r.lines, outdatedLine{Line: l, Installed: have[l].String(), Latest: n.String()})
		}
	}
	for _, p := range e.pinsInEffect(w.dirs) {
		if p.Spec.Kind() != goversion.Exact {
			continue // a line spec follows the newest installed patch by itself
		}
		v := p.Spec.Version()
		if n, ok := r.newest[v.Lang()]; ok && goversion.Compare(n, v) > 0 {
			r.pins = append(r.pins, outdatedPin{File: p.Origin.Path, Line: p.Origin.Line, Pinned: v.String(), Latest: n.String()})
			r.pinsOf = append(r.pinsOf, p)
		}
	}
	return w, in, r, nil
}

func runOutdated(ctx context.Context, e *env, asJSON, refresh bool) error {
	_, _, r, err := e.outdated(ctx, refresh)
	if err != nil {
		return err
	}
	if asJSON {
		out := struct {
			Lines []outdatedLine `json:"lines"`
			Pins  []outdatedPin  `json:"pins"`
		}{append([]outdatedLine{}, r.lines...), append([]outdatedPin{}, r.pins...)}
		return printJSON(e, out)
	}
	if len(r.lines) == 0 && len(r.pins) == 0 {
		fmt.Fprintln(e.stderr, "every installed Go line and pin is at its newest patch")
		return nil
	}
	for _, l := range r.lines {
		fmt.Fprintf(e.stdout, "%s: %s installed, %s available\n", l.Line, l.Installed, l.Latest)
	}
	for _, p := range r.pins {
		fmt.Fprintf(e.stdout, "%s:%d pins %s, %s available\n", p.File, p.Line, p.Pinned, p.Latest)
	}
	fmt.Fprintln(e.stderr, "run 'gvx upgrade' to install the new patches ('gvx upgrade --pins' also rewrites the pins here and the global default)")
	return nil
}

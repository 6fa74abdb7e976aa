package cli

import (
	"fmt"
	"slices"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

func listRemoteCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "list-remote",
		Aliases:   []string{"ls-remote"},
		Usage:     "list Go versions available for this machine, oldest first",
		ArgsUsage: "[PREFIX]",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "all", Usage: "include betas and release candidates"},
			&ucli.BoolFlag{Name: "json", Usage: "print JSON"},
			&ucli.BoolFlag{Name: "refresh", Usage: "fetch the release listing even if the cached one is fresh"},
			&ucli.StringFlag{Name: "arch", Usage: "list builds for this GOARCH instead of the host's"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return usagef("list-remote takes at most one PREFIX, e.g. 'gvx list-remote 1.22'")
			}
			prefix := c.Args().First()
			w, err := e.world(c.Bool("refresh"))
			if err != nil {
				return err
			}
			plat, err := e.platform(c.String("arch"))
			if err != nil {
				return err
			}
			src, err := w.source()
			if err != nil {
				return err
			}
			rels, err := src.List(c.Context)
			if err != nil {
				return fmt.Errorf("list Go releases: %w", err)
			}
			type item struct {
				Version  string `json:"version"`
				Stable   bool   `json:"stable"`
				Filename string `json:"filename"`
				URL      string `json:"url"`
				SHA256   string `json:"sha256,omitempty"`
				Size     int64  `json:"size,omitempty"`
				Source   string `json:"source"`
			}
			var out []item
			for _, r := range rels {
				if !c.Bool("all") && !r.Version.Stable() {
					continue
				}
				if !goversion.HasPrefix(r.Version, prefix) {
					continue
				}
				for _, a := range r.Artifacts {
					if a.Platform == plat {
						out = append(out, item{a.Version.String(), r.Version.Stable(), a.Filename, a.URL, a.SHA256, a.Size, a.Source})
						break
					}
				}
			}
			// Oldest first: the newest, most wanted line ends next to the prompt.
			slices.SortStableFunc(out, func(a, b item) int {
				return goversion.Compare(goversion.MustParse(a.Version), goversion.MustParse(b.Version))
			})
			if c.Bool("json") {
				if out == nil {
					out = []item{}
				}
				return printJSON(e, out)
			}
			if len(out) == 0 {
				return fmt.Errorf("no Go release for %s matches %q", plat, c.Args().First())
			}
			for _, it := range out {
				fmt.Fprintln(e.stdout, it.Version)
			}
			return nil
		},
	}
}

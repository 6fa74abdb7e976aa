package cli

import (
	"encoding/json"
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/registry"
)

func listCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:    "list",
		Aliases: []string{"ls"},
		Usage:   "list installed Go versions, oldest first",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print JSON"},
		},
		Action: func(c *ucli.Context) error {
			_, in, err := e.store()
			if err != nil {
				return err
			}
			list, err := in.List()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				type item struct {
					Version     string    `json:"version"`
					GOROOT      string    `json:"goroot"`
					OS          string    `json:"os"`
					Arch        string    `json:"arch"`
					Source      string    `json:"source"`
					InstalledAt time.Time `json:"installed_at"`
				}
				out := []item{}
				for _, i := range list {
					out = append(out, item{i.Version.String(), i.Root, i.Receipt.OS, i.Receipt.Arch, i.Receipt.Source, i.Receipt.InstalledAt})
				}
				return printJSON(e, out)
			}
			// A version built for another platform than this machine's
			// (an amd64 Go on Apple Silicon runs under Rosetta) says so.
			host, _, hostErr := registry.Host(registry.NativeProbe())
			for _, i := range list {
				plat := registry.Platform{OS: i.Receipt.OS, Arch: i.Receipt.Arch}
				if hostErr == nil && plat.OS != "" && plat != host {
					fmt.Fprintf(e.stdout, "%s (%s, not native)\n", i.Version, plat)
					continue
				}
				fmt.Fprintln(e.stdout, i.Version)
			}
			return nil
		},
	}
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

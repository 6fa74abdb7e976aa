package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

func uninstallCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "uninstall",
		Usage:     "remove installed Go versions",
		ArgsUsage: "VERSION...",
		Action: func(c *ucli.Context) error {
			if c.NArg() == 0 {
				return usagef("uninstall: name the versions to remove, e.g. 'gvx uninstall 1.22.6' (see 'gvx list')")
			}
			w, in, err := e.store()
			if err != nil {
				return err
			}
			for _, v := range c.Args().Slice() {
				if err := in.Uninstall(v); err != nil {
					return err
				}
				name := v
				if pv, err := goversion.Parse(v); err == nil {
					name = pv.GoName()
				}
				fmt.Fprintf(e.stderr, "uninstalled %s\n", name)
			}
			return w.refreshShims(in)
		},
	}
}

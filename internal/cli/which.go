package cli

import (
	"fmt"
	"os"

	ucli "github.com/urfave/cli/v2"
)

func whichCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "which",
		Usage:     "print the path of the real go (or gofmt) that would run here",
		ArgsUsage: "[go|gofmt]",
		BashComplete: func(c *ucli.Context) {
			if c.NArg() == 0 {
				fmt.Fprintln(c.App.Writer, "go")
				fmt.Fprintln(c.App.Writer, "gofmt")
			}
		},
		Action: func(c *ucli.Context) error {
			tool := "go"
			switch c.NArg() {
			case 0:
			case 1:
				tool = c.Args().First()
			default:
				return usagef("which takes one tool name, go or gofmt")
			}
			if tool != "go" && tool != "gofmt" {
				return usagef("which %q: gvx selects go and gofmt; for other tools run 'gvx exec %s'", tool, tool)
			}
			sel, _, err := e.selectionIn("", "")
			if err != nil {
				return err
			}
			path := sel.Tool(tool)
			if _, err := os.Stat(path); err != nil {
				what := sel.Version.GoName()
				if sel.System != "" {
					what = "the system go " + sel.System
				}
				return fmt.Errorf("%s (selected by %s) has no %s beside it: %w", what, sel.Origin, tool, err)
			}
			fmt.Fprintln(e.stdout, path)
			return nil
		},
	}
}

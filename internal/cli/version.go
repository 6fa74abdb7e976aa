package cli

import (
	ucli "github.com/urfave/cli/v2"
)

// versionCommand is 'gvx version', the same as 'gvx --version'.
func versionCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "version",
		Usage: "print gvx's version (the same as --version)",
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("version takes no arguments; for a Go version's details run 'gvx list' or 'go version'")
			}
			ucli.ShowVersion(c)
			return nil
		},
	}
}

package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// flagsFirst makes cmd and its subcommands refuse a flag typed after an
// argument, with one message for all. urfave/cli stops reading flags at the
// first argument, so 'gvx use 1.22 --global' would otherwise take --global
// for a second version. noun names the arguments: "versions".
func flagsFirst(cmd *ucli.Command, noun string) {
	for _, sub := range cmd.Subcommands {
		flagsFirst(sub, noun)
	}
	action := cmd.Action
	if action == nil {
		return
	}
	cmd.Action = func(c *ucli.Context) error {
		args := c.Args().Slice()
		for i, a := range args {
			if len(a) > 1 && strings.HasPrefix(a, "-") {
				rest := append(append([]string{}, args[i:]...), args[:i]...)
				return usagef("flags go before the %s: gvx %s %s", noun, c.Command.FullName(), strings.Join(rest, " "))
			}
		}
		return action(c)
	}
}

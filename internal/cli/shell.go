package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/internal/shellquote"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// envShell is set by the gvx shell function from 'gvx init' when it runs
// 'gvx shell', to the shell's name: its value says which syntax to print,
// and its presence that the output will be evaluated.
const envShell = "GVX_SHELL"

func shellCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "shell",
		Usage:     "choose a Go version for this shell only (sets GVX_GO_VERSION)",
		ArgsUsage: "SPEC | --unset",
		Description: `Needs the gvx shell function that 'gvx init' defines (see 'gvx setup'): it
evaluates what this command prints. Without it, gvx prints the export line
for you to evaluate, and a hint on stderr.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "unset", Usage: "drop this shell's choice"},
		},
		BashComplete: completeVersions(e, "latest", "system"),
		Action: func(c *ucli.Context) error {
			unset := c.Bool("unset")
			switch {
			case unset && c.NArg() > 0:
				return usagef("shell: give a version or --unset, not both")
			case !unset && c.NArg() != 1:
				return usagef("shell: name one version, e.g. 'gvx shell 1.22.6', or --unset")
			}
			return runShell(c.Context, e, c.Args().First(), unset)
		},
	}
}

func runShell(ctx context.Context, e *env, raw string, unset bool) error {
	fnShell := e.getenv(envShell)
	syntax := fnShell
	if syntax == "" {
		syntax = "bash"
	} else if !knownShell(syntax) {
		return usagef("%s=%q: want one of %s; regenerate the shell function with 'gvx init'", envShell, syntax, strings.Join(shells, ", "))
	}
	var code string
	if unset {
		code = unsetCode(syntax, shim.EnvGoVersion)
	} else {
		sp, err := goversion.ParseSpec(raw)
		if err != nil {
			return err
		}
		code = exportCode(syntax, shim.EnvGoVersion, sp.String())
		if err := warnNotInstalled(ctx, e, sp); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, code)
	if fnShell == "" {
		e.notef("the gvx shell function is not loaded, so this shell is unchanged; run: eval \"$(gvx shell %s)\"", shellArgs(raw, unset))
		e.notef("to make 'gvx shell' work by itself, run 'gvx setup' (or add 'eval \"$(gvx init)\"' to your shell's rc file) and open a new shell")
	}
	return nil
}

func shellArgs(raw string, unset bool) string {
	if unset {
		return "--unset"
	}
	return quotePOSIX(raw)
}

// warnNotInstalled notes on stderr when nothing installed matches sp; the
// choice is still made, and the shim will say the same on each go call. A
// version that the release listing shows does not exist is refused.
func warnNotInstalled(ctx context.Context, e *env, sp goversion.Spec) error {
	dirs, err := e.dirs()
	if err != nil {
		return err
	}
	_, err = shim.Resolve(dirs, e.getenv, shim.Origin{Kind: shim.OriginEnv}, sp)
	var nie *shim.NotInstalledError
	if errors.As(err, &nie) {
		if err := e.checkExists(ctx, sp); err != nil {
			return err
		}
		e.notef("%v", nie)
	}
	return nil
}

// exportCode sets and exports a variable in the given shell's syntax.
func exportCode(shell, key, value string) string {
	if shell == "fish" {
		return fmt.Sprintf("set -gx %s %s", key, quoteFish(value))
	}
	return fmt.Sprintf("export %s=%s", key, quotePOSIX(value))
}

func unsetCode(shell, key string) string {
	if shell == "fish" {
		return "set -e " + key
	}
	return "unset " + key
}

// quotePOSIX and quoteFish quote a word for the shell code gvx prints.
var (
	quotePOSIX = shellquote.POSIX
	quoteFish  = shellquote.Fish
)

package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// shells are the shells gvx init and gvx setup support.
var shells = []string{"bash", "zsh", "fish"}

func knownShell(s string) bool { return slices.Contains(shells, s) }

func initCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "init",
		Usage:     "print the shell code that puts gvx's shims on PATH and defines the gvx function",
		ArgsUsage: "[bash|zsh|fish]",
		Description: `Add one line to your shell's rc file, or let 'gvx setup' do it:

  bash (~/.bashrc):              eval "$(gvx init bash)"
  zsh (~/.zshrc, after compinit): eval "$(gvx init zsh)"
  fish (config.fish):            gvx init fish | source

The code puts $GVX_HOME/shims first on PATH (once, however often it is
sourced), defines a gvx function so that 'gvx shell' can change the shell it
runs in, and loads completion. It never sets GOROOT: the shims do, per call.
The shell is taken from $SHELL when not named.`,
		BashComplete: func(c *ucli.Context) {
			for _, s := range shells {
				fmt.Fprintln(c.App.Writer, s)
			}
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return usagef("init takes one shell name: %s", strings.Join(shells, ", "))
			}
			shell, err := e.shellName(c.Args().First())
			if err != nil {
				return err
			}
			dirs, err := e.dirs()
			if err != nil {
				return err
			}
			fmt.Fprint(e.stdout, initScript(shell, dirs.Shims()))
			return nil
		},
	}
}

// shellName returns the shell named, or the one $SHELL names.
func (e *env) shellName(named string) (string, error) {
	if named != "" {
		if !knownShell(named) {
			return "", usagef("unknown shell %q: want one of %s", named, strings.Join(shells, ", "))
		}
		return named, nil
	}
	sh := filepath.Base(e.getenv("SHELL"))
	if knownShell(sh) {
		return sh, nil
	}
	if sh == "." || sh == "" {
		return "", usagef("SHELL is not set: name the shell, e.g. 'gvx init bash' (one of %s)", strings.Join(shells, ", "))
	}
	return "", usagef("SHELL=%q is not a shell gvx supports; name one of %s", e.getenv("SHELL"), strings.Join(shells, ", "))
}

// initScript is what 'gvx init SHELL' prints: PATH, the gvx function and
// completion, for a shims directory that holds no spaces or quotes (layout
// refuses such a GVX_HOME for PATH's sake; it is quoted all the same).
func initScript(shell, shimsDir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# gvx init %s: the shims first on PATH, the gvx function, completion.\n", shell)
	switch shell {
	case "fish":
		d := quoteFish(shimsDir)
		// contains -i finds the entry; drop every copy, then put it first.
		fmt.Fprintf(&b, `while set -l __gvx_i (contains -i -- %[1]s $PATH)
    set -e PATH[$__gvx_i]
end
set -gx PATH %[1]s $PATH
set -e __gvx_i
function gvx --description 'Go version manager'
    if test "$argv[1]" = shell
        set -l __gvx_out (env %[2]s=fish gvx $argv); or return
        string join \n -- $__gvx_out | source
    else
        command gvx $argv
    end
end
`, d, envShell)
	default:
		d := quotePOSIX(shimsDir)
		// Remove the shims directory wherever it is, then put it first, so
		// that sourcing this twice leaves one entry.
		fmt.Fprintf(&b, `__gvx_shims=%[1]s
PATH=":${PATH}:"
while [[ "${PATH}" == *:"${__gvx_shims}":* ]]; do
  PATH="${PATH//:"${__gvx_shims}":/:}"
done
PATH="${PATH#:}"
PATH="${PATH%%:}"
export PATH="${__gvx_shims}${PATH:+:${PATH}}"
unset __gvx_shims
gvx() {
  if [ "$1" = shell ]; then
    local __gvx_out
    __gvx_out="$(%[2]s=%[3]s command gvx "$@")" || return $?
    eval "${__gvx_out}"
  else
    command gvx "$@"
  fi
}
`, d, envShell, shell)
	}
	b.WriteString(completionScript(shell))
	return b.String()
}

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
			gvx, onPath := e.gvxPath()
			if onPath {
				gvx = "gvx"
			}
			fmt.Fprint(e.stdout, initScript(shell, dirs.Shims(), gvx))
			return nil
		},
	}
}

// shellName returns the shell named, or the one $SHELL names (on macOS,
// zsh when SHELL is unset).
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
	if (sh == "." || sh == "") && e.goos == "darwin" {
		// macOS gives GUI-started processes no SHELL; its default login
		// shell, since 10.15, is zsh.
		return "zsh", nil
	}
	if sh == "." || sh == "" {
		return "", usagef("SHELL is not set: name the shell, e.g. 'gvx init bash' (one of %s)", strings.Join(shells, ", "))
	}
	return "", usagef("SHELL=%q is not a shell gvx supports; name one of %s", e.getenv("SHELL"), strings.Join(shells, ", "))
}

// initScript is what 'gvx init SHELL' prints: PATH, the gvx function and
// completion. The shims directory and gvx are quoted for the shell, so
// spaces and quotes in them are safe (layout.CheckPath refuses only a
// GVX_HOME that is relative, needs expansion or holds the PATH separator).
// gvx is how the function and completion reach gvx: "gvx" (or "") for the
// gvx on PATH, else an absolute path.
func initScript(shell, shimsDir, gvx string) string {
	ref := commandRef(shell, gvx)
	var b strings.Builder
	fmt.Fprintf(&b, "# gvx init %s: the shims first on PATH, the gvx function, completion.\n", shell)
	b.WriteString(pathCode(shell, shimsDir))
	switch shell {
	case "fish":
		fmt.Fprintf(&b, `function gvx --description 'Go version manager'
    if test "$argv[1]" = shell
        set -l __gvx_out (env %[1]s=fish %[2]s $argv); or return
        string join \n -- $__gvx_out | source
    else
        %[3]s $argv
    end
end
`, envShell, strings.TrimPrefix(ref, "command "), ref)
	default:
		fmt.Fprintf(&b, `gvx() {
  if [ "$1" = shell ]; then
    local __gvx_out
    __gvx_out="$(%[1]s=%[2]s %[3]s "$@")" || return $?
    eval "${__gvx_out}"
  else
    %[3]s "$@"
  fi
}
`, envShell, shell, ref)
	}
	b.WriteString(withGvxRef(completionScript(shell), ref))
	return b.String()
}

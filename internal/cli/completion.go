package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// completeVersions is a BashComplete function (urfave/cli runs it for
// 'gvx CMD ... --generate-bash-completion', which the completion scripts
// call) that offers the command's flags after a "-", else the installed
// versions, newest first, then extra words such as "latest".
func completeVersions(e *env, extra ...string) ucli.BashCompleteFunc {
	return func(c *ucli.Context) {
		if completingFlag(c) {
			ucli.DefaultCompleteWithFlags(c.Command)(c)
			return
		}
		dirs, err := e.dirs()
		if err != nil {
			return
		}
		vs := shim.InstalledVersions(dirs)
		for i := len(vs) - 1; i >= 0; i-- {
			fmt.Fprintln(c.App.Writer, vs[i])
		}
		for _, w := range extra {
			fmt.Fprintln(c.App.Writer, w)
		}
	}
}

// completingFlag reports whether the word being completed starts with "-":
// the scripts pass it before --generate-bash-completion only then. A word
// that is a whole flag taking a value ("exec --go") is the word before a
// value, not one being completed.
func completingFlag(c *ucli.Context) bool {
	n := len(os.Args)
	if n < 2 || os.Args[n-1] != "--generate-bash-completion" || !strings.HasPrefix(os.Args[n-2], "-") {
		return false
	}
	name := strings.TrimLeft(os.Args[n-2], "-")
	if c.Command != nil {
		for _, f := range c.Command.Flags {
			if _, isBool := f.(*ucli.BoolFlag); !isBool && slices.Contains(f.Names(), name) {
				return false
			}
		}
	}
	return true
}

// withVersionCompletion makes cmd (uninstall) complete installed versions.
func withVersionCompletion(e *env, cmd *ucli.Command, extra ...string) *ucli.Command {
	cmd.BashComplete = completeVersions(e, extra...)
	return cmd
}

// withRemoteCompletion makes cmd (install) complete the stable releases of
// the cached listing for this machine, newest first, then extra words. Tab
// never waits for the network: with no cached listing it offers only extra.
func withRemoteCompletion(e *env, cmd *ucli.Command, extra ...string) *ucli.Command {
	cmd.BashComplete = func(c *ucli.Context) {
		if completingFlag(c) {
			ucli.DefaultCompleteWithFlags(c.Command)(c)
			return
		}
		if rels, err := e.cachedReleases(c.Context); err == nil {
			plat, _, perr := registry.Host(registry.NativeProbe())
			for _, r := range rels { // newest first, as listings are
				if r.Stable && (perr != nil || hasBuild(r, plat)) {
					fmt.Fprintln(c.App.Writer, r.Version)
				}
			}
		}
		for _, w := range extra {
			fmt.Fprintln(c.App.Writer, w)
		}
	}
	return cmd
}

func hasBuild(r registry.Release, plat registry.Platform) bool {
	for _, a := range r.Artifacts {
		if a.Platform == plat {
			return true
		}
	}
	return false
}

// completionScript returns the completion code for shell. Each asks gvx
// itself (urfave/cli's --generate-bash-completion) for the words that fit,
// so new commands and installed versions complete without regenerating it.
func completionScript(shell string) string {
	switch shell {
	case "zsh":
		// compdef exists once compinit has run: load this after compinit.
		return `_gvx() {
  local -a opts
  local cur="${words[CURRENT]}" flag
  local -a prev=("${(@)words[2,CURRENT-1]}")
  if [[ "$cur" == -* ]]; then
    # A bare "--" would end gvx's flags; "-" asks for all of them.
    if [[ "$cur" == -- ]]; then flag=-; else flag="$cur"; fi
    opts=("${(@f)$(command gvx "${prev[@]}" "$flag" --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(command gvx "${prev[@]}" --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${opts[1]}" ]]; then
    _describe 'gvx' opts
  else
    _files
  fi
}
if (( $+functions[compdef] )); then
  compdef _gvx gvx
fi
`
	case "fish":
		return `function __gvx_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cur (commandline -ct)
    if string match -q -- '-*' $cur
        # A bare "--" would end gvx's flags; "-" asks for all of them.
        test "$cur" = "--"; and set cur -
        command gvx $tokens $cur --generate-bash-completion 2>/dev/null
    else
        command gvx $tokens --generate-bash-completion 2>/dev/null
    end
end
complete -c gvx -f -a '(__gvx_complete)'
`
	}
	return `_gvx_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" flag
  local IFS=$'\n'
  local -a prev=("${COMP_WORDS[@]:1:COMP_CWORD-1}")
  local opts
  if [[ "$cur" == -* ]]; then
    # A bare "--" would end gvx's flags; "-" asks for all of them.
    [[ "$cur" == -- ]] && flag=- || flag="$cur"
    opts="$(command gvx "${prev[@]}" "$flag" --generate-bash-completion 2>/dev/null)"
  else
    opts="$(command gvx "${prev[@]}" --generate-bash-completion 2>/dev/null)"
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
}
complete -o bashdefault -o default -F _gvx_complete gvx
`
}

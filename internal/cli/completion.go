package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

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

// withVersionCompletion makes cmd (install, uninstall) complete installed
// versions.
func withVersionCompletion(e *env, cmd *ucli.Command, extra ...string) *ucli.Command {
	cmd.BashComplete = completeVersions(e, extra...)
	return cmd
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
  local cur="${words[CURRENT]}"
  local -a prev=("${(@)words[2,CURRENT-1]}")
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(command gvx "${prev[@]}" "$cur" --generate-bash-completion 2>/dev/null)}")
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
        command gvx $tokens $cur --generate-bash-completion 2>/dev/null
    else
        command gvx $tokens --generate-bash-completion 2>/dev/null
    end
end
complete -c gvx -f -a '(__gvx_complete)'
`
	}
	return `_gvx_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\n'
  local -a prev=("${COMP_WORDS[@]:1:COMP_CWORD-1}")
  local opts
  if [[ "$cur" == -* ]]; then
    opts="$(command gvx "${prev[@]}" "$cur" --generate-bash-completion 2>/dev/null)"
  else
    opts="$(command gvx "${prev[@]}" --generate-bash-completion 2>/dev/null)"
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
}
complete -o bashdefault -o default -F _gvx_complete gvx
`
}

package cli

import (
	"fmt"
	"strings"
)

// posixPathCode puts shims first on PATH, once, however often it runs and
// whatever PATH already holds. It is plain POSIX sh (builtins only, no [[
// or arrays), because gvx setup also writes it into login files such as
// ~/.profile that sh and dash read. Empty entries (the current directory)
// are kept where they are.
func posixPathCode(shims string) string {
	return fmt.Sprintf(`__gvx_shims=%s
__gvx_rest="${PATH:+${PATH}:}"
PATH=
while [ -n "${__gvx_rest}" ]; do
  __gvx_dir="${__gvx_rest%%%%:*}"
  __gvx_rest="${__gvx_rest#*:}"
  [ "${__gvx_dir}" = "${__gvx_shims}" ] || PATH="${PATH}:${__gvx_dir}"
done
export PATH="${__gvx_shims}${PATH}"
unset __gvx_shims __gvx_rest __gvx_dir
`, quotePOSIX(shims))
}

// fishPathCode is posixPathCode for fish.
func fishPathCode(shims string) string {
	// contains -i finds the entry; drop every copy, then put it first.
	return fmt.Sprintf(`while set -l __gvx_i (contains -i -- %[1]s $PATH)
    set -e PATH[$__gvx_i]
end
set -gx PATH %[1]s $PATH
set -e __gvx_i
`, quoteFish(shims))
}

// pathCode is the PATH part of the shell code for shell.
func pathCode(shell, shims string) string {
	if shell == "fish" {
		return fishPathCode(shims)
	}
	return posixPathCode(shims)
}

// initCall is the rc-file code that defines the gvx function and
// completion by running 'gvx init', reaching gvx through its absolute path
// (it need not be on PATH yet, or ever), or through PATH when that file is
// gone (a package manager moved it).
func initCall(shell, gvx string) string {
	if shell == "fish" {
		return fmt.Sprintf(`set -l __gvx %s
test -x "$__gvx"; or set __gvx (command -v gvx)
if test -n "$__gvx"
    $__gvx init fish | source
end
`, quoteFish(gvx))
	}
	return fmt.Sprintf(`__gvx=%s
[ -x "${__gvx}" ] || __gvx="$(command -v gvx 2>/dev/null)"
if [ -n "${__gvx}" ]; then
  eval "$("${__gvx}" init %s)"
fi
unset __gvx
`, quotePOSIX(gvx), shell)
}

// commandRef is how shell code runs gvx: "command gvx" when gvx on PATH is
// this gvx, else "command /abs/path/gvx".
func commandRef(shell, gvx string) string {
	if gvx == "" || gvx == "gvx" {
		return "command gvx"
	}
	if shell == "fish" {
		return "command " + quoteFish(gvx)
	}
	return "command " + quotePOSIX(gvx)
}

// withGvxRef makes completion code call gvx through ref instead of
// whatever gvx is on PATH.
func withGvxRef(code, ref string) string {
	return strings.ReplaceAll(code, "command gvx ", ref+" ")
}

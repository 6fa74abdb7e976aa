// Package shellquote quotes words for the shells gvx writes code for: sh,
// bash and zsh (POSIX), and fish. It is gvx's one rule for it: the shell
// code of gvx init and gvx shell, and the fixes gvx doctor prints.
package shellquote

import "strings"

// POSIX quotes s for sh, bash and zsh: as it is when it holds only safe
// characters, else in single quotes (a quote inside as '\”).
func POSIX(s string) string {
	if safe(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Fish quotes s for fish, whose single quotes take \' and \\ escapes.
func Fish(s string) string {
	if safe(s) {
		return s
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// safe reports whether s means itself, unquoted, to every shell gvx writes
// for.
func safe(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("._-+/:@%", r):
		default:
			return false
		}
	}
	return true
}

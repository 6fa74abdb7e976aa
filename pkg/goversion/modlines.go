package goversion

import (
	"fmt"
	"strings"
)

// lineError is an error about a go or toolchain line. Its text is the whole
// message, written for the user; it wraps errInvalid for errors.Is.
type lineError struct{ msg string }

func (e *lineError) Error() string { return e.msg }
func (e *lineError) Unwrap() error { return errInvalid }

// ParseGoLine parses the argument of a go directive in go.mod or go.work,
// "1.22" or "1.22.6" or "1.23rc1", as strictly as the go command reads it:
// it must match golang.org/x/mod/modfile's GoVersionRE
// (`^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`),
// so "go1.22", "v1.22" and "1" are refused, and it must be a version Parse
// accepts. The error says what is wrong and how to write the line.
func ParseGoLine(s string) (Version, error) {
	if !goLineSyntax(s) {
		msg := fmt.Sprintf("invalid go version %q: must match format 1.23.0", s)
		if v, ok := parse(s); ok && v != goOne {
			// "go1.22", "v1.22.6": the right version with a prefix.
			msg += "; write it as " + v.String()
		}
		return Version{}, &lineError{msg}
	}
	v, ok := parseBare(s)
	if !ok {
		return Version{}, &lineError{fmt.Sprintf("invalid go version %q: %s", s, whyNot(s))}
	}
	return v, nil
}

// goLineSyntax reports whether s matches modfile's GoVersionRE,
// ^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$.
func goLineSyntax(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	major, rest, found := strings.Cut(s, ".")
	if !found || !isDecimal(major) {
		return false
	}
	minor, rest := cutDigits(rest)
	if !isDecimal(minor) {
		return false
	}
	if after, ok := strings.CutPrefix(rest, "."); ok {
		var patch string
		if patch, rest = cutDigits(after); !isDecimal(patch) {
			return false
		}
	}
	if rest == "" {
		return true
	}
	letters := strings.TrimLeft(rest, "abcdefghijklmnopqrstuvwxyz")
	digits, tail := cutDigits(letters)
	return len(letters) < len(rest) && digits != "" && tail == ""
}

// cutDigits cuts the leading run of ASCII digits from s.
func cutDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// isDecimal reports whether s matches 0|[1-9][0-9]*.
func isDecimal(s string) bool {
	d, rest := cutDigits(s)
	return d != "" && rest == "" && (d == "0" || d[0] != '0')
}

// whyNot explains why s, which matches GoVersionRE, is not a version gvx
// knows, and how to write one.
func whyNot(s string) string {
	major, rest, _ := strings.Cut(s, ".")
	minor, rest := cutDigits(rest)
	var patch string
	if after, ok := strings.CutPrefix(rest, "."); ok {
		patch, rest = cutDigits(after)
	}
	kind := strings.TrimRight(rest, "0123456789")
	pre := rest[len(kind):]
	switch {
	case major != "1":
		return "there is no Go " + major + "; write a Go 1 version such as 1.23.0"
	case patch != "" && rest != "":
		return "a prerelease has no patch number; write it as 1." + minor + rest
	case minor == "0" && patch == "0":
		return "Go 1.0 has no patch 0; write it as 1.0"
	case rest != "" && kind != "alpha" && kind != "beta" && kind != "rc":
		return fmt.Sprintf("%q is not a kind of Go prerelease; write alpha, beta or rc, as in 1.23rc1", kind)
	case pre != "" && pre[0] == '0':
		return "a prerelease number starts at 1 and has no leading zeros, as in 1.23rc1"
	}
	return fmt.Sprintf("a number is larger than gvx accepts (%d)", maxComponent)
}

// FromToolchain returns the version of the toolchain named name, as
// cmd/go/internal/gover.FromToolchain does: "go1.22.6" is 1.22.6, and a
// custom suffix after "-", a space or a tab is dropped ("go1.22.6-bigcorp"
// is 1.22.6). The name must start with "go" (so "1.22.6" and
// "gccgo-go1.23rc4" are not toolchain names) and must not contain "/" or
// "\", which would make it a path to exec. Anything else after the version,
// such as the "+auto" of a GOTOOLCHAIN value, makes the name invalid; so
// does "default", which callers handle themselves.
func FromToolchain(name string) (Version, bool) {
	if strings.ContainsAny(name, `/\`) {
		return Version{}, false
	}
	v, ok := strings.CutPrefix(name, "go")
	if !ok {
		return Version{}, false
	}
	if i := strings.IndexAny(v, " \t-"); i >= 0 {
		v = v[:i]
	}
	return parseBare(v)
}

// ParseToolchainLine parses the argument of a toolchain directive in go.mod
// or go.work other than "default" (which names no version; callers check
// for it first): it must match golang.org/x/mod/modfile's ToolchainRE
// (`^default$|^go1($|\.)`) and name a version for FromToolchain. So
// "go1.22.6" and "go1.22.6-custom" are accepted; "1.22.6", "go1.22.6+auto"
// and "go1.22.6-/run.sh" are refused with an error that says how to write
// the line.
func ParseToolchainLine(s string) (Version, error) {
	if s == "default" {
		return Version{}, &lineError{`invalid toolchain "default": it names no version`}
	}
	if strings.HasPrefix(s, "go1") && (len(s) == 3 || s[3] == '.') {
		if v, ok := FromToolchain(s); ok {
			return v, nil
		}
	}
	fix := "write it as go1.23.0 or default"
	if v, ok := parse(cutSuffix(s)); ok {
		fix = "write it as " + v.GoName() + " or default"
	}
	if strings.ContainsAny(s, `/\`) {
		return Version{}, &lineError{fmt.Sprintf("invalid toolchain %q: a toolchain name cannot contain a path; %s", s, fix)}
	}
	return Version{}, &lineError{fmt.Sprintf("invalid toolchain %q: %s", s, fix)}
}

// cutSuffix cuts s at its first "-", "+", "/", "\", space or tab: what is
// left of a mistyped toolchain name is the version it meant.
func cutSuffix(s string) string {
	if i := strings.IndexAny(s, "-+/\\ \t"); i >= 0 {
		return s[:i]
	}
	return s
}

package goversion

import (
	"errors"
	"go/version"
	"regexp"
	"strings"
	"testing"
)

// goVersionRE and toolchainRE are copied from golang.org/x/mod/modfile
// (rule.go, v0.33.0), which this package does not import.
var (
	goVersionRE = regexp.MustCompile(`^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`)
	toolchainRE = regexp.MustCompile(`^default$|^go1($|\.)`)
)

func TestParseGoLine(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1.22", "1.22"},
		{"1.22.6", "1.22.6"},
		{"1.21.0", "1.21.0"},
		{"1.21rc1", "1.21rc1"},
		{"1.2beta1", "1.2beta1"},
		{"1.20", "1.20"},
		{"1.0", "1"},
		{"1.16", "1.16"},
	} {
		v, err := ParseGoLine(tt.in)
		if err != nil || v.String() != tt.want {
			t.Errorf("ParseGoLine(%q) = %v, %v, want %s", tt.in, v, err, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"1", `invalid go version "1": must match format 1.23.0`},
		{"go1", `invalid go version "go1": must match format 1.23.0`},
		{"go1.22", `invalid go version "go1.22": must match format 1.23.0; write it as 1.22`},
		{"v1.22.6", `invalid go version "v1.22.6": must match format 1.23.0; write it as 1.22.6`},
		{"", `invalid go version "": must match format 1.23.0`},
		{"1.22.x", `invalid go version "1.22.x": must match format 1.23.0`},
		{"1.22 ", `invalid go version "1.22 ": must match format 1.23.0`},
		{"1.12\r", `invalid go version "1.12\r": must match format 1.23.0`},
		{"1.022", `invalid go version "1.022": must match format 1.23.0`},
		{"01.22", `invalid go version "01.22": must match format 1.23.0`},
		{"1.22rc", `invalid go version "1.22rc": must match format 1.23.0`},
		{"1.2.beta1", `invalid go version "1.2.beta1": must match format 1.23.0`},
		{"1.22.6.1", `invalid go version "1.22.6.1": must match format 1.23.0`},
		{"1.22-rc1", `invalid go version "1.22-rc1": must match format 1.23.0`},
		// GoVersionRE accepts these; gvx's Parse (and Go's IsValid for most) does not.
		{"2.0", `invalid go version "2.0": there is no Go 2; write a Go 1 version such as 1.23.0`},
		{"1.21.0rc1", `invalid go version "1.21.0rc1": a prerelease has no patch number; write it as 1.21rc1`},
		{"1.0.0", `invalid go version "1.0.0": Go 1.0 has no patch 0; write it as 1.0`},
		{"1.21foo1", `invalid go version "1.21foo1": "foo" is not a kind of Go prerelease; write alpha, beta or rc, as in 1.23rc1`},
		{"1.21rc0", `invalid go version "1.21rc0": a prerelease number starts at 1 and has no leading zeros, as in 1.23rc1`},
		{"1.21rc01", `invalid go version "1.21rc01": a prerelease number starts at 1 and has no leading zeros, as in 1.23rc1`},
		{"1.99999999", `invalid go version "1.99999999": a number is larger than gvx accepts (1048576)`},
		{"1.2.99999999", `invalid go version "1.2.99999999": a number is larger than gvx accepts (1048576)`},
		{"1.2rc99999999", `invalid go version "1.2rc99999999": a number is larger than gvx accepts (1048576)`},
	} {
		v, err := ParseGoLine(tt.in)
		if err == nil {
			t.Errorf("ParseGoLine(%q) = %v, want error %s", tt.in, v, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseGoLine(%q) error = %s, want %s", tt.in, err, tt.want)
		}
		if !errors.Is(err, errInvalid) {
			t.Errorf("ParseGoLine(%q) error %v does not wrap errInvalid", tt.in, err)
		}
	}
}

func TestParseToolchainLine(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"go1.22.6", "1.22.6"},
		{"go1.22.6-custom", "1.22.6"},
		{"go1.23rc2", "1.23rc2"},
		{"go1.20", "1.20"},
		{"go1", "1"},
		{"go1.21", "1.21"}, // a language version: Go accepts the line, then cannot download it
	} {
		v, err := ParseToolchainLine(tt.in)
		if err != nil || v.String() != tt.want {
			t.Errorf("ParseToolchainLine(%q) = %v, %v, want %s", tt.in, v, err, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"go1.22.6+auto", `invalid toolchain "go1.22.6+auto": write it as go1.22.6 or default`},
		{"1.22.6", `invalid toolchain "1.22.6": write it as go1.22.6 or default`},
		{"v1.22.6", `invalid toolchain "v1.22.6": write it as go1.22.6 or default`},
		{"go1.999999-/run.sh", `invalid toolchain "go1.999999-/run.sh": a toolchain name cannot contain a path; write it as go1.999999 or default`},
		{`go1.22.6-..\x`, `invalid toolchain "go1.22.6-..\\x": a toolchain name cannot contain a path; write it as go1.22.6 or default`},
		{"go1.22.6+path", `invalid toolchain "go1.22.6+path": write it as go1.22.6 or default`},
		{"gccgo-go1.23rc4", `invalid toolchain "gccgo-go1.23rc4": write it as go1.23.0 or default`},
		{"go10.1", `invalid toolchain "go10.1": write it as go1.23.0 or default`},
		{"go1.2.3.4", `invalid toolchain "go1.2.3.4": write it as go1.23.0 or default`},
		{"local", `invalid toolchain "local": write it as go1.23.0 or default`},
		{"", `invalid toolchain "": write it as go1.23.0 or default`},
		{"default", `invalid toolchain "default": it names no version`},
	} {
		v, err := ParseToolchainLine(tt.in)
		if err == nil {
			t.Errorf("ParseToolchainLine(%q) = %v, want error %s", tt.in, v, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseToolchainLine(%q) error = %s, want %s", tt.in, err, tt.want)
		}
		if !errors.Is(err, errInvalid) {
			t.Errorf("ParseToolchainLine(%q) error %v does not wrap errInvalid", tt.in, err)
		}
	}
}

func TestFromToolchain(t *testing.T) {
	for _, tt := range []struct{ in, want string }{ // "" = invalid
		{"go1.22.6", "1.22.6"},
		{"go1.22.6 extra", "1.22.6"},
		{"go1.22.6\tx", "1.22.6"},
		{"go1.22.6-", "1.22.6"},
		{"go1.21rc1-x-y", "1.21rc1"},
		{"go1.22.6-x+auto", "1.22.6"}, // the "+" is in the dropped suffix
		{"go1.0 +", "1"},
		{"go1.22.6+auto", ""},
		{"go1.22.6-a/b", ""},
		{`go1.22.6-a\b`, ""},
		{"/go1.22.6", ""},
		{"gov1.22.6", ""},
		{"gogo1.22.6", ""},
		{"go", ""},
		{"go-1.22", ""},
		{"default", ""},
		{"local", ""},
		{"Go1.22.6", ""},
	} {
		v, ok := FromToolchain(tt.in)
		if got := map[bool]string{true: v.String()}[ok]; got != tt.want || ok == v.IsZero() {
			t.Errorf("FromToolchain(%q) = %v, %v, want %q", tt.in, v, ok, tt.want)
		}
	}
}

// goModLines are the distinct go and toolchain arguments of the real go.mod
// and go.work files in /work/shared/corpus/gomod-lines.json; Go accepts them
// all, and so must gvx ("1.12\r" there is a CRLF line the caller trims).
var goModLines = struct{ goArgs, toolchainArgs []string }{
	goArgs: []string{
		"1.12", "1.13", "1.15", "1.17", "1.18", "1.19", "1.20", "1.21", "1.22", "1.22.0",
		"1.22.1", "1.22.2", "1.22.5", "1.23", "1.23.0", "1.23.2", "1.24", "1.24.0", "1.24.2",
		"1.24.3", "1.25", "1.25.0", "1.25.8", "1.26", "1.26.0", "1.26.4",
	},
	toolchainArgs: []string{
		"go1.21.0", "go1.22.0", "go1.22.1", "go1.22.2", "go1.22.4", "go1.22.5", "go1.22.6",
		"go1.23.1", "go1.23.2", "go1.23.3", "go1.23.4", "go1.23.6", "go1.23.7", "go1.24.0",
		"go1.24.1", "go1.24.2", "go1.24.3", "go1.24.4", "go1.24.5", "go1.25.7", "go1.25.8",
		"go1.25.9", "go1.25.10", "go1.25.11", "go1.26.5", "go1.26.6", "go1.26.7",
	},
}

func TestRealGoModLines(t *testing.T) {
	for _, s := range goModLines.goArgs {
		if _, err := ParseGoLine(s); err != nil {
			t.Errorf("ParseGoLine(%q): %v", s, err)
		}
	}
	for _, s := range goModLines.toolchainArgs {
		if _, err := ParseToolchainLine(s); err != nil {
			t.Errorf("ParseToolchainLine(%q): %v", s, err)
		}
	}
}

// checkLineSyntax checks ParseGoLine and ParseToolchainLine on s against
// modfile's regular expressions and Go's FromToolchain rules.
func checkLineSyntax(t *testing.T, s string) {
	t.Helper()
	if got, want := goLineSyntax(s), goVersionRE.MatchString(s); got != want {
		t.Fatalf("goLineSyntax(%q) = %v, GoVersionRE says %v", s, got, want)
	}
	v, err := ParseGoLine(s)
	if _, ok := parseBare(s); (err == nil) != (goVersionRE.MatchString(s) && ok) {
		t.Fatalf("ParseGoLine(%q) = %v, %v; GoVersionRE %v, parseBare %v", s, v, err, goVersionRE.MatchString(s), ok)
	}
	if err == nil && !version.IsValid("go"+s) {
		t.Fatalf("ParseGoLine(%q) = %v, but go/version says go%s is invalid", s, v, s)
	}
	v, err = ParseToolchainLine(s)
	_, fromOK := FromToolchain(s)
	if want := s != "default" && toolchainRE.MatchString(s) && fromOK; (err == nil) != want {
		t.Fatalf("ParseToolchainLine(%q) = %v, %v; want ok %v", s, v, err, want)
	}
	if err == nil && strings.ContainsAny(s, `/\`) {
		t.Fatalf("ParseToolchainLine(%q) = %v: a path passed", s, v)
	}
	// A "+" is allowed only inside the custom suffix that Go drops.
	if err == nil {
		name := strings.TrimPrefix(s, "go")
		if i := strings.IndexAny(name, " \t-"); i >= 0 {
			name = name[:i]
		}
		if strings.Contains(name, "+") {
			t.Fatalf("ParseToolchainLine(%q) = %v: a +suffix passed", s, v)
		}
		if !version.IsValid("go" + name) {
			t.Fatalf("ParseToolchainLine(%q) = %v, but go/version says go%s is invalid", s, v, name)
		}
	}
}

func TestLineSyntax(t *testing.T) {
	parts := []string{"", "0", "1", "2", "01", "10", "21", ".", "rc", "rc1", "rc0", "beta2", "x", "-", "+auto", "/", " ", "go", "v"}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				for _, d := range parts {
					checkLineSyntax(t, a+b+c+d)
				}
			}
		}
	}
}

func FuzzLineSyntax(f *testing.F) {
	for _, s := range []string{"1.22", "1.22.6", "1.21rc1", "go1.22.6-custom", "go1.22.6+auto", "default", "1", "go1.999999-/run.sh", "1.21.0rc1"} {
		f.Add(s)
	}
	f.Fuzz(checkLineSyntax)
}

package goversion

import (
	"errors"
	"strings"
	"testing"
)

var listing = func() []Version {
	var vs []Version
	for _, s := range []string{
		"1.19", "1.19.13", "1.20rc1", "1.20", "1.20.1", "1.21rc2", "1.21.0", "1.21.13",
		"1.22rc1", "1.22.0", "1.22.5", "1.22.6", "1.23rc1", "1.23rc2",
	} {
		vs = append(vs, MustParse(s))
	}
	return vs
}()

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in   string
		kind SpecKind
		norm string
		best string // "" = no match in listing
	}{
		{"1.22.6", Exact, "1.22.6", "1.22.6"},
		{"go1.22.6", Exact, "1.22.6", "1.22.6"},
		{"v1.22.6", Exact, "1.22.6", "1.22.6"},
		{" 1.22.5 ", Exact, "1.22.5", "1.22.5"},
		{"1.22.7", Exact, "1.22.7", ""},
		{"1.22", Line, "1.22", "1.22.6"},
		{"1.22.x", Line, "1.22", "1.22.6"},
		{"go1.22.x", Line, "1.22", "1.22.6"},
		{"1.20", Line, "1.20", "1.20.1"},
		{"1.20.0", Exact, "1.20.0", "1.20"},
		{"1.19", Line, "1.19", "1.19.13"},
		{"1.23", Line, "1.23", ""},
		{"latest", Latest, "latest", "1.22.6"},
		{"LATEST", Latest, "latest", "1.22.6"},
		{"1.23rc1", Exact, "1.23rc1", "1.23rc1"},
		{"go1.21rc2", Exact, "1.21rc2", "1.21rc2"},
		{">=1.21, <1.23", Constraint, ">=1.21, <1.23", "1.22.6"},
		{">= 1.21,<1.22", Constraint, ">= 1.21,<1.22", "1.21.13"},
		{"<1.21", Constraint, "<1.21", "1.20.1"},
		{"~> 1.21.0", Constraint, "~> 1.21.0", "1.21.13"},
		{">=go1.22.6", Constraint, ">=go1.22.6", "1.22.6"},
		{">=1.24", Constraint, ">=1.24", ""},
		{"system", System, "system", ""},
		// "1" is the newest Go 1, as "latest"; Go 1.0 is "1.0".
		{"1", Latest, "latest", "1.22.6"},
		{"go1", Latest, "latest", "1.22.6"},
		{"v1", Latest, "latest", "1.22.6"},
		{"1.0", Exact, "1.0", ""},
	}
	for _, tt := range tests {
		sp, err := ParseSpec(tt.in)
		if err != nil {
			t.Errorf("ParseSpec(%q) error: %v", tt.in, err)
			continue
		}
		if sp.Kind() != tt.kind || sp.String() != tt.norm {
			t.Errorf("ParseSpec(%q) = kind %d %q, want kind %d %q", tt.in, sp.Kind(), sp, tt.kind, tt.norm)
		}
		best, ok := sp.Best(listing)
		if got := map[bool]string{true: best.String()}[ok]; got != tt.best {
			t.Errorf("ParseSpec(%q).Best = %q, want %q", tt.in, got, tt.best)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	for _, in := range []string{
		"", "  ", "1.22.6/../..", "../1.22", "1.22\\x", "..", "foo", "1.22.6.7", "2.0", "1.x", "1.22.y",
		">=", ">=foo", "1.22 1.23", "$(rm -rf /)", "go 1.22", "1.22rc1.x", strings.Repeat("1", 200),
	} {
		sp, err := ParseSpec(in)
		if err == nil {
			t.Errorf("ParseSpec(%q) = %q, want error", in, sp)
			continue
		}
		if !errors.Is(err, ErrSpec) {
			t.Errorf("ParseSpec(%q) error %v does not wrap ErrSpec", in, err)
		}
		if in != "" && len(in) < 100 && !strings.Contains(err.Error(), in) && !strings.Contains(err.Error(), strings.ReplaceAll(in, `\`, `\\`)) {
			t.Errorf("ParseSpec(%q) error %q does not quote the input", in, err)
		}
	}
}

func TestAtLeastSpec(t *testing.T) {
	tests := []struct {
		min  string
		want map[string]bool
	}{
		// "go 1.21.0": go1.21rc2 sorts before 1.21.0; go1.23rc1 after it.
		{"1.21.0", map[string]bool{"1.21.0": true, "1.22.6": true, "1.21rc2": false, "1.20.1": false, "1.23rc1": true, "1.22": false}},
		// "go 1.21": Go accepts go1.21rc1 for it (cmd/go/internal/gover.IsLang).
		{"1.21", map[string]bool{"1.21rc1": true, "1.21.0": true, "1.21": false, "1.20": false, "1.22": false, "1.22rc1": true}},
		// "toolchain go1.23rc2", compared as cmd/go/internal/toolchain.Select does.
		{"1.23rc2", map[string]bool{"1.23rc2": true, "1.23rc3": true, "1.23.0": true, "1.23rc1": false, "1.23": false, "1.22.6": false}},
		// Before Go 1.21, "1.20" is the release 1.20.0.
		{"1.20", map[string]bool{"1.20": true, "1.20.0": true, "1.20rc3": false, "1.21rc1": true, "1.21": false}},
	}
	for _, tt := range tests {
		sp := AtLeastSpec(MustParse(tt.min))
		for in, want := range tt.want {
			if got := sp.Matches(MustParse(in)); got != want {
				t.Errorf("AtLeastSpec(%s).Matches(%s) = %v, want %v", tt.min, in, got, want)
			}
		}
	}
}

func TestBestPrefersStable(t *testing.T) {
	vs := func(ss ...string) []Version {
		var out []Version
		for _, s := range ss {
			out = append(out, MustParse(s))
		}
		return out
	}
	tests := []struct {
		spec Spec
		vs   []Version
		want string // "" = no match
	}{
		{AtLeastSpec(MustParse("1.23rc2")), vs("1.23rc2", "1.23.0", "1.24rc1"), "1.23.0"},
		{AtLeastSpec(MustParse("1.23rc2")), vs("1.24rc1", "1.23rc2", "1.23rc3"), "1.24rc1"},
		{AtLeastSpec(MustParse("1.23rc2")), vs("1.22.6", "1.23rc1"), ""},
		{AtLeastSpec(MustParse("1.21")), vs("1.21rc1", "1.20.1"), "1.21rc1"},
		{AtLeastSpec(MustParse("1.21")), vs("1.21rc1", "1.21.0", "1.21"), "1.21.0"},
		{AtLeastSpec(MustParse("1.21")), vs("1.22", "1.21"), ""},
		{MustParseSpec("latest"), vs("1.23rc1", "1.22.6"), "1.22.6"},
		{MustParseSpec("latest"), vs("1.23rc1"), ""},
		{MustParseSpec("1.23"), vs("1.23rc1", "1.23"), ""},
		{MustParseSpec("1.23rc1"), vs("1.23rc1", "1.23.0"), "1.23rc1"},
	}
	for _, tt := range tests {
		best, ok := tt.spec.Best(tt.vs)
		if got := map[bool]string{true: best.String()}[ok]; got != tt.want {
			t.Errorf("%s.Best(%v) = %q, want %q", tt.spec, tt.vs, got, tt.want)
		}
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"1.22.6", "1.22", "1.22.x", "latest", ">=1.21, <1.23", "system", "1.23rc1", "~>1.2", "..", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpec(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(sp.String(), `/\`) || strings.Contains(sp.String(), "..") {
			t.Fatalf("ParseSpec(%q) = %q: a spec must never hold a path", s, sp)
		}
		// The normal form parses to the same kind.
		sp2, err := ParseSpec(sp.String())
		if err != nil || sp2.Kind() != sp.Kind() {
			t.Fatalf("ParseSpec(%q) = %q, re-parse: %v, kind %d vs %d", s, sp, err, sp2.Kind(), sp.Kind())
		}
		sp.Best(listing)
	})
}

// TestConstraints checks gvx's own constraint matching, in hashicorp/go-
// version's syntax and Go's order, which the shim uses without linking a
// regexp engine.
func TestConstraints(t *testing.T) {
	tests := []struct {
		cons      string
		match, no []string
	}{
		{">=1.21, <1.23", []string{"1.21.0", "1.22.6"}, []string{"1.20.14", "1.23.0", "1.22rc1", "1.22"}},
		{"~> 1.21.3", []string{"1.21.3", "1.21.13"}, []string{"1.21.2", "1.22.0"}},
		{"~> 1.21", []string{"1.21.0", "1.30.1"}, []string{"1.20.14"}},
		{"~>1", []string{"1.2.2", "1.30.1"}, nil},
		{"= 1.22.6", []string{"1.22.6"}, []string{"1.22.5"}},
		{"1.22.6", nil, nil}, // not a constraint: an exact spec (checked below)
		{"!= 1.22.6, >= 1.22", []string{"1.22.5", "1.23.0"}, []string{"1.22.6"}},
		{"<= 1.20", []string{"1.20", "1.20.0", "1.19.13"}, []string{"1.20.1"}},
		{"> 1.20", []string{"1.20.1"}, []string{"1.20.0"}},
		// A prerelease only meets a constraint that names one of its line.
		{">=1.22rc1", []string{"1.22rc1", "1.22rc2", "1.22.0"}, []string{"1.23rc1", "1.21rc1"}},
		{">=1.21", []string{"1.23.0"}, []string{"1.23rc1"}},
	}
	for _, tt := range tests {
		sp, err := ParseSpec(tt.cons)
		if err != nil {
			t.Errorf("ParseSpec(%q): %v", tt.cons, err)
			continue
		}
		if tt.match == nil && tt.no == nil {
			if sp.Kind() != Exact {
				t.Errorf("ParseSpec(%q).Kind() = %d, want Exact", tt.cons, sp.Kind())
			}
			continue
		}
		for _, v := range tt.match {
			if !sp.Matches(MustParse(v)) {
				t.Errorf("%q.Matches(%s) = false, want true", tt.cons, v)
			}
		}
		for _, v := range tt.no {
			if sp.Matches(MustParse(v)) {
				t.Errorf("%q.Matches(%s) = true, want false", tt.cons, v)
			}
		}
	}
	for _, bad := range []string{"=> 1.21", "<> 1.21", "~ 1.21", ">= banana"} {
		if _, err := ParseSpec(bad); err == nil || !errors.Is(err, ErrSpec) {
			t.Errorf("ParseSpec(%q) = %v, want an ErrSpec", bad, err)
		}
	}
}

package goversion

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SpecKind says how a Spec matches versions.
type SpecKind int

const (
	// Exact matches one version: "1.22.6", "go1.22.6", "v1.22.6", "1.23rc1".
	Exact SpecKind = iota + 1
	// Line matches the newest stable patch of one minor: "1.22", "1.22.x".
	Line
	// Latest matches the newest stable release: "latest", "stable", and
	// "1", "go1" or "v1" (the newest Go 1.x, never Go 1.0 itself; write
	// "1.0" for that). Its normal form is "latest" whichever was typed.
	Latest
	// Constraint matches comparisons in hashicorp/go-version's syntax,
	// evaluated in Go's order: ">=1.21, <1.23", "~> 1.22.3".
	Constraint
	// AtLeast matches every release and prerelease at or above a minimum;
	// it is what a go.mod "go 1.22" line means. Users do not type it.
	AtLeast
	// System names the first go on PATH that is not gvx's: "system".
	System
)

// ErrSpec is returned (wrapped) for a string that is not a version spec.
var ErrSpec = errors.New("not a Go version spec")

// maxSpecLen bounds the input; real specs are a few bytes long.
const maxSpecLen = 128

// Spec is a parsed version spec.
type Spec struct {
	kind    SpecKind
	raw     string
	version Version // Exact, AtLeast: the version; Line: its minor
	cons    []term  // Constraint
}

// ParseSpec parses what a user types (or writes in a version file) to name a
// Go version. The forms are those of the package doc; anything else is an
// error that quotes the input.
func ParseSpec(s string) (Spec, error) {
	in := s
	s = strings.TrimSpace(s)
	bad := func(hint string) (Spec, error) {
		if hint != "" {
			return Spec{}, fmt.Errorf("%q: %w (%s)", in, ErrSpec, hint)
		}
		return Spec{}, fmt.Errorf("%q: %w; use a version such as 1.22.6, 1.22, latest or \">=1.21, <1.23\"", in, ErrSpec)
	}
	switch {
	case s == "":
		return bad("empty")
	case len(s) > maxSpecLen:
		return bad("too long")
	case strings.ContainsAny(s, `/\`) || strings.Contains(s, ".."):
		return bad("")
	}
	switch strings.ToLower(s) {
	case "latest", "stable":
		return Spec{kind: Latest, raw: "latest"}, nil
	case "system":
		return Spec{kind: System, raw: "system"}, nil
	}
	if strings.ContainsAny(s, "<>=!~,") {
		return parseConstraint(in, s)
	}
	if base, ok := strings.CutSuffix(s, ".x"); ok {
		v, ok := parse(base)
		if !ok || v.hasPatch || v.kind != kindRelease || v.minor == 0 {
			return bad("")
		}
		return Spec{kind: Line, raw: v.Lang(), version: v}, nil
	}
	v, ok := parse(s)
	if !ok {
		return bad("")
	}
	if v == goOne && !strings.Contains(s, ".") {
		// "1", "go1", "v1": the newest Go 1, as "latest". Go 1.0 itself
		// is "1.0", which stays an Exact spec.
		return Spec{kind: Latest, raw: "latest"}, nil
	}
	if v == goOne {
		return Spec{kind: Exact, raw: "1.0", version: v}, nil
	}
	if v.kind == kindRelease && !v.hasPatch && v.minor > 0 {
		// "1.22" is the line; for 1.20 and older its ".0" release is named
		// "1.20" and belongs to the line too.
		return Spec{kind: Line, raw: v.Lang(), version: v}, nil
	}
	return Spec{kind: Exact, raw: v.String(), version: v}, nil
}

// MustParseSpec is ParseSpec for tests and tables; it panics on error.
func MustParseSpec(s string) Spec {
	sp, err := ParseSpec(s)
	if err != nil {
		panic(err)
	}
	return sp
}

// term is one comparison of a constraint: op and the version it compares
// with, and how many of its numbers were written (for ~>).
type term struct {
	op         string
	v          Version // the written version, "1.21" read as 1.21.0
	numbers    int     // 1 for "1", 2 for "1.21" or "1.21rc1", 3 for "1.21.3"
	prerelease bool
}

// constraintOps are the operators of hashicorp/go-version's constraint
// syntax, which gvx's constraints keep: "" and "=" (equal), "!=", ">", "<",
// ">=", "<=" and "~>" (at least, below the next release of the number
// before the last one written: "~> 1.21.3" is >= 1.21.3, < 1.22.0; "~> 1.21"
// is >= 1.21.0, < 2).
var constraintOps = []string{"", "=", "!=", ">", "<", ">=", "<=", "~>"}

func parseConstraint(in, s string) (Spec, error) {
	parts := strings.Split(s, ",")
	terms := make([]term, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		i := strings.IndexFunc(p, func(r rune) bool { return !strings.ContainsRune("<>=!~ ", r) })
		if i <= 0 {
			return Spec{}, fmt.Errorf("%q: %w: %q has no operator or no version", in, ErrSpec, p)
		}
		op, ver := strings.TrimSpace(p[:i]), p[i:]
		if !slices.Contains(constraintOps, op) {
			return Spec{}, fmt.Errorf("%q: %w: %q is not an operator; use =, !=, >, <, >=, <= or ~>", in, ErrSpec, op)
		}
		v, ok := parse(ver)
		if !ok {
			return Spec{}, fmt.Errorf("%q: %w: %q is not a Go version", in, ErrSpec, ver)
		}
		t := term{op: op, v: v, numbers: 2, prerelease: v.Prerelease()}
		switch {
		case v.hasPatch:
			t.numbers = 3
		case v.kind == kindRelease && v.minor == 0 && !strings.Contains(ver, "."):
			t.numbers = 1 // "1", "go1"
		}
		if v.kind == kindRelease && !v.hasPatch {
			t.v.hasPatch, t.v.patch = true, 0 // "1.21" compares as 1.21.0
		}
		terms = append(terms, t)
	}
	return Spec{kind: Constraint, raw: strings.Join(strings.Fields(s), " "), cons: terms}, nil
}

// check reports whether v meets every term. As with hashicorp/go-version,
// a prerelease meets a constraint only when one of its terms names a
// prerelease of the same Go line (">=1.22rc1" lets go1.22rc2 in, not
// go1.23rc1), and versions compare in Go's order.
func check(terms []term, v Version) bool {
	if v.isLanguage() || v.IsZero() {
		return false
	}
	if v.Prerelease() && !slices.ContainsFunc(terms, func(t term) bool {
		return t.prerelease && t.v.major == v.major && t.v.minor == v.minor
	}) {
		return false
	}
	for _, t := range terms {
		c := Compare(v, t.v)
		ok := false
		switch t.op {
		case "", "=":
			ok = c == 0
		case "!=":
			ok = c != 0
		case ">":
			ok = c > 0
		case "<":
			ok = c < 0
		case ">=":
			ok = c >= 0
		case "<=":
			ok = c <= 0
		case "~>":
			ok = c >= 0 && below(v, t)
		}
		if !ok {
			return false
		}
	}
	return true
}

// below reports whether v is under the bound of the pessimistic term t.
func below(v Version, t term) bool {
	switch t.numbers {
	case 3:
		return v.major == t.v.major && v.minor == t.v.minor
	case 2:
		return v.major == t.v.major
	}
	return v.major == t.v.major // "~> 1": every Go 1
}

// AtLeastSpec returns the spec "v or newer": every release and prerelease w
// with Compare(w, v) >= 0, as the go command accepts them for a go or
// toolchain line. Language versions ("1.22" from Go 1.21 on) name no
// toolchain and never match. So AtLeastSpec(1.21), from "go 1.21", matches
// go1.21rc1 and go1.21.0; AtLeastSpec(1.21.0) matches go1.21.0 but not
// go1.21rc1; AtLeastSpec(1.23rc2), from "toolchain go1.23rc2", matches
// go1.23rc2, go1.23rc3 and go1.23.0. Best still prefers a stable match.
func AtLeastSpec(v Version) Spec {
	return Spec{kind: AtLeast, raw: ">=" + v.String(), version: v}
}

// Kind reports how s matches.
func (s Spec) Kind() SpecKind { return s.kind }

// String returns the spec in its normal form: "1.22.6", "1.22", "latest"
// (also for "1" and "go1"), "1.0" for go1 itself, ">=1.22.0" for AtLeast.
func (s Spec) String() string { return s.raw }

// Version returns the version of an Exact spec, the minimum of an AtLeast
// spec, and the line's "1.N" of a Line spec; otherwise the zero Version.
func (s Spec) Version() Version { return s.version }

// Matches reports whether v satisfies s. System matches nothing: it names a
// go outside gvx.
func (s Spec) Matches(v Version) bool {
	switch s.kind {
	case Exact:
		return Equal(s.version, v)
	case Line:
		return v.Stable() && v.major == s.version.major && v.minor == s.version.minor
	case Latest:
		return v.Stable()
	case AtLeast:
		return (v.Stable() || v.Prerelease()) && Compare(v, s.version) >= 0
	case Constraint:
		return check(s.cons, v)
	}
	return false
}

// Best returns the newest stable release in vs that s matches or, when s
// matches no stable release there, the newest matching prerelease. So a
// go.mod asking for at least go1.23rc2 gets go1.23.0 when go1.23.0 and
// go1.24rc1 are both installed, and go1.23rc2 when only rcs are.
func (s Spec) Best(vs []Version) (Version, bool) {
	var stable, pre Version
	for _, v := range vs {
		if !s.Matches(v) {
			continue
		}
		best := &pre
		if v.Stable() {
			best = &stable
		}
		if best.IsZero() || Compare(v, *best) > 0 {
			*best = v
		}
	}
	if !stable.IsZero() {
		return stable, true
	}
	return pre, !pre.IsZero()
}

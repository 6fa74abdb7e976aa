// Package goversion parses and orders Go toolchain versions the way the go
// command does, and matches them against the version specs users type.
//
// A Version is written without the "go" prefix ("1.22.6", "1.21rc1", "1.20");
// GoName gives the toolchain name ("go1.22.6") used in messages.
//
// # Order
//
// Compare orders versions exactly as the standard library's go/version
// (and Go's internal/gover) does, for every version both accept: the
// release go1 is 1.0.0; up to Go 1.20 the bare "1.N" is the release 1.N.0
// (go1.20 and go1.19 were real toolchain names), and go/version agrees;
// from Go 1.21 on the bare "1.N" is the language version, which sorts
// before every prerelease and release of 1.N:
//
//	1.20rc1 < 1.20 = 1.20.0 < 1.20.1 < 1.21 < 1.21rc1 < 1.21rc2 < 1.21.0
//
// alpha < beta < rc, and numbers compare as numbers. A test checks
// Compare against go/version on every pair of a few thousand versions.
//
// # What gvx accepts
//
// Parse is stricter than go/version.IsValid: only Go 1 ("1.N..."), only
// the prereleases alpha, beta and rc numbered from 1 ("1.22rc1", not
// "1.22rc", "1.22rc0" or "1.999testmod"), each number at most 1<<20, and
// no "1.0.0" (Go 1.0 is "1" or "1.0"). As in Go, a patch release has no
// prerelease ("1.9.2rc2" is invalid). Parse takes an optional "go" or "v"
// prefix; ParseGoLine, ParseToolchainLine and FromToolchain read go.mod,
// go.work and toolchain names with Go's own syntax instead.
//
// # Specs
//
// ParseSpec reads what users type: an exact version ("1.22.6", "go1.22.6",
// "v1.22.6", "1.23rc1"); a line ("1.22", "1.22.x", the newest stable 1.22.N);
// "latest" or "stable", and "1", "go1" or "v1", all meaning the newest
// stable Go 1.x and printed as "latest" (Go 1.0 itself is "1.0"); a
// constraint in hashicorp/go-version's syntax, evaluated in Go's order
// (">=1.21, <1.23", "~> 1.22.3"); or "system". A go.mod
// or go.work line becomes an AtLeastSpec, which prereleases satisfy too,
// as they do for the go command.
package goversion

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kinds of prerelease, ordered as Go orders them: alpha < beta < rc < release.
const (
	kindAlpha = iota + 1
	kindBeta
	kindRC
	kindRelease
)

// maxComponent bounds each numeric part of a version. Real Go versions are
// tiny; the bound keeps hostile input (listings, files) from overflowing.
const maxComponent = 1 << 20

// Version is one Go toolchain version.
type Version struct {
	major, minor, patch int
	hasPatch            bool // "1.22.6" has one; "1.22" and "1.21rc1" do not
	kind                int  // kindAlpha, kindBeta, kindRC or kindRelease
	pre                 int  // the N of rcN, betaN
}

// goOne is the release go1 (Go 1.0), whose String is "1".
var goOne = Version{major: 1, kind: kindRelease}

// errInvalid is returned (wrapped) for any string that is not a Go version.
var errInvalid = errors.New("not a Go version")

// Parse parses a Go version: "1.22.6", "go1.22.6", "v1.22.6", "1.21rc1",
// "1.8beta1", "1.20", "go1".
func Parse(s string) (Version, error) {
	v, ok := parse(s)
	if !ok {
		return Version{}, fmt.Errorf("%q: %w", s, errInvalid)
	}
	return v, nil
}

// MustParse is Parse for constants in tests and tables; it panics on error.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func parse(s string) (Version, bool) {
	switch {
	case strings.HasPrefix(s, "go"):
		s = s[2:]
	case strings.HasPrefix(s, "v"):
		s = s[1:]
	}
	return parseBare(s)
}

// parseBare parses a version without a "go" or "v" prefix, as Go's
// internal/gover.Parse does, within the limits of the package doc.
func parseBare(s string) (Version, bool) {
	var v Version
	var ok bool
	if v.major, s, ok = cutInt(s); !ok || v.major != 1 {
		// Go 2 does not exist; anything else is a typo or hostile.
		return Version{}, false
	}
	v.kind = kindRelease
	if s == "" {
		return v, true // "go1"
	}
	if s[0] != '.' {
		return Version{}, false
	}
	if v.minor, s, ok = cutInt(s[1:]); !ok {
		return Version{}, false
	}
	if s == "" {
		return v, true
	}
	if s[0] == '.' {
		if v.patch, s, ok = cutInt(s[1:]); !ok || s != "" {
			return Version{}, false
		}
		if v.minor == 0 && v.patch == 0 {
			return Version{}, false // Go never had "1.0.0"; it was "go1"
		}
		v.hasPatch = true
		return v, true
	}
	for _, k := range []struct {
		prefix string
		kind   int
	}{{"alpha", kindAlpha}, {"beta", kindBeta}, {"rc", kindRC}} {
		if rest, found := strings.CutPrefix(s, k.prefix); found {
			v.kind = k.kind
			if v.pre, s, ok = cutInt(rest); !ok || s != "" || v.pre == 0 {
				return Version{}, false
			}
			return v, true
		}
	}
	return Version{}, false
}

// cutInt reads a decimal number without leading zeros from the front of s.
func cutInt(s string) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 || (i > 1 && s[0] == '0') || i > 7 {
		return 0, s, false
	}
	n, _ = strconv.Atoi(s[:i])
	if n > maxComponent {
		return 0, s, false
	}
	return n, s[i:], true
}

// String returns the version without the "go" prefix, as Go spells it:
// "1.22.6", "1.21rc1", "1.20".
func (v Version) String() string {
	if v.kind == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(v.major))
	if v.minor > 0 || v.hasPatch || v.kind != kindRelease {
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(v.minor))
	}
	switch v.kind {
	case kindAlpha:
		b.WriteString("alpha" + strconv.Itoa(v.pre))
	case kindBeta:
		b.WriteString("beta" + strconv.Itoa(v.pre))
	case kindRC:
		b.WriteString("rc" + strconv.Itoa(v.pre))
	}
	if v.hasPatch {
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(v.patch))
	}
	return b.String()
}

// GoName returns the toolchain name, "go1.22.6".
func (v Version) GoName() string { return "go" + v.String() }

// IsZero reports whether v is the zero Version (not a parsed version).
func (v Version) IsZero() bool { return v.kind == 0 }

// Stable reports whether v is a release rather than an alpha, beta or rc.
// The language version "1.21" (no patch, from Go 1.21 on) is not a release.
func (v Version) Stable() bool {
	return v.kind == kindRelease && !v.isLanguage()
}

// Prerelease reports whether v is an alpha, beta or release candidate.
func (v Version) Prerelease() bool { return v.kind != 0 && v.kind != kindRelease }

// MajorMinor returns the major and minor numbers: 1 and 22 for "1.22.6".
func (v Version) MajorMinor() (major, minor int) { return v.major, v.minor }

// Lang returns the language version, "1.22" for "1.22.6" and "1.22rc1". As in
// Go's internal/gover.Lang, the language of go1 and go1.0.N is "1".
func (v Version) Lang() string {
	if v.minor == 0 {
		return strconv.Itoa(v.major)
	}
	return fmt.Sprintf("%d.%d", v.major, v.minor)
}

// isLanguage reports whether v is a bare "1.N" with N >= 21: from Go 1.21 on
// that names the language, which sorts before the first rc of its release.
func (v Version) isLanguage() bool {
	return v.kind == kindRelease && !v.hasPatch && v.major == 1 && v.minor >= 21
}

// effectivePatch is the patch number used for ordering: before Go 1.21 the
// release "1.20" is "1.20.0"; from 1.21 on the bare "1.21" sorts before
// every rc and release of 1.21 (-1 then puts it first).
func (v Version) effectivePatch() int {
	if v.hasPatch {
		return v.patch
	}
	if v.isLanguage() {
		return -1
	}
	return 0
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b in Go's
// order: 1.21 < 1.21rc1 < 1.21rc2 < 1.21.0 < 1.21.1, beta < rc, and up to
// Go 1.20 the release "1.20" equals "1.20.0".
func Compare(a, b Version) int {
	if c := cmpInt(a.major, b.major); c != 0 {
		return c
	}
	if c := cmpInt(a.minor, b.minor); c != 0 {
		return c
	}
	// Language versions come before any prerelease of the same minor.
	if al, bl := a.isLanguage(), b.isLanguage(); al || bl {
		switch {
		case al && bl:
			return 0
		case al:
			return -1
		default:
			return 1
		}
	}
	if c := cmpInt(a.kind, b.kind); c != 0 {
		return c
	}
	if a.kind != kindRelease {
		return cmpInt(a.pre, b.pre)
	}
	return cmpInt(a.effectivePatch(), b.effectivePatch())
}

// Less reports whether a sorts before b; for sort.Slice and slices.SortFunc.
func Less(a, b Version) bool { return Compare(a, b) < 0 }

// Equal reports whether a and b are the same toolchain ("1.20" and "1.20.0").
func Equal(a, b Version) bool { return Compare(a, b) == 0 }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// HasPrefix reports whether v belongs under the prefix a user typed, by
// whole components: "1.2" (or "go1.2", "v1.2", "1.2.x") covers 1.2, 1.2.2
// and 1.2rc1, but not 1.22; "" covers everything.
func HasPrefix(v Version, prefix string) bool {
	p := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(prefix, "go"), "v"), ".x")
	s := v.String()
	if p == "" || s == p {
		return true
	}
	if !strings.HasPrefix(s, p) {
		return false
	}
	next := s[len(p)]
	return next == '.' || ('a' <= next && next <= 'z')
}

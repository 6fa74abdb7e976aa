package goversion

// The tables here are ported from Go's own tests (Go 1.26 sources and
// golang.org/x/mod v0.33.0): each names its source file. The inputs and Go's
// answers are kept as Go has them; where gvx answers differently by design
// (see the package doc), the input is in refusedByDesign and the test checks
// gvx's answer instead.

import (
	"go/version"
	"strconv"
	"strings"
	"testing"
)

// refusedByDesign maps versions (without "go") that Go accepts and gvx
// refuses to the reason.
var refusedByDesign = map[string]string{
	"1.99999999999999998": "numbers above 1<<20",
	"1.99999999999999999": "numbers above 1<<20",
	"1.999testmod":        "prerelease kinds other than alpha, beta and rc",
	"222":                 "versions other than Go 1",
}

// bare parses x, a version without "go", as Go's internal/gover does;
// a version it refuses is the zero Version, which, as in Go, compares less
// than every version and equal to the others it refuses.
func bare(t *testing.T, x string) Version {
	t.Helper()
	v, ok := parseBare(x)
	if why, refused := refusedByDesign[x]; refused && ok {
		t.Errorf("parseBare(%q) = %v, want it refused (%s)", x, v, why)
	}
	return v
}

// named parses x as go/version does, a toolchain name: "go1.21rc1-custom".
func named(t *testing.T, x string) Version {
	t.Helper()
	v, ok := FromToolchain(x)
	name, _, _ := strings.Cut(strings.TrimPrefix(x, "go"), "-")
	if why, refused := refusedByDesign[name]; refused && ok {
		t.Errorf("FromToolchain(%q) = %v, want it refused (%s)", x, v, why)
	}
	return v
}

// refused reports whether any of xs (with "go" and "-suffix" dropped) is in
// refusedByDesign.
func refused(xs ...string) bool {
	for _, x := range xs {
		name, _, _ := strings.Cut(strings.TrimPrefix(x, "go"), "-")
		if _, ok := refusedByDesign[name]; ok {
			return true
		}
	}
	return false
}

// goverCompareTests is compareTests from $GOROOT/src/internal/gover/gover_test.go;
// $GOROOT/src/cmd/go/internal/gover/gover_test.go has the same table.
var goverCompareTests = []struct {
	x, y string
	want int
}{
	{"", "", 0},
	{"x", "x", 0},
	{"", "x", 0},
	{"1", "1.1", -1},
	{"1.5", "1.6", -1},
	{"1.5", "1.10", -1},
	{"1.6", "1.6.1", -1},
	{"1.19", "1.19.0", 0},
	{"1.19rc1", "1.19", -1},
	{"1.20", "1.20.0", 0},
	{"1.20rc1", "1.20", -1},
	{"1.21", "1.21.0", -1},
	{"1.21", "1.21rc1", -1},
	{"1.21rc1", "1.21.0", -1},
	{"1.6", "1.19", -1},
	{"1.19", "1.19.1", -1},
	{"1.19rc1", "1.19", -1},
	{"1.19rc1", "1.19.1", -1},
	{"1.19rc1", "1.19rc2", -1},
	{"1.19.0", "1.19.1", -1},
	{"1.19rc1", "1.19.0", -1},
	{"1.19alpha3", "1.19beta2", -1},
	{"1.19beta2", "1.19rc1", -1},
	{"1.1", "1.99999999999999998", -1},
	{"1.99999999999999998", "1.99999999999999999", -1},
}

func TestGoverCompare(t *testing.T) {
	for _, tt := range goverCompareTests {
		// The table is Go's: go/version, which is internal/gover behind a
		// "go" prefix, gives these answers.
		if got := version.Compare("go"+tt.x, "go"+tt.y); got != tt.want {
			t.Errorf("version.Compare(go%s, go%s) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
		want := tt.want
		if refused(tt.x, tt.y) {
			// gvx refuses one, so it sorts first: Go's rule for invalid versions.
			want = cmpInt(valid(tt.x), valid(tt.y))
		}
		if got := Compare(bare(t, tt.x), bare(t, tt.y)); got != want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tt.x, tt.y, got, want)
		}
	}
}

// valid is 1 for a version gvx accepts, 0 otherwise.
func valid(x string) int {
	if _, ok := parseBare(x); ok {
		return 1
	}
	return 0
}

// goverParseTests is parseTests from $GOROOT/src/internal/gover/gover_test.go,
// a gover.Version written as its fields {Major, Minor, Patch, Kind, Pre}.
var goverParseTests = []struct {
	in   string
	want [5]string
}{
	{"1", [5]string{"1", "0", "0", "", ""}},
	{"1.2", [5]string{"1", "2", "0", "", ""}},
	{"1.2.3", [5]string{"1", "2", "3", "", ""}},
	{"1.2rc3", [5]string{"1", "2", "", "rc", "3"}},
	{"1.20", [5]string{"1", "20", "0", "", ""}},
	{"1.21", [5]string{"1", "21", "", "", ""}},
	{"1.21rc3", [5]string{"1", "21", "", "rc", "3"}},
	{"1.21.0", [5]string{"1", "21", "0", "", ""}},
	{"1.24", [5]string{"1", "24", "", "", ""}},
	{"1.24rc3", [5]string{"1", "24", "", "rc", "3"}},
	{"1.24.0", [5]string{"1", "24", "0", "", ""}},
	{"1.999testmod", [5]string{"1", "999", "", "testmod", ""}},
	{"1.99999999999999999", [5]string{"1", "99999999999999999", "", "", ""}},
}

// goverFields returns v as internal/gover.Parse would: the patch of a
// release before Go 1.21 (and of go1) is "0", of a language version "".
func goverFields(v Version) [5]string {
	f := [5]string{strconv.Itoa(v.major), strconv.Itoa(v.minor)}
	switch {
	case v.hasPatch:
		f[2] = strconv.Itoa(v.patch)
	case v.kind == kindRelease && !v.isLanguage():
		f[2] = "0"
	}
	if v.Prerelease() {
		f[3] = map[int]string{kindAlpha: "alpha", kindBeta: "beta", kindRC: "rc"}[v.kind]
		f[4] = strconv.Itoa(v.pre)
	}
	return f
}

func TestGoverParse(t *testing.T) {
	for _, tt := range goverParseTests {
		v := bare(t, tt.in)
		if refused(tt.in) {
			continue
		}
		if got := goverFields(v); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// goverLangTests is langTests from $GOROOT/src/internal/gover/gover_test.go;
// $GOROOT/src/cmd/go/internal/gover/gover_test.go has the same table.
var goverLangTests = []struct{ in, want string }{
	{"1.2rc3", "1.2"},
	{"1.2.3", "1.2"},
	{"1.2", "1.2"},
	{"1", "1"},
	{"1.999testmod", "1.999"},
}

func TestGoverLang(t *testing.T) {
	for _, tt := range goverLangTests {
		v := bare(t, tt.in)
		if refused(tt.in) {
			continue
		}
		if got := v.Lang(); got != tt.want {
			t.Errorf("Parse(%q).Lang() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// goverIsLangTests is isLangTests from $GOROOT/src/internal/gover/gover_test.go;
// $GOROOT/src/cmd/go/internal/gover/gover_test.go has the same table. gvx's
// IsLang is isLanguage: not Stable, not Prerelease.
var goverIsLangTests = []struct {
	in   string
	want bool
}{
	{"1.2rc3", false},
	{"1.2.3", false},
	{"1.999testmod", false},
	{"1.22", true},
	{"1.21", true},
	{"1.20", false}, // == 1.20.0
	{"1.19", false}, // == 1.20.0
	{"1.3", false},  // == 1.3.0
	{"1.2", false},  // == 1.2.0
	{"1", false},    // == 1.0.0
}

func TestGoverIsLang(t *testing.T) {
	for _, tt := range goverIsLangTests {
		v := bare(t, tt.in)
		if got := v.isLanguage(); got != tt.want {
			t.Errorf("Parse(%q).isLanguage() = %v, want %v", tt.in, got, tt.want)
		}
		if got := !v.IsZero() && !v.Stable() && !v.Prerelease(); got != tt.want {
			t.Errorf("Parse(%q): Stable %v, Prerelease %v; want language %v", tt.in, v.Stable(), v.Prerelease(), tt.want)
		}
	}
}

// goverIsValidTests is isValidTests from $GOROOT/src/internal/gover/gover_test.go;
// $GOROOT/src/cmd/go/internal/gover/gover_test.go has the same table.
var goverIsValidTests = []struct {
	in   string
	want bool
}{
	{"1.2rc3", true},
	{"1.2.3", true},
	{"1.999testmod", true},
	{"1.600+auto", false},
	{"1.22", true},
	{"1.21.0", true},
	{"1.21rc2", true},
	{"1.21", true},
	{"1.20.0", true},
	{"1.20", true},
	{"1.19", true},
	{"1.3", true},
	{"1.2", true},
	{"1", true},
}

func TestGoverIsValid(t *testing.T) {
	for _, tt := range goverIsValidTests {
		want := tt.want && !refused(tt.in)
		if _, ok := parseBare(tt.in); ok != want {
			t.Errorf("parseBare(%q) ok = %v, want %v", tt.in, ok, want)
		}
		// Parse also takes "go" and "v" prefixes, and nothing else more.
		if _, err := Parse(tt.in); (err == nil) != want {
			t.Errorf("Parse(%q) = %v, want ok %v", tt.in, err, want)
		}
	}
}

// fromToolchainTests is fromToolchainTests from
// $GOROOT/src/cmd/go/internal/gover/toolchain_test.go ("" = invalid). The
// "-go" form (gccgo-go1.23rc4) is not a toolchain name in current Go.
var fromToolchainTests = []struct{ in, want string }{
	{"go1.2.3", "1.2.3"},
	{"1.2.3", ""},
	{"go1.2.3+bigcorp", ""},
	{"go1.2.3-bigcorp", "1.2.3"},
	{"go1.2.3-bigcorp more text", "1.2.3"},
	{"gccgo-go1.23rc4", ""},
	{"gccgo-go1.23rc4-bigdwarf", ""},
}

func TestGoverFromToolchain(t *testing.T) {
	for _, tt := range fromToolchainTests {
		v, ok := FromToolchain(tt.in)
		if got := map[bool]string{true: v.String()}[ok]; got != tt.want {
			t.Errorf("FromToolchain(%q) = %q, %v, want %q", tt.in, v, ok, tt.want)
		}
	}
}

// modIsValidTests is modIsValidTests from
// $GOROOT/src/cmd/go/internal/gover/mod_test.go, its go and toolchain rows;
// the module rows ("rsc.io/quote") are about module versions, not gvx's.
// A go row is ParseGoLine, a toolchain row ParseToolchainLine.
var modIsValidTests = []struct {
	path, vers string
	want       bool
}{
	{"go", "1.2", true},
	{"go", "v1.2", false},
	{"toolchain", "go1.2", true},
	{"toolchain", "v1.2", false},
}

func TestGoverModIsValid(t *testing.T) {
	for _, tt := range modIsValidTests {
		parse := ParseGoLine
		if tt.path == "toolchain" {
			parse = ParseToolchainLine
		}
		if _, err := parse(tt.vers); (err == nil) != tt.want {
			t.Errorf("%s line %q: error %v, want ok %v", tt.path, tt.vers, err, tt.want)
		}
	}
}

// versionCompareTests is compareTests from $GOROOT/src/go/version/version_test.go.
var versionCompareTests = []struct {
	x, y string
	want int
}{
	{"", "", 0},
	{"x", "x", 0},
	{"", "x", 0},
	{"1", "1.1", 0},
	{"go1", "go1.1", -1},
	{"go1.5", "go1.6", -1},
	{"go1.5", "go1.10", -1},
	{"go1.6", "go1.6.1", -1},
	{"go1.19", "go1.19.0", 0},
	{"go1.19rc1", "go1.19", -1},
	{"go1.20", "go1.20.0", 0},
	{"go1.20", "go1.20.0-bigcorp", 0},
	{"go1.20rc1", "go1.20", -1},
	{"go1.21", "go1.21.0", -1},
	{"go1.21", "go1.21.0-bigcorp", -1},
	{"go1.21", "go1.21rc1", -1},
	{"go1.21rc1", "go1.21.0", -1},
	{"go1.6", "go1.19", -1},
	{"go1.19", "go1.19.1", -1},
	{"go1.19rc1", "go1.19", -1},
	{"go1.19rc1", "go1.19", -1},
	{"go1.19rc1", "go1.19.1", -1},
	{"go1.19rc1", "go1.19rc2", -1},
	{"go1.19.0", "go1.19.1", -1},
	{"go1.19rc1", "go1.19.0", -1},
	{"go1.19alpha3", "go1.19beta2", -1},
	{"go1.19beta2", "go1.19rc1", -1},
	{"go1.1", "go1.99999999999999998", -1},
	{"go1.99999999999999998", "go1.99999999999999999", -1},
}

func TestVersionCompare(t *testing.T) {
	for _, tt := range versionCompareTests {
		if got := version.Compare(tt.x, tt.y); got != tt.want {
			t.Errorf("version.Compare(%s, %s) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
		want := tt.want
		if refused(tt.x, tt.y) {
			want = cmpInt(validName(tt.x), validName(tt.y))
		}
		if got := Compare(named(t, tt.x), named(t, tt.y)); got != want {
			t.Errorf("Compare(FromToolchain(%q), FromToolchain(%q)) = %d, want %d", tt.x, tt.y, got, want)
		}
	}
}

// validName is 1 for a toolchain name gvx accepts, 0 otherwise.
func validName(x string) int {
	if _, ok := FromToolchain(x); ok {
		return 1
	}
	return 0
}

// versionLangTests is langTests from $GOROOT/src/go/version/version_test.go.
var versionLangTests = []struct{ in, want string }{
	{"bad", ""},
	{"go1.2rc3", "go1.2"},
	{"go1.2.3", "go1.2"},
	{"go1.2", "go1.2"},
	{"go1", "go1"},
	{"go222", "go222.0"},
	{"go1.999testmod", "go1.999"},
}

func TestVersionLang(t *testing.T) {
	for _, tt := range versionLangTests {
		v := named(t, tt.in)
		want := tt.want
		if refused(tt.in) {
			want = ""
		}
		got := ""
		if !v.IsZero() {
			got = "go" + v.Lang()
		}
		if got != want {
			t.Errorf("FromToolchain(%q) Lang = %q, want %q", tt.in, got, want)
		}
	}
}

// versionIsValidTests is isValidTests from $GOROOT/src/go/version/version_test.go.
var versionIsValidTests = []struct {
	in   string
	want bool
}{
	{"", false},
	{"1.2.3", false},
	{"go1.2rc3", true},
	{"go1.2.3", true},
	{"go1.999testmod", true},
	{"go1.600+auto", false},
	{"go1.22", true},
	{"go1.21.0", true},
	{"go1.21rc2", true},
	{"go1.21", true},
	{"go1.20.0", true},
	{"go1.20", true},
	{"go1.19", true},
	{"go1.3", true},
	{"go1.2", true},
	{"go1", true},
}

func TestVersionIsValid(t *testing.T) {
	for _, tt := range versionIsValidTests {
		if got := version.IsValid(tt.in); got != tt.want {
			t.Errorf("version.IsValid(%q) = %v, want %v", tt.in, got, tt.want)
		}
		want := tt.want && !refused(tt.in)
		if _, ok := FromToolchain(tt.in); ok != want {
			t.Errorf("FromToolchain(%q) ok = %v, want %v", tt.in, ok, want)
		}
	}
}

// modfileParseVersionsTests is the strict half of TestParseVersions in
// golang.org/x/mod/modfile/read_test.go (v0.33.0): whether modfile.Parse
// accepts a go.mod holding the line. A go line is ParseGoLine of its
// argument, a toolchain line ParseToolchainLine; a line with two arguments
// ("go 1.2 3.4") is given whole, which no parser accepts either.
var modfileParseVersionsTests = []struct {
	line string
	ok   bool
}{
	{"go ", false},
	{"go 1", false},
	{"go 1.22", true},
	{"go 1.22.333", true},
	{"go v1.2", false},
	{"go 1.2rc1", true},
	{"go 1.2 3.4", false},
	{"go 1.2.3", true},
	{"go 1.2rc1", true},
	{"go 1.2beta1", true},
	{"go 1.2.beta1", false},
	{"go v1.2.3", false},
	{"go v1.2rc1", false},
	{"go v1.2beta1", false},
	{"go v1.2.beta1", false},
	{"go v1.2", false},
	{"toolchain go1.2", true},
	{"toolchain go1.2.3", true},
	{"toolchain go1.2rc1", true},
	{"toolchain go1.2rc1-gccgo", true},
	{"toolchain default", true}, // callers handle "default" before ParseToolchainLine
	{"toolchain inconceivable!", false},
}

func TestModfileParseVersions(t *testing.T) {
	for _, tt := range modfileParseVersionsTests {
		verb, arg, _ := strings.Cut(tt.line, " ")
		var err error
		switch {
		case verb == "go":
			_, err = ParseGoLine(arg)
		case arg == "default":
			continue
		default:
			_, err = ParseToolchainLine(arg)
		}
		if (err == nil) != tt.ok {
			t.Errorf("line %q: error %v, want ok %v", tt.line, err, tt.ok)
		}
	}
}

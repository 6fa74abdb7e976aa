package goversion

import (
	"bufio"
	"go/version"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// realVersions returns the versions in testdata/real-versions.txt, every
// "version" of two go.dev/dl listings, as listed ("go1.21rc1").
func realVersions(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/real-versions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			vs = append(vs, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

// syntheticVersions returns 1.N, 1.N.P, 1.NalphaK, 1.NbetaK and 1.NrcK over
// a grid that crosses the Go 1.21 boundary and has two- and three-digit
// numbers, written as toolchain names ("go1.21rc1").
func syntheticVersions() []string {
	var ns, ps, ks []int
	for n := 0; n <= 30; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 99, 100)
	for p := 0; p <= 20; p++ {
		ps = append(ps, p)
	}
	ps = append(ps, 99, 100)
	ks = append(ks, 1, 2, 3, 4, 5, 9, 10, 11)
	var vs []string
	for _, n := range ns {
		minor := "go1." + strconv.Itoa(n)
		vs = append(vs, minor)
		for _, p := range ps {
			vs = append(vs, minor+"."+strconv.Itoa(p))
		}
		for _, kind := range []string{"alpha", "beta", "rc"} {
			for _, k := range ks {
				vs = append(vs, minor+kind+strconv.Itoa(k))
			}
		}
	}
	return append(vs, "go1")
}

// refusedByGvx reports whether gvx refuses the toolchain name s, which
// go/version accepts, by design (see the package doc): only "go1.0.0".
func refusedByGvx(s string) bool { return s == "go1.0.0" }

// goVersionName is the name to give go/version for the version gvx parsed
// from the toolchain name s. It is s itself. Up to Go 1.20 gvx reads the
// bare "1.N" as the release 1.N.0; go/version does the same
// (internal/gover.Parse gives a bare 1.N below 21 the patch "0"), so no
// "1.N.0" needs substituting; TestGoVersionBareReleases keeps that true.
func goVersionName(s string) string { return s }

func TestGoVersionBareReleases(t *testing.T) {
	for n := 0; n <= 20; n++ {
		bare := "go1." + strconv.Itoa(n)
		if c := version.Compare(bare, bare+".0"); c != 0 {
			t.Errorf("version.Compare(%s, %s.0) = %d, want 0: go/version no longer reads %s as a release; "+
				"compare gvx with %s.0 substituted in goVersionName", bare, bare, c, bare, bare)
		}
	}
	if c := version.Compare("go1.21", "go1.21.0"); c != -1 {
		t.Errorf("version.Compare(go1.21, go1.21.0) = %d, want -1", c)
	}
}

// TestCompareMatchesGoVersion checks Compare against the standard library's
// go/version.Compare on every pair of the real and synthetic versions, and
// checks that Equal and Less agree with Compare and that the order is
// antisymmetric and transitive.
func TestCompareMatchesGoVersion(t *testing.T) {
	names := append(realVersions(t), syntheticVersions()...)
	slices.Sort(names)
	names = slices.Compact(names)

	var vs []Version
	var goNames []string
	for _, s := range names {
		v, err := Parse(s)
		goValid := version.IsValid(s)
		switch {
		case err == nil && !goValid:
			t.Errorf("Parse(%q) = %v, but go/version says it is invalid", s, v)
		case err != nil && goValid && !refusedByGvx(s):
			t.Errorf("Parse(%q): %v, but go/version accepts it", s, err)
		case err == nil:
			if c := version.Compare(goVersionName(s), "go"+v.String()); c != 0 {
				t.Errorf("Parse(%q) = %v, which go/version orders %d against %q", s, v, c, s)
			}
			vs = append(vs, v)
			goNames = append(goNames, goVersionName(s))
		}
	}
	if len(vs) < 1500 {
		t.Fatalf("only %d versions to compare", len(vs))
	}

	for i, a := range vs {
		for j, b := range vs {
			c := Compare(a, b)
			if want := version.Compare(goNames[i], goNames[j]); c != want {
				t.Errorf("Compare(%s, %s) = %d, want %d (go/version.Compare(%s, %s))", a, b, c, want, goNames[i], goNames[j])
			}
			if r := Compare(b, a); r != -c {
				t.Errorf("Compare(%s, %s) = %d but Compare(%s, %s) = %d", a, b, c, b, a, r)
			}
			if Equal(a, b) != (c == 0) || Less(a, b) != (c < 0) {
				t.Errorf("Compare(%s, %s) = %d, but Equal = %v and Less = %v", a, b, c, Equal(a, b), Less(a, b))
			}
		}
	}

	// Sorted, every version is at or before every later one.
	sorted := slices.Clone(vs)
	slices.SortStableFunc(sorted, Compare)
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			if Compare(sorted[i], sorted[j]) > 0 {
				t.Fatalf("after sorting, %s comes before %s but Compare = 1", sorted[i], sorted[j])
			}
		}
	}
	// Transitivity over every triple of a spread of the sorted versions,
	// with the pairs that compare equal (1.20 and 1.20.0, 1 and 1.0) kept.
	var sub []Version
	for i, v := range sorted {
		if i%10 == 0 || (i > 0 && Equal(v, sorted[i-1])) || (i+1 < len(sorted) && Equal(v, sorted[i+1])) {
			sub = append(sub, v)
		}
	}
	for _, a := range sub {
		for _, b := range sub {
			ab := Compare(a, b)
			for _, c := range sub {
				bc, ac := Compare(b, c), Compare(a, c)
				if ab <= 0 && bc <= 0 && ac > 0 || ab == 0 && bc == 0 && ac != 0 || ab < 0 && bc < 0 && ac >= 0 {
					t.Fatalf("not transitive: Compare(%s, %s) = %d, Compare(%s, %s) = %d, Compare(%s, %s) = %d", a, b, ab, b, c, bc, a, c, ac)
				}
			}
		}
	}
	t.Logf("%d versions (%d real), %d pairs, %d triples", len(vs), len(realVersions(t)), len(vs)*len(vs), len(sub)*len(sub)*len(sub))
}

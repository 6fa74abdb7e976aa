package goversion

import (
	"errors"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"1.22.6", "1.22.6"},
		{"go1.22.6", "1.22.6"},
		{"v1.22.6", "1.22.6"},
		{"1.21rc1", "1.21rc1"},
		{"go1.8beta1", "1.8beta1"},
		{"1.20", "1.20"},
		{"go1", "1"},
		{"1.21.0", "1.21.0"},
		{"1.23alpha1", "1.23alpha1"},
	}
	for _, tt := range tests {
		v, err := Parse(tt.in)
		if err != nil || v.String() != tt.want {
			t.Errorf("Parse(%q) = %q, %v, want %q", tt.in, v, err, tt.want)
		}
	}
	for _, in := range []string{"", "go", "2.0", "1.", "1.22.", "1.22.6.1", "01.22", "1.022", "1.22rc", "1.22rc0",
		"1.22.6rc1", "1.22-rc1", "1.22.x", " 1.22", "1.0.0", "1.99999999", "latest", "go1.22.6 ", "1.22.6\n", "vgo1.22"} {
		if v, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %q, want error", in, v)
		} else if !errors.Is(err, errInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap errInvalid", in, err)
		}
	}
}

func TestCompare(t *testing.T) {
	// Each entry sorts strictly before the next. TestCompareMatchesGoVersion
	// checks the order against go/version itself, over many more versions.
	ordered := []string{
		"1", "1.2.2", "1.8beta1", "1.8beta2", "1.8rc1", "1.8", "1.8.1", "1.9", "1.10",
		"1.20rc1", "1.20rc3", "1.20", "1.20.1", "1.20.10",
		"1.21", "1.21rc1", "1.21rc2", "1.21.0", "1.21.1",
		"1.22alpha1", "1.22beta1", "1.22rc1", "1.22.0", "1.22.6", "1.22.10", "1.100.0",
	}
	for i := range ordered {
		for j := range ordered {
			a, b := MustParse(ordered[i]), MustParse(ordered[j])
			want := cmpInt(i, j)
			if got := Compare(a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
	// Before 1.21 the release "1.N" is "1.N.0".
	for _, p := range [][2]string{{"1.20", "1.20.0"}, {"go1.19", "1.19.0"}, {"1.22.6", "go1.22.6"}} {
		if !Equal(MustParse(p[0]), MustParse(p[1])) {
			t.Errorf("Equal(%s, %s) = false, want true", p[0], p[1])
		}
	}
	if Equal(MustParse("1.21"), MustParse("1.21.0")) {
		t.Errorf("Equal(1.21, 1.21.0) = true; from Go 1.21 on, 1.21 is the language version")
	}
	vs := []Version{MustParse("1.21.0"), MustParse("1.21rc2"), MustParse("1.20"), MustParse("1.21")}
	slices.SortFunc(vs, Compare)
	var got []string
	for _, v := range vs {
		got = append(got, v.String())
	}
	if want := []string{"1.20", "1.21", "1.21rc2", "1.21.0"}; !slices.Equal(got, want) {
		t.Errorf("sorted = %v, want %v", got, want)
	}
}

func TestStable(t *testing.T) {
	for in, want := range map[string]bool{
		"1.22.6": true, "1.20": true, "1": true, "1.21.0": true,
		"1.21": false, "1.21rc1": false, "1.8beta1": false,
	} {
		if got := MustParse(in).Stable(); got != want {
			t.Errorf("Parse(%q).Stable() = %v, want %v", in, got, want)
		}
	}
}

func TestGoName(t *testing.T) {
	if got := MustParse("v1.22.6").GoName(); got != "go1.22.6" {
		t.Errorf("GoName() = %q, want go1.22.6", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.22.6", "go1.21rc1", "1.20", "go1", "v1.8beta1", "1.22.x", "1.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		// A parsed version prints in a form that parses back to itself.
		w, err := Parse(v.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, but Parse(%q) fails: %v", s, v, v.String(), err)
		}
		if w != v || Compare(v, w) != 0 {
			t.Fatalf("round trip of %q: %#v != %#v", s, v, w)
		}
		if _, err := ParseSpec(v.String()); err != nil {
			t.Fatalf("version %q is not a spec: %v", v, err)
		}
	})
}

func TestHasPrefix(t *testing.T) {
	for _, tt := range []struct {
		v, prefix string
		want      bool
	}{
		{"1.2.2", "1.2", true}, {"1.2rc1", "1.2", true}, {"1.2", "1.2", true}, {"1.22.0", "1.2", false},
		{"1.22.6", "go1.22", true}, {"1.22.6", "v1.22.x", true}, {"1.22.6", "", true}, {"1.22.6", "1.22.6", true},
		{"1.22.6", "1.22.60", false}, {"1.23.0", "1.22", false},
	} {
		if got := HasPrefix(MustParse(tt.v), tt.prefix); got != tt.want {
			t.Errorf("HasPrefix(%s, %q) = %v, want %v", tt.v, tt.prefix, got, tt.want)
		}
	}
}

package goenv

import (
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

func TestParseToolchain(t *testing.T) {
	tests := []struct {
		value, min, mode, err string
	}{
		{"", "", "", ""},
		{"local", "", "", ""},
		{"auto", "", "auto", ""},
		{"path", "", "path", ""},
		{"local+auto", "", "auto", ""},
		{"local+path", "", "path", ""},
		{"go1.22.6", "go1.22.6", "", ""},
		{"go1.22.6+auto", "go1.22.6", "auto", ""},
		{"go1.22.6+path", "go1.22.6", "path", ""},
		{"go1.800-bigcorp", "go1.800-bigcorp", "", ""},
		// From cmd/go/testdata/script/gotoolchain_local.txt and toolchain.Select.
		{"asdf", "", "", `invalid GOTOOLCHAIN "asdf"`},
		{"go1.22.6+local", "", "", `invalid GOTOOLCHAIN "go1.22.6+local": only version suffixes are +auto and +path`},
		{"asdf+auto", "", "", `invalid GOTOOLCHAIN "asdf+auto": invalid minimum toolchain "asdf"`},
		{"1.22.6", "", "", `invalid GOTOOLCHAIN "1.22.6"`},
		{"gccgo-go1.22.6", "", "", `invalid GOTOOLCHAIN "gccgo-go1.22.6"`}, // Go 1.26's gover.FromToolchain wants a "go" prefix
		{"go1.22.6/../x", "", "", `invalid GOTOOLCHAIN "go1.22.6/../x"`},
		{"auto+auto", "", "", `invalid GOTOOLCHAIN "auto+auto": invalid minimum toolchain "auto"`},
	}
	for _, tt := range tests {
		tc, err := ParseToolchain(tt.value, FromEnvironment)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseToolchain(%q) error = %v, want %q", tt.value, err, tt.err)
			}
			continue
		}
		if err != nil || tc.Min != tt.min || tc.Mode != tt.mode {
			t.Errorf("ParseToolchain(%q) = min %q mode %q, %v; want min %q mode %q", tt.value, tc.Min, tc.Mode, err, tt.min, tt.mode)
		}
	}
}

func mod(goLine, toolchain string) *Module {
	m := &Module{}
	if goLine != "" {
		m.Go = goversion.MustParse(goLine)
	}
	switch toolchain {
	case "", "none":
	case "default":
		m.ToolchainDefault = true
	default:
		v, ok := goversion.FromToolchain(toolchain)
		if !ok {
			panic(toolchain)
		}
		m.Toolchain, m.ToolchainName = v, toolchain
	}
	return m
}

// TestDecide ports the version selection cases of
// cmd/go/testdata/script/gotoolchain_local.txt (TESTGO_VERSION=go1.500, here
// 1.500.0) and adds the ones gvx's shim depends on.
func TestDecide(t *testing.T) {
	tests := []struct {
		local, gotoolchain string
		mod                *Module
		run                string // "" = local
		reason             string
		pathOnly, refuses  bool
	}{
		// No go.mod or go.work.
		{"1.500.0", "auto", nil, "", ReasonLocal, false, false},
		{"1.500.0", "path", nil, "", ReasonLocal, false, false},
		{"1.500.0", "go1.600", nil, "go1.600", ReasonGOTOOLCHAIN, false, false},
		{"1.500.0", "go1.400", nil, "go1.400", ReasonGOTOOLCHAIN, false, false},
		{"1.500.0", "go1.600+auto", nil, "go1.600", ReasonGOTOOLCHAIN, false, false},
		{"1.500.0", "go1.400.0+auto", nil, "go1.400.0", ReasonGOTOOLCHAIN, false, false},
		{"1.500.0", "go1.600+path", nil, "go1.600", ReasonGOTOOLCHAIN, true, false},
		{"1.500.0", "go1.400+path", nil, "go1.400", ReasonGOTOOLCHAIN, true, false},
		// auto and a go.mod.
		{"1.500.0", "auto", mod("1.700", "none"), "go1.700.0", ReasonGoLine, false, false},
		{"1.500.0", "auto", mod("1.300", "none"), "", ReasonLocal, false, false},
		{"1.500.0", "auto", mod("1.700", "go1.300"), "go1.700.0", ReasonGoLine, false, false},
		{"1.500.0", "auto", mod("1.300", "default"), "", ReasonLocal, false, false},
		{"1.500.0", "auto", mod("1.700", "default"), "", ReasonLocal, false, true},
		// path does the same, looking only on PATH.
		{"1.500.0", "path", mod("1.700", "none"), "go1.700.0", ReasonGoLine, true, false},
		{"1.500.0", "path", mod("1.300", "none"), "", ReasonLocal, false, false},
		{"1.500.0", "path", mod("1.700", "go1.300"), "go1.700.0", ReasonGoLine, true, false},
		{"1.500.0", "path", mod("1.700", "default"), "", ReasonLocal, false, true},
		// min+auto with toolchain default uses min, not local.
		{"1.500.0", "go1.400+auto", mod("1.300", "default"), "go1.400", ReasonGOTOOLCHAIN, false, false},
		{"1.500.0", "go1.600+auto", mod("1.300", "default"), "go1.600", ReasonGOTOOLCHAIN, false, false},
		// Names with a -suffix.
		{"1.500.0", "go1.800-bigcorp", nil, "go1.800-bigcorp", ReasonGOTOOLCHAIN, false, false},
		{"1.500.0", "auto", mod("1.999", "go1.800-bigcorp"), "go1.999.0", ReasonGoLine, false, false},
		{"1.500.0", "auto", mod("1.777", "go1.800-bigcorp"), "go1.800-bigcorp", ReasonToolchainLine, false, false},
		// If toolchain > go, the toolchain is the target, not the go version.
		{"1.500.0", "auto", mod("1.499", "go1.501"), "go1.501", ReasonToolchainLine, false, false},
		{"1.500.0", "auto", mod("1.500", "go1.500"), "", ReasonLocal, false, false}, // the language 1.500 is older than 1.500.0
		// (TESTGO_VERSION=go1.2.3 there; a real go that old does not switch, so 1.21.3 here.)
		{"1.21.3", "auto", mod("1.23rc1", "go1.1.1"), "go1.23rc1", ReasonGoLine, false, false},
		{"1.21.3", "auto", mod("1.23rc1", "go1.998"), "go1.998", ReasonToolchainLine, false, false},
		// gvx's cases: the toolchain line is compared with the raw go line.
		{"1.22.6", "auto", mod("1.23", "go1.23rc2"), "go1.23rc2", ReasonToolchainLine, false, false},
		{"1.22.6", "auto", mod("1.23.0", "go1.23rc2"), "go1.23.0", ReasonGoLine, false, false},
		{"1.22.6", "auto", mod("1.22.0", ""), "", ReasonLocal, false, false},
		{"1.21.13", "auto", mod("1.22.6", ""), "go1.22.6", ReasonGoLine, false, false},
		{"1.21.13", "local", mod("1.22.6", ""), "", ReasonLocal, false, true},
		{"1.21.13", "", mod("1.22.6", ""), "", ReasonLocal, false, true},
		{"1.21.13", "go1.22.6", mod("1.22.6", ""), "go1.22.6", ReasonGOTOOLCHAIN, false, false},
		{"1.21.13", "go1.22.0", mod("1.22.6", ""), "go1.22.0", ReasonGOTOOLCHAIN, false, true},
		{"1.21.13", "go1.21.13+auto", mod("1.22.6", ""), "go1.22.6", ReasonGoLine, false, false},
		{"1.22.6", "go1.22.6", nil, "", ReasonLocal, false, false},
		{"1.20.14", "auto", mod("1.20", ""), "", ReasonTooOld, false, false},
		{"1.20.14", "go1.22.6", mod("1.22.6", ""), "", ReasonTooOld, false, true}, // Go before 1.21 ignores GOTOOLCHAIN
		{"1.19.13", "auto", mod("1.20", ""), "", ReasonTooOld, false, true},
		{"1.19.13", "auto", mod("1.18", ""), "", ReasonTooOld, false, false},
	}
	for _, tt := range tests {
		tc, err := ParseToolchain(tt.gotoolchain, FromEnvironment)
		if err != nil {
			t.Fatal(err)
		}
		local := goversion.MustParse(tt.local)
		v := Decide(local, tc, tt.mod, false)
		desc := "no module"
		if tt.mod != nil {
			desc = "go " + tt.mod.Go.String() + " toolchain " + tt.mod.ToolchainName
		}
		if v.Run != tt.run || v.Reason != tt.reason || v.PathOnly != tt.pathOnly || v.Refuses != tt.refuses {
			t.Errorf("Decide(%s, GOTOOLCHAIN=%s, %s) = run %q (%s) pathOnly %v refuses %v; want run %q (%s) pathOnly %v refuses %v",
				tt.local, tt.gotoolchain, desc, v.Run, v.Reason, v.PathOnly, v.Refuses, tt.run, tt.reason, tt.pathOnly, tt.refuses)
		}
		if tt.run == "" && !goversion.Equal(v.Version, local) {
			t.Errorf("Decide(%s, GOTOOLCHAIN=%s, %s).Version = %s, want the local %s", tt.local, tt.gotoolchain, desc, v.Version, local)
		}
		if tt.run != "" && !strings.HasPrefix(tt.run, v.Version.GoName()) {
			t.Errorf("Decide(%s, GOTOOLCHAIN=%s, %s).Version = %s, want that of %s", tt.local, tt.gotoolchain, desc, v.Version, tt.run)
		}
		// GO111MODULE=off turns selection off entirely.
		if off := Decide(local, tc, tt.mod, true); off.Run != "" || off.Refuses {
			t.Errorf("Decide(%s, GOTOOLCHAIN=%s, %s, modules off) = %+v, want the local go", tt.local, tt.gotoolchain, desc, off)
		}
	}
}

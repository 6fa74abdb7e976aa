package goenv

import (
	"fmt"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// Environment variables the go command sets when it switches toolchains
// (cmd/go/internal/toolchain/exec.go). The target go checks SwitchVersion
// against itself and unsets it; switchCount counts hops up to 100.
const (
	SwitchVersion = "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION"
	switchCount   = "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT"
)

// Switching modes of GOTOOLCHAIN.
const (
	ModeNone = ""     // never switch: local, or a bare go1.22.6
	ModeAuto = "auto" // look on PATH, else download
	ModePath = "path" // look on PATH only
)

// Toolchain is a parsed GOTOOLCHAIN value.
type Toolchain struct {
	// Value is the setting as found, "" when nothing sets it (the go command
	// then never switches).
	Value string
	// Source is where Value came from (see Settings.Get).
	Source string
	// Min names the default toolchain when it is not the local one:
	// "go1.22.6" for GOTOOLCHAIN=go1.22.6+auto; "" for local, auto and path.
	Min        string
	MinVersion goversion.Version
	// Mode is ModeAuto, ModePath or ModeNone.
	Mode string
}

// Switches reports whether the go command may switch to a newer toolchain
// that go.mod or go.work asks for: auto, path, X+auto and X+path.
func (t Toolchain) Switches() bool { return t.Mode != ModeNone }

// String is "GOTOOLCHAIN=auto" with the source when it is a file, or
// "GOTOOLCHAIN unset" when nothing sets it.
func (t Toolchain) String() string {
	switch t.Source {
	case FromNowhere:
		return "GOTOOLCHAIN unset"
	case FromEnvironment:
		return "GOTOOLCHAIN=" + t.Value
	}
	return "GOTOOLCHAIN=" + t.Value + " (from " + t.Source + ")"
}

// LookupToolchain returns GOTOOLCHAIN as the go command started with
// settings s would see it. A value the go command refuses is an error that
// names it; the go command fails the same way.
func LookupToolchain(s *Settings) (Toolchain, error) {
	return ParseToolchain(s.Get("GOTOOLCHAIN"))
}

// ParseToolchain parses a GOTOOLCHAIN value with the go command's rules
// (toolchain.Select): local, auto, path, a toolchain name (go1.22.6,
// go1.22.6-custom; see goversion.FromToolchain), or a name or local followed
// by +auto or +path.
func ParseToolchain(value, source string) (Toolchain, error) {
	t := Toolchain{Value: value, Source: source}
	switch value {
	case "", "local":
		return t, nil
	case "auto", "path":
		t.Mode = value
		return t, nil
	}
	min, suffix, plus := strings.Cut(value, "+")
	if plus && suffix != ModeAuto && suffix != ModePath {
		return t, fmt.Errorf("invalid GOTOOLCHAIN %q: only version suffixes are +auto and +path", value)
	}
	t.Mode = suffix
	if min != "local" {
		v, ok := goversion.FromToolchain(min)
		if !ok {
			if plus {
				return t, fmt.Errorf("invalid GOTOOLCHAIN %q: invalid minimum toolchain %q", value, min)
			}
			return t, fmt.Errorf("invalid GOTOOLCHAIN %q", value)
		}
		t.Min, t.MinVersion = min, v
	}
	return t, nil
}

// Module is what the go command's toolchain selection reads of the go.work
// or go.mod that applies: its go and toolchain lines.
type Module struct {
	Go goversion.Version // zero when there is no go line
	// Toolchain is the version of the toolchain line, ToolchainName the
	// name as written ("go1.22.6-custom"); zero and "" when there is none.
	Toolchain     goversion.Version
	ToolchainName string
	// ToolchainDefault is "toolchain default": never switch for this module.
	ToolchainDefault bool
}

// Reasons for a Verdict.
const (
	ReasonLocal         = "local"          // the go that started does the work
	ReasonGOTOOLCHAIN   = "GOTOOLCHAIN"    // GOTOOLCHAIN names the toolchain
	ReasonToolchainLine = "toolchain line" // the module's toolchain line
	ReasonGoLine        = "go line"        // the module's go line
	// ReasonTooOld: the local go predates toolchain switching (Go 1.21)
	// and ignores GOTOOLCHAIN.
	ReasonTooOld = "older than go1.21"
)

// firstSwitching is the first go command that switches toolchains.
var firstSwitching = goversion.MustParse("1.21.0")

// Verdict is what the go command does about its toolchain.
type Verdict struct {
	// Run is the name of the toolchain the go command execs ("go1.22.6"),
	// "" when the local one does the work.
	Run string
	// Version is the version of the toolchain that does the work.
	Version goversion.Version
	Reason  string
	// PathOnly reports that Run is only looked for on PATH (GOTOOLCHAIN
	// path or +path); otherwise, missing there, it is downloaded.
	PathOnly bool
	// Refuses reports that the toolchain that does the work is older than
	// the go line, so the go command fails ("go.mod requires go >= ...").
	Refuses bool
}

// Decide says what a go command of version local does in module mod (nil
// outside a module) under GOTOOLCHAIN tc, following toolchain.Select: the
// default toolchain is local, or GOTOOLCHAIN's minimum; with auto or path a
// toolchain line newer than that raises it, and then a go line newer still
// (a language version "1.22" from Go 1.21 on meaning go1.22.0). When the
// result is not local, the go command execs it. modulesOff (GO111MODULE=off)
// turns all of this off, as the go command does, and a local go older than
// go1.21 knows nothing of it. A zero local stands for "any toolchain": the
// verdict is then the module's own minimum.
func Decide(local goversion.Version, tc Toolchain, mod *Module, modulesOff bool) Verdict {
	v := Verdict{Version: local, Reason: ReasonLocal}
	if modulesOff {
		return v
	}
	if !local.IsZero() && goversion.Less(local, firstSwitching) {
		v.Reason = ReasonTooOld
		v.Refuses = mod != nil && !mod.Go.IsZero() && goversion.Compare(mod.Go, local) > 0
		return v
	}
	name, vers := "", local
	if tc.Min != "" {
		name, vers, v.Reason = tc.Min, tc.MinVersion, ReasonGOTOOLCHAIN
	}
	if tc.Switches() && mod != nil && !mod.ToolchainDefault {
		if mod.ToolchainName != "" && goversion.Compare(mod.Toolchain, vers) > 0 {
			name, vers, v.Reason = mod.ToolchainName, mod.Toolchain, ReasonToolchainLine
		}
		if !mod.Go.IsZero() && goversion.Compare(mod.Go, vers) > 0 {
			vers, v.Reason = FirstRelease(mod.Go), ReasonGoLine
			name = vers.GoName()
		}
	}
	if name != "" && name != local.GoName() {
		v.Run, v.Version = name, vers
		v.PathOnly = tc.Mode == ModePath
	} else {
		v.Reason = ReasonLocal
	}
	v.Refuses = mod != nil && !mod.Go.IsZero() && goversion.Compare(mod.Go, v.Version) > 0
	return v
}

// FirstRelease turns a language version ("1.22", Go 1.21 and later) into
// the toolchain that first provides it ("1.22.0"), as the go command does
// before it switches (golang.org/issue/62278); other versions are returned
// as they are.
func FirstRelease(v goversion.Version) goversion.Version {
	if v.Stable() || v.Prerelease() {
		return v
	}
	if r, err := goversion.Parse(v.String() + ".0"); err == nil {
		return r
	}
	return v
}

package registry

import (
	"fmt"
	"runtime"
)

// HostProbe tells Host about the machine. NativeProbe is the real one;
// tests fake every answer.
type HostProbe interface {
	GOOS() string
	GOARCH() string
	// AppleSilicon reports whether the hardware is an Apple Silicon Mac
	// (sysctl hw.optional.arm64), which stays true inside Rosetta 2.
	AppleSilicon() (bool, error)
	// Translated reports whether this process runs under Rosetta 2
	// (sysctl sysctl.proc_translated).
	Translated() (bool, error)
}

// NativeProbe returns the probe of the running process.
func NativeProbe() HostProbe { return nativeProbe{} }

type nativeProbe struct{}

func (nativeProbe) GOOS() string                { return runtime.GOOS }
func (nativeProbe) GOARCH() string              { return runtime.GOARCH }
func (nativeProbe) AppleSilicon() (bool, error) { return sysctlFlag("hw.optional.arm64") }
func (nativeProbe) Translated() (bool, error)   { return sysctlFlag("sysctl.proc_translated") }

// Host returns the platform to install Go for: GOOS/GOARCH of gvx itself,
// except on macOS, where the hardware decides, so that an Apple Silicon Mac
// gets darwin/arm64 even when gvx runs under Rosetta 2. Warnings say when
// that happened or when the hardware could not be asked.
func Host(p HostProbe) (Platform, []string, error) {
	plat := Platform{OS: p.GOOS(), Arch: p.GOARCH()}
	if plat.OS == "" || plat.Arch == "" {
		return Platform{}, nil, fmt.Errorf("cannot tell the host platform (GOOS %q, GOARCH %q); use --arch", plat.OS, plat.Arch)
	}
	if plat.OS != "darwin" || plat.Arch == "arm64" {
		return plat, nil, nil
	}
	arm, err := p.AppleSilicon()
	if err != nil {
		return plat, []string{fmt.Sprintf("cannot tell whether this Mac has Apple Silicon (%v); installing darwin/%s Go, use --arch arm64 to change that", err, plat.Arch)}, nil
	}
	if !arm {
		return plat, nil, nil
	}
	var warns []string
	switch translated, err := p.Translated(); {
	case err != nil:
		warns = append(warns, fmt.Sprintf("gvx is a darwin/%s program on Apple Silicon (%v); installing native darwin/arm64 Go", plat.Arch, err))
	case translated:
		warns = append(warns, "gvx is running under Rosetta 2; installing native darwin/arm64 Go")
	default:
		warns = append(warns, fmt.Sprintf("gvx is a darwin/%s program on Apple Silicon; installing native darwin/arm64 Go", plat.Arch))
	}
	return Platform{OS: "darwin", Arch: "arm64"}, warns, nil
}

package doctor

import (
	"context"
	"path/filepath"
	"strings"
)

// checkCgo checks that cgo, when on, has a C compiler for the toolchain's
// architecture.
func checkCgo(ctx context.Context, s *state) []Result {
	const id = "cgo"
	enabled, src := s.goSetting("CGO_ENABLED")
	if enabled == "0" {
		return []Result{ok(id, "cgo is off (CGO_ENABLED=0 from %s)", src)}
	}
	installFix := "install a C compiler (apt install gcc, dnf install gcc, apk add gcc musl-dev)"
	if s.GOOS == "darwin" {
		installFix = "xcode-select --install"
	}
	var cc string
	if v, _ := s.goSetting("CC"); v != "" {
		fields := strings.Fields(v)
		cc = fields[0]
		if !filepath.IsAbs(cc) {
			p, err := s.LookPath(cc)
			if err != nil {
				return []Result{fail(id, "unset CC, or put "+cc+" on PATH", "CC=%s is set but %s is not on PATH: cgo builds fail", v, cc)}
			}
			cc = p
		}
	} else {
		names := []string{"cc", "gcc", "clang"}
		if s.GOOS == "darwin" {
			if dir, err := s.runTimed(ctx, nil, "xcode-select", "-p"); err != nil || strings.TrimSpace(dir) == "" {
				// /usr/bin/clang is then a stub that offers to install
				// them: the go command finds it, so cgo stays on.
				why := "the Xcode Command Line Tools are missing (xcode-select -p failed): /usr/bin/clang is only a stub that offers to install them, so cgo stays on and every cgo build fails"
				if enabled == "1" {
					return []Result{fail(id, installFix, "CGO_ENABLED=1 but %s", why)}
				}
				return []Result{warn(id, installFix, "%s", why)}
			}
			names = []string{"clang", "cc"}
		}
		for _, n := range names {
			if p, err := s.LookPath(n); err == nil {
				cc = p
				break
			}
		}
		if cc == "" {
			return []Result{s.noCompiler(id, enabled, installFix, "no C compiler ("+strings.Join(names, ", ")+") on PATH")}
		}
	}
	goarch, _ := s.goSetting("GOARCH")
	if goarch == "" {
		goarch = s.goarchOfSelection()
	}
	args := []string{"-dumpmachine"}
	if s.GOOS == "darwin" {
		// The go command passes -arch to the C compiler on darwin, so
		// Apple's clang builds for Go's GOARCH whatever its default.
		args = []string{"-arch", darwinArch(goarch), "-dumpmachine"}
	}
	out, err := s.runTimed(ctx, nil, cc, args...)
	if err != nil {
		return []Result{warn(id, "", "C compiler %s found, but its target is unknown: %v", cc, err)}
	}
	triple := strings.TrimSpace(out)
	arch := tripleArch(triple)
	if arch != goarch {
		fix := "set CC to a compiler for " + goarch
		if s.GOOS == "darwin" {
			fix = "use Apple's clang (CC=/usr/bin/clang) from a native shell"
		}
		return []Result{warn(id, fix, "C compiler %s targets %s, but Go builds for %s: cgo builds fail to link", cc, triple, goarch)}
	}
	return []Result{ok(id, "cgo can build: %s targets %s, as Go does (%s)", cc, triple, goarch)}
}

func (s *state) noCompiler(id, enabled, fix, why string) Result {
	if enabled == "1" {
		return fail(id, fix, "CGO_ENABLED=1 but %s: cgo builds fail", why)
	}
	return warn(id, fix, "%s: go builds with cgo off, and packages that need cgo fail", why)
}

// goarchOfSelection is the GOARCH the selected toolchain builds for: its
// receipt's, else the host's.
func (s *state) goarchOfSelection() string {
	for _, in := range s.installed {
		if s.sel.Installed && in.Root == s.sel.GOROOT && in.Receipt.Arch != "" {
			return in.Receipt.Arch
		}
	}
	return s.host.Arch
}

// darwinArch is the -arch name of a GOARCH, as cmd/go passes it.
func darwinArch(goarch string) string {
	if goarch == "amd64" {
		return "x86_64"
	}
	return goarch
}

// tripleArch maps the first part of a target triple (cc -dumpmachine) to
// a GOARCH.
func tripleArch(triple string) string {
	cpu, _, _ := strings.Cut(triple, "-")
	switch {
	case cpu == "x86_64" || cpu == "amd64":
		return "amd64"
	case cpu == "aarch64" || cpu == "arm64" || cpu == "arm64e":
		return "arm64"
	case cpu == "i386" || cpu == "i486" || cpu == "i586" || cpu == "i686":
		return "386"
	case strings.HasPrefix(cpu, "arm"):
		return "arm"
	case cpu == "powerpc64le" || cpu == "ppc64le":
		return "ppc64le"
	case cpu == "powerpc64" || cpu == "ppc64":
		return "ppc64"
	case cpu == "loongarch64":
		return "loong64"
	}
	return cpu
}

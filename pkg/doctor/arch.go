package doctor

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// checkHost reports, on macOS, the hardware and whether gvx or the shell
// that started it runs under Rosetta 2. Elsewhere there is nothing to say.
func checkHost(_ context.Context, s *state) []Result {
	if s.GOOS != "darwin" {
		return nil
	}
	arm, err := s.Sysctl("hw.optional.arm64")
	if err != nil && !isNotExist(err) {
		return []Result{warn("arch.host", "", "cannot tell whether this Mac has Apple Silicon: %v", err)}
	}
	if arm != 1 {
		return []Result{ok("arch.host", "Intel Mac (x86_64)")}
	}
	out := []Result{ok("arch.host", "Apple Silicon Mac (arm64)")}
	switch t, err := s.Sysctl("sysctl.proc_translated"); {
	case err != nil && !isNotExist(err):
		out = append(out, warn("arch.gvx", "", "cannot tell whether gvx runs under Rosetta 2: %v", err))
	case t == 1 || s.GOARCH != "arm64":
		out = append(out, warn("arch.gvx",
			"install the darwin/arm64 build of gvx (a release archive, or 'go install github.com/gvx-dev/gvx/cmd/...@latest' with an arm64 Go)",
			"gvx is a darwin/%s program running under Rosetta 2", s.GOARCH))
	default:
		out = append(out, ok("arch.gvx", "gvx runs natively (arm64)"))
	}
	shell := s.Getenv("SHELL")
	if shell == "" {
		shell = "/bin/zsh"
	}
	switch t, err := s.ShellTranslated(); {
	case err != nil:
		out = append(out, warn("arch.shell", "", "cannot tell whether this shell runs under Rosetta 2: %v", err))
	case t:
		out = append(out, warn("arch.shell",
			fmt.Sprintf("turn off 'Open using Rosetta' for your terminal app, or run: exec arch -arm64 %s -l", shell),
			"this shell runs under Rosetta 2: programs it starts prefer x86_64, and go env GOARCH says amd64"))
	default:
		out = append(out, ok("arch.shell", "this shell runs natively"))
	}
	return out
}

// checkToolchainArch reads the CPU type of every installed toolchain's
// bin/go and compares it with the hardware's.
func checkToolchainArch(_ context.Context, s *state) []Result {
	var out []Result
	for _, in := range s.installed {
		out = append(out, s.toolchainArch(in))
	}
	return out
}

func (s *state) toolchainArch(in install.Installed) Result {
	const id = "arch.toolchain"
	name := in.Version.GoName()
	gobin := filepath.Join(in.Root, "bin", layout.ExeName(s.GOOS, "go"))
	b, err := s.ReadBinary(gobin)
	if err != nil {
		return fail(id, reinstallFix(in), "%s: cannot read %s: %v", name, gobin, err)
	}
	res := s.judgeBinary(id, name+" ("+gobin+")", b, reinstallFix(in))
	if res.Status == OK && s.GOOS == "darwin" {
		if r, bad := s.macOSTooOld(id, name, gobin, in); bad {
			return r
		}
	}
	if res.Status != OK && in.Receipt.ArchChosen {
		// Installed for this architecture on purpose (gvx install --arch,
		// the way to Go before 1.16 on Apple Silicon): nothing to fix.
		return ok(id, "%s is for %s, installed so on purpose (--arch)", name, in.Receipt.Arch)
	}
	// Only a binary for another architecture is worth reinstalling
	// natively; a bin/go that is no binary at all is for the user to judge.
	if res.Status != OK && b.Format != "" {
		res.Action = &Action{Kind: Reinstall, Version: in.Version}
	}
	return res
}

// macOSTooOld reads the minimum macOS of an installed bin/go and reports
// whether this Mac's macOS is older: such a root cannot start here.
func (s *state) macOSTooOld(id, name, gobin string, in install.Installed) (Result, bool) {
	hv, err := s.MacOSVersion()
	if err != nil {
		return Result{}, false
	}
	host, err := install.ParseMacOSVersion(hv)
	if err != nil {
		return Result{}, false
	}
	data, err := s.ReadFile(gobin)
	if err != nil {
		return Result{}, false
	}
	min, err := install.MinMacOS(bytes.NewReader(data), s.host.Arch)
	if err != nil || !host.Less(min) {
		return Result{}, false
	}
	fix := "gvx uninstall " + in.Version.String()
	if newest := install.NewestLineForMacOS(host); newest != "" {
		fix += " && gvx install " + newest
	}
	return fail(id, fix, "%s (%s) needs macOS %s or later, and this Mac runs macOS %s: it cannot start here", name, gobin, min, host), true
}

func reinstallFix(in install.Installed) string {
	// doctor --fix stages the native build completely before it replaces
	// the root; an uninstall first would lose the toolchain if the install
	// then failed (offline, say).
	return fmt.Sprintf("gvx doctor --fix\n(it replaces %s with the build for this machine once that is downloaded and checked)", in.Version.GoName())
}

// checkShimArch reads the CPU type of gvx's own shim binary, which every go
// call starts: an x86_64 one on Apple Silicon (an Intel Homebrew's) makes
// every call a Rosetta process.
func checkShimArch(_ context.Context, s *state) []Result {
	const id = "arch.shim"
	p := filepath.Join(s.Dirs.Libexec(), layout.ExeName(s.GOOS, "gvx-shim"))
	if _, err := s.Stat(p); err != nil {
		return nil // no shims yet: the shims check says so
	}
	b, err := s.ReadBinary(p)
	if err != nil {
		return []Result{warn(id, "gvx doctor --fix", "cannot read gvx's shim binary %s: %v", p, err)}
	}
	fix := "install gvx built for this machine (the release archives hold a universal darwin build), then run 'gvx setup' again"
	return []Result{s.judgeBinary(id, "gvx's shim binary "+p, b, fix)}
}

// checkPathArch reads the CPU type of every go on PATH that is not gvx's.
func checkPathArch(_ context.Context, s *state) []Result {
	var out []Result
	for _, p := range s.otherGos() {
		b, err := s.ReadBinary(p)
		if err != nil {
			out = append(out, warn("arch.path", "", "cannot read %s: %v", p, err))
			continue
		}
		if b.Format == "" {
			// Another manager's wrapper script, most likely: the go it
			// runs is not this file.
			out = append(out, ok("arch.path", "%s is a script, not a Go binary", p))
			continue
		}
		out = append(out, s.judgeBinary("arch.path", p, b,
			fmt.Sprintf("replace %s with a %s/%s build, or take %s off PATH", p, s.host.OS, s.host.Arch, filepath.Dir(p))))
	}
	return out
}

// judgeBinary says whether b runs natively on the host.
func (s *state) judgeBinary(id, what string, b Binary, fix string) Result {
	native := s.host.Arch
	wantFormat := map[string]string{"darwin": "Mach-O", "windows": "PE"}[s.host.OS]
	if wantFormat == "" {
		wantFormat = "ELF"
	}
	desc := b.Format + " " + strings.Join(mapArch(b.Arches), "+")
	switch {
	case b.Format == "":
		return warn(id, fix, "%s is not a Mach-O, ELF or PE binary; its architecture is unknown", what)
	case b.Format != wantFormat:
		return fail(id, fix, "%s is a %s binary, which %s cannot run", what, desc, s.host.OS)
	case slices.Contains(b.Arches, native):
		return ok(id, "%s is %s, native here", what, desc)
	case s.host.OS == "darwin" && native == "arm64" && slices.Contains(b.Arches, "amd64"):
		return warn(id, fix, "%s is %s: it runs under Rosetta 2, slower, and builds for amd64 by default", what, desc)
	}
	return fail(id, fix, "%s is %s, which this %s/%s machine cannot run", what, desc, s.host.OS, archName(native))
}

func mapArch(arches []string) []string {
	out := make([]string, len(arches))
	for i, a := range arches {
		out[i] = archName(a)
	}
	return out
}

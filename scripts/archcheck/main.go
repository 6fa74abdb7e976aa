// Command archcheck verifies that each release artifact's CPU type matches
// the platform in its path: a darwin_arm64 build must be a Mach-O arm64
// binary, never x86_64 (which would run under Rosetta 2).
//
//	go run ./scripts/archcheck dist/gvx_darwin_arm64*/gvx dist/...
package main

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"os"
	"regexp"
)

// platformRE finds goreleaser's "<os>_<arch>" directory part of a path.
var platformRE = regexp.MustCompile(`(darwin|linux|windows)_(amd64|arm64)`)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: archcheck BINARY...")
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		m := platformRE.FindStringSubmatch(path)
		if m == nil {
			fmt.Fprintf(os.Stderr, "archcheck: %s: no <os>_<arch> in the path\n", path)
			failed = true
			continue
		}
		goos, arch, err := identify(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "archcheck: %s: %v\n", path, err)
			failed = true
			continue
		}
		status := "ok  "
		if goos != m[1] || arch != m[2] {
			status = "FAIL"
			failed = true
		}
		fmt.Printf("%s %-60s want %s/%s, is %s/%s\n", status, path, m[1], m[2], goos, arch)
	}
	if failed {
		os.Exit(1)
	}
}

// identify reads the executable format and CPU type of a binary.
func identify(path string) (goos, arch string, err error) {
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		return "darwin", machoArch(f.Cpu), nil
	}
	if _, err := macho.OpenFat(path); err == nil {
		return "darwin", "fat", nil
	}
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		switch f.Machine {
		case elf.EM_X86_64:
			return "linux", "amd64", nil
		case elf.EM_AARCH64:
			return "linux", "arm64", nil
		}
		return "linux", f.Machine.String(), nil
	}
	if f, err := pe.Open(path); err == nil {
		defer f.Close()
		switch f.Machine {
		case pe.IMAGE_FILE_MACHINE_AMD64:
			return "windows", "amd64", nil
		case pe.IMAGE_FILE_MACHINE_ARM64:
			return "windows", "arm64", nil
		}
		return "windows", fmt.Sprintf("machine %#x", f.Machine), nil
	}
	return "", "", fmt.Errorf("not a Mach-O, ELF or PE executable")
}

func machoArch(c macho.Cpu) string {
	switch c {
	case macho.CpuArm64:
		return "arm64"
	case macho.CpuAmd64:
		return "amd64"
	}
	return c.String()
}

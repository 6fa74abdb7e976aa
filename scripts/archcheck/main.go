// Command archcheck verifies that each release artifact's CPU type matches
// the platform in its path: a darwin_arm64 build must be a Mach-O arm64
// binary, never x86_64 (which would run under Rosetta 2), and a darwin_all
// one universal, with both. For every darwin binary it reports each
// slice's minimum macOS and fails when one needs more than maxMacOS.
//
//	go run ./scripts/archcheck dist/gvx_darwin_arm64*/gvx dist/...
package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/gvx-dev/gvx/pkg/doctor"
	"github.com/gvx-dev/gvx/pkg/install"
)

// platformRE finds goreleaser's "<os>_<arch>" directory part of a path.
var platformRE = regexp.MustCompile(`(darwin|linux|windows)_(amd64|arm64|all)`)

// maxMacOS is the oldest macOS gvx releases support, as the README states:
// Go 1.25, which builds them, writes minos 12.0.
var maxMacOS = install.MacOSVersion{Major: 12}

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
		want := m[2]
		if want == "all" {
			want = "universal [amd64 arm64]"
		}
		status := "ok  "
		if goos != m[1] || arch != want {
			status = "FAIL"
			failed = true
		}
		note := ""
		if goos == "darwin" {
			mins, err := minOS(path)
			note = "; minimum macOS " + mins
			if err != nil {
				status, failed, note = "FAIL", true, fmt.Sprintf("; minimum macOS: %v", err)
			}
		}
		fmt.Printf("%s %-60s want %s/%s, is %s/%s%s\n", status, path, m[1], want, goos, arch, note)
	}
	if failed {
		os.Exit(1)
	}
}

// minOS reads each slice's minimum macOS, "arm64 12.0, amd64 12.0", and
// fails when one needs a newer macOS than maxMacOS.
func minOS(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := doctor.ReadBinary(path)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, arch := range b.Arches {
		v, err := install.MinMacOS(f, arch)
		if len(b.Arches) == 1 {
			v, err = install.MinMacOS(f, "")
		}
		if err != nil {
			return "", fmt.Errorf("%s slice: %w", arch, err)
		}
		if maxMacOS.Less(v) {
			return "", fmt.Errorf("%s slice needs macOS %s, newer than the %s the README promises", arch, v, maxMacOS)
		}
		parts = append(parts, arch+" "+v.String())
	}
	return strings.Join(parts, ", "), nil
}

// formatOS is the GOOS each executable format is built for here.
var formatOS = map[string]string{"Mach-O": "darwin", "ELF": "linux", "PE": "windows"}

// identify reads the executable format and CPU type of a binary with the
// reader gvx doctor uses on installed toolchains.
func identify(path string) (goos, arch string, err error) {
	b, err := doctor.ReadBinary(path)
	if err != nil {
		return "", "", err
	}
	switch {
	case b.Format == "":
		return "", "", fmt.Errorf("not a Mach-O, ELF or PE executable")
	case len(b.Arches) != 1:
		// A universal file is not what a per-architecture build makes.
		return formatOS[b.Format], fmt.Sprintf("universal %v", b.Arches), nil
	}
	return formatOS[b.Format], b.Arches[0], nil
}

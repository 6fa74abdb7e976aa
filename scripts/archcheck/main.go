// Command archcheck verifies that each release artifact's CPU type matches
// the platform in its path: a darwin_arm64 build must be a Mach-O arm64
// binary, never x86_64 (which would run under Rosetta 2).
//
//	go run ./scripts/archcheck dist/gvx_darwin_arm64*/gvx dist/...
package main

import (
	"fmt"
	"os"
	"regexp"

	"github.com/gvx-dev/gvx/pkg/doctor"
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

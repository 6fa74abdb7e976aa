// Command gvx installs Go versions and selects one per shell and project.
//
// Run under a shim's name (go, gofmt, go1.22.6) it acts as the shim; the
// shims normally point at the smaller gvx-shim binary, which starts faster.
package main

import (
	"os"

	"github.com/gvx-dev/gvx/internal/cli"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func main() {
	if shim.IsShimName(os.Args[0]) {
		os.Exit(shim.Main(os.Args))
	}
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

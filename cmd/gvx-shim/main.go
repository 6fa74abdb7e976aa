// Command gvx-shim is gvx's shim: installed under $GVX_HOME/libexec and
// linked as $GVX_HOME/shims/go, gofmt and go<version>, it runs the Go version
// that applies to the current invocation, shell and directory. It links only
// the standard library, gvx's shim, goenv, goversion, layout and atomicfile
// packages, and go-internal's lockedfile, the file lock of shim.Sync
// (TestShimDependencies checks it), so that it starts fast on every go call.
package main

import (
	"os"

	"github.com/gvx-dev/gvx/pkg/shim"
)

func main() { os.Exit(shim.Main(os.Args)) }

// Package verify checks downloaded Go toolchains: SHA-256 sums computed while
// streaming (go.dev/dl archives) and module zip h1: hashes checked against the
// Go checksum database (golang.org/toolchain zips from a module proxy).
package verify

import (
	"fmt"
	"strings"
)

// MismatchError is a verification failure: what was downloaded is not what
// the listing or the checksum database says it must be. It is a security
// error: the CLI prints it loudly and exits with code 3, and nothing of the
// download may become visible.
type MismatchError struct {
	What     string // what was compared: "SHA-256", "h1 (checksum database)", "size"
	Subject  string // what was checked: "go1.22.6.linux-amd64.tar.gz"
	URL      string // where it came from
	Expected string
	Got      string
	// Advice replaces the closing lines, which otherwise say to retry a
	// download: a copy on disk stays as it is however often it is read.
	Advice string
}

func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "SECURITY ERROR: %s mismatch for %s\n", e.What, e.Subject)
	fmt.Fprintf(&b, "  url:      %s\n", e.URL)
	fmt.Fprintf(&b, "  expected: %s\n", e.Expected)
	fmt.Fprintf(&b, "  got:      %s\n", e.Got)
	if e.Advice != "" {
		b.WriteString(e.Advice)
		return b.String()
	}
	b.WriteString("The download was discarded and nothing was installed. This may be a corrupted\n")
	b.WriteString("download or a tampered mirror; retry, and report it if it happens again.")
	return b.String()
}

package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// checkModCache lists the toolchains in Go's module cache (GOMODCACHE, as
// the go command resolves it) that gvx could adopt: for this machine's
// platform and not installed in gvx, each installed from there with no
// download by 'gvx install'. It says what 'go clean -modcache' would then
// free of toolchains, and that clearing the module cache is the user's
// call: gvx only reads it.
func checkModCache(_ context.Context, s *state) []Result {
	const id = "store.modcache"
	root := ""
	if s.selErr == nil && s.sel.Installed {
		root = s.sel.GOROOT
	}
	dir := goenv.ModCache(&goenv.Settings{Getenv: s.Getenv, GOOS: s.GOOS, GOROOT: root})
	if dir == "" {
		return []Result{ok(id, "no Go module cache (neither GOMODCACHE nor GOPATH names one)")}
	}
	tcs, err := registry.ModCache{Dir: dir}.Toolchains()
	if err != nil {
		return []Result{warn(id, "", "%v", err)}
	}
	if len(tcs) == 0 {
		return []Result{ok(id, "Go's module cache (%s) holds no toolchains", dir)}
	}
	installed := map[string]bool{}
	for _, in := range s.installed {
		installed[in.Version.String()] = true
	}
	var adopt, dup, other []string
	var versions []string
	var total int64
	for _, tc := range tcs {
		total += tc.Bytes
		item := fmt.Sprintf("%s %s (%s)", tc.Version.GoName(), tc.Platform, size(tc.Bytes))
		switch {
		case tc.Platform != s.host:
			other = append(other, item)
		case installed[tc.Version.String()]:
			dup = append(dup, item)
		default:
			adopt = append(adopt, item)
			versions = append(versions, tc.Version.String())
		}
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "Go's module cache (%s) holds %s", dir, count(len(tcs), "toolchain"))
	if len(adopt) > 0 {
		fmt.Fprintf(&msg, "; gvx can adopt %s with no download: %s", count(len(adopt), "toolchain"), strings.Join(adopt, ", "))
	}
	if len(dup) > 0 {
		fmt.Fprintf(&msg, "; installed in gvx already: %s", strings.Join(dup, ", "))
	}
	if len(other) > 0 {
		fmt.Fprintf(&msg, "; for other platforms: %s", strings.Join(other, ", "))
	}
	var fix strings.Builder
	after := ""
	if len(adopt) > 0 {
		fmt.Fprintf(&fix, "gvx install %s   # from the module cache, checked, no download\n", strings.Join(versions, " "))
		after = "after that, "
	}
	fmt.Fprintf(&fix, "%s'go clean -modcache' would free %s of toolchains; it clears the whole module cache, other modules too.\n", after, size(total))
	fix.WriteString("Whether to clear it is your call: gvx never deletes or changes Go's module cache.")
	return []Result{{ID: id, Status: OK, Message: msg.String(), Fix: fix.String()}}
}

// count is "1 toolchain", "3 toolchains".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// size writes a byte count as people read disk space: "296.6 MB".
func size(n int64) string { return install.HumanBytes(n) }

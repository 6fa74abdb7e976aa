package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/gvx-dev/gvx/pkg/install"
)

// deepKey carries the settings of a deep run in the context given to
// Check: see WithDeep.
type deepKey struct{}

type deep struct{ sums install.SumLookup }

// WithDeep makes Check, run with the returned context, also re-hash every
// installed root as 'gvx verify' does (checkRoots), asking sums for the
// checksum database's h1: of Go 1.21 and later unless the Env is offline.
// A nil sums checks the roots against their file lists only.
func WithDeep(ctx context.Context, sums install.SumLookup) context.Context {
	return context.WithValue(ctx, deepKey{}, deep{sums: sums})
}

// checkRoots re-hashes each installed root (gvx doctor --deep).
func checkRoots(ctx context.Context, s *state) []Result {
	d, ok := ctx.Value(deepKey{}).(deep)
	if !ok {
		return nil
	}
	sums := d.sums
	if s.Offline {
		sums = nil
	}
	in := &install.Installer{Dirs: s.Dirs}
	var out []Result
	intact := 0
	for _, i := range s.installed {
		rc, err := in.Check(ctx, i.Version.String(), sums)
		if err != nil {
			out = append(out, Result{ID: "store.roots", Status: Fail, Message: fmt.Sprintf("%s: %v", i.Version.GoName(), err),
				Fix: "gvx uninstall " + i.Version.String() + " && gvx install " + i.Version.String()})
			continue
		}
		if rc.Intact() {
			intact++
			continue
		}
		var what []string
		if rc.List != "" {
			what = append(what, rc.List)
		}
		for _, l := range []struct {
			kind  string
			names []string
		}{{"changed", rc.Changed}, {"missing", rc.Missing}, {"extra", rc.Extra}} {
			if len(l.names) > 0 {
				what = append(what, fmt.Sprintf("%d %s (%s)", len(l.names), l.kind, firstFew(l.names, 3)))
			}
		}
		if rc.SumDB == "mismatch" {
			what = append(what, "the checksum database's h1 differs")
		}
		out = append(out, Result{ID: "store.roots", Status: Fail,
			Message: fmt.Sprintf("%s in %s is not what was installed: %s", i.Version.GoName(), rc.Root, strings.Join(what, "; ")),
			Fix:     "gvx verify " + i.Version.String() + " lists every file; reinstall: gvx uninstall " + i.Version.String() + " && gvx install " + i.Version.String()})
	}
	if len(out) == 0 {
		out = append(out, Result{ID: "store.roots", Status: OK, Message: fmt.Sprintf("%d installed root(s) re-hashed: intact", intact)})
	}
	return out
}

func firstFew(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + ", …"
}

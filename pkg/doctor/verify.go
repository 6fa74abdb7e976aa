package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// trustKey carries Trust in the context given to Check: see WithTrust.
type trustKey struct{}

// Trust configures the checks of what gvx trusts and remembers (checkTrust).
type Trust struct {
	// CacheDir is gvx's cache, where failed sources are remembered.
	CacheDir string
	// Deep re-hashes every installed root as 'gvx verify' does, asking
	// Sums for the checksum database's h1: of Go 1.21 and later unless
	// the Env is offline (a nil Sums checks the file lists only).
	Deep bool
	Sums install.SumLookup
}

// WithTrust makes Check, run with the returned context, report the sources
// remembered as failing and, when t.Deep, the state of every root.
func WithTrust(ctx context.Context, t Trust) context.Context {
	return context.WithValue(ctx, trustKey{}, t)
}

// checkTrust reports the remembered source failures and, with --deep, the
// installed roots re-hashed.
func checkTrust(ctx context.Context, s *state) []Result {
	t, _ := ctx.Value(trustKey{}).(Trust)
	var out []Result
	if t.CacheDir != "" {
		out = append(out, checkFailedSources(s, t.CacheDir)...)
	}
	if t.Deep {
		out = append(out, checkRoots(ctx, s, t.Sums)...)
	}
	return out
}

// checkFailedSources says which sources gvx tries last for now, and why.
func checkFailedSources(s *state, cacheDir string) []Result {
	fails := registry.Cache{Dir: cacheDir, Now: s.Now}.Failures()
	if len(fails) == 0 {
		return []Result{{ID: "source.memory", Status: OK, Message: "no release source is remembered as failing"}}
	}
	var out []Result
	for _, f := range fails {
		until := f.At.Add(registry.FailureMemory)
		out = append(out, Result{ID: "source.memory", Status: Warn,
			Message: fmt.Sprintf("the %s listing %s failed to answer at %s (%s); until %s it is tried only after the module proxy",
				f.Source, f.URL, f.At.Local().Format("15:04:05"), f.Error, until.Local().Format("15:04:05")),
			Fix: "gvx install --refresh (or gvx list-remote --refresh) forgets it and asks it first again"})
	}
	return out
}

// checkRoots re-hashes each installed root (gvx doctor --deep).
func checkRoots(ctx context.Context, s *state, sums install.SumLookup) []Result {
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

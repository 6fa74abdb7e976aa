package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// cachedForever makes the listing cache answer with any entry it has,
// however old: completion and quick existence checks never wait for the
// network.
const cachedForever = 100 * 365 * 24 * time.Hour

// errNoNetwork is what the cache-only client answers every request with.
var errNoNetwork = errors.New("cache only: no network request")

type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) { return nil, errNoNetwork }

// cachedReleases returns the releases in the cached listing without a
// network request. It fails when nothing is cached.
func (e *env) cachedReleases(ctx context.Context) ([]registry.Release, error) {
	src, err := registry.SourceFromEnv(registry.EnvOptions{
		Getenv: e.getenv,
		Client: &http.Client{Transport: noNetwork{}},
		Cache:  registry.Cache{Dir: e.cacheDir(), MaxAge: cachedForever},
		Notes:  io.Discard,
		GOPROXY: func() (string, error) {
			// 'go env' is not run for this: only the environment.
			if p := e.getenv("GOPROXY"); p != "" {
				return p, nil
			}
			return "", errNoNetwork
		},
	})
	if err != nil {
		return nil, err
	}
	return src.List(ctx)
}

// releasesFor returns the listing for checks that must not slow a command
// down: the cached one, else a fresh one. offline is set when neither is
// available.
func (e *env) releasesFor(ctx context.Context) (rels []registry.Release, offline error) {
	if rels, err := e.cachedReleases(ctx); err == nil {
		return rels, nil
	}
	w, err := e.world(false)
	if err != nil {
		return nil, err
	}
	src, err := w.source()
	if err != nil {
		return nil, err
	}
	return src.List(ctx)
}

// checkExists refuses sp when the listing shows that no release matches it
// (a typo such as 1.22.66 or 1.99), naming the newest of its line. When no
// listing can be had it warns and lets the caller go on.
func (e *env) checkExists(ctx context.Context, sp goversion.Spec) error {
	switch sp.Kind() {
	case goversion.System, goversion.Latest:
		return nil
	}
	rels, err := e.releasesFor(ctx)
	if err != nil {
		e.notef("cannot check that %s exists (%v); going on", sp, err)
		return nil
	}
	for _, r := range rels {
		if sp.Matches(r.Version) {
			return nil
		}
	}
	return noRelease(sp, rels)
}

// noRelease says that no release matches sp, and what does exist nearby:
// "no go1.22.66; the newest 1.22 is go1.22.12".
func noRelease(sp goversion.Spec, rels []registry.Release) error {
	var newest, newestLine goversion.Version
	line := ""
	if sp.Kind() == goversion.Exact || sp.Kind() == goversion.Line {
		line = sp.Version().Lang()
	}
	for _, r := range rels {
		if !r.Stable {
			continue
		}
		if newest.IsZero() || goversion.Compare(r.Version, newest) > 0 {
			newest = r.Version
		}
		if line != "" && r.Version.Lang() == line && (newestLine.IsZero() || goversion.Compare(r.Version, newestLine) > 0) {
			newestLine = r.Version
		}
	}
	what := fmt.Sprintf("no Go release matches %q", sp)
	switch sp.Kind() {
	case goversion.Exact:
		what = "no " + sp.Version().GoName()
	case goversion.Line:
		what = "no Go " + line + " release"
	}
	switch {
	case !newestLine.IsZero():
		return fmt.Errorf("%s; the newest %s is %s (see 'gvx list-remote %s')", what, line, newestLine.GoName(), line)
	case !newest.IsZero():
		return fmt.Errorf("%s; the newest release is %s (see 'gvx list-remote')", what, newest.GoName())
	}
	return fmt.Errorf("%s; see 'gvx list-remote'", what)
}

// explainNoRelease turns the failure to find the exact version sp in src
// (the listing lacks it, or a module proxy answers 404) into noRelease's
// message, which names the newest of its line. Other errors pass unchanged.
func explainNoRelease(ctx context.Context, src registry.Source, sp goversion.Spec, err error) error {
	var nm *registry.NoMatchError
	var se *registry.StatusError
	if src == nil || sp.Kind() != goversion.Exact || !(errors.As(err, &nm) || errors.As(err, &se) && se.NotFound()) {
		return err // other specs: the listing's own message names the newest release
	}
	rels, lerr := src.List(ctx)
	if lerr != nil {
		return err
	}
	for _, r := range rels {
		if goversion.Equal(r.Version, sp.Version()) {
			return err // the release exists: what was not found is its archive
		}
	}
	return noRelease(sp, rels)
}

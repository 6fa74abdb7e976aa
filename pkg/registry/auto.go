package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// SettingError is an environment variable or option with a value gvx cannot
// use (layout.SettingError, the one type for every setting). It is a usage
// error: the CLI exits with code 2.
type SettingError = layout.SettingError

// Lookuper is a Source that can find one exact toolchain its List leaves out
// (a module proxy may serve versions its list omits).
type Lookuper interface {
	Lookup(ctx context.Context, v goversion.Version, plat Platform) (Artifact, bool, error)
}

// autoSource uses the dl source, and the module proxy when go.dev/dl cannot
// be reached.
type autoSource struct {
	dl, proxy Source
	notes     io.Writer
	// cache remembers a dl listing that failed to answer (see
	// FailureMemory); the zero Cache remembers nothing.
	cache Cache

	mu       sync.Mutex
	fellBack bool
}

// newAuto returns the default source: dl, falling back to proxy (with one
// note on notes) when the listing cannot be reached: a network error, a
// timeout or a 5xx answer. A listing that arrives but is malformed is an
// error, not a reason to fall back.
func newAuto(dl, proxy Source, notes io.Writer) Source {
	return &autoSource{dl: dl, proxy: proxy, notes: notes}
}

// Name returns "auto".
func (a *autoSource) Name() string { return "auto" }

// List lists the dl source's releases, or the proxy's when dl cannot be
// reached. A dl listing that failed to answer in the last FailureMemory is
// tried only after the proxy, without a note; --refresh (Cache.Refresh)
// forgets that.
func (a *autoSource) List(ctx context.Context) ([]Release, error) {
	listURL := ""
	if d, ok := a.dl.(*dlSource); ok {
		listURL = d.ListingURL()
	}
	if a.cache.Refresh {
		a.cache.ForgetFailures()
	} else if _, failed := a.cache.failed(listURL); failed && listURL != "" {
		if rels, perr := a.proxy.List(ctx); perr == nil {
			a.mu.Lock()
			a.fellBack = true
			a.mu.Unlock()
			return a.viaMirrors(rels), nil
		}
		// The proxy fails too: the dl listing may be back.
	}
	rels, err := a.dl.List(ctx)
	var ue *UnreachableError
	if err == nil || !errors.As(err, &ue) {
		if err == nil && listURL != "" {
			if _, failed := a.cache.failed(listURL); failed {
				a.cache.rememberFailure("dl", listURL, nil)
			}
		}
		return rels, err
	}
	if listURL != "" && ctx.Err() == nil {
		a.cache.rememberFailure("dl", listURL, err)
	}
	a.mu.Lock()
	if !a.fellBack {
		a.fellBack = true
		note(a.notes, "gvx: the go.dev/dl listing cannot be reached (%v); using the module proxy (for the next %v it is tried only after the proxy, without this note)", err, FailureMemory)
	}
	a.mu.Unlock()
	rels, perr := a.proxy.List(ctx)
	if perr != nil {
		return nil, fmt.Errorf("%w; the module proxy failed too: %w", err, perr)
	}
	return a.viaMirrors(rels), nil
}

// viaMirrors is rels, the proxy's, as archives of the files-only mirrors
// when GVX_DL_MIRROR names some: with no listing, the proxy says which
// versions exist, the mirrors serve the bytes and the checksum database
// alone vouches for them.
func (a *autoSource) viaMirrors(rels []Release) []Release {
	if d, ok := a.dl.(*dlSource); ok && len(d.mirrors) > 0 {
		return mirrorReleases(rels, d.mirrors)
	}
	return rels
}

// Fetch fetches from the source the artifact came from.
func (a *autoSource) Fetch(ctx context.Context, art Artifact) (io.ReadCloser, error) {
	switch art.Source {
	case "dl":
		return a.dl.Fetch(ctx, art)
	case "proxy":
		return a.proxy.Fetch(ctx, art)
	}
	return nil, fmt.Errorf("%s comes from the unknown source %q", art.Filename, art.Source)
}

// Lookup asks the module proxy for an exact toolchain, once List has fallen
// back to it; the dl listing is complete, so before that it reports false.
func (a *autoSource) Lookup(ctx context.Context, v goversion.Version, plat Platform) (Artifact, bool, error) {
	a.mu.Lock()
	fellBack := a.fellBack
	a.mu.Unlock()
	if l, ok := a.proxy.(Lookuper); ok && fellBack {
		art, found, err := l.Lookup(ctx, v, plat)
		if found && err == nil {
			if rs := a.viaMirrors([]Release{{Version: art.Version, Artifacts: []Artifact{art}}}); len(rs) == 1 {
				art = rs[0].Artifacts[0]
			}
		}
		return art, found, err
	}
	return Artifact{}, false, nil
}

// EnvOptions configure SourceFromEnv.
type EnvOptions struct {
	// Getenv reads GVX_SOURCE and GVX_DL_BASE.
	Getenv func(string) string
	// Client makes the requests; nil means NewHTTPClient(HTTPOptions{}).
	Client *http.Client
	// Cache keeps listings between runs.
	Cache Cache
	// Notes receives one-line notes (fallback, offline); may be nil.
	Notes io.Writer
	// GOPROXY returns the GOPROXY list. It is called once, when the proxy
	// source is first used, so that "auto" does not run 'go env' unless it
	// must; the CLI passes a function around GoEnv.
	GOPROXY func() (string, error)
}

// SourceFromEnv returns the source GVX_SOURCE names: "auto" (the default),
// "dl" or "proxy". Any other value is a *SettingError.
func SourceFromEnv(opts EnvOptions) (Source, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if opts.Client == nil {
		opts.Client = NewHTTPClient(HTTPOptions{})
	}
	kind := strings.TrimSpace(getenv("GVX_SOURCE"))
	if kind == "" {
		kind = "auto"
	}
	if kind != "auto" && kind != "dl" && kind != "proxy" {
		return nil, &SettingError{Var: "GVX_SOURCE", Value: kind, Want: "auto, dl or proxy"}
	}
	var dl Source
	if kind != "proxy" {
		base, err := dlBase(getenv)
		if err != nil {
			return nil, err
		}
		mirrors, err := dlMirrors(getenv)
		if err != nil {
			return nil, err
		}
		dl = newDL(dlOptions{Base: base, Client: opts.Client, Cache: opts.Cache, Notes: opts.Notes, Mirrors: mirrors})
		if kind == "dl" {
			return dl, nil
		}
	}
	proxy := &lazyProxy{mk: func() (Source, error) {
		if opts.GOPROXY == nil {
			return nil, errors.New("no GOPROXY: set GOPROXY to a module proxy URL")
		}
		s, err := opts.GOPROXY()
		if err != nil {
			return nil, err
		}
		list, err := ParseGOPROXY(s)
		if err != nil {
			return nil, err
		}
		return newProxy(proxyOptions{Proxies: list, Client: opts.Client, Cache: opts.Cache, Notes: opts.Notes}), nil
	}}
	if kind == "proxy" {
		return proxy, nil
	}
	auto := newAuto(dl, proxy, opts.Notes).(*autoSource)
	auto.cache = opts.Cache
	return auto, nil
}

// lazyProxy builds the proxy source on first use.
type lazyProxy struct {
	mk   func() (Source, error)
	once sync.Once
	src  Source
	err  error
}

func (l *lazyProxy) get() (Source, error) {
	l.once.Do(func() { l.src, l.err = l.mk() })
	return l.src, l.err
}

func (l *lazyProxy) Name() string { return "proxy" }

func (l *lazyProxy) List(ctx context.Context) ([]Release, error) {
	s, err := l.get()
	if err != nil {
		return nil, err
	}
	return s.List(ctx)
}

func (l *lazyProxy) Fetch(ctx context.Context, a Artifact) (io.ReadCloser, error) {
	s, err := l.get()
	if err != nil {
		return nil, err
	}
	return s.Fetch(ctx, a)
}

func (l *lazyProxy) Lookup(ctx context.Context, v goversion.Version, plat Platform) (Artifact, bool, error) {
	s, err := l.get()
	if err != nil {
		return Artifact{}, false, err
	}
	if lk, ok := s.(Lookuper); ok {
		return lk.Lookup(ctx, v, plat)
	}
	return Artifact{}, false, nil
}

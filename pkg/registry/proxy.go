package registry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// ToolchainModule is the module the go command downloads toolchains as.
const ToolchainModule = "golang.org/toolchain"

// toolchainPrefix starts every version of ToolchainModule:
// "v0.0.1-go1.22.6.linux-amd64".
const toolchainPrefix = "v0.0.1-go"

// maxInfoBytes bounds a .info answer, a few dozen bytes of JSON.
const maxInfoBytes = 64 << 10

// errGOPROXYOff is returned when GOPROXY forbids module proxies.
var errGOPROXYOff = errors.New("GOPROXY=off forbids downloading toolchains from a module proxy")

// ParseGOPROXY reads a GOPROXY list as the go command does: entries
// separated by ',' (try the next entry only after a 404 or 410) or '|' (after
// any error); the keyword "direct" ends the list and is kept as an entry;
// "off" ends it too. A bare host gets "https://". A file:///path entry is a
// directory in the module proxy layout, read from disk. An empty list, a
// list that starts with "off", and entries that are not http, https or
// file URLs are errors.
func ParseGOPROXY(s string) ([]verify.Proxy, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("GOPROXY is empty; set GOPROXY to a module proxy URL (see 'go help goproxy')")
	}
	var list []verify.Proxy
	for rest := s; rest != ""; {
		var entry string
		fallBack := false
		if i := strings.IndexAny(rest, ",|"); i >= 0 {
			entry, fallBack, rest = rest[:i], rest[i] == '|', rest[i+1:]
		} else {
			entry, rest = rest, ""
		}
		entry = strings.TrimSpace(entry)
		switch entry {
		case "":
			continue
		case "off":
			if len(list) == 0 {
				return nil, errGOPROXYOff
			}
			list = append(list, verify.Proxy{URL: "off"})
			return list, nil
		case "direct":
			// As in the go command, "direct" is the end of the line.
			return append(list, verify.Proxy{URL: "direct"}), nil
		}
		if strings.ContainsAny(entry, ".:/") && !strings.Contains(entry, ":/") && !filepath.IsAbs(entry) && !path.IsAbs(entry) {
			entry = "https://" + entry
		}
		u, err := url.Parse(entry)
		if err == nil && u.Scheme == "file" {
			if err := checkFileProxy(u); err != nil {
				return nil, fmt.Errorf("GOPROXY entry %q: %w", entry, err)
			}
		} else if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("GOPROXY entry %q is not an http, https or file proxy URL; gvx cannot use it", entry)
		}
		list = append(list, verify.Proxy{URL: strings.TrimRight(entry, "/"), FallBackOnError: fallBack})
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("GOPROXY=%q contains no entries; set GOPROXY to a module proxy URL", s)
	}
	return list, nil
}

// proxyOptions configure newProxy.
type proxyOptions struct {
	// Proxies is the parsed GOPROXY list.
	Proxies []verify.Proxy
	// Client makes the requests; nil means NewHTTPClient(HTTPOptions{}).
	Client *http.Client
	// Cache keeps the toolchain list between runs.
	Cache Cache
	// Notes receives one-line notes; may be nil.
	Notes io.Writer
}

// proxySource lists and fetches golang.org/toolchain module zips from a
// GOPROXY list.
type proxySource struct {
	proxies []verify.Proxy
	client  *http.Client
	cache   Cache
	notes   io.Writer
}

// newProxy returns the module proxy source.
func newProxy(opts proxyOptions) Source {
	p := &proxySource{proxies: opts.Proxies, client: opts.Client, cache: opts.Cache, notes: opts.Notes}
	if p.client == nil {
		p.client = NewHTTPClient(HTTPOptions{})
	}
	return p
}

// Name returns "proxy".
func (p *proxySource) Name() string { return "proxy" }

// ModVersion is the golang.org/toolchain version of one toolchain:
// "v0.0.1-go1.22.6.linux-amd64". Platform names are GOOS/GOARCH, as the go
// command writes them.
func ModVersion(v goversion.Version, plat Platform) string {
	return toolchainPrefix + v.String() + "." + plat.OS + "-" + plat.Arch
}

// List returns the toolchains the first answering proxy lists, newest first.
func (p *proxySource) List(ctx context.Context) ([]Release, error) {
	var rels []Release
	err := p.walk(func(base string) error {
		listURL := base + "/" + ToolchainModule + "/@v/list"
		cache := p.cache
		if isFileURL(base) {
			cache = Cache{} // a directory on disk is read anew each time
		}
		body, err := fetchListing(ctx, p.client, cache, p.notes, listURL, "toolchain list", checkToolchainList)
		if err != nil {
			return err
		}
		rels = parseToolchainList(body, base)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", ToolchainModule, err)
	}
	return rels, nil
}

// Fetch opens the module zip of a, trying the proxies in order.
func (p *proxySource) Fetch(ctx context.Context, a Artifact) (io.ReadCloser, error) {
	if a.Source != "proxy" {
		return nil, fmt.Errorf("the proxy source cannot fetch %s from the %q source", a.Filename, a.Source)
	}
	if _, _, ok := parseModVersion(a.ModVersion); !ok || a.ModPath != ToolchainModule {
		return nil, fmt.Errorf("%s@%s is not a Go toolchain module version", a.ModPath, a.ModVersion)
	}
	var rc io.ReadCloser
	err := p.walk(func(base string) error {
		var err error
		rc, err = openArchive(ctx, p.client, a, base+"/"+ToolchainModule+"/@v/"+a.ModVersion+".zip")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("download: %w", err) // err names the URL
	}
	return rc, nil
}

// Lookup asks the proxies for one toolchain by its .info file, for versions
// a proxy serves but leaves out of its list. It reports false, and no
// error, when every proxy says the toolchain does not exist.
func (p *proxySource) Lookup(ctx context.Context, v goversion.Version, plat Platform) (Artifact, bool, error) {
	modver := ModVersion(v, plat)
	if _, _, ok := parseModVersion(modver); !ok {
		return Artifact{}, false, fmt.Errorf("%s for %s is not a Go toolchain module version", v.GoName(), plat)
	}
	var a Artifact
	err := p.walk(func(base string) error {
		infoURL := base + "/" + ToolchainModule + "/@v/" + modver + ".info"
		resp, err := get(ctx, p.client, infoURL, nil)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var info struct{ Version string }
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxInfoBytes))
		if err != nil {
			return &UnreachableError{URL: infoURL, Err: err}
		}
		if err := json.Unmarshal(b, &info); err != nil || info.Version != modver {
			return fmt.Errorf("%s: not the .info of %s@%s", infoURL, ToolchainModule, modver)
		}
		a = toolchainArtifact(v, plat, modver, base)
		return nil
	})
	var se *StatusError
	if errors.As(err, &se) && se.NotFound() {
		return Artifact{}, false, nil
	}
	if err != nil {
		return Artifact{}, false, fmt.Errorf("look up %s for %s: %w", v.GoName(), plat, err)
	}
	return a, true, nil
}

// walk calls try with each proxy base URL in turn, as the go command's
// TryProxies does: after a 404 or 410 it goes on to the next entry; after
// any other error only if the entry was followed by '|'. "direct" is
// skipped (toolchains come only from proxies here) and "off" stops. The
// error returned is the most useful one seen: a proxy's real failure before
// a "not found".
func (p *proxySource) walk(try func(base string) error) error {
	var best error
	bestIsNotFound := true
	tried := false
	for _, px := range p.proxies {
		switch px.URL {
		case "direct":
			continue
		case "off":
			if best == nil || bestIsNotFound {
				best = errGOPROXYOff
			}
			return best
		}
		tried = true
		err := try(px.URL)
		if err == nil {
			return nil
		}
		var se *StatusError
		notFound := errors.As(err, &se) && se.NotFound()
		if best == nil || (bestIsNotFound && !notFound) {
			best, bestIsNotFound = err, notFound
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if !px.FallBackOnError && !notFound {
			break
		}
	}
	if !tried {
		return errors.New("GOPROXY names no module proxy (\"direct\" fetches from version control, which gvx does not do for toolchains); set GOPROXY to a module proxy URL")
	}
	return best
}

// checkToolchainList accepts any text of bounded size: lines gvx cannot
// read are skipped later.
func checkToolchainList(b []byte) error {
	if n := bytes.Count(b, []byte("\n")); n > maxFiles {
		return fmt.Errorf("the toolchain list has %d lines, more than %d; refusing it", n, maxFiles)
	}
	return nil
}

// parseToolchainList reads "@v/list": one module version per line. Lines
// that are not toolchain versions are skipped.
func parseToolchainList(body []byte, base string) []Release {
	byVersion := map[string]*Release{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 4096)
	for sc.Scan() {
		modver := strings.TrimSpace(sc.Text())
		v, plat, ok := parseModVersion(modver)
		if !ok || seen[modver] {
			continue
		}
		seen[modver] = true
		rel := byVersion[v.String()]
		if rel == nil {
			rel = &Release{Version: v, Stable: v.Stable()}
			byVersion[v.String()] = rel
		}
		rel.Artifacts = append(rel.Artifacts, toolchainArtifact(v, plat, modver, base))
	}
	rels := make([]Release, 0, len(byVersion))
	for _, rel := range byVersion {
		slices.SortFunc(rel.Artifacts, func(a, b Artifact) int { return strings.Compare(a.Platform.String(), b.Platform.String()) })
		rels = append(rels, *rel)
	}
	slices.SortFunc(rels, func(a, b Release) int { return goversion.Compare(b.Version, a.Version) })
	return rels
}

func toolchainArtifact(v goversion.Version, plat Platform, modver, base string) Artifact {
	return Artifact{
		Version:    v,
		Platform:   plat,
		Source:     "proxy",
		Format:     ModuleZip,
		Filename:   modver + ".zip",
		URL:        base + "/" + ToolchainModule + "/@v/" + modver + ".zip",
		ModPath:    ToolchainModule,
		ModVersion: modver,
	}
}

// parseModVersion reads "v0.0.1-go1.22.6.linux-amd64". The version must be
// one Go's order knows, written as Go writes it, and the platform two plain
// words, so the result is safe inside a URL path.
func parseModVersion(s string) (goversion.Version, Platform, bool) {
	rest, ok := strings.CutPrefix(s, toolchainPrefix)
	i := strings.LastIndexByte(rest, '.')
	if !ok || i < 0 {
		return goversion.Version{}, Platform{}, false
	}
	ver := rest[:i]
	goos, arch, ok := strings.Cut(rest[i+1:], "-")
	if !ok || !goosName(goos) || !goarchName(arch) {
		return goversion.Version{}, Platform{}, false
	}
	v, err := goversion.Parse(ver)
	if err != nil || v.String() != ver {
		return goversion.Version{}, Platform{}, false
	}
	return v, Platform{OS: goos, Arch: arch}, true
}

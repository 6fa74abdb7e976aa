package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/gvx-dev/gvx/pkg/verify"
)

// dlMirrors reads GVX_DL_MIRROR: a base URL, or a comma-separated list
// tried in order, of files-only mirrors of go.dev/dl (directories of
// archives, no JSON listing). Each must be an http or https URL; a missing
// trailing slash is added.
func dlMirrors(getenv func(string) string) ([]string, error) {
	raw := strings.TrimSpace(getenv("GVX_DL_MIRROR"))
	if raw == "" {
		return nil, nil
	}
	var out []string
	for _, m := range strings.Split(raw, ",") {
		m = strings.TrimSpace(m)
		u, err := url.Parse(m)
		if m == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, &SettingError{Var: "GVX_DL_MIRROR", Value: raw, Want: "a comma-separated list of http or https URLs of directories holding go.dev/dl's archives"}
		}
		if !strings.HasSuffix(m, "/") {
			m += "/"
		}
		out = append(out, m)
	}
	return out, nil
}

// Insecure reports whether rawURL is reached without TLS on a host other
// than this machine: anyone on the way could change what it serves.
func Insecure(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return true
	}
	if u.Scheme != "http" {
		return u.Scheme != "https"
	}
	host := u.Hostname()
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// Fetched is an archive body that says where it came from: a mirror, or
// the listing's own URL.
type Fetched struct {
	io.ReadCloser
	URL string
}

// FetchedURL returns where body came from when its source says, else "".
func FetchedURL(body io.Reader) string {
	if f, ok := body.(*Fetched); ok {
		return f.URL
	}
	return ""
}

// fetchMirrored opens a's archive from each mirror in turn, then from the
// listing's own URL. A security error (a mirror serving another size) ends
// it: a mirror that lies is reported, not skipped.
func fetchMirrored(ctx context.Context, s *dlSource, a Artifact) (io.ReadCloser, error) {
	urls := make([]string, 0, len(s.mirrors)+1)
	for _, m := range s.mirrors {
		urls = append(urls, m+a.Filename)
	}
	urls = append(urls, a.URL)
	var errs []error
	for _, u := range urls {
		rc, err := openArchive(ctx, s.client, a, u)
		if err == nil {
			return &Fetched{ReadCloser: rc, URL: u}, nil
		}
		if verify.IsSecurity(err) || ctx.Err() != nil {
			return nil, err
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return nil, errs[0] // no mirror: the error names the one URL
	}
	return nil, fmt.Errorf("no mirror served %s: %w", a.Filename, errors.Join(errs...))
}

// mirrorReleases turns the module proxy's releases into archives of the
// files-only mirrors: the versions and platforms the proxy lists (Go 1.21+,
// each a toolchain module the checksum database vouches for), fetched in
// go.dev/dl's layout from mirrors, checked by the database alone.
func mirrorReleases(rels []Release, mirrors []string) []Release {
	out := make([]Release, 0, len(rels))
	for _, r := range rels {
		mr := Release{Version: r.Version, Stable: r.Stable, Unverified: r.Unverified}
		for _, a := range r.Artifacts {
			if a.Format != ModuleZip || a.ModPath != ToolchainModule {
				continue
			}
			ext, arch := ".tar.gz", a.Platform.Arch
			if a.Platform.OS == "windows" {
				ext = ".zip"
			}
			if arch == "arm" {
				arch = "armv6l" // go.dev/dl's name for it
			}
			name := a.Version.GoName() + "." + a.Platform.OS + "-" + arch + ext
			mr.Artifacts = append(mr.Artifacts, Artifact{
				Version: a.Version, Platform: a.Platform, Source: "dl", Format: archiveFormat(name),
				Filename: name, URL: mirrors[0] + name, SumDBOnly: true,
			})
		}
		if len(mr.Artifacts) > 0 {
			out = append(out, mr)
		}
	}
	return out
}

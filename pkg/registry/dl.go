package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// DefaultDLBase is where Go publishes its releases; GVX_DL_BASE overrides it
// (a mirror with the same layout works).
const DefaultDLBase = "https://go.dev/dl/"

// Bounds on an untrusted listing. The complete go.dev/dl listing holds a few
// hundred releases and about ten thousand files.
const (
	maxReleases = 5000
	maxFiles    = 50000
)

// dlOptions configure newDL.
type dlOptions struct {
	// Base is the listing's base URL, ending in "/"; empty means
	// DefaultDLBase. The listing is Base+"?mode=json&include=all" and each
	// file is Base+filename.
	Base string
	// Client makes the requests; nil means NewHTTPClient(HTTPOptions{}).
	Client *http.Client
	// Cache keeps the listing between runs.
	Cache Cache
	// Notes receives one-line notes (offline use of the cache); may be nil.
	Notes io.Writer
	// Mirrors are files-only mirrors (GVX_DL_MIRROR), tried in order for
	// the archive bytes before Base; the hashes still come from Base's
	// listing and the checksum database.
	Mirrors []string
}

// dlSource lists and fetches releases from a go.dev/dl-style listing.
type dlSource struct {
	base    string
	baseErr error
	client  *http.Client
	cache   Cache
	notes   io.Writer
	mirrors []string
}

// newDL returns the go.dev/dl source.
func newDL(opts dlOptions) Source {
	s := &dlSource{client: opts.Client, cache: opts.Cache, notes: opts.Notes, mirrors: opts.Mirrors}
	if s.client == nil {
		s.client = NewHTTPClient(HTTPOptions{})
	}
	s.base, s.baseErr = normalizeDLBase(opts.Base)
	return s
}

// dlBase reads GVX_DL_BASE: an http or https URL; unset means
// DefaultDLBase. A missing trailing slash is added.
func dlBase(getenv func(string) string) (string, error) {
	return normalizeDLBase(getenv("GVX_DL_BASE"))
}

func normalizeDLBase(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultDLBase, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", &SettingError{Var: "GVX_DL_BASE", Value: s, Want: "an http or https URL of a directory, such as " + DefaultDLBase}
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

// Name returns "dl".
func (s *dlSource) Name() string { return "dl" }

// ListingURL is the URL of the JSON listing of every release.
func (s *dlSource) ListingURL() string { return s.base + "?mode=json&include=all" }

// List returns the releases of the listing, newest first.
func (s *dlSource) List(ctx context.Context) ([]Release, error) {
	if s.baseErr != nil {
		return nil, s.baseErr
	}
	listURL := s.ListingURL()
	var rels []Release
	body, err := fetchListing(ctx, s.client, s.cache, s.notes, listURL, "release listing", func(b []byte) error {
		var err error
		rels, err = decodeListing(b, listURL, s.base)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rels == nil {
		// fetchListing checked an older body; decode the one it returns.
		if rels, err = decodeListing(body, listURL, s.base); err != nil {
			return nil, err
		}
	}
	return rels, nil
}

// Fetch opens the archive of a, which must come from this source.
func (s *dlSource) Fetch(ctx context.Context, a Artifact) (io.ReadCloser, error) {
	if s.baseErr != nil {
		return nil, s.baseErr
	}
	if a.Source != "dl" {
		return nil, fmt.Errorf("the dl source cannot fetch %s from the %q source", a.Filename, a.Source)
	}
	rc, err := fetchMirrored(ctx, s, a)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err) // err names the URL
	}
	return rc, nil
}

// rawRelease and rawFile are the listing's JSON, as go.dev/dl writes it.
type rawRelease struct {
	Version string    `json:"version"`
	Stable  bool      `json:"stable"`
	Files   []rawFile `json:"files"`
}

type rawFile struct {
	Filename string `json:"filename"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Kind     string `json:"kind"`
}

// decodeListing parses an untrusted go.dev/dl listing into releases, newest
// first, keeping only archives with a SHA-256 (the others mark their
// platform Unverified). Releases whose version gvx does not understand
// ("go1.9.2rc2") and files for no real platform (os "4") are skipped.
// Anything that could only come from tampering or corruption refuses the
// whole listing: a version or file name that could be a path, a malformed
// SHA-256, a file name that does not match its version and platform, a
// version listed twice, too many entries.
func decodeListing(data []byte, listURL, base string) ([]Release, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: refusing the release listing: %s", listURL, fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%s: malformed release listing: not a JSON array; is GVX_DL_BASE a go.dev/dl mirror?", listURL)
	}
	var rels []Release
	seen := map[string]bool{}
	nfiles := 0
	for i := 0; dec.More(); i++ {
		if i >= maxReleases {
			return nil, bad("more than %d releases", maxReleases)
		}
		raw, err := decodeRawRelease(dec, &nfiles)
		if errors.Is(err, errTooManyFiles) {
			return nil, bad("more than %d files", maxFiles)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: malformed release listing: entry %d: %v", listURL, i, err)
		}
		if !plainToken(raw.Version) {
			return nil, bad("entry %d has the version %q, which is not a Go version", i, raw.Version)
		}
		v, err := goversion.Parse(raw.Version)
		if err != nil || raw.Version != v.GoName() {
			continue // a version Go's own order does not know, like go1.9.2rc2
		}
		if seen[raw.Version] {
			return nil, bad("%s is listed twice", raw.Version)
		}
		seen[raw.Version] = true
		rel, err := decodeRelease(raw, v, base)
		if err != nil {
			return nil, bad("%v", err)
		}
		rels = append(rels, rel)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: malformed release listing: %v", listURL, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: malformed release listing: data after the array", listURL)
	}
	slices.SortStableFunc(rels, func(a, b Release) int { return goversion.Compare(b.Version, a.Version) })
	return rels, nil
}

// errTooManyFiles stops decodeRawRelease at the listing's file bound.
var errTooManyFiles = errors.New("too many files")

// decodeRawRelease reads one release object from dec a token at a time, each
// file decoded on its own and counted into *nfiles as it comes, so that a
// hostile listing is refused at maxFiles with memory near what was read,
// not after a whole oversized release was built. Unknown keys are skipped
// without being kept.
func decodeRawRelease(dec *json.Decoder, nfiles *int) (rawRelease, error) {
	var raw rawRelease
	if err := expectDelim(dec, '{'); err != nil {
		return raw, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return raw, err
		}
		switch key, _ := tok.(string); key {
		case "version":
			err = dec.Decode(&raw.Version)
		case "stable":
			err = dec.Decode(&raw.Stable)
		case "files":
			var open json.Token
			if open, err = dec.Token(); err != nil {
				return raw, err
			}
			if open == nil {
				continue // "files": null
			}
			if open != json.Delim('[') {
				return raw, fmt.Errorf("files: want an array, found %v", open)
			}
			for dec.More() {
				if *nfiles++; *nfiles > maxFiles {
					return raw, errTooManyFiles
				}
				var f rawFile
				if err := dec.Decode(&f); err != nil {
					return raw, err
				}
				raw.Files = append(raw.Files, f)
			}
			err = expectDelim(dec, ']')
		default:
			err = skipValue(dec)
		}
		if err != nil {
			return raw, err
		}
	}
	return raw, expectDelim(dec, '}')
}

// expectDelim reads the next token, which must be the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("want %q, found %v", d, tok)
	}
	return nil
}

// skipValue reads one JSON value from dec and forgets it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// decodeRelease picks one archive per platform from a release's files.
func decodeRelease(raw rawRelease, v goversion.Version, base string) (Release, error) {
	rel := Release{Version: v, Stable: v.Stable()}
	best := map[Platform]rawFile{}
	unverified := map[Platform]bool{}
	for _, f := range raw.Files {
		if f.Kind != "archive" || !goosName(f.OS) || !goarchName(f.Arch) {
			continue // installers, sources, and os "4"/arch "bootstrap"
		}
		if f.Version != raw.Version {
			return Release{}, fmt.Errorf("%s lists the file %q of version %q", raw.Version, f.Filename, f.Version)
		}
		if err := checkFilename(f, raw.Version); err != nil {
			return Release{}, err
		}
		if archiveFormat(f.Filename) == "" {
			continue // a format gvx does not unpack
		}
		if f.Size < 0 {
			return Release{}, fmt.Errorf("%s has the size %d", f.Filename, f.Size)
		}
		plat := Platform{OS: f.OS, Arch: goarch(f.Arch)}
		if f.SHA256 == "" {
			unverified[plat] = true // old releases had only SHA-1
			continue
		}
		if !verify.IsSHA256(f.SHA256) {
			return Release{}, fmt.Errorf("%s has the SHA-256 %q, which is not 64 hex digits", f.Filename, f.SHA256)
		}
		if cur, ok := best[plat]; !ok || preferFile(f, cur, raw.Version) {
			best[plat] = f
		}
	}
	for plat, f := range best {
		rel.Artifacts = append(rel.Artifacts, Artifact{
			Version:  v,
			Platform: plat,
			Source:   "dl",
			Format:   archiveFormat(f.Filename),
			Filename: f.Filename,
			URL:      base + f.Filename,
			SHA256:   strings.ToLower(f.SHA256),
			Size:     f.Size,
		})
		delete(unverified, plat)
	}
	slices.SortFunc(rel.Artifacts, func(a, b Artifact) int { return strings.Compare(a.Platform.String(), b.Platform.String()) })
	for plat := range unverified {
		rel.Unverified = append(rel.Unverified, plat)
	}
	slices.SortFunc(rel.Unverified, func(a, b Platform) int { return strings.Compare(a.String(), b.String()) })
	return rel, nil
}

// checkFilename accepts a single, plain path element that names the file's
// version and platform: "go1.22.6.linux-amd64.tar.gz", or with a suffix
// after the platform, "go1.4.2.darwin-amd64-osx10.8.tar.gz".
func checkFilename(f rawFile, version string) error {
	name := f.Filename
	ok := name != "" && len(name) <= 128 && name != "." && name != ".."
	for _, r := range name {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._+-", r))
	}
	stem := version + "." + f.OS + "-" + f.Arch
	if rest, found := strings.CutPrefix(name, stem); !ok || !found || rest == "" || (rest[0] != '.' && rest[0] != '-') || strings.Contains(name, "..") {
		return fmt.Errorf("%s lists the file name %q, which is not %s.<ext>", version, name, stem)
	}
	return nil
}

// preferFile reports whether f is a better pick than cur for one platform:
// the exact name ("go1.4.linux-amd64.tar.gz", ".zip" on windows) first,
// then the other archive format, then the greatest name, so that the choice
// never depends on the listing's order.
func preferFile(f, cur rawFile, version string) bool {
	rank := func(f rawFile) int {
		stem := version + "." + f.OS + "-" + f.Arch
		want, other := stem+".tar.gz", stem+".zip"
		if f.OS == "windows" {
			want, other = other, want
		}
		switch f.Filename {
		case want:
			return 2
		case other:
			return 1
		}
		return 0
	}
	if rf, rc := rank(f), rank(cur); rf != rc {
		return rf > rc
	}
	return f.Filename > cur.Filename
}

func archiveFormat(name string) Format {
	switch {
	case strings.HasSuffix(name, ".tar.gz"):
		return TarGz
	case strings.HasSuffix(name, ".zip"):
		return Zip
	}
	return ""
}

// goarch maps the listing's architecture names to GOARCH: go.dev/dl calls
// the arm build "armv6l".
func goarch(arch string) string {
	if arch == "armv6l" {
		return "arm"
	}
	return arch
}

// goosName reports whether s can be a GOOS: a short lower-case word that
// starts with a letter (the listing's os "4" cannot).
func goosName(s string) bool {
	return goarchName(s) && s[0] >= 'a' && s[0] <= 'z'
}

// goarchName reports whether s can be a GOARCH: a short word of lower-case
// letters and digits ("386", "amd64").
func goarchName(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// plainToken reports whether a version string is made only of lower-case
// letters, digits and single dots: nothing that could act as a path.
func plainToken(s string) bool {
	if s == "" || len(s) > 64 || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.') {
			return false
		}
	}
	return true
}

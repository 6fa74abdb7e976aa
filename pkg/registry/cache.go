package registry

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gvx-dev/gvx/internal/atomicfile"
)

// defaultCacheAge is how long a cached listing is used without asking the
// server; releases come out a few times a month.
const defaultCacheAge = time.Hour

// maxListingBytes bounds a listing body. The full go.dev/dl listing is a
// few MB; anything far larger is not a listing.
const maxListingBytes = 32 << 20

// Cache configures the listing cache shared by the sources. The zero value
// (no Dir) disables caching.
type Cache struct {
	// Dir holds the cached listings (the CLI passes $XDG_CACHE_HOME/gvx);
	// they go in its "listings" subdirectory. Empty disables the cache.
	Dir string
	// MaxAge is how long a listing is reused without a request; zero means
	// defaultCacheAge. After that a conditional GET revalidates it.
	MaxAge time.Duration
	// Refresh forces a full fetch (gvx --refresh).
	Refresh bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (c Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Cache) maxAge() time.Duration {
	if c.MaxAge > 0 {
		return c.MaxAge
	}
	return defaultCacheAge
}

// cacheMeta is the first line of a cache file; the listing body follows.
type cacheMeta struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Fetched      time.Time `json:"fetched"`
	Size         int       `json:"size"`
	SHA256       string    `json:"sha256"`
}

type cacheEntry struct {
	meta cacheMeta
	body []byte
}

// Forget removes every cached listing. After a download fails its check,
// the listing that vouched for it is no longer trusted: the next run fetches
// it anew, whether the listing or the download was what went wrong.
func (c Cache) Forget() error {
	if c.Dir == "" {
		return nil
	}
	return os.RemoveAll(filepath.Join(c.Dir, "listings"))
}

// path is the cache file of one listing URL.
func (c Cache) path(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	return filepath.Join(c.Dir, "listings", hex.EncodeToString(sum[:12])+".cache")
}

// read returns the cached entry for rawURL, or nil when there is none or it
// is damaged (a damaged entry is as good as none: it is fetched again).
func (c Cache) read(rawURL string) *cacheEntry {
	if c.Dir == "" {
		return nil
	}
	f, err := os.Open(c.path(rawURL))
	if err != nil {
		return nil
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, maxListingBytes+64<<10))
	line, err := r.ReadBytes('\n')
	if err != nil {
		return nil
	}
	var m cacheMeta
	if json.Unmarshal(line, &m) != nil || m.URL != rawURL || m.Size < 0 || m.Size > maxListingBytes {
		return nil
	}
	body := make([]byte, m.Size)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil
	}
	return &cacheEntry{meta: m, body: body}
}

// write stores an entry atomically (atomicfile), so a reader sees the old
// entry or the new one, never a mix.
func (c Cache) write(e *cacheEntry) error {
	if c.Dir == "" {
		return nil
	}
	p := c.path(e.meta.URL)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("listing cache: %w", err)
	}
	sum := sha256.Sum256(e.body)
	e.meta.Size = len(e.body)
	e.meta.SHA256 = hex.EncodeToString(sum[:])
	line, err := json.Marshal(e.meta)
	if err != nil {
		return fmt.Errorf("listing cache: %w", err)
	}
	data := make([]byte, 0, len(line)+1+len(e.body))
	data = append(append(append(data, line...), '\n'), e.body...)
	if err := atomicfile.Write(p, data, 0o600); err != nil {
		return fmt.Errorf("listing cache: %w", err)
	}
	return nil
}

// fetchListing returns the body of the listing at rawURL, through the cache:
// a fresh entry is used as is; an older one is revalidated with its ETag or
// Last-Modified (304 keeps it); when the server cannot be reached, a cached
// entry of any age is used and a note says so. check decides whether a body
// is a usable listing: a body that fails it is never cached, and a cached
// one that fails it is fetched again.
func fetchListing(ctx context.Context, client *http.Client, c Cache, notes io.Writer, rawURL, what string, check func([]byte) error) ([]byte, error) {
	entry := c.read(rawURL)
	if entry != nil && check(entry.body) != nil {
		entry = nil
	}
	now := c.now()
	if entry != nil && !c.Refresh {
		age := now.Sub(entry.meta.Fetched)
		if age >= 0 && age < c.maxAge() {
			return entry.body, nil
		}
	}
	hdr := http.Header{}
	if entry != nil && !c.Refresh {
		if entry.meta.ETag != "" {
			hdr.Set("If-None-Match", entry.meta.ETag)
		}
		if entry.meta.LastModified != "" {
			hdr.Set("If-Modified-Since", entry.meta.LastModified)
		}
	}
	// A listing is small: beyond the idle timeout and the minimum rate, the
	// whole of it must come within maxListingTime.
	ctx, cancel := context.WithTimeoutCause(ctx, maxListingTime, errListingTooSlow)
	defer cancel()
	resp, err := get(ctx, client, rawURL, hdr, http.StatusOK, http.StatusNotModified)
	if err != nil && context.Cause(ctx) == errListingTooSlow {
		err = &UnreachableError{URL: rawURL, Err: errListingTooSlow}
	}
	if err != nil {
		var ue *UnreachableError
		if entry != nil && errors.As(err, &ue) {
			note(notes, "gvx: offline: using the %s cached %s ago (%v)", what, ago(now.Sub(entry.meta.Fetched)), err)
			return entry.body, nil
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		if entry == nil || len(hdr) == 0 {
			return nil, fmt.Errorf("%s: the server answered 304 Not Modified to a request that was not conditional", rawURL)
		}
		entry.meta.Fetched = now
		// A failed write only costs a revalidation next time.
		_ = c.write(entry)
		return entry.body, nil
	}
	if isHTML(resp) {
		return nil, fmt.Errorf("%s: got an HTML page instead of the %s (a captive portal or a mirror's error page?)", rawURL, what)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxListingBytes+1))
	if err != nil {
		// A body cut off or stalled midway is the network failing.
		if context.Cause(ctx) == errListingTooSlow {
			err = errListingTooSlow
		}
		err = &UnreachableError{URL: rawURL, Err: err}
		if entry != nil {
			note(notes, "gvx: offline: using the %s cached %s ago (%v)", what, ago(now.Sub(entry.meta.Fetched)), err)
			return entry.body, nil
		}
		return nil, err
	}
	if len(body) > maxListingBytes {
		return nil, fmt.Errorf("%s: the %s is larger than %d MiB; refusing it", rawURL, what, maxListingBytes>>20)
	}
	if err := check(body); err != nil {
		return nil, err
	}
	e := &cacheEntry{meta: cacheMeta{
		URL:          rawURL,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		Fetched:      now,
	}, body: body}
	_ = c.write(e) // the listing is good even if the cache cannot keep it
	return body, nil
}

// maxListingTime bounds the fetch of a whole listing. The complete go.dev/dl
// listing is about 2 MB; at minRate that is two minutes.
var maxListingTime = 5 * time.Minute

// errListingTooSlow is why a listing fetch past maxListingTime ends.
var errListingTooSlow = fmt.Errorf("the listing did not arrive within %s; check the network, or use a closer mirror", maxListingTime)

// note writes one line to w, if there is a w.
func note(w io.Writer, format string, args ...any) {
	if w == nil {
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, format, args...)
	b.WriteByte('\n')
	_, _ = w.Write(b.Bytes())
}

// ago renders an age for humans: "3h", "25m", "2d".
func ago(d time.Duration) string {
	switch {
	case d < 0:
		return "0m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
}

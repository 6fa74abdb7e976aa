package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClient is the gvx client with no waiting between retries.
func testClient(t *testing.T, rt http.RoundTripper) *http.Client {
	t.Helper()
	return NewHTTPClient(HTTPOptions{
		Timeout:   5 * time.Second,
		Backoff:   func(int) time.Duration { return 0 },
		UserAgent: "gvx/test",
		Transport: rt,
	})
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// file is one archive entry of a fake listing.
func file(version, goos, arch string, body []byte) rawFile {
	ext := ".tar.gz"
	if goos == "windows" {
		ext = ".zip"
	}
	return rawFile{
		Filename: version + "." + goos + "-" + arch + ext,
		OS:       goos, Arch: arch, Version: version,
		SHA256: sha(body), Size: int64(len(body)), Kind: "archive",
	}
}

func listingJSON(t testing.TB, rels ...rawRelease) []byte {
	t.Helper()
	b, err := json.Marshal(rels)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func corpus(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/dl-listing-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// counter counts requests by path and remembers the last request headers.
type counter struct {
	mu   sync.Mutex
	n    map[string]int
	last http.Header
	all  atomic.Int64
}

func (c *counter) hit(r *http.Request) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[r.URL.Path]++
	c.last = r.Header.Clone()
	c.all.Add(1)
	return c.n[r.URL.Path]
}

func (c *counter) get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

func (c *counter) header() http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// syncBuffer is a bytes.Buffer safe for the notes of concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

package registry

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// listingServer serves a one-release listing with an ETag and a
// Last-Modified, answering conditional requests with 304.
type listingServer struct {
	*httptest.Server
	hits        counter
	mu          sync.Mutex
	etag        string
	conditional int
	fail        bool
}

func newListingServer(t *testing.T) *listingServer {
	ls := &listingServer{etag: `"v1"`}
	body := listingJSON(t, rawRelease{Version: "go1.999.0", Stable: true, Files: []rawFile{file("go1.999.0", "linux", "amd64", []byte("x"))}})
	ls.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.hits.hit(r)
		ls.mu.Lock()
		defer ls.mu.Unlock()
		if ls.fail {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			ls.conditional++
		}
		if r.Header.Get("If-None-Match") == ls.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", ls.etag)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		w.Write(body)
	}))
	t.Cleanup(ls.Close)
	return ls
}

func (ls *listingServer) cond() int {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.conditional
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestCacheReuseRevalidateOffline(t *testing.T) {
	ls := newListingServer(t)
	clock := &fakeClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	var notes syncBuffer
	newSrc := func(refresh bool) Source {
		return newDL(dlOptions{
			Base: ls.URL + "/dl/", Client: testClient(t, nil), Notes: &notes,
			Cache: Cache{Dir: dir, Now: clock.now, Refresh: refresh},
		})
	}
	list := func(src Source) {
		t.Helper()
		rels, err := src.List(context.Background())
		if err != nil || len(rels) != 1 || rels[0].Version.String() != "1.999.0" {
			t.Fatalf("List = %v, %v", rels, err)
		}
	}
	requests := func() int { return int(ls.hits.all.Load()) }

	list(newSrc(false))
	if requests() != 1 {
		t.Fatalf("first List: %d requests, want 1", requests())
	}
	clock.t = clock.t.Add(59 * time.Minute)
	list(newSrc(false))
	if requests() != 1 {
		t.Errorf("List within the hour: %d requests, want the cache and no request", requests())
	}

	clock.t = clock.t.Add(2 * time.Minute)
	list(newSrc(false))
	if requests() != 2 || ls.cond() != 1 {
		t.Fatalf("List after the hour: %d requests, %d conditional; want one conditional request", requests(), ls.cond())
	}
	if h := ls.hits.header(); h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") == "" {
		t.Errorf("conditional request headers = %v", h)
	}
	// The 304 refreshed the fetch time: no request for another hour.
	clock.t = clock.t.Add(30 * time.Minute)
	list(newSrc(false))
	if requests() != 2 {
		t.Errorf("List after a 304: %d requests, want 2", requests())
	}

	// Refresh forces an unconditional fetch.
	list(newSrc(true))
	if requests() != 3 || ls.cond() != 1 {
		t.Errorf("List with Refresh: %d requests, %d conditional; want an unconditional one", requests(), ls.cond())
	}

	// Offline (the server answers 503, then is gone): the cached copy, with a note.
	clock.t = clock.t.Add(3 * time.Hour)
	ls.mu.Lock()
	ls.fail = true
	ls.mu.Unlock()
	list(newSrc(false))
	if !strings.Contains(notes.String(), "gvx: offline: using the release listing cached 3h ago") {
		t.Errorf("notes = %q; want the offline note", notes.String())
	}
	ls.Close()
	list(newSrc(false))
	if n := strings.Count(notes.String(), "gvx: offline"); n != 2 {
		t.Errorf("notes = %q; want two offline notes", notes.String())
	}
}

func TestCacheCorruptIsRefetched(t *testing.T) {
	ls := newListingServer(t)
	dir := t.TempDir()
	src := newDL(dlOptions{Base: ls.URL + "/dl/", Client: testClient(t, nil), Cache: Cache{Dir: dir}})
	if _, err := src.List(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "listings", "*.cache"))
	if len(files) != 1 {
		t.Fatalf("cache files = %v, want one", files)
	}
	for _, damage := range []func([]byte) []byte{
		func(b []byte) []byte { return b[:len(b)-3] },                                                    // truncated
		func(b []byte) []byte { return []byte(strings.Replace(string(b), "go1.999.0", "go1.999.1", 1)) }, // flipped
		func([]byte) []byte { return []byte("garbage") },
	} {
		b, _ := os.ReadFile(files[0])
		if err := os.WriteFile(files[0], damage(b), 0o644); err != nil {
			t.Fatal(err)
		}
		before := ls.hits.all.Load()
		rels, err := src.List(context.Background())
		if err != nil || rels[0].Version.String() != "1.999.0" {
			t.Fatalf("List over a damaged cache = %v, %v", rels, err)
		}
		if ls.hits.all.Load() != before+1 {
			t.Errorf("damaged cache: want it ignored and the listing fetched again")
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "listings", ".tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestCacheNeverStoresABadListing(t *testing.T) {
	var hits counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.hit(r)
		w.Write([]byte(`[{"version": `))
	}))
	defer srv.Close()
	dir := t.TempDir()
	src := newDL(dlOptions{Base: srv.URL + "/", Client: testClient(t, nil), Cache: Cache{Dir: dir}})
	for range 2 {
		_, err := src.List(context.Background())
		var ue *UnreachableError
		if err == nil || !strings.Contains(err.Error(), "malformed release listing") || !strings.Contains(err.Error(), srv.URL) || errors.As(err, &ue) {
			t.Fatalf("List = %v; want a malformed-listing error naming the URL", err)
		}
	}
	if n := hits.get("/"); n != 2 {
		t.Errorf("server saw %d requests; a malformed listing must not be cached", n)
	}
}

func TestCacheOversizedListing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat(" ", 1<<20))
		w.Write([]byte("["))
		for range 33 {
			w.Write(chunk)
		}
		w.Write([]byte("]"))
	}))
	defer srv.Close()
	src := newDL(dlOptions{Base: srv.URL + "/", Client: testClient(t, nil)})
	if _, err := src.List(context.Background()); err == nil || !strings.Contains(err.Error(), "larger than 32 MiB") {
		t.Errorf("List = %v; want the size bound", err)
	}
}

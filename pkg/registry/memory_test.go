package registry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/pkg/verify"
)

// TestAutoRemembersAFailedListing: a dl listing that did not answer is
// remembered in the cache, so the next commands (new processes, the same
// cache) go to the proxy first, without waiting for dl and without the note,
// until FailureMemory has passed or --refresh forgets it.
func TestAutoRemembersAFailedListing(t *testing.T) {
	const mv = "v0.0.1-go1.999.0.linux-amd64"
	proxySrv := fakeProxy(t, "", []string{mv}, map[string]string{mv: "zip"}, nil)
	var dlHits atomic.Int32
	dlSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dlHits.Add(1)
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer dlSrv.Close()

	now := time.Date(2099, 1, 1, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	run := func(refresh bool) string {
		t.Helper()
		var notes syncBuffer
		// No listing cache (MaxAge tiny, always refetched) but one cache
		// dir, as separate gvx processes share it.
		cache := Cache{Dir: dir, Refresh: refresh, Now: func() time.Time { return now }}
		dl := newDL(dlOptions{Base: dlSrv.URL + "/", Client: testClient(t, nil)})
		proxy := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: proxySrv.URL}}, Client: testClient(t, nil)})
		auto := newAuto(dl, proxy, &notes).(*autoSource)
		auto.cache = cache
		rels, err := auto.List(context.Background())
		if err != nil || len(rels) != 1 || rels[0].Artifacts[0].Source != "proxy" {
			t.Fatalf("List = %v, %v; want the proxy's release", rels, err)
		}
		return notes.String()
	}

	if n := run(false); !strings.Contains(n, "cannot be reached") || dlHits.Load() == 0 {
		t.Fatalf("first run: notes %q, dl hits %d; want the fallback note after asking dl", n, dlHits.Load())
	}
	fails := Cache{Dir: dir, Now: func() time.Time { return now }}.Failures()
	if len(fails) != 1 || fails[0].Source != "dl" || !strings.Contains(fails[0].Error, "503") {
		t.Fatalf("remembered %+v; want the dl listing's 503", fails)
	}

	hits := dlHits.Load()
	now = now.Add(FailureMemory - time.Minute)
	if n := run(false); n != "" || dlHits.Load() != hits {
		t.Errorf("within %v: notes %q, dl asked %d more times; want neither", FailureMemory, n, dlHits.Load()-hits)
	}

	now = now.Add(2 * time.Minute)
	if n := run(false); !strings.Contains(n, "cannot be reached") || dlHits.Load() == hits {
		t.Errorf("after %v: notes %q; want dl asked again, and the note", FailureMemory, n)
	}

	hits = dlHits.Load()
	run(true) // --refresh: forgotten, so dl is asked at once
	if dlHits.Load() == hits {
		t.Errorf("--refresh did not ask dl again")
	}
}

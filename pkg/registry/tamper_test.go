package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// switchServer serves one body at every path, which a test can swap: an
// honest listing first, then a tampered one.
type switchServer struct {
	*httptest.Server
	hits        counter
	mu          sync.Mutex
	body        []byte
	contentType string
}

func newSwitchServer(t *testing.T, body []byte) *switchServer {
	s := &switchServer{body: body, contentType: "application/json"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.hit(r)
		s.mu.Lock()
		body, ct := s.body, s.contentType
		s.mu.Unlock()
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *switchServer) serve(body []byte, contentType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.contentType = body, contentType
}

// TestDLListRefusesTamperedListing serves each tampered listing over HTTP
// in place of an honest one that is already cached. List refuses it with
// an error naming the listing's URL and what is wrong, an error that is not
// "unreachable" (so neither the offline fallback to the cache nor the auto
// source's fallback to the proxy hides it); the tampered body never
// replaces the cached listing, and is not cached itself.
func TestDLListRefusesTamperedListing(t *testing.T) {
	good := file("go1.999.0", "linux", "amd64", []byte("the archive"))
	honest := listingJSON(t, rawRelease{Version: "go1.999.0", Stable: true, Files: []rawFile{good}})
	with := func(version string, edit func(*rawFile)) []byte {
		f := good
		edit(&f)
		return listingJSON(t, rawRelease{Version: version, Stable: true, Files: []rawFile{f}})
	}
	var manyReleases bytes.Buffer
	manyReleases.WriteString("[")
	for i := range 100_000 {
		if i > 0 {
			manyReleases.WriteString(",")
		}
		fmt.Fprintf(&manyReleases, `{"version":"go1.%d.0","stable":true,"files":[]}`, 1000+i)
	}
	manyReleases.WriteString("]")
	manyFiles := make([]rawFile, 100_000)
	for i := range manyFiles {
		manyFiles[i] = good
	}

	for _, tc := range []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"100k releases", manyReleases.Bytes(), "", "refusing the release listing: more than 5000 releases"},
		{"100k files", listingJSON(t, rawRelease{Version: "go1.999.0", Files: manyFiles}), "", "refusing the release listing: more than 50000 files"},
		{"truncated", honest[:len(honest)/2], "", "malformed release listing: entry 0: unexpected EOF"},
		{"unbalanced", []byte(`[{"version":"go1.999.0","files":[}]`), "", "malformed release listing: entry 0"},
		{"an object", []byte(`{"version":"go1.999.0"}`), "", "malformed release listing: not a JSON array"},
		{"an HTML page", []byte("<html><body>Log in to continue</body></html>"), "text/html; charset=utf-8", "got an HTML page instead of the release listing"},
		{"version ../", with("../../x", func(f *rawFile) { f.Version = "../../x" }), "", `entry 0 has the version "../../x", which is not a Go version`},
		{"version with a path", with("go1.999.0/../../etc", func(f *rawFile) { f.Version = "go1.999.0/../../etc" }), "", `entry 0 has the version "go1.999.0/../../etc", which is not a Go version`},
		{"version with a NUL", with("go1.999.0\x00", func(f *rawFile) { f.Version = "go1.999.0\x00" }), "", `entry 0 has the version "go1.999.0\x00", which is not a Go version`},
		{"file name ../", with("go1.999.0", func(f *rawFile) { f.Filename = "../../" + good.Filename }), "", `lists the file name "../../go1.999.0.linux-amd64.tar.gz"`},
		{"file of another version", with("go1.999.0", func(f *rawFile) { f.Version = "go1.998.0" }), "", `lists the file "go1.999.0.linux-amd64.tar.gz" of version "go1.998.0"`},
		{"sha256 not hex", with("go1.999.0", func(f *rawFile) { f.SHA256 = strings.Repeat("g", 64) }), "", "which is not 64 hex digits"},
		{"sha256 cut short", with("go1.999.0", func(f *rawFile) { f.SHA256 = f.SHA256[:63] }), "", "which is not 64 hex digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newSwitchServer(t, honest)
			dir := t.TempDir()
			listURL := srv.URL + "/dl/?mode=json&include=all"
			list := func(refresh bool) ([]Release, error) {
				src := newDL(dlOptions{Base: srv.URL + "/dl/", Client: testClient(t, nil), Cache: Cache{Dir: dir, Refresh: refresh}})
				return src.List(context.Background())
			}
			if _, err := list(false); err != nil {
				t.Fatalf("List(honest) = %v", err)
			}
			cached, err := filepath.Glob(filepath.Join(dir, "listings", "*.cache"))
			if err != nil || len(cached) != 1 {
				t.Fatalf("cache files = %v, %v; want one", cached, err)
			}
			before, err := os.ReadFile(cached[0])
			if err != nil {
				t.Fatal(err)
			}

			ct := tc.contentType
			if ct == "" {
				ct = "application/json"
			}
			srv.serve(tc.body, ct)
			for i := range 2 {
				hits := srv.hits.all.Load()
				rels, err := list(true)
				var ue *UnreachableError
				switch {
				case err == nil:
					t.Fatalf("List(%s) = %d releases; want it refused", tc.name, len(rels))
				case !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), listURL):
					t.Errorf("List(%s) = %v\nwant an error naming %s and saying %q", tc.name, err, listURL, tc.want)
				case errors.As(err, &ue):
					t.Errorf("List(%s) = %v; a refused listing must not look like an unreachable server", tc.name, err)
				}
				if got := srv.hits.all.Load(); got != hits+1 {
					t.Errorf("List #%d made %d requests; want 1 (the refused listing must not be cached)", i+1, got-hits)
				}
			}
			after, err := os.ReadFile(cached[0])
			if err != nil || !bytes.Equal(after, before) {
				t.Errorf("the cached honest listing changed (%v)", err)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "listings", "*")); len(left) != 1 {
				t.Errorf("listings dir holds %v; want only the honest listing", left)
			}
		})
	}
}

// TestProxyListTampered serves tampered toolchain lists and .info files:
// a list too long to be real is refused and not cached; lines that could
// act as paths never become artifacts; an .info that names another version
// is refused.
func TestProxyListTampered(t *testing.T) {
	t.Run("100k lines", func(t *testing.T) {
		var b strings.Builder
		for i := range 100_000 {
			fmt.Fprintf(&b, "v0.0.1-go1.%d.0.linux-amd64\n", 1000+i)
		}
		srv := newSwitchServer(t, []byte(b.String()))
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: srv.URL}}, Client: testClient(t, nil), Cache: Cache{Dir: t.TempDir()}})
		for range 2 {
			_, err := src.List(context.Background())
			if err == nil || !strings.Contains(err.Error(), "the toolchain list has 100000 lines, more than 50000; refusing it") {
				t.Errorf("List = %v; want the 100k-line list refused", err)
			}
		}
		if n := srv.hits.get("/golang.org/toolchain/@v/list"); n != 2 {
			t.Errorf("server saw %d list requests, want 2: a refused list must not be cached", n)
		}
	})

	t.Run("hostile lines", func(t *testing.T) {
		list := strings.Join([]string{
			"v0.0.1-go1.999.0.linux-amd64",
			"v0.0.1-go../../x.linux-amd64",
			"v0.0.1-go1.999.0.linux-amd64/../../../x",
			"v0.0.1-go1.999.0.linux-amd64/../../v0.0.1-go1.998.0.linux-amd64",
			"v0.0.1-go1.999.0.linux-../amd64",
			"v0.0.1-go1.999.0.linux-amd64?x=1",
			"v0.0.1-go1.999.0.linux-amd64#frag",
			"v0.0.1-go1.999.0.linux-amd64%2f..",
			"v0.0.1-go1.999.0.linux-amd64\x00.zip",
			"v0.0.1-go1.999.1.linux-AMD64",
			"../../v0.0.1-go1.999.1.linux-amd64",
			"v0.0.1-go1.999.1.../amd64",
		}, "\n")
		srv := newSwitchServer(t, []byte(list))
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: srv.URL}}, Client: testClient(t, nil)})
		rels, err := src.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rels {
			for _, a := range r.Artifacts {
				got = append(got, a.ModVersion)
				if a.URL != srv.URL+"/golang.org/toolchain/@v/"+a.ModVersion+".zip" || strings.ContainsAny(a.ModVersion, "/\\?#%\x00") {
					t.Errorf("artifact %+v", a)
				}
			}
		}
		if want := []string{"v0.0.1-go1.999.0.linux-amd64"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("List = %q, want only %q", got, want)
		}
	})

	t.Run("info of another version", func(t *testing.T) {
		srv := newSwitchServer(t, []byte(`{"Version":"v0.0.1-go1.999.0.linux-amd64/../../x","Time":"2024-08-06T00:00:00Z"}`))
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: srv.URL}}, Client: testClient(t, nil)}).(*proxySource)
		_, ok, err := src.Lookup(context.Background(), goversion.MustParse("1.999.0"), Platform{"linux", "amd64"})
		if ok || err == nil || !strings.Contains(err.Error(), "not the .info of golang.org/toolchain@v0.0.1-go1.999.0.linux-amd64") {
			t.Errorf("Lookup = %v, %v; want the .info refused", ok, err)
		}
	})
}

// TestHugeListingMemory: a 30 MB hostile listing, as one release with
// hundreds of thousands of files or as thousands of releases, is refused
// with memory near its size: the listing is decoded a file at a time and
// counted as it comes (it once cost 3.7 GB).
func TestHugeListingMemory(t *testing.T) {
	for _, shape := range []string{"one release", "many releases"} {
		var b strings.Builder
		b.WriteString("[")
		file := `{"filename":"go1.%[1]d.0.linux-amd64.tar.gz","os":"linux","arch":"amd64","version":"go1.%[1]d.0","sha256":"%064[2]d","size":1,"kind":"archive"}`
		if shape == "one release" {
			b.WriteString(`{"version":"go1.22.0","stable":true,"files":[`)
			for i := 0; b.Len() < 30<<20; i++ {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, file, 22, i)
			}
			b.WriteString("]}")
		} else {
			for i := 0; b.Len() < 30<<20; i++ {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"version":"go1.%d.0","stable":true,"files":[`+file+`]}`, i+1, i+1, i)
			}
		}
		b.WriteString("]")
		body := b.String()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
		src := newDL(dlOptions{Base: srv.URL + "/", Cache: Cache{Dir: t.TempDir()}})
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := src.List(context.Background())
		runtime.ReadMemStats(&after)
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), "refusing the release listing: more than") {
			t.Errorf("%s: List = %v, want the listing refused for its size", shape, err)
		}
		allocated := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d MB listing refused after allocating %d MB", shape, len(body)>>20, allocated>>20)
		if allocated > 6*uint64(len(body)) && !raceEnabled {
			t.Errorf("%s: refusing a %d MB listing allocated %d MB, want at most 6 times its size", shape, len(body)>>20, allocated>>20)
		}
	}
}

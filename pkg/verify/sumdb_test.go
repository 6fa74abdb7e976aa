package verify

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const toolchain = "golang.org/toolchain"

// fakeModule is one golang.org/toolchain version: a real module zip on disk
// and its h1: hash.
type fakeModule struct {
	version string
	zip     string
	h1      string
}

// newFakeModule writes a toolchain module zip for a Go version that cannot
// exist, with content varied by extra so that two zips differ.
func newFakeModule(t *testing.T, goVersion, extra string) fakeModule {
	t.Helper()
	v := "v0.0.1-go" + goVersion + ".linux-amd64"
	name := filepath.Join(t.TempDir(), v+".zip")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	prefix := toolchain + "@" + v + "/"
	files := map[string]string{
		"bin/go":                         "#!/bin/sh\necho go version go" + goVersion + " linux/amd64\n",
		"bin/gofmt":                      "gofmt" + extra,
		"pkg/tool/linux_amd64/compile":   "compile",
		"src/runtime/extern.go":          "package runtime\n",
		"VERSION":                        "go" + goVersion + "\n",
		"lib/time/zoneinfo.zip.fake.txt": extra,
	}
	for path, body := range files {
		w, err := zw.Create(prefix + path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	h1, err := dirhash.HashZip(name, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return fakeModule{version: v, zip: name, h1: h1}
}

// fakeDB is a checksum database made with x/mod's test server. It knows
// the modules added to it, and answers 404 for any other.
type fakeDB struct {
	name, signer, verifier string
	ts                     *sumdb.TestServer
	handler                http.Handler

	mu   sync.Mutex
	sums map[string]string // "path@version" -> h1 of the zip
}

func newFakeDB(t *testing.T, name string) *fakeDB {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	return newFakeDBWithKey(skey, vkey, name)
}

// newFakeDBWithKey returns a second database signed by the same key: a fork.
func newFakeDBWithKey(skey, vkey, name string) *fakeDB {
	db := &fakeDB{name: name, signer: skey, verifier: vkey, sums: map[string]string{}}
	db.ts = sumdb.NewTestServer(skey, db.gosum)
	db.handler = sumdb.NewServer(db.ts)
	return db
}

func (db *fakeDB) add(path, version, h1 string) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.sums[path+"@"+version] = h1
}

// gosum returns go.sum lines with the go.mod line first, so that a client
// taking the first line would take the wrong one.
func (db *fakeDB) gosum(path, version string) ([]byte, error) {
	db.mu.Lock()
	h1, ok := db.sums[path+"@"+version]
	db.mu.Unlock()
	if !ok {
		// The server answers 404 for errors os.IsNotExist accepts.
		return nil, &fs.PathError{Op: "lookup", Path: path + "@" + version, Err: fs.ErrNotExist}
	}
	return fmt.Appendf(nil, "%s %s/go.mod h1:GoModHashGoModHashGoModHashGoModHashGoMo=\n%s %s %s\n", path, version, path, version, h1), nil
}

// record makes the database log path@version now, as if someone had looked
// it up, so that its tree grows in a chosen order.
func (db *fakeDB) record(t *testing.T, path, version string) {
	t.Helper()
	if _, err := db.ts.Lookup(context.Background(), module.Version{Path: path, Version: version}); err != nil {
		t.Fatal(err)
	}
}

// hits counts requests by path.
type hits struct {
	mu sync.Mutex
	m  map[string]int
}

func (h *hits) add(path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]int{}
	}
	h.m[path]++
}

func (h *hits) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.m = nil
}

func (h *hits) count(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for p, k := range h.m {
		if strings.HasPrefix(p, prefix) {
			n += k
		}
	}
	return n
}

func counting(h *hits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

// serveDirect serves db at the root of a server, as GOSUMDB="<vkey> <url>"
// reaches it.
func serveDirect(t *testing.T, db *fakeDB) (*httptest.Server, *hits) {
	h := &hits{}
	srv := httptest.NewServer(counting(h, db.handler))
	t.Cleanup(srv.Close)
	return srv, h
}

// serveProxy is a module proxy that serves db under /sumdb/<name>/ and
// answers /sumdb/<name>/supported.
func serveProxy(t *testing.T, db *fakeDB) (*httptest.Server, *hits) {
	h := &hits{}
	prefix := "/sumdb/" + db.name
	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"/supported", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle(prefix+"/", http.StripPrefix(prefix, db.handler))
	srv := httptest.NewServer(counting(h, mux))
	t.Cleanup(srv.Close)
	return srv, h
}

// serveStatus answers every request with code.
func serveStatus(t *testing.T, code int) (*httptest.Server, *hits) {
	h := &hits{}
	srv := httptest.NewServer(counting(h, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, http.StatusText(code), code)
	})))
	t.Cleanup(srv.Close)
	return srv, h
}

func newChecker(t *testing.T, cfg SumDBConfig) *Checker {
	t.Helper()
	if cfg.StateDir == "" {
		cfg.StateDir = t.TempDir()
	}
	c, err := NewChecker(cfg)
	if err != nil {
		t.Fatalf("NewChecker(%+v): %v", cfg, err)
	}
	return c
}

// noDirect is an http.Client that refuses any host but the test servers',
// so that a test notices a connection to https://<name>.
func noDirect(t *testing.T) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Hostname() != "127.0.0.1" {
			t.Errorf("request to %s, want none outside the test servers", r.URL)
			return nil, fmt.Errorf("test: no network to %s", r.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCheckZipDirect(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	srv, h := serveDirect(t, db)

	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	if got := c.Database(); got != db.name {
		t.Errorf("Database() = %q, want %q", got, db.name)
	}
	if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "http://proxy.test/x.zip"); err != nil {
		t.Fatalf("CheckZip(good zip) = %v, want nil", err)
	}
	h1, err := c.Lookup(context.Background(), toolchain, m.version)
	if err != nil || h1 != m.h1 {
		t.Errorf("Lookup = %q, %v; want the zip's %q (not the go.mod line)", h1, err, m.h1)
	}
	if h.count("/lookup/") == 0 {
		t.Error("the database saw no lookup")
	}
}

func TestCheckZipTampered(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	good := newFakeModule(t, "1.999.0", "")
	bad := newFakeModule(t, "1.999.0", "a backdoor")
	db.add(toolchain, good.version, good.h1)
	srv, _ := serveDirect(t, db)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})

	const url = "http://127.0.0.1:1/golang.org/toolchain/@v/v0.0.1-go1.999.0.linux-amd64.zip"
	err := c.CheckZip(context.Background(), bad.zip, toolchain, bad.version, url)
	var m *MismatchError
	if !errors.As(err, &m) {
		t.Fatalf("CheckZip(tampered zip) = %v, want a *MismatchError", err)
	}
	if m.Expected != good.h1 || m.Got != bad.h1 || m.URL != url || m.Subject != toolchain+"@"+good.version || m.What != "h1 (checksum database)" {
		t.Errorf("mismatch = %+v\nwant Expected %s, Got %s, URL %s", m, good.h1, bad.h1, url)
	}
	if !IsSecurity(err) || !strings.Contains(err.Error(), "SECURITY ERROR") {
		t.Errorf("tampered zip error is not loud: %v", err)
	}
}

func TestCheckZipNotAZip(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	srv, _ := serveDirect(t, db)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	page := filepath.Join(t.TempDir(), "error.html")
	if err := os.WriteFile(page, []byte("<html>502 Bad Gateway</html>"), 0o666); err != nil {
		t.Fatal(err)
	}
	err := c.CheckZip(context.Background(), page, toolchain, m.version, "http://proxy.test/x.zip")
	if err == nil || !strings.Contains(err.Error(), "hash module zip") {
		t.Errorf("CheckZip(an HTML page) = %v, want an error hashing the zip", err)
	}
}

func TestLookupUnknownVersion(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	srv, _ := serveDirect(t, db)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	m := newFakeModule(t, "1.999.1", "")
	err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "http://proxy.test/x.zip")
	if err == nil {
		t.Fatal("CheckZip of a version the database does not know = nil, want an error")
	}
	if !errors.Is(err, fs.ErrNotExist) || IsSecurity(err) {
		t.Errorf("error = %v, want one matching fs.ErrNotExist and not a security error", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound || !strings.HasPrefix(se.URL, srv.URL+"/lookup/") {
		t.Errorf("error = %v, want a *StatusError 404 naming the lookup URL", err)
	}
	if !strings.Contains(err.Error(), "does not know "+toolchain+"@"+m.version) {
		t.Errorf("error = %q, want it to say the database does not know the version", err)
	}
}

func TestLookupRejectsBadInput(t *testing.T) {
	srv, h := serveStatus(t, http.StatusInternalServerError)
	db := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	for _, v := range []string{"", "latest", "v0.0.1-go1.22.6.linux-amd64/go.mod", "../../../etc/passwd", "v1.0.0/../../x"} {
		if _, err := c.Lookup(context.Background(), toolchain, v); err == nil {
			t.Errorf("Lookup(%q) = nil error, want one", v)
		}
	}
	if _, err := c.Lookup(context.Background(), "../toolchain", "v1.0.0"); err == nil {
		t.Error(`Lookup("../toolchain") = nil error, want one`)
	}
	if n := h.count("/"); n != 0 {
		t.Errorf("bad input caused %d requests, want 0", n)
	}
}

func TestDatabaseUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	db := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + url})
	_, err := c.Lookup(context.Background(), toolchain, "v0.0.1-go1.999.0.linux-amd64")
	if err == nil || !strings.Contains(err.Error(), url+"/lookup/") {
		t.Errorf("Lookup against a closed server = %v, want an error naming %s/lookup/...", err, url)
	}
}

func TestDatabaseAnswerTooLarge(t *testing.T) {
	big := strings.Repeat("x", maxRemoteBody+1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, big)
	}))
	t.Cleanup(srv.Close)
	db := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	_, err := c.Lookup(context.Background(), toolchain, "v0.0.1-go1.999.0.linux-amd64")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Lookup against an endless answer = %v, want a size error", err)
	}
}

func TestDatabaseGarbage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>sign in to the captive portal</html>")
	}))
	t.Cleanup(srv.Close)
	db := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	if _, err := c.Lookup(context.Background(), toolchain, "v0.0.1-go1.999.0.linux-amd64"); err == nil {
		t.Error("Lookup against a server answering HTML = nil error, want one")
	}
}

func TestWrongKeyRejected(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	srv, _ := serveDirect(t, db)
	// An impostor with its own key under the same name.
	impostor := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: impostor.verifier + " " + srv.URL})
	if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err == nil {
		t.Error("CheckZip with answers signed by another key = nil, want an error")
	}
}

func TestThroughProxyAfter404(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	notFound, nfHits := serveStatus(t, http.StatusNotFound)
	gone, goneHits := serveStatus(t, http.StatusGone)
	proxy, pHits := serveProxy(t, db)

	c := newChecker(t, SumDBConfig{
		GOSUMDB: db.verifier, // no URL: found through GOPROXY
		Proxies: []Proxy{{URL: notFound.URL}, {URL: gone.URL + "/"}, {URL: proxy.URL}, {URL: "direct"}},
		Client:  noDirect(t),
	})
	if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, proxy.URL+"/x.zip"); err != nil {
		t.Fatalf("CheckZip through the third proxy = %v, want nil", err)
	}
	if nfHits.count("/sumdb/sum.gvx.test/supported") != 1 || goneHits.count("/sumdb/sum.gvx.test/supported") != 1 {
		t.Errorf("the 404 and 410 proxies were asked %d and %d times for /supported, want once each",
			nfHits.count("/sumdb/sum.gvx.test/supported"), goneHits.count("/sumdb/sum.gvx.test/supported"))
	}
	if pHits.count("/sumdb/sum.gvx.test/lookup/") == 0 {
		t.Error("the serving proxy saw no lookup")
	}
	if n := nfHits.count("/sumdb/sum.gvx.test/lookup/") + goneHits.count("/sumdb/sum.gvx.test/lookup/"); n != 0 {
		t.Errorf("proxies without the database saw %d lookups, want 0", n)
	}

	// The route is decided once per Checker, not per request.
	m2 := newFakeModule(t, "1.999.1", "")
	db.add(toolchain, m2.version, m2.h1)
	if err := c.CheckZip(context.Background(), m2.zip, toolchain, m2.version, "u"); err != nil {
		t.Fatal(err)
	}
	if n := nfHits.count("/") + pHits.count("/sumdb/sum.gvx.test/supported"); n != 2 {
		t.Errorf("after two checks, /supported was asked %d times in all, want 2 (once per proxy tried)", n)
	}
}

func TestProxyFallBackOnError(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	broken, bHits := serveStatus(t, http.StatusInternalServerError)
	proxy, pHits := serveProxy(t, db)

	// "broken|proxy": any error moves on.
	c := newChecker(t, SumDBConfig{
		GOSUMDB: db.verifier,
		Proxies: []Proxy{{URL: broken.URL, FallBackOnError: true}, {URL: proxy.URL}},
		Client:  noDirect(t),
	})
	if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
		t.Fatalf("CheckZip with GOPROXY=broken|good = %v, want nil", err)
	}
	if bHits.count("/") != 1 || pHits.count("/sumdb/sum.gvx.test/lookup/") == 0 {
		t.Errorf("broken proxy asked %d times, good proxy %d lookups; want 1 and at least 1", bHits.count("/"), pHits.count("/sumdb/sum.gvx.test/lookup/"))
	}

	// "broken,proxy": a 500 stops the walk, and the error names the URL.
	pHits.reset()
	c = newChecker(t, SumDBConfig{
		GOSUMDB: db.verifier,
		Proxies: []Proxy{{URL: broken.URL}, {URL: proxy.URL}},
		Client:  noDirect(t),
	})
	err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusInternalServerError || se.URL != broken.URL+"/sumdb/sum.gvx.test/supported" {
		t.Errorf("CheckZip with GOPROXY=broken,good = %v, want a 500 *StatusError for %s/sumdb/sum.gvx.test/supported", err, broken.URL)
	}
	if pHits.count("/") != 0 {
		t.Errorf("the proxy after a ',' and a 500 was asked %d times, want 0", pHits.count("/"))
	}
}

func TestDirectAfterProxies(t *testing.T) {
	// A TLS server whose host:port is the database's name, so that
	// "direct" reaches https://<name> for real.
	h := &hits{}
	srv := httptest.NewUnstartedServer(nil)
	name := srv.Listener.Addr().String()
	db := newFakeDB(t, name)
	srv.Config.Handler = counting(h, db.handler)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	notFound, _ := serveStatus(t, http.StatusNotFound)

	for _, proxies := range [][]Proxy{
		{{URL: notFound.URL}, {URL: "direct"}},
		{{URL: notFound.URL}}, // the end of the list means direct too
		nil,
	} {
		h.reset()
		c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier, Proxies: proxies, Client: srv.Client()})
		if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
			t.Fatalf("CheckZip with proxies %v = %v, want nil through https://%s", proxies, err, name)
		}
		if h.count("/lookup/") == 0 {
			t.Errorf("proxies %v: the database saw no direct lookup", proxies)
		}
	}
}

func TestExplicitURLBypassesProxies(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	direct, dHits := serveDirect(t, db)
	proxy, pHits := serveProxy(t, db)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + direct.URL + "/", Proxies: []Proxy{{URL: proxy.URL}}})
	if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
		t.Fatal(err)
	}
	if pHits.count("/") != 0 || dHits.count("/lookup/") == 0 {
		t.Errorf("with a URL in GOSUMDB: proxy asked %d times, database %d lookups; want 0 and at least 1", pHits.count("/"), dHits.count("/lookup/"))
	}
}

func TestProxyOff(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	notFound, _ := serveStatus(t, http.StatusNotFound)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier, Proxies: []Proxy{{URL: notFound.URL}, {URL: "off"}}, Client: noDirect(t)})
	_, err := c.Lookup(context.Background(), toolchain, "v0.0.1-go1.999.0.linux-amd64")
	if err == nil || !strings.Contains(err.Error(), `"off"`) || !strings.Contains(err.Error(), "GOPROXY") {
		t.Errorf("Lookup with GOPROXY=notfound,off = %v, want an error about GOPROXY off", err)
	}
}

func TestCancelledLookupDecidesNothing(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	proxy, _ := serveProxy(t, db)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier, Proxies: []Proxy{{URL: proxy.URL}}, Client: noDirect(t)})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.CheckZip(ctx, m.zip, toolchain, m.version, "u")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CheckZip with a cancelled context = %v, want context.Canceled", err)
	}
	if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
		t.Errorf("CheckZip after a cancelled call = %v, want nil: a cancelled probe must not be remembered", err)
	}
}

func TestStatePersistsBetweenCheckers(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	db.add(toolchain, m.version, m.h1)
	srv, _ := serveDirect(t, db)
	state := t.TempDir()

	first := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL, StateDir: state})
	if err := first.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
		t.Fatal(err)
	}
	if n := latestTreeSize(t, state, db); n != 1 {
		t.Errorf("after one lookup the kept tree head has %d records, want 1", n)
	}

	// A second Checker (a later gvx run) on the same state verifies the
	// same zip with the database down: record and tiles come from the
	// state, and were verified when they were stored.
	down, downHits := serveStatus(t, http.StatusServiceUnavailable)
	second := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + down.URL, StateDir: state})
	if err := second.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
		t.Errorf("CheckZip from the kept state = %v, want nil", err)
	}
	if downHits.count("/") != 0 {
		t.Errorf("verifying from the kept state made %d requests, want 0", downHits.count("/"))
	}
	// A tampered zip still fails from the cache.
	bad := newFakeModule(t, "1.999.0", "tampered")
	if err := second.CheckZip(context.Background(), bad.zip, toolchain, bad.version, "u"); !IsSecurity(err) {
		t.Errorf("CheckZip(tampered) from the kept state = %v, want a security error", err)
	}
}

// latestTreeSize reads the tree head kept in state for db and checks its
// signature.
func latestTreeSize(t *testing.T, state string, db *fakeDB) int64 {
	t.Helper()
	msg, err := os.ReadFile(filepath.Join(state, "config", db.name, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(db.verifier)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		t.Fatalf("kept tree head: %v", err)
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		t.Fatal(err)
	}
	return tree.N
}

func TestForkedDatabase(t *testing.T) {
	a := newFakeModule(t, "1.999.0", "")
	aEvil := newFakeModule(t, "1.999.0", "evil")
	b := newFakeModule(t, "1.999.1", "")
	c := newFakeModule(t, "1.999.2", "")

	tests := []struct {
		name string
		// honest is what this machine saw first; fork is the same
		// database (same key) later, with a rewritten history.
		honest, fork []fakeModule
		check        fakeModule // what is verified against the fork
	}{
		// The fork's tree is newer than the kept head but does not
		// contain it: record 0 was rewritten.
		{name: "newer tree rewrites history", honest: []fakeModule{a}, fork: []fakeModule{aEvil, b}, check: b},
		// The fork's tree is older than the kept head and disagrees
		// with it: rolled back, then forked. (Versions verified before
		// are answered from the verified cache and never reach the
		// fork, so the check is of a version new to this machine.)
		{name: "rolled back and forked", honest: []fakeModule{a, b}, fork: []fakeModule{c}, check: c},
		// Same size, different content.
		{name: "same size, other tree", honest: []fakeModule{a, b}, fork: []fakeModule{aEvil, c}, check: c},
		// Longer fork, checking a module the honest tree never had.
		{name: "fork grows past the kept head", honest: []fakeModule{a}, fork: []fakeModule{aEvil, b, c}, check: c},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			honest := newFakeDB(t, "sum.gvx.test")
			fork := newFakeDBWithKey(honest.signer, honest.verifier, honest.name)
			state := t.TempDir()

			hsrv, _ := serveDirect(t, honest)
			hc := newChecker(t, SumDBConfig{GOSUMDB: honest.verifier + " " + hsrv.URL, StateDir: state})
			for _, m := range tt.honest {
				honest.add(toolchain, m.version, m.h1)
				if err := hc.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
					t.Fatalf("honest database: %v", err)
				}
			}
			for _, m := range tt.fork {
				fork.add(toolchain, m.version, m.h1)
				fork.record(t, toolchain, m.version)
			}

			fsrv, _ := serveDirect(t, fork)
			fc := newChecker(t, SumDBConfig{GOSUMDB: fork.verifier + " " + fsrv.URL, StateDir: state})
			err := fc.CheckZip(context.Background(), tt.check.zip, toolchain, tt.check.version, "u")
			var se *SecurityError
			if !errors.As(err, &se) {
				t.Fatalf("CheckZip against a forked database = %v, want a *SecurityError", err)
			}
			if !errors.Is(err, sumdb.ErrSecurity) || !IsSecurity(err) {
				t.Errorf("fork error %v does not match sumdb.ErrSecurity or IsSecurity", err)
			}
			t.Logf("fork reported as:\n%v", err)
			msg := err.Error()
			for _, want := range []string{"SECURITY ERROR", honest.name, fsrv.URL, state} {
				if !strings.Contains(msg, want) {
					t.Errorf("fork error lacks %q:\n%s", want, msg)
				}
			}
			// The kept head is still the honest one: the fork did not
			// overwrite the evidence.
			if n := latestTreeSize(t, state, honest); n != int64(len(tt.honest)) {
				t.Errorf("kept tree head has %d records after the fork, want the honest %d", n, len(tt.honest))
			}
		})
	}
}

func TestConcurrentCheckZip(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	srv, _ := serveDirect(t, db)
	state := t.TempDir()
	const workers = 6
	var mods []fakeModule
	for i := range workers {
		m := newFakeModule(t, fmt.Sprintf("1.999.%d", i), "")
		db.add(toolchain, m.version, m.h1)
		mods = append(mods, m)
	}

	// One Checker shared by goroutines, and one Checker per goroutine as
	// separate gvx processes would have, all on one state directory.
	shared := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL, StateDir: state})
	var wg sync.WaitGroup
	errs := make(chan error, 4*workers)
	for round := range 2 {
		for i, m := range mods {
			for _, own := range []bool{false, true} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := shared
					if own {
						var err error
						if c, err = NewChecker(SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL, StateDir: state}); err != nil {
							errs <- err
							return
						}
					}
					if err := c.CheckZip(context.Background(), m.zip, toolchain, m.version, "u"); err != nil {
						errs <- fmt.Errorf("round %d, module %d, own checker %v: %w", round, i, own, err)
					}
				}()
			}
		}
		wg.Wait()
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every lookup moved the kept head forward or left it; it ends at
	// the full tree, whoever wrote last.
	if n := latestTreeSize(t, state, db); n != workers {
		t.Errorf("kept tree head has %d records, want %d", n, workers)
	}
}

func TestDatabaseTruncatedAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		fmt.Fprint(w, "golang.org/toolchain v0.0.1")
		// The handler returns early: the server closes the connection
		// with 973 bytes still owed.
	}))
	t.Cleanup(srv.Close)
	db := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	_, err := c.Lookup(context.Background(), toolchain, "v0.0.1-go1.999.0.linux-amd64")
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/lookup/") {
		t.Errorf("Lookup of a truncated answer = %v, want an error naming the lookup URL", err)
	}
}

func TestDatabaseStalls(t *testing.T) {
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		fmt.Fprint(w, "golang.org/toolchain")
		w.(http.Flusher).Flush()
		close(started)
		<-r.Context().Done() // stall until the client gives up
	}))
	t.Cleanup(srv.Close)
	db := newFakeDB(t, "sum.gvx.test")
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	_, err := c.Lookup(ctx, toolchain, "v0.0.1-go1.999.0.linux-amd64")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Lookup of a stalled answer, then cancelled = %v, want context.Canceled", err)
	}
}

// CheckZipH1 returns the h1 the database vouched for, so that a caller
// recording it need not hash the zip again; a mismatch returns none.
func TestCheckZipH1(t *testing.T) {
	db := newFakeDB(t, "sum.gvx.test")
	m := newFakeModule(t, "1.999.0", "")
	bad := newFakeModule(t, "1.999.1", "a backdoor")
	db.add(toolchain, m.version, m.h1)
	db.add(toolchain, bad.version, m.h1)
	srv, _ := serveDirect(t, db)
	c := newChecker(t, SumDBConfig{GOSUMDB: db.verifier + " " + srv.URL})
	if h1, err := c.CheckZipH1(context.Background(), m.zip, toolchain, m.version, "u"); err != nil || h1 != m.h1 {
		t.Errorf("CheckZipH1(good zip) = %q, %v; want %q", h1, err, m.h1)
	}
	var mm *MismatchError
	if h1, err := c.CheckZipH1(context.Background(), bad.zip, toolchain, bad.version, "u"); !errors.As(err, &mm) || h1 != "" {
		t.Errorf("CheckZipH1(tampered zip) = %q, %v; want no h1 and a *MismatchError", h1, err)
	}
}

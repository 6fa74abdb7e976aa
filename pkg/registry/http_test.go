package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// artifactAt is a dl artifact of body served at url.
func artifactAt(url string, body []byte) Artifact {
	return Artifact{
		Version: goversion.MustParse("1.999.0"), Platform: Platform{"linux", "amd64"},
		Source: "dl", Format: TarGz, Filename: "go1.999.0.linux-amd64.tar.gz",
		URL: url, SHA256: sha(body), Size: int64(len(body)),
	}
}

func fetch(t *testing.T, client *http.Client, a Artifact) ([]byte, error) {
	t.Helper()
	rc, err := openArchive(context.Background(), client, a, a.URL)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestFetch500RetriesThenFails(t *testing.T) {
	var hits counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.hit(r)
		http.Error(w, "upstream broken", http.StatusBadGateway)
	}))
	defer srv.Close()
	a := artifactAt(srv.URL+"/go.tar.gz", []byte("x"))
	_, err := fetch(t, testClient(t, nil), a)
	var ue *UnreachableError
	var se *StatusError
	if !errors.As(err, &ue) || !errors.As(err, &se) || se.Code != 502 || !strings.Contains(err.Error(), a.URL) {
		t.Errorf("fetch = %v; want an UnreachableError with the 502 and the URL", err)
	}
	if n := hits.get("/go.tar.gz"); n != defaultAttempts {
		t.Errorf("server saw %d requests, want %d", n, defaultAttempts)
	}
}

func TestFetchRetriesResetConnections(t *testing.T) {
	body := []byte("the archive")
	var hits counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch hits.hit(r) {
		case 1: // a reset: close with SO_LINGER 0 before any answer
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		case 2: // EOF before headers
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		default:
			w.Write(body)
		}
	}))
	defer srv.Close()
	got, err := fetch(t, testClient(t, nil), artifactAt(srv.URL+"/go.tar.gz", body))
	if err != nil || string(got) != string(body) {
		t.Fatalf("fetch = %q, %v; want the body after two retries", got, err)
	}
	if n := hits.get("/go.tar.gz"); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}

func TestFetchResetEveryTimeFails(t *testing.T) {
	var hits counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.hit(r)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}))
	defer srv.Close()
	a := artifactAt(srv.URL+"/go.tar.gz", []byte("x"))
	_, err := fetch(t, testClient(t, nil), a)
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "cannot reach "+a.URL) {
		t.Errorf("fetch = %v; want an UnreachableError naming the URL", err)
	}
	if n := hits.get("/go.tar.gz"); n != defaultAttempts {
		t.Errorf("server saw %d requests, want %d", n, defaultAttempts)
	}
}

func TestFetchStallMidBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("first bytes"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	client := NewHTTPClient(HTTPOptions{Timeout: 50 * time.Millisecond, Backoff: func(int) time.Duration { return 0 }})
	a := artifactAt(srv.URL+"/go.tar.gz", nil)
	a.Size = 1000
	_, err := fetch(t, client, a)
	var se *StallError
	if !errors.As(err, &se) || se.BeforeHeaders || !strings.Contains(err.Error(), "stalled") ||
		!strings.Contains(err.Error(), a.URL) || !strings.Contains(err.Error(), "GVX_HTTP_TIMEOUT") {
		t.Errorf("fetch = %v; want a stall error naming the URL and GVX_HTTP_TIMEOUT", err)
	}
}

func TestFetchStallBeforeHeaders(t *testing.T) {
	release := make(chan struct{})
	var hits counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.hit(r)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	client := NewHTTPClient(HTTPOptions{Timeout: 50 * time.Millisecond, Backoff: func(int) time.Duration { return 0 }})
	a := artifactAt(srv.URL+"/go.tar.gz", []byte("x"))
	_, err := fetch(t, client, a)
	var se *StallError
	var ue *UnreachableError
	if !errors.As(err, &se) || !se.BeforeHeaders || !errors.As(err, &ue) || !strings.Contains(err.Error(), "no answer") {
		t.Errorf("fetch = %v; want an unreachable StallError before headers", err)
	}
	if n := hits.get("/go.tar.gz"); n != 1 {
		t.Errorf("server saw %d requests; a stall is not retried", n)
	}
}

func TestFetchHTMLPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body>Please sign in</body></html>"))
	}))
	defer srv.Close()
	_, err := fetch(t, testClient(t, nil), artifactAt(srv.URL+"/go.tar.gz", []byte("x")))
	if err == nil || !strings.Contains(err.Error(), "got an HTML page instead of the archive") {
		t.Errorf("fetch = %v; want the HTML page error", err)
	}
}

func TestFetchSizeChecks(t *testing.T) {
	body := []byte("0123456789")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chunked-long", "/chunked-short":
			w.Write(body[:5])
			w.(http.Flusher).Flush() // no Content-Length: chunked
			if r.URL.Path == "/chunked-long" {
				w.Write(body[5:])
			}
		default:
			w.Write(body)
		}
	}))
	defer srv.Close()
	client := testClient(t, nil)

	a := artifactAt(srv.URL+"/cl", body)
	a.Size = 12
	_, err := fetch(t, client, a)
	var me *verify.MismatchError
	if !errors.As(err, &me) || me.What != "size" || !strings.Contains(me.Got, "10 bytes") {
		t.Errorf("Content-Length 10 vs listing 12: %v; want a size MismatchError", err)
	}

	a = artifactAt(srv.URL+"/chunked-long", body)
	a.Size = 7
	if _, err := fetch(t, client, a); !errors.As(err, &me) || me.What != "size" {
		t.Errorf("10 chunked bytes vs listing 7: %v; want a size MismatchError", err)
	}

	a = artifactAt(srv.URL+"/chunked-short", body)
	if _, err := fetch(t, client, a); err == nil || !strings.Contains(err.Error(), "truncated at 5 of 10 bytes") {
		t.Errorf("5 chunked bytes vs listing 10: %v; want a truncation error", err)
	}

	a = artifactAt(srv.URL+"/cl", body)
	if got, err := fetch(t, client, a); err != nil || string(got) != string(body) {
		t.Errorf("matching size: %q, %v", got, err)
	}
}

// tlsClient trusts the certificates of every server given, and reaches
// each as host.example.com (which their certificates name), so that
// redirects between them cross hosts.
func tlsClient(t *testing.T, hosts map[string]*httptest.Server) *http.Client {
	pool := x509.NewCertPool()
	addrs := map[string]string{}
	for name, s := range hosts {
		pool.AddCert(s.Certificate())
		_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
		addrs[net.JoinHostPort(name, port)] = s.Listener.Addr().String()
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if a, ok := addrs[addr]; ok {
			addr = a
		}
		return d.DialContext(ctx, network, addr)
	}
	return testClient(t, tr)
}

// hostURL is s's URL with host.example.com in place of its IP address.
func hostURL(s *httptest.Server, host string) string {
	return strings.Replace(s.URL, "127.0.0.1", host, 1)
}

func TestRedirects(t *testing.T) {
	body := []byte("archive")
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/up" {
			w.Header().Set("Location", r.URL.Query().Get("to"))
			w.WriteHeader(http.StatusFound)
			return
		}
		w.Write(body)
	}))
	defer plain.Close()
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer other.Close()
	otherHost := hostURL(other, "files.example.com")
	main := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-http":
			http.Redirect(w, r, plain.URL+"/go.tar.gz", http.StatusFound)
		case "/to-https":
			http.Redirect(w, r, otherHost+"/go.tar.gz", http.StatusFound)
		case "/to-ftp":
			http.Redirect(w, r, "ftp://files.test/go.tar.gz", http.StatusFound)
		}
	}))
	defer main.Close()
	client := tlsClient(t, map[string]*httptest.Server{"dl.example.com": main, "files.example.com": other})
	mainURL := hostURL(main, "dl.example.com")

	_, err := fetch(t, client, artifactAt(mainURL+"/to-http", body))
	var re *redirectError
	if !errors.As(err, &re) || !strings.HasPrefix(re.To, "http://") || !strings.Contains(err.Error(), "refusing the redirect") {
		t.Errorf("https→http: %v; want a redirectError", err)
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		t.Errorf("https→http: %v is an UnreachableError; a refused redirect must not trigger a fallback", err)
	}
	if _, err := fetch(t, client, artifactAt(mainURL+"/to-ftp", body)); !errors.As(err, &re) {
		t.Errorf("https→ftp: %v; want a redirectError", err)
	}
	if got, err := fetch(t, client, artifactAt(mainURL+"/to-https", body)); err != nil || string(got) != string(body) {
		t.Errorf("https→other https host: %q, %v; want it followed", got, err)
	}
	if got, err := fetch(t, client, artifactAt(plain.URL+"/up?to="+otherHost+"/go.tar.gz", body)); err != nil || string(got) != string(body) {
		t.Errorf("http→https: %q, %v; want it followed", got, err)
	}
}

func TestHTTPTimeout(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", defaultHTTPTimeout},
		{"45s", 45 * time.Second},
		{"2m", 2 * time.Minute},
		{" 90 ", 90 * time.Second},
	} {
		got, err := HTTPTimeout(func(string) string { return tc.in })
		if err != nil || got != tc.want {
			t.Errorf("HTTPTimeout(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"soon", "-5s", "0", "0s"} {
		_, err := HTTPTimeout(func(string) string { return in })
		var se *SettingError
		if !errors.As(err, &se) || se.Var != "GVX_HTTP_TIMEOUT" {
			t.Errorf("HTTPTimeout(%q) = %v; want a GVX_HTTP_TIMEOUT SettingError", in, err)
		}
	}
}

func TestDefaultBackoffBounded(t *testing.T) {
	for attempt := 1; attempt <= 10; attempt++ {
		for range 20 {
			if d := defaultBackoff(attempt); d < 100*time.Millisecond || d > time.Second {
				t.Fatalf("defaultBackoff(%d) = %v; want within [100ms, 1s]", attempt, d)
			}
		}
	}
}

// trickler serves a body of size bytes a byte at a time, every 5 ms (200
// bytes a second): never silent long enough for the idle timeout.
func trickler(size int) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(size))
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < size; i++ {
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
			w.Write([]byte("["))
			w.(http.Flusher).Flush()
		}
	}))
}

// TestTrickleIsRefused: a body that keeps arriving, but slower than
// minRate, ends with an error naming the URL, for an archive and for the
// release listing, instead of being read forever.
func TestTrickleIsRefused(t *testing.T) {
	srv := trickler(1 << 20)
	defer srv.Close()
	client := NewHTTPClient(HTTPOptions{Timeout: 200 * time.Millisecond, Backoff: func(int) time.Duration { return 0 }})
	a := artifactAt(srv.URL+"/go.tar.gz", nil)
	a.Size = 1 << 20
	_, err := fetch(t, client, a)
	var se *StallError
	if !errors.As(err, &se) || !se.Slow || !strings.Contains(err.Error(), a.URL+": download too slow: ") || !strings.Contains(err.Error(), "16 KiB/s") {
		t.Errorf("fetch of a trickle = %v; want a too-slow error naming the URL", err)
	}

	src := newDL(dlOptions{Base: srv.URL + "/", Client: client, Cache: Cache{Dir: t.TempDir()}})
	_, err = src.List(context.Background())
	if !errors.As(err, &se) || !se.Slow || !strings.Contains(err.Error(), "download too slow") {
		t.Errorf("List of a trickled listing = %v; want a too-slow error", err)
	}
}

// TestListingDeadline: a listing that keeps coming faster than minRate but
// not to its end within maxListingTime is given up, naming the URL; with a
// cached listing gvx goes on with that one, as offline.
func TestListingDeadline(t *testing.T) {
	defer func(d time.Duration) { maxListingTime = d }(maxListingTime)
	maxListingTime = 200 * time.Millisecond
	chunk := []byte("[" + strings.Repeat(" ", 64<<10-1))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		tick := time.NewTicker(10 * time.Millisecond) // 6.4 MB/s, for ever
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
			w.Write(chunk)
			w.(http.Flusher).Flush()
			chunk = []byte(strings.Repeat(" ", 64<<10))
		}
	}))
	defer srv.Close()
	client := NewHTTPClient(HTTPOptions{Timeout: 5 * time.Second, Backoff: func(int) time.Duration { return 0 }})
	src := newDL(dlOptions{Base: srv.URL + "/", Client: client, Cache: Cache{Dir: t.TempDir()}})
	_, err := src.List(context.Background())
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "did not arrive within") || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("List of an endless listing = %v; want it given up after maxListingTime, naming the URL", err)
	}
}

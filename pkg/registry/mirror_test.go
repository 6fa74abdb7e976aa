package registry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

func TestInsecure(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"https://golang.google.cn/dl/", false},
		{"http://mirrors.example/golang/", true},
		{"http://127.0.0.1:8080/dl/", false},
		{"http://[::1]:8080/dl/", false},
		{"http://localhost/dl/", false},
		{"ftp://example/", true},
	} {
		if got := Insecure(tc.url); got != tc.want {
			t.Errorf("Insecure(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestDLMirrors(t *testing.T) {
	get := func(v string) func(string) string { return func(string) string { return v } }
	got, err := dlMirrors(get(" https://a.example/go, http://b.example/golang/ "))
	if err != nil || strings.Join(got, " ") != "https://a.example/go/ http://b.example/golang/" {
		t.Errorf("dlMirrors = %q, %v", got, err)
	}
	if _, err := dlMirrors(get("https://a.example/,ftp://b/")); err == nil {
		t.Errorf("dlMirrors with an ftp URL: no error")
	}
}

// TestDLFetchTriesMirrorsInOrder: the archive comes from the first mirror
// that serves it, then the listing's own URL; the body says which.
func TestDLFetchTriesMirrorsInOrder(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	defer down.Close()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "bytes") }))
	defer up.Close()
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "base!") }))
	defer base.Close()

	a := Artifact{Version: goversion.MustParse("1.999.0"), Source: "dl", Filename: "go1.999.0.linux-amd64.tar.gz", Size: 5}
	a.URL = base.URL + "/dl/" + a.Filename
	for _, tc := range []struct {
		mirrors  []string
		wantURL  string
		wantBody string
	}{
		{[]string{down.URL + "/", up.URL + "/m/"}, up.URL + "/m/" + a.Filename, "bytes"},
		{[]string{down.URL + "/"}, a.URL, "base!"},
		{nil, a.URL, "base!"},
	} {
		src := newDL(dlOptions{Base: base.URL + "/dl/", Client: testClient(t, nil), Mirrors: tc.mirrors})
		rc, err := src.Fetch(context.Background(), a)
		if err != nil {
			t.Fatalf("Fetch with mirrors %q: %v", tc.mirrors, err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if got := FetchedURL(rc); got != tc.wantURL || string(b) != tc.wantBody {
			t.Errorf("Fetch with mirrors %q: from %q, %q; want %q, %q", tc.mirrors, got, b, tc.wantURL, tc.wantBody)
		}
	}
}

// TestAutoWithMirrorsAndNoListing: with the listing down, the versions come
// from the proxy and the archives from the mirrors, marked SumDBOnly.
func TestAutoWithMirrorsAndNoListing(t *testing.T) {
	const mv = "v0.0.1-go1.999.0.linux-arm"
	proxySrv := fakeProxy(t, "", []string{mv}, map[string]string{mv: "zip"}, nil)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	dl := newDL(dlOptions{Base: down.URL + "/", Client: testClient(t, nil), Mirrors: []string{"https://mirror.test/golang/"}})
	proxy := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: proxySrv.URL}}, Client: testClient(t, nil)})
	rels, err := newAuto(dl, proxy, io.Discard).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 1 || len(rels[0].Artifacts) != 1 {
		t.Fatalf("List = %+v, want one release with one archive", rels)
	}
	a := rels[0].Artifacts[0]
	if !a.SumDBOnly || a.Format != TarGz || a.SHA256 != "" || a.URL != "https://mirror.test/golang/go1.999.0.linux-armv6l.tar.gz" {
		t.Errorf("artifact = %+v; want a SumDBOnly tar.gz from the mirror", a)
	}
}

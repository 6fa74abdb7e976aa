package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

func TestParseGOPROXY(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []verify.Proxy
	}{
		{"https://p.test", []verify.Proxy{{URL: "https://p.test"}}},
		{"https://p.test/,direct", []verify.Proxy{{URL: "https://p.test"}, {URL: "direct"}}},
		{"https://a.test|https://b.test,https://c.test", []verify.Proxy{
			{URL: "https://a.test", FallBackOnError: true}, {URL: "https://b.test"}, {URL: "https://c.test"}}},
		{" https://a.test , , https://b.test ", []verify.Proxy{{URL: "https://a.test"}, {URL: "https://b.test"}}},
		{"p.test/mod", []verify.Proxy{{URL: "https://p.test/mod"}}},
		{"http://127.0.0.1:3000", []verify.Proxy{{URL: "http://127.0.0.1:3000"}}},
		{"direct", []verify.Proxy{{URL: "direct"}}},
		{"direct,https://ignored.test", []verify.Proxy{{URL: "direct"}}},
		{"https://a.test,off,https://ignored.test", []verify.Proxy{{URL: "https://a.test"}, {URL: "off"}}},
		{"file:///srv/proxy/", []verify.Proxy{{URL: "file:///srv/proxy"}}},
		{"file:///srv/proxy|https://p.test", []verify.Proxy{{URL: "file:///srv/proxy", FallBackOnError: true}, {URL: "https://p.test"}}},
	} {
		got, err := ParseGOPROXY(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseGOPROXY(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "GOPROXY is empty"},
		{"off", "GOPROXY=off forbids downloading toolchains from a module proxy"},
		{" off ,https://p.test", "GOPROXY=off forbids"},
		{",", "contains no entries"},
		{"noscheme", "not an http, https or file proxy URL"},
		{"/srv/proxy", "not an http, https or file proxy URL"},
		{"ftp://p.test", "not an http, https or file proxy URL"},
		{"file://host/srv/proxy", "nothing but an absolute path"},
		{"file:///srv/proxy?x=1", "nothing but an absolute path"},
		{"file:/srv/proxy", "nothing but an absolute path"},
		{"file:rel/proxy", "not an http, https or file proxy URL"}, // "https://file:rel/proxy", as the go command reads it
		{"file://", "needs an absolute path"},
	} {
		_, err := ParseGOPROXY(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseGOPROXY(%q) = %v; want an error containing %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseGOPROXY("off"); !errors.Is(err, errGOPROXYOff) {
		t.Errorf("ParseGOPROXY(off) = %v; want errGOPROXYOff", err)
	}
}

func TestParseToolchainList(t *testing.T) {
	body := strings.Join([]string{
		"v0.0.1-go1.22.6.linux-amd64",
		"v0.0.1-go1.22.6.darwin-arm64",
		"v0.0.1-go1.21rc2.linux-amd64",
		"v0.0.1-go1.22.6.windows-386",
		"v0.0.1-go1.22.6.linux-amd64", // repeated
		"  v0.0.1-go1.20.linux-amd64  ",
		"",
		"v0.0.1-go1.22.6.linux",            // no arch
		"v0.0.1-go1.22.06.linux-amd64",     // not as Go writes it
		"v0.0.1-go../../x.linux-amd64",     // hostile
		"v0.0.1-go1.22.6.linux-amd64/../x", // hostile
		"v0.0.2-go1.22.6.linux-amd64",
		"garbage",
	}, "\n")
	rels := parseToolchainList([]byte(body), "https://p.test")
	var got []string
	for _, r := range rels {
		for _, a := range r.Artifacts {
			got = append(got, a.ModVersion)
			if a.URL != "https://p.test/golang.org/toolchain/@v/"+a.ModVersion+".zip" || a.Format != ModuleZip || a.ModPath != ToolchainModule || a.Source != "proxy" {
				t.Errorf("artifact %+v", a)
			}
		}
	}
	want := []string{
		"v0.0.1-go1.22.6.darwin-arm64", "v0.0.1-go1.22.6.linux-amd64", "v0.0.1-go1.22.6.windows-386",
		"v0.0.1-go1.21rc2.linux-amd64", "v0.0.1-go1.20.linux-amd64",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseToolchainList = %v, want %v", got, want)
	}
	if rels[1].Stable || !rels[0].Stable || !rels[2].Stable {
		t.Errorf("stable flags: %+v", rels)
	}
}

// fakeProxy serves golang.org/toolchain from a map of module versions to
// zip bodies; mode "404", "410", "500" or "" decides every answer.
func fakeProxy(t *testing.T, mode string, listed []string, zips map[string]string, hits *counter) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits != nil {
			hits.hit(r)
		}
		switch mode {
		case "404":
			http.NotFound(w, r)
			return
		case "410":
			http.Error(w, "gone", http.StatusGone)
			return
		case "500":
			http.Error(w, "broken", http.StatusInternalServerError)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/golang.org/toolchain/@v/")
		switch {
		case !ok:
			http.NotFound(w, r)
		case rest == "list":
			fmt.Fprintln(w, strings.Join(listed, "\n"))
		case strings.HasSuffix(rest, ".info") && zips[strings.TrimSuffix(rest, ".info")] != "":
			fmt.Fprintf(w, `{"Version":%q,"Time":"2024-08-06T00:00:00Z"}`, strings.TrimSuffix(rest, ".info"))
		case strings.HasSuffix(rest, ".zip") && zips[strings.TrimSuffix(rest, ".zip")] != "":
			w.Header().Set("Content-Type", "application/zip")
			io.WriteString(w, zips[strings.TrimSuffix(rest, ".zip")])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestProxyFallThrough(t *testing.T) {
	const mv = "v0.0.1-go1.999.0.linux-amd64"
	good := func() *httptest.Server {
		return fakeProxy(t, "", []string{mv}, map[string]string{mv: "zip bytes"}, nil)
	}
	for _, tc := range []struct {
		name     string
		first    string // mode of the first proxy
		sep      string
		wantGood bool
		wantErr  string
	}{
		{"404 then comma", "404", ",", true, ""},
		{"410 then comma", "410", ",", true, ""},
		{"500 then comma stops", "500", ",", false, "server answered 500"},
		{"500 then pipe", "500", "|", true, ""},
		{"404 then pipe", "404", "|", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var firstHits counter
			first := fakeProxy(t, tc.first, nil, nil, &firstHits)
			list, err := ParseGOPROXY(first.URL + tc.sep + good().URL)
			if err != nil {
				t.Fatal(err)
			}
			src := newProxy(proxyOptions{Proxies: list, Client: testClient(t, nil)})
			rels, err := src.List(context.Background())
			if tc.wantGood {
				if err != nil || len(rels) != 1 {
					t.Fatalf("List = %v, %v; want the second proxy's list", rels, err)
				}
				rc, err := src.Fetch(context.Background(), rels[0].Artifacts[0])
				if err != nil {
					t.Fatalf("Fetch = %v", err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				if string(b) != "zip bytes" {
					t.Errorf("Fetch read %q", b)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("List = %v; want an error containing %q", err, tc.wantErr)
			}
		})
	}

	t.Run("all not found", func(t *testing.T) {
		a, b := fakeProxy(t, "404", nil, nil, nil), fakeProxy(t, "410", nil, nil, nil)
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: a.URL}, {URL: b.URL}}, Client: testClient(t, nil)})
		_, err := src.List(context.Background())
		var se *StatusError
		if !errors.As(err, &se) || !se.NotFound() {
			t.Errorf("List = %v; want a not-found StatusError", err)
		}
	})
	t.Run("real error beats not found", func(t *testing.T) {
		a, b := fakeProxy(t, "500", nil, nil, nil), fakeProxy(t, "404", nil, nil, nil)
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: a.URL, FallBackOnError: true}, {URL: b.URL}}, Client: testClient(t, nil)})
		if _, err := src.List(context.Background()); err == nil || !strings.Contains(err.Error(), "500") {
			t.Errorf("List = %v; want the 500 reported, not the 404", err)
		}
	})
	t.Run("off after not found", func(t *testing.T) {
		a := fakeProxy(t, "404", nil, nil, nil)
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: a.URL}, {URL: "off"}}, Client: testClient(t, nil)})
		if _, err := src.List(context.Background()); !errors.Is(err, errGOPROXYOff) {
			t.Errorf("List = %v; want errGOPROXYOff", err)
		}
	})
	t.Run("direct only", func(t *testing.T) {
		src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: "direct"}}, Client: testClient(t, nil)})
		if _, err := src.List(context.Background()); err == nil || !strings.Contains(err.Error(), "names no module proxy") {
			t.Errorf("List = %v; want the no-proxy error", err)
		}
	})
}

func TestProxyLookup(t *testing.T) {
	const hidden = "v0.0.1-go1.999.1.linux-amd64"
	var hits counter
	srv := fakeProxy(t, "", nil, map[string]string{hidden: "zip"}, &hits)
	src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: srv.URL}}, Client: testClient(t, nil)}).(*proxySource)
	a, ok, err := src.Lookup(context.Background(), goversion.MustParse("1.999.1"), Platform{"linux", "amd64"})
	if err != nil || !ok || a.ModVersion != hidden || a.URL != srv.URL+"/golang.org/toolchain/@v/"+hidden+".zip" {
		t.Fatalf("Lookup(hidden) = %+v, %v, %v", a, ok, err)
	}
	if hits.get("/golang.org/toolchain/@v/"+hidden+".info") != 1 {
		t.Errorf("Lookup did not ask for the .info file")
	}
	_, ok, err = src.Lookup(context.Background(), goversion.MustParse("1.999.2"), Platform{"linux", "amd64"})
	if err != nil || ok {
		t.Errorf("Lookup(missing) = %v, %v; want not found and no error", ok, err)
	}
	broken := fakeProxy(t, "500", nil, nil, nil)
	bsrc := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: broken.URL}}, Client: testClient(t, nil)}).(*proxySource)
	if _, _, err := bsrc.Lookup(context.Background(), goversion.MustParse("1.999.1"), Platform{"linux", "amd64"}); err == nil {
		t.Errorf("Lookup on a broken proxy: want an error")
	}
}

func TestProxyFetchRefusesForeignArtifacts(t *testing.T) {
	src := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: "https://p.test"}}})
	for _, a := range []Artifact{
		{Source: "dl", Filename: "go1.22.6.linux-amd64.tar.gz"},
		{Source: "proxy", ModPath: ToolchainModule, ModVersion: "v0.0.1-go1.22.6.linux-amd64/../../x"},
		{Source: "proxy", ModPath: "example.com/other", ModVersion: "v0.0.1-go1.22.6.linux-amd64"},
	} {
		if _, err := src.Fetch(context.Background(), a); err == nil {
			t.Errorf("Fetch(%+v): want an error", a)
		}
	}
}

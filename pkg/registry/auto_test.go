package registry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

func TestAutoFallsBackWhenDLIsUnreachable(t *testing.T) {
	const mv = "v0.0.1-go1.999.0.linux-amd64"
	proxySrv := fakeProxy(t, "", []string{mv}, map[string]string{mv: "zip"}, nil)
	proxy := newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: proxySrv.URL}}, Client: testClient(t, nil)})

	for _, tc := range []struct {
		name string
		dl   func() string // returns the dl base
	}{
		{"refused", func() string {
			s := httptest.NewServer(http.NotFoundHandler())
			s.Close()
			return s.URL + "/"
		}},
		{"503", func() string {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "maintenance", http.StatusServiceUnavailable)
			}))
			t.Cleanup(s.Close)
			return s.URL + "/"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var notes syncBuffer
			dl := newDL(dlOptions{Base: tc.dl(), Client: testClient(t, nil)})
			auto := newAuto(dl, proxy, &notes)
			for range 2 {
				rels, err := auto.List(context.Background())
				if err != nil || len(rels) != 1 || rels[0].Artifacts[0].Source != "proxy" {
					t.Fatalf("List = %v, %v; want the proxy's release", rels, err)
				}
			}
			if n := strings.Count(notes.String(), "gvx: the go.dev/dl listing cannot be reached ("); n != 1 ||
				!strings.Contains(notes.String(), "); using the module proxy (") {
				t.Errorf("notes = %q; want one fallback note", notes.String())
			}
			a, err := Resolve(context.Background(), auto, goversion.MustParseSpec("1.999.0"), Platform{"linux", "amd64"})
			if err != nil {
				t.Fatal(err)
			}
			rc, err := auto.Fetch(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if string(b) != "zip" {
				t.Errorf("Fetch read %q", b)
			}
		})
	}
}

func TestAutoDoesNotFallBackOnMalformedListing(t *testing.T) {
	dlSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"not": "a listing"}`))
	}))
	defer dlSrv.Close()
	var proxyHits counter
	proxySrv := fakeProxy(t, "", []string{"v0.0.1-go1.999.0.linux-amd64"}, nil, &proxyHits)
	var notes syncBuffer
	auto := newAuto(
		newDL(dlOptions{Base: dlSrv.URL + "/", Client: testClient(t, nil)}),
		newProxy(proxyOptions{Proxies: []verify.Proxy{{URL: proxySrv.URL}}, Client: testClient(t, nil)}),
		&notes)
	if _, err := auto.List(context.Background()); err == nil || !strings.Contains(err.Error(), "malformed release listing") {
		t.Errorf("List = %v; want the malformed-listing error", err)
	}
	if proxyHits.all.Load() != 0 || notes.String() != "" {
		t.Errorf("the proxy was asked (%d requests, notes %q); a malformed listing is not a reason to fall back", proxyHits.all.Load(), notes.String())
	}
}

func TestAutoFetchDispatches(t *testing.T) {
	auto := newAuto(newDL(dlOptions{}), newProxy(proxyOptions{}), nil)
	if _, err := auto.Fetch(context.Background(), Artifact{Source: "ftp", Filename: "x"}); err == nil || !strings.Contains(err.Error(), `unknown source "ftp"`) {
		t.Errorf("Fetch(ftp) = %v", err)
	}
	if auto.Name() != "auto" {
		t.Errorf("Name = %q", auto.Name())
	}
}

func TestSourceFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	goproxyCalls := 0
	goproxy := func() (string, error) { goproxyCalls++; return "https://p.test", nil }
	for _, tc := range []struct {
		value, want string
	}{{"", "auto"}, {"auto", "auto"}, {"dl", "dl"}, {"proxy", "proxy"}} {
		src, err := SourceFromEnv(EnvOptions{Getenv: env(map[string]string{"GVX_SOURCE": tc.value}), GOPROXY: goproxy})
		if err != nil || src.Name() != tc.want {
			t.Errorf("GVX_SOURCE=%q: %v, %v; want %s", tc.value, src, err, tc.want)
		}
	}
	if goproxyCalls != 0 {
		t.Errorf("GOPROXY was asked %d times before the proxy was used", goproxyCalls)
	}
	_, err := SourceFromEnv(EnvOptions{Getenv: env(map[string]string{"GVX_SOURCE": "ftp"})})
	var se *SettingError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), `GVX_SOURCE="ftp" is not valid: use auto, dl or proxy`) {
		t.Errorf("GVX_SOURCE=ftp: %v; want a SettingError naming it", err)
	}
	_, err = SourceFromEnv(EnvOptions{Getenv: env(map[string]string{"GVX_DL_BASE": "ftp://x/"})})
	if !errors.As(err, &se) || se.Var != "GVX_DL_BASE" {
		t.Errorf("GVX_DL_BASE=ftp://x/: %v; want a SettingError naming it", err)
	}

	// The proxy source reads GOPROXY on first use, and reports its errors.
	src, err := SourceFromEnv(EnvOptions{Getenv: env(map[string]string{"GVX_SOURCE": "proxy"}),
		GOPROXY: func() (string, error) { return "off", nil }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.List(context.Background()); !errors.Is(err, errGOPROXYOff) {
		t.Errorf("proxy source with GOPROXY=off: List = %v; want errGOPROXYOff", err)
	}
	const mv = "v0.0.1-go1.999.0.linux-amd64"
	srv := fakeProxy(t, "", []string{mv}, map[string]string{mv: "zip"}, nil)
	src, _ = SourceFromEnv(EnvOptions{Getenv: env(map[string]string{"GVX_SOURCE": "proxy"}), Client: testClient(t, nil),
		GOPROXY: func() (string, error) { return srv.URL + ",direct", nil }})
	a, err := Resolve(context.Background(), src, goversion.MustParseSpec("1.999.0"), Platform{"linux", "amd64"})
	if err != nil || a.ModVersion != mv {
		t.Errorf("Resolve through GVX_SOURCE=proxy = %+v, %v", a, err)
	}
}

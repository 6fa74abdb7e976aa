package httpget

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.Write([]byte("hello"))
		case "/big":
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/header":
			w.Write([]byte(r.Header.Get("X-Test")))
		case "/notmodified":
			w.WriteHeader(http.StatusNotModified)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGetStatusErrors(t *testing.T) {
	srv := server(t)
	withPassword := strings.Replace(srv.URL, "http://", "http://user:secret@", 1)
	for _, tc := range []struct {
		path     string
		want     string
		notFound bool
	}{
		{"/missing", withPassword[:7] + "user:xxxxx@" + srv.URL[7:] + "/missing: not found (404 Not Found)", true},
		{"/gone", withPassword[:7] + "user:xxxxx@" + srv.URL[7:] + "/gone: not found (410 Gone)", true},
		{"/broken", withPassword[:7] + "user:xxxxx@" + srv.URL[7:] + "/broken: server answered 500 Internal Server Error", false},
	} {
		_, err := Get(context.Background(), srv.Client(), withPassword+tc.path, nil)
		var se *StatusError
		if !errors.As(err, &se) || err.Error() != tc.want {
			t.Errorf("Get(%s) = %v\nwant the *StatusError %s", tc.path, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Get(%s) = %v: shows the password", tc.path, err)
		}
		if got := errors.Is(err, fs.ErrNotExist); got != tc.notFound || se.NotFound() != tc.notFound {
			t.Errorf("Get(%s): errors.Is(fs.ErrNotExist) = %v, NotFound = %v, want %v", tc.path, got, se.NotFound(), tc.notFound)
		}
	}
}

func TestGetWantsAndHeaders(t *testing.T) {
	srv := server(t)
	resp, err := Get(context.Background(), srv.Client(), srv.URL+"/notmodified", nil, http.StatusOK, http.StatusNotModified)
	if err != nil || resp.StatusCode != http.StatusNotModified {
		t.Fatalf("Get(304 wanted) = %v, %v", resp, err)
	}
	resp.Body.Close()
	if _, err := Get(context.Background(), srv.Client(), srv.URL+"/notmodified", nil); err == nil {
		t.Error("Get(304, only 200 wanted) succeeded")
	}
	resp, err = Get(context.Background(), srv.Client(), srv.URL+"/header", http.Header{"X-Test": {"sent"}})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(resp.Body); err != nil || string(b) != "sent" {
		t.Errorf("header echoed %q, %v; want \"sent\"", b, err)
	}
	resp.Body.Close()
	if _, err := Get(context.Background(), srv.Client(), "http://a b/", nil); err == nil || !strings.HasPrefix(err.Error(), `bad URL "http://a b/"`) {
		t.Errorf("Get(bad URL) = %v, want an error naming it", err)
	}
}

func TestReadBody(t *testing.T) {
	srv := server(t)
	resp, err := Get(context.Background(), srv.Client(), srv.URL+"/ok", nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := ReadBody(resp, 5, "a greeting"); err != nil || string(b) != "hello" {
		t.Errorf("ReadBody(5 bytes, max 5) = %q, %v", b, err)
	}
	resp, err = Get(context.Background(), srv.Client(), srv.URL+"/big", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "GET " + srv.URL + "/big: response is larger than 1024 bytes, too large for a greeting"
	if _, err := ReadBody(resp, 1024, "a greeting"); err == nil || err.Error() != want {
		t.Errorf("ReadBody(2048 bytes, max 1024) = %v\nwant %s", err, want)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://u:p@proxy.test/x": "https://u:xxxxx@proxy.test/x",
		"https://proxy.test/x":     "https://proxy.test/x",
		"off":                      "off",
		"%zz":                      "%zz",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

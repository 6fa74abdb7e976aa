package registry

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// writeFileProxy lays out a module proxy on disk, as GOPROXY=file:// reads
// it: golang.org/toolchain/@v/{list,<v>.info,<v>.zip}.
func writeFileProxy(t *testing.T, dir string, listed []string, zips map[string]string) {
	t.Helper()
	at := filepath.Join(dir, "golang.org", "toolchain", "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(at, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("list", strings.Join(listed, "\n")+"\n")
	for mv, z := range zips {
		write(mv+".info", `{"Version":"`+mv+`","Time":"2026-01-01T00:00:00Z"}`)
		write(mv+".zip", z)
	}
}

func fileURL(dir string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
}

func TestFileProxy(t *testing.T) {
	const mv, hidden = "v0.0.1-go1.999.0.linux-amd64", "v0.0.1-go1.999.1.linux-amd64"
	dir := t.TempDir()
	writeFileProxy(t, dir, []string{mv}, map[string]string{mv: "zip bytes", hidden: "hidden zip"})
	list, err := ParseGOPROXY(fileURL(dir) + "/")
	if err != nil {
		t.Fatal(err)
	}
	// A listing cache is configured, but a directory is read anew each time.
	cache := Cache{Dir: t.TempDir()}
	src := newProxy(proxyOptions{Proxies: list, Client: testClient(t, nil), Cache: cache}).(*proxySource)
	ctx := context.Background()
	rels, err := src.List(ctx)
	if err != nil || len(rels) != 1 || rels[0].Artifacts[0].ModVersion != mv {
		t.Fatalf("List = %+v, %v; want %s", rels, err, mv)
	}
	a := rels[0].Artifacts[0]
	if want := fileURL(dir) + "/golang.org/toolchain/@v/" + mv + ".zip"; a.URL != want {
		t.Errorf("artifact URL = %q, want %q", a.URL, want)
	}
	rc, err := src.Fetch(ctx, a)
	if err != nil {
		t.Fatalf("Fetch = %v", err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "zip bytes" {
		t.Errorf("Fetch read %q, want the zip on disk", b)
	}

	// A version the list leaves out is found by its .info, as on a server.
	h, ok, err := src.Lookup(ctx, goversion.MustParse("1.999.1"), Platform{"linux", "amd64"})
	if err != nil || !ok || h.ModVersion != hidden {
		t.Errorf("Lookup(hidden) = %+v, %v, %v", h, ok, err)
	}
	if _, ok, err := src.Lookup(ctx, goversion.MustParse("1.999.2"), Platform{"linux", "amd64"}); err != nil || ok {
		t.Errorf("Lookup(missing) = %v, %v; want not found (a missing file is a 404)", ok, err)
	}

	writeFileProxy(t, dir, []string{mv, hidden}, nil)
	if rels, err := src.List(ctx); err != nil || len(rels) != 2 {
		t.Errorf("List after the list file changed = %d releases, %v; want 2 (no cached copy)", len(rels), err)
	}
}

func TestFileProxyFallsThrough(t *testing.T) {
	const mv = "v0.0.1-go1.999.0.linux-amd64"
	empty := t.TempDir() // no golang.org/toolchain at all: every file is a 404
	srv := fakeProxy(t, "", []string{mv}, map[string]string{mv: "from the server"}, nil)
	list, err := ParseGOPROXY(fileURL(empty) + "," + srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	src := newProxy(proxyOptions{Proxies: list, Client: testClient(t, nil)})
	rels, err := src.List(context.Background())
	if err != nil || len(rels) != 1 {
		t.Fatalf("List = %v, %v; want the server's list after the directory's 404", rels, err)
	}
	rc, err := src.Fetch(context.Background(), rels[0].Artifacts[0])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "from the server" {
		t.Errorf("Fetch read %q", b)
	}
}

func TestFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("body"), 0o644); err != nil {
		t.Fatal(err)
	}
	client := testClient(t, nil)
	get := func(method, rawURL string) (*http.Response, error) {
		req, err := http.NewRequest(method, rawURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		return client.Do(req)
	}
	resp, err := get(http.MethodGet, fileURL(dir)+"/f")
	if err != nil || resp.StatusCode != 200 || resp.ContentLength != 4 {
		t.Fatalf("GET file = %+v, %v", resp, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "body" {
		t.Errorf("GET file read %q", b)
	}
	if resp, err := get(http.MethodHead, fileURL(dir)+"/f"); err != nil || resp.StatusCode != 200 || resp.ContentLength != 4 {
		t.Errorf("HEAD file = %+v, %v", resp, err)
	}
	if resp, err := get(http.MethodGet, fileURL(dir)+"/missing"); err != nil || resp.StatusCode != 404 {
		t.Errorf("GET missing = %+v, %v; want 404", resp, err)
	}
	if _, err := get(http.MethodGet, fileURL(dir)); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("GET directory = %v; want an error", err)
	}
	if _, err := get(http.MethodGet, "file://elsewhere"+filepath.ToSlash(dir)+"/f"); err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("GET file://elsewhere = %v; want an error", err)
	}
	if _, err := get(http.MethodPost, fileURL(dir)+"/f"); err == nil {
		t.Errorf("POST file: want an error")
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked")
		if err := os.WriteFile(locked, nil, 0o000); err != nil {
			t.Fatal(err)
		}
		if resp, err := get(http.MethodGet, fileURL(locked)); err != nil || resp.StatusCode != 403 {
			t.Errorf("GET unreadable = %+v, %v; want 403", resp, err)
		}
	}
}

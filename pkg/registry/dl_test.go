package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/verify"
)

const testBase = "https://dl.test/dl/"

func TestDecodeListingCorpus(t *testing.T) {
	data := corpus(t)
	var raw []rawRelease
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	nfiles := 0
	for _, r := range raw {
		nfiles += len(r.Files)
	}
	if len(raw) != 93 || nfiles != 1337 {
		t.Fatalf("corpus has %d releases and %d files, want 93 and 1337", len(raw), nfiles)
	}

	rels, err := decodeListing(data, testBase+"?mode=json&include=all", testBase)
	if err != nil {
		t.Fatalf("decodeListing(corpus) = %v", err)
	}
	if len(rels) != 93 {
		t.Fatalf("decodeListing(corpus) gave %d releases, want 93", len(rels))
	}
	arts, unverified := 0, 0
	for i, r := range rels {
		if i > 0 && goversion.Compare(rels[i-1].Version, r.Version) <= 0 {
			t.Errorf("releases not newest first: %s before %s", rels[i-1].Version, r.Version)
		}
		arts += len(r.Artifacts)
		unverified += len(r.Unverified)
		for _, a := range r.Artifacts {
			if a.Platform.OS == "4" || a.Platform.Arch == "bootstrap" {
				t.Errorf("%s: bootstrap tarball %s became an artifact", r.Version, a.Filename)
			}
			if a.URL != testBase+a.Filename || len(a.SHA256) != 64 || a.Source != "dl" {
				t.Errorf("%s: artifact %+v", r.Version, a)
			}
		}
	}
	// Counted independently from the JSON: archives with a SHA-256 for a
	// real os/arch, one per platform; and platforms with only unhashed ones.
	if arts != 841 || unverified != 86 {
		t.Errorf("corpus: %d artifacts and %d unverified platforms, want 841 and 86", arts, unverified)
	}

	byVersion := map[string]Release{}
	for _, r := range rels {
		byVersion[r.Version.String()] = r
	}
	got, ok := byVersion["1.14"].artifact(Platform{"linux", "amd64"})
	want := Artifact{
		Version: goversion.MustParse("1.14"), Platform: Platform{"linux", "amd64"}, Source: "dl", Format: TarGz,
		Filename: "go1.14.linux-amd64.tar.gz", URL: testBase + "go1.14.linux-amd64.tar.gz",
		SHA256: "08df79b46b0adf498ea9f320a0f23d6ec59e9003660b4c9c1ce8e5e2c6f823ca", Size: 123550266,
	}
	if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("go1.14 linux/amd64 = %+v, want %+v", got, want)
	}
	if a, ok := byVersion["1.14"].artifact(Platform{"linux", "arm"}); !ok || a.Filename != "go1.14.linux-armv6l.tar.gz" {
		t.Errorf("go1.14 linux/arm = %+v, %v; want the armv6l archive", a, ok)
	}
	if a, ok := byVersion["1.14"].artifact(Platform{"windows", "amd64"}); !ok || a.Format != Zip {
		t.Errorf("go1.14 windows/amd64 = %+v, %v; want a zip", a, ok)
	}
	old := byVersion["1.4.2"]
	if len(old.Artifacts) != 0 || len(old.Unverified) != 6 {
		t.Errorf("go1.4.2: %d artifacts, unverified %v; want none and 6 platforms without SHA-256", len(old.Artifacts), old.Unverified)
	}
	if g := byVersion["1"]; len(g.Artifacts) != 0 || len(g.Unverified) != 0 {
		t.Errorf("go1: %+v; want no artifacts (its only archives are os \"4\")", g)
	}
}

func TestDecodeListingPrefersExactName(t *testing.T) {
	body := []byte("x")
	exact := file("go1.3", "darwin", "amd64", body)
	osx6, osx8 := exact, exact
	osx6.Filename = "go1.3.darwin-amd64-osx10.6.tar.gz"
	osx8.Filename = "go1.3.darwin-amd64-osx10.8.tar.gz"
	for _, files := range [][]rawFile{
		{osx6, exact, osx8}, {osx8, osx6, exact}, {exact, osx8, osx6},
	} {
		rels, err := decodeListing(listingJSON(t, rawRelease{Version: "go1.3", Stable: true, Files: files}), "L", testBase)
		if err != nil {
			t.Fatal(err)
		}
		if a := rels[0].Artifacts; len(a) != 1 || a[0].Filename != exact.Filename {
			t.Errorf("files %v: picked %+v, want %s", files, a, exact.Filename)
		}
	}
	for _, files := range [][]rawFile{{osx6, osx8}, {osx8, osx6}} {
		rels, err := decodeListing(listingJSON(t, rawRelease{Version: "go1.3", Stable: true, Files: files}), "L", testBase)
		if err != nil {
			t.Fatal(err)
		}
		if a := rels[0].Artifacts; len(a) != 1 || a[0].Filename != osx8.Filename {
			t.Errorf("files %v: picked %+v, want %s", files, a, osx8.Filename)
		}
	}
}

func TestDecodeListingSkips(t *testing.T) {
	ok := file("go1.22.6", "linux", "amd64", []byte("x"))
	installer := ok
	installer.Kind, installer.Filename = "installer", "go1.22.6.darwin-amd64.pkg"
	zst := ok
	zst.Filename = "go1.22.6.linux-amd64.tar.zst"
	data := listingJSON(t,
		rawRelease{Version: "go1.22.6", Stable: true, Files: []rawFile{ok, installer, zst}},
		rawRelease{Version: "go1.9.2rc2", Files: []rawFile{file("go1.9.2rc2", "linux", "amd64", []byte("y"))}},
	)
	rels, err := decodeListing(data, "L", testBase)
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 1 || len(rels[0].Artifacts) != 1 || rels[0].Artifacts[0].Filename != ok.Filename {
		t.Errorf("decodeListing = %+v; want only %s", rels, ok.Filename)
	}
}

func TestDecodeListingRefuses(t *testing.T) {
	good := file("go1.22.6", "linux", "amd64", []byte("x"))
	with := func(f func(*rawFile)) []byte {
		c := good
		f(&c)
		return listingJSON(t, rawRelease{Version: "go1.22.6", Files: []rawFile{c}})
	}
	many := func(n int) []byte {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"version":"go1.9.2rc2","files":[]}`)
		}
		b.WriteString("]")
		return []byte(b.String())
	}
	manyFiles := func(n int) []byte {
		files := make([]rawFile, n)
		return listingJSON(t, rawRelease{Version: "go1.22.6", Files: files})
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"malformed", []byte(`[{"version": "go1.22.6", "files": [}`), "malformed release listing"},
		{"not an array", []byte(`{"version": "go1.22.6"}`), "not a JSON array"},
		{"html", []byte("<html>Sign in to the Wi-Fi</html>"), "not a JSON array"},
		{"trailing", []byte(`[] []`), "data after the array"},
		{"path version", listingJSON(t, rawRelease{Version: "../x"}), `version "../x"`},
		{"slash version", listingJSON(t, rawRelease{Version: "go1.22/../../etc"}), "not a Go version"},
		{"100k releases", many(100000), "more than 5000 releases"},
		{"100k files", manyFiles(100000), "more than 50000 files"},
		{"twice", listingJSON(t, rawRelease{Version: "go1.22.6"}, rawRelease{Version: "go1.22.6"}), "listed twice"},
		{"short sha", with(func(f *rawFile) { f.SHA256 = "abc" }), "not 64 hex digits"},
		{"sha not hex", with(func(f *rawFile) { f.SHA256 = strings.Repeat("z", 64) }), "not 64 hex digits"},
		{"slash filename", with(func(f *rawFile) { f.Filename = "../../go1.22.6.linux-amd64.tar.gz" }), "file name"},
		{"dir filename", with(func(f *rawFile) { f.Filename = "go1.22.6.linux-amd64/../../x.tar.gz" }), "file name"},
		{"other version file", with(func(f *rawFile) { f.Filename = "go1.21.0.linux-amd64.tar.gz" }), "file name"},
		{"other platform file", with(func(f *rawFile) { f.Filename = "go1.22.6.linux-arm64.tar.gz" }), "file name"},
		{"file version", with(func(f *rawFile) { f.Version = "go1.21.0" }), `of version "go1.21.0"`},
		{"bare stem filename", with(func(f *rawFile) { f.Filename = "go1.22.6.linux-amd64" }), "file name"},
		{"negative size", with(func(f *rawFile) { f.Size = -1 }), "size -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeListing(tc.data, "https://dl.test/dl/?mode=json", testBase)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "https://dl.test/dl/?mode=json") {
				t.Errorf("decodeListing = %v; want an error naming the URL and containing %q", err, tc.want)
			}
		})
	}
}

// maxFuzzListing caps the inputs FuzzDecodeListing looks at. The fuzzer
// mutates small inputs thousands of times faster than the 366 KB corpus
// file, which with it as a seed made a time-limited run stall in its first
// minutes; TestDecodeListingCorpus decodes that whole file instead.
const maxFuzzListing = 16 << 10

func FuzzDecodeListing(f *testing.F) {
	// Each release of the corpus alone, cut to its first two files (the
	// minimizer is slow on kilobytes of JSON), and a few crafted listings.
	var raw []rawRelease
	if err := json.Unmarshal(corpus(f), &raw); err != nil {
		f.Fatal(err)
	}
	for _, r := range raw {
		r.Files = r.Files[:min(len(r.Files), 2)]
		f.Add(listingJSON(f, r))
	}
	f.Add([]byte(`[{"version":"go1.22.6","stable":true,"files":[{"filename":"go1.22.6.linux-amd64.tar.gz","os":"linux","arch":"amd64","version":"go1.22.6","sha256":"` + strings.Repeat("a", 64) + `","size":1,"kind":"archive"}]}]`))
	f.Add([]byte(`[{"version":"../x"}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzListing {
			return
		}
		rels, err := decodeListing(data, "L", testBase)
		if err != nil {
			return
		}
		for _, r := range rels {
			for _, a := range r.Artifacts {
				if strings.ContainsAny(a.Filename, `/\`) || strings.Contains(a.Filename, "..") || !strings.HasPrefix(a.Filename, r.Version.GoName()+".") {
					t.Errorf("unsafe or mismatched file name %q for %s", a.Filename, r.Version)
				}
				if a.URL != testBase+a.Filename || !verify.IsSHA256(a.SHA256) || a.Size < 0 || !goosName(a.Platform.OS) {
					t.Errorf("bad artifact %+v", a)
				}
			}
			if strings.ContainsAny(r.Version.String(), `/\`) {
				t.Errorf("version %q", r.Version)
			}
		}
	})
}

func TestDLListAndFetch(t *testing.T) {
	archive := []byte("fake go1.999.0 archive")
	f := file("go1.999.0", "linux", "amd64", archive)
	var hits counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.hit(r)
		switch {
		case r.URL.Path == "/dl/" && r.URL.RawQuery == "mode=json&include=all":
			w.Header().Set("Content-Type", "application/json")
			w.Write(listingJSON(t, rawRelease{Version: "go1.999.0", Stable: true, Files: []rawFile{f}}))
		case r.URL.Path == "/dl/"+f.Filename:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(archive)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	src := newDL(dlOptions{Base: srv.URL + "/dl", Client: testClient(t, nil)})
	rels, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a, ok := rels[0].artifact(Platform{"linux", "amd64"})
	if !ok || a.URL != srv.URL+"/dl/"+f.Filename {
		t.Fatalf("List = %+v", rels)
	}
	rc, err := src.Fetch(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(got) != string(archive) {
		t.Fatalf("Fetch read %q, %v", got, err)
	}
	if ua := hits.header().Get("User-Agent"); ua != "gvx/test" {
		t.Errorf("User-Agent = %q, want gvx/test", ua)
	}

	missing := a
	missing.URL = srv.URL + "/dl/go1.999.1.linux-amd64.tar.gz"
	_, err = src.Fetch(context.Background(), missing)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || !strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), missing.URL) {
		t.Errorf("Fetch(missing) = %v; want a 404 StatusError naming the URL", err)
	}
}

func TestDLBase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", DefaultDLBase},
		{"https://mirror.test/dl", "https://mirror.test/dl/"},
		{"http://127.0.0.1:8080/dl/", "http://127.0.0.1:8080/dl/"},
	} {
		got, err := dlBase(func(string) string { return tc.in })
		if err != nil || got != tc.want {
			t.Errorf("dlBase(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"ftp://mirror.test/dl/", "mirror.test/dl", "https://mirror.test/dl/?x=1", "https:///dl/"} {
		_, err := dlBase(func(string) string { return in })
		var se *SettingError
		if !errors.As(err, &se) || se.Var != "GVX_DL_BASE" {
			t.Errorf("dlBase(%q) = %v; want a GVX_DL_BASE SettingError", in, err)
		}
	}
}

// FuzzDecodeListingSizes decodes listings of many copies of one release
// (copies and its files varied by the fuzzer): whatever the size, the
// release and file bounds hold, and the decoder never panics.
func FuzzDecodeListingSizes(f *testing.F) {
	f.Add([]byte(`{"version":"go1.22.6","stable":true,"files":[{"filename":"go1.22.6.linux-amd64.tar.gz","os":"linux","arch":"amd64","version":"go1.22.6","sha256":"`+strings.Repeat("a", 64)+`","size":1,"kind":"archive"}]}`), uint16(3), uint16(1))
	f.Add([]byte(`{"version":"go1.22.6","files":[`), uint16(70), uint16(900))
	f.Fuzz(func(t *testing.T, release []byte, copies, files uint16) {
		if len(release) > 4<<10 {
			return
		}
		// A release with many files: its "files" entry repeated.
		rel := bytes.Replace(release, []byte(`"files":[`), append([]byte(`"files":[`), bytes.Repeat([]byte(`{"os":"linux"},`), int(files%2000))...), 1)
		var b bytes.Buffer
		b.WriteByte('[')
		for i := 0; i < int(copies%6000); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(rel)
		}
		b.WriteByte(']')
		rels, err := decodeListing(b.Bytes(), "L", testBase)
		if err != nil {
			return
		}
		if len(rels) > maxReleases {
			t.Fatalf("%d releases decoded, more than the bound %d", len(rels), maxReleases)
		}
	})
}

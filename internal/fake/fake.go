// Package fake serves Go releases for tests: a go.dev/dl style listing with
// tar.gz archives, a module proxy with golang.org/toolchain zips, and a
// checksum database that vouches for them. Archives are generated in memory;
// their bin/go is a shell script, so versions that cannot exist (1.999.0)
// can be installed and run.
package fake

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"

	"github.com/gvx-dev/gvx/pkg/verify"
)

// File is one file of a fake GOROOT.
type File struct {
	Name string // slash-separated, relative to the GOROOT
	Mode os.FileMode
	Body string
}

// GoScript is the bin/go of a fake toolchain. It answers "go version" like
// the real one, "go env GOROOT" from its environment, and otherwise prints
// what it was asked and with which GOROOT, so tests can see which root ran.
func GoScript(version, goos, goarch string) string {
	return fmt.Sprintf(`#!/bin/sh
case "$1" in
version) echo "go version go%[1]s %[2]s/%[3]s";;
env) shift; for k in "$@"; do case "$k" in GOROOT) echo "$GOROOT";; GOVERSION) echo "go%[1]s";; GOTOOLCHAIN) echo "$GOTOOLCHAIN";; *) echo;; esac; done;;
*) echo "go%[1]s ran: $*"; echo "GOROOT=$GOROOT";;
esac
`, version, goos, goarch)
}

// GOROOT returns the files of a fake toolchain: bin/go, bin/gofmt, a tool
// under pkg/tool, a source file and VERSION.
func GOROOT(version, goos, goarch string) []File {
	tool := "pkg/tool/" + goos + "_" + goarch + "/"
	return []File{
		{Name: "VERSION", Mode: 0o644, Body: "go" + version + "\ntime 2026-01-01T00:00:00Z\n"},
		{Name: "bin/go", Mode: 0o755, Body: GoScript(version, goos, goarch)},
		{Name: "bin/gofmt", Mode: 0o755, Body: "#!/bin/sh\necho \"gofmt from go" + version + "\"\n"},
		{Name: tool + "compile", Mode: 0o755, Body: "#!/bin/sh\necho compile\n"},
		{Name: tool + "link", Mode: 0o755, Body: "#!/bin/sh\necho link\n"},
		{Name: "src/fmt/print.go", Mode: 0o644, Body: "package fmt\n"},
		{Name: "misc/README.md", Mode: 0o644, Body: "fake toolchain\n"},
	}
}

// TarGz returns a go.dev/dl style archive: the files under a top "go/".
func TarGz(files []File) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	dirs := map[string]bool{}
	for _, f := range files {
		for d := path.Dir("go/" + f.Name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var sorted []string
	for d := range dirs {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	for _, d := range sorted {
		must(tw.WriteHeader(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o755}))
	}
	for _, f := range files {
		must(tw.WriteHeader(&tar.Header{Name: "go/" + f.Name, Typeflag: tar.TypeReg, Mode: int64(f.Mode), Size: int64(len(f.Body))}))
		_, err := tw.Write([]byte(f.Body))
		must(err)
	}
	must(tw.Close())
	must(gz.Close())
	return buf.Bytes()
}

// ModVersion is the golang.org/toolchain module version of a Go version.
func ModVersion(version, goos, goarch string) string {
	return "v0.0.1-go" + version + "." + goos + "-" + goarch
}

// ModuleZip returns a golang.org/toolchain module zip: the files under
// "golang.org/toolchain@<modver>/", without modes, as the proxy serves them.
func ModuleZip(modVersion string, files []File) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create("golang.org/toolchain@" + modVersion + "/" + f.Name)
		must(err)
		_, err = w.Write([]byte(f.Body))
		must(err)
	}
	must(zw.Close())
	return buf.Bytes()
}

// ModuleFiles returns the files of a distribution that its toolchain
// module holds, named as there, as cmd/distpack makes the module zip:
// without api/, doc/, misc/ and test/, each go.mod named _go.mod.
func ModuleFiles(files []File) []File {
	var mod []File
	for _, f := range files {
		if name, ok := verify.ModuleFileName(f.Name); ok {
			f.Name = name
			mod = append(mod, f)
		}
	}
	return mod
}

// H1 returns the checksum database hash of a module zip.
func H1(zipData []byte) string {
	f, err := os.CreateTemp("", "fake-h1-*.zip")
	must(err)
	defer os.Remove(f.Name())
	_, err = f.Write(zipData)
	must(err)
	must(f.Close())
	h, err := dirhash.HashZip(f.Name(), dirhash.Hash1)
	must(err)
	return h
}

// ListingRelease is one release in a go.dev/dl JSON listing, as the real
// listing writes it.
type ListingRelease struct {
	Version string        `json:"version"`
	Stable  bool          `json:"stable"`
	Files   []ListingFile `json:"files"`
}

// ListingFile is one file of a ListingRelease.
type ListingFile struct {
	Filename string `json:"filename"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int    `json:"size"`
	Kind     string `json:"kind"`
}

// Release is one version a server offers.
type Release struct {
	Version   string // "1.999.0"
	Stable    bool
	Platforms []string // "linux/amd64"; each gets an archive
}

// Server serves a go.dev/dl listing at /dl/, toolchain module zips at
// /proxy/, and a checksum database at /proxy/sumdb/<name>/ for them.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte // dl filename → archive
	modzips  map[string][]byte // module version → zip
	listing  []byte
	override map[string]http.HandlerFunc // path → handler, for fault injection
	hits     map[string]*atomic.Int64
	gosum    map[string]string // module@version → the database's go.sum lines
	rels     []ListingRelease  // the listing, newest first

	// VerifierKey is the database's key; GOSUMDB is "<VerifierKey> <url>".
	VerifierKey string
	sumdbName   string
}

// NewServer starts a server offering releases. Stop it with Close.
func NewServer(releases ...Release) *Server {
	s := &Server{
		files:    map[string][]byte{},
		modzips:  map[string][]byte{},
		override: map[string]http.HandlerFunc{},
		hits:     map[string]*atomic.Int64{},
		gosum:    map[string]string{},
	}
	var listing []ListingRelease
	for _, r := range releases {
		jr := ListingRelease{Version: "go" + r.Version, Stable: r.Stable}
		for _, p := range r.Platforms {
			goos, goarch, _ := strings.Cut(p, "/")
			files := GOROOT(r.Version, goos, goarch)
			tgz := TarGz(files)
			name := fmt.Sprintf("go%s.%s-%s.tar.gz", r.Version, goos, goarch)
			sum := sha256.Sum256(tgz)
			s.files[name] = tgz
			jr.Files = append(jr.Files, ListingFile{Filename: name, OS: goos, Arch: goarch, Version: jr.Version,
				SHA256: hex.EncodeToString(sum[:]), Size: len(tgz), Kind: "archive"})
			mv := ModVersion(r.Version, goos, goarch)
			z := ModuleZip(mv, ModuleFiles(files))
			s.modzips[mv] = z
			s.vouch(mv, z)
		}
		listing = append(listing, jr)
	}
	// Newest first, as go.dev/dl lists them: the caller passes them oldest
	// first, the natural way to write a table.
	for i, j := 0, len(listing)-1; i < j; i, j = i+1, j-1 {
		listing[i], listing[j] = listing[j], listing[i]
	}
	s.rels = listing
	var err error
	s.listing, err = json.Marshal(listing)
	must(err)

	s.sumdbName = "sum.gvx.test"
	skey, vkey, err := note.GenerateKey(nil, s.sumdbName)
	must(err)
	s.VerifierKey = vkey
	db := sumdb.NewServer(sumdb.NewTestServer(skey, func(p, v string) ([]byte, error) {
		s.mu.Lock()
		line, ok := s.gosum[p+"@"+v]
		s.mu.Unlock()
		if ok {
			return []byte(line), nil
		}
		return nil, os.ErrNotExist
	}))

	mux := http.NewServeMux()
	mux.HandleFunc("/dl/", s.serveDL)
	mux.HandleFunc("/proxy/golang.org/toolchain/@v/", s.serveProxy)
	mux.HandleFunc("/proxy/sumdb/"+s.sumdbName+"/supported", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle("/proxy/sumdb/"+s.sumdbName+"/", http.StripPrefix("/proxy/sumdb/"+s.sumdbName, db))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.count(r.URL.Path)
		s.mu.Lock()
		h := s.override[r.URL.Path]
		s.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	return s
}

// vouch makes the checksum database hold the h1: of module zip z as the
// toolchain module of modVersion.
func (s *Server) vouch(modVersion string, z []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gosum["golang.org/toolchain@"+modVersion] = "golang.org/toolchain " + modVersion + " " + H1(z) + "\n" +
		"golang.org/toolchain " + modVersion + "/go.mod h1:" + strings.Repeat("A", 43) + "=\n"
}

// Vouch makes the checksum database vouch for files, a distribution, as the
// toolchain module of modVersion, for tests that serve archives of their
// own. It must be called before the first lookup of modVersion.
func (s *Server) Vouch(modVersion string, files []File) {
	s.vouch(modVersion, ModuleZip(modVersion, ModuleFiles(files)))
}

// DLBase is the value for GVX_DL_BASE.
func (s *Server) DLBase() string { return s.URL + "/dl/" }

// GOPROXY is the value for GOPROXY.
func (s *Server) GOPROXY() string { return s.URL + "/proxy" }

// GOSUMDB is the value for GOSUMDB: the key, then the database's URL.
func (s *Server) GOSUMDB() string { return s.VerifierKey + " " + s.URL + "/proxy/sumdb/" + s.sumdbName }

// Hits reports how many requests asked for a URL path.
func (s *Server) Hits(urlPath string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.hits[urlPath]; c != nil {
		return c.Load()
	}
	return 0
}

// Handle replaces what the server answers at urlPath (fault injection).
func (s *Server) Handle(urlPath string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override[urlPath] = h
}

// Archive returns the bytes served for a dl filename.
func (s *Server) Archive(filename string) []byte { return s.files[filename] }

func (s *Server) count(p string) {
	s.mu.Lock()
	c := s.hits[p]
	if c == nil {
		c = new(atomic.Int64)
		s.hits[p] = c
	}
	s.mu.Unlock()
	c.Add(1)
}

func (s *Server) serveDL(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/dl/")
	s.mu.Lock()
	listing, b, ok := s.listing, s.files[name], s.files[name] != nil
	s.mu.Unlock()
	if name == "" {
		if r.URL.Query().Get("mode") != "json" {
			http.Error(w, "not json", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(listing)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(b)
}

func (s *Server) serveProxy(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/proxy/golang.org/toolchain/@v/")
	if rest == "list" {
		var vs []string
		for v := range s.modzips {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		fmt.Fprintln(w, strings.Join(vs, "\n"))
		return
	}
	ext := path.Ext(rest)
	mv := strings.TrimSuffix(rest, ext)
	z, ok := s.modzips[mv]
	if !ok || module.Check("golang.org/toolchain", mv) != nil {
		http.Error(w, "not found: "+rest, http.StatusNotFound)
		return
	}
	switch ext {
	case ".info":
		fmt.Fprintf(w, `{"Version":%q,"Time":"2026-01-01T00:00:00Z"}`, mv)
	case ".mod":
		fmt.Fprintln(w, "module golang.org/toolchain")
	case ".zip":
		w.Header().Set("Content-Type", "application/zip")
		w.Write(z)
	default:
		http.NotFound(w, r)
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Forge makes the server a mirror that lies: the dl archive filename (of
// version, for goos/goarch) gets one byte of its bin/go changed, and the
// listing gives the forged archive's SHA-256 and size, so that only the
// checksum database can tell.
func (s *Server) Forge(version, goos, goarch string) {
	files := GOROOT(version, goos, goarch)
	for i := range files {
		if files[i].Name == "bin/go" {
			files[i].Body = strings.Replace(files[i].Body, "version go", "version Go", 1)
		}
	}
	tgz := TarGz(files)
	name := fmt.Sprintf("go%s.%s-%s.tar.gz", version, goos, goarch)
	sum := sha256.Sum256(tgz)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name] = tgz
	for i := range s.rels {
		for j := range s.rels[i].Files {
			if f := &s.rels[i].Files[j]; f.Filename == name {
				f.SHA256, f.Size = hex.EncodeToString(sum[:]), len(tgz)
			}
		}
	}
	var err error
	s.listing, err = json.Marshal(s.rels)
	must(err)
}

// TamperedModuleZip returns a valid module zip for modVersion whose bin/go
// differs from the one the checksum database vouches for: what a tampered
// mirror would serve.
func TamperedModuleZip(modVersion, goos, goarch string) []byte {
	files := GOROOT("0.0.0-evil", goos, goarch)
	return ModuleZip(modVersion, files)
}

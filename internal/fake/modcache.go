package fake

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb"
)

// FillModCache puts the toolchain of version for goos/goarch into the
// module cache dir the way 'go mod download golang.org/toolchain@<v>' leaves
// it after fetching it from this server: under cache/download the zip, its
// .ziphash, .info, .mod and the list; the lookup record and tiles that the
// go command's checksum database client caches under
// cache/download/sumdb/<name>/ (x/mod's client, given the same ClientOps
// as cmd/go/internal/modfetch/sumdb.go); and the unpacked copy, read-only.
// It asks this server's checksum database over HTTP.
func (s *Server) FillModCache(dir, version, goos, goarch string) error {
	mv := ModVersion(version, goos, goarch)
	z, ok := s.modzips[mv]
	if !ok {
		return fmt.Errorf("the fake server has no %s", mv)
	}
	at := filepath.Join(dir, "cache", "download", "golang.org", "toolchain", "@v")
	if err := os.MkdirAll(at, 0o777); err != nil {
		return err
	}
	list, _ := os.ReadFile(filepath.Join(at, "list"))
	for name, body := range map[string]string{
		mv + ".zip":     string(z),
		mv + ".ziphash": H1(z),
		mv + ".info":    fmt.Sprintf(`{"Version":%q,"Time":"2026-01-01T00:00:00Z"}`, mv),
		mv + ".mod":     "module golang.org/toolchain\n",
		mv + ".lock":    "",
		"list":          string(list) + mv + "\n",
	} {
		if err := os.WriteFile(filepath.Join(at, name), []byte(body), 0o666); err != nil {
			return err
		}
	}

	ops := &goSumDBOps{base: s.URL + "/proxy/sumdb/" + s.sumdbName, key: s.VerifierKey, cache: filepath.Join(dir, "cache", "download", "sumdb")}
	if _, err := sumdb.NewClient(ops).Lookup("golang.org/toolchain", mv); err != nil {
		return fmt.Errorf("look up %s in the fake checksum database: %w", mv, err)
	}

	root := filepath.Join(dir, "golang.org", "toolchain@"+mv)
	var dirs []string
	for _, f := range GOROOT(version, goos, goarch) {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		for d := filepath.Dir(p); d != filepath.Dir(root); d = filepath.Dir(d) {
			dirs = append(dirs, d)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(f.Body), f.Mode&0o555); err != nil {
			return err
		}
	}
	for _, d := range dirs {
		if err := os.Chmod(d, 0o555); err != nil {
			return err
		}
	}
	return nil
}

// goSumDBOps is the go command's checksum database client setup: remote
// reads from the database, cached lookups and tiles in the module cache,
// the tree head in memory (the go command keeps it in GOPATH/pkg/sumdb).
type goSumDBOps struct {
	base, key string
	cache     string
	latest    []byte
}

func (o *goSumDBOps) ReadRemote(p string) ([]byte, error) {
	resp, err := http.Get(o.base + p)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", p, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

func (o *goSumDBOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	return o.latest, nil
}

func (o *goSumDBOps) WriteConfig(file string, old, new []byte) error {
	o.latest = new
	return nil
}

func (o *goSumDBOps) ReadCache(file string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(o.cache, filepath.FromSlash(file)))
	if err == nil && len(b) == 0 {
		err = os.ErrNotExist
	}
	return b, err
}

func (o *goSumDBOps) WriteCache(file string, data []byte) {
	p := filepath.Join(o.cache, filepath.FromSlash(path.Clean(file)))
	if !strings.HasPrefix(p, o.cache+string(filepath.Separator)) {
		return
	}
	if os.MkdirAll(filepath.Dir(p), 0o777) == nil {
		os.WriteFile(p, data, 0o666)
	}
}

func (o *goSumDBOps) Log(string) {}

func (o *goSumDBOps) SecurityError(msg string) { panic(errors.New(msg)) }

// Requests reports how many requests the server has answered, for any path.
func (s *Server) Requests() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, c := range s.hits {
		n += c.Load()
	}
	return n
}

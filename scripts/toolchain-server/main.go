// Command toolchain-server serves a real Go toolchain in the go.dev/dl
// layout on loopback, for the benchmark and fault scripts: a JSON listing at
// /dl/?mode=json and the archive at /dl/go<version>.<os>-<arch>.tar.gz.
//
// The archive is made once from the golang.org/toolchain module zip, which
// the go command downloads through GOPROXY and checks against GOSUMDB, and
// is repacked as go.dev packs it: a top "go/" directory, exec bits on bin/*
// and pkg/tool/*/*. It is cached in -cache.
//
//	toolchain-server -version 1.22.6 -cache DIR [-addr 127.0.0.1:0] [-rate 20MB] [-log FILE] [-tamper PATH]
//
// With -tamper it is a mirror that lies: it serves the archive with one
// byte of the file PATH ("go/src/fmt/print.go") changed, and a listing whose
// SHA-256 and size match the changed archive.
//
// With -log it appends one line per archive request to FILE ("archive
// GET /dl/go1.22.6.linux-amd64.tar.gz"), so that the load scripts can count
// downloads.
//
// It prints "GVX_DL_BASE=<url>" on stdout once it is listening (and writes
// the same line to -ready FILE when given), then serves until killed.
package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	version := flag.String("version", "1.22.6", "Go version to serve")
	goos := flag.String("os", runtime.GOOS, "GOOS of the toolchain")
	goarch := flag.String("arch", runtime.GOARCH, "GOARCH of the toolchain")
	cache := flag.String("cache", filepath.Join(os.TempDir(), "gvx-toolchain-server"), "where the repacked archive is kept")
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	rate := flag.String("rate", "", "limit archive downloads to this many bytes per second (e.g. 5MB)")
	ready := flag.String("ready", "", "file to write the GVX_DL_BASE line to once listening")
	logFile := flag.String("log", "", "file to append one line per archive request to")
	tamper := flag.String("tamper", "", "serve the archive with one byte of this entry changed (go/src/fmt/print.go)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("toolchain-server: ")

	bps, err := parseRate(*rate)
	if err != nil {
		log.Fatal(err)
	}
	name := fmt.Sprintf("go%s.%s-%s.tar.gz", *version, *goos, *goarch)
	archive := filepath.Join(*cache, name)
	if _, err := os.Stat(archive); err != nil {
		if err := build(archive, *version, *goos, *goarch); err != nil {
			log.Fatal(err)
		}
	}
	if *tamper != "" {
		forged := filepath.Join(*cache, "tampered-"+strings.NewReplacer("/", "_").Replace(*tamper)+"-"+name)
		if err := forge(archive, forged, *tamper); err != nil {
			log.Fatal(err)
		}
		archive = forged
	}
	sum, size, err := hashFile(archive)
	if err != nil {
		log.Fatal(err)
	}
	listing, err := json.Marshal([]map[string]any{{
		"version": "go" + *version, "stable": true,
		"files": []map[string]any{{"filename": name, "os": *goos, "arch": *goarch,
			"version": "go" + *version, "sha256": sum, "size": size, "kind": "archive"}},
	}})
	if err != nil {
		log.Fatal(err)
	}

	var requests *os.File
	if *logFile != "" {
		if requests, err = os.OpenFile(*logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644); err != nil {
			log.Fatal(err)
		}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/dl/", func(w http.ResponseWriter, r *http.Request) {
		switch strings.TrimPrefix(r.URL.Path, "/dl/") {
		case "":
			w.Header().Set("Content-Type", "application/json")
			w.Write(listing)
		case name:
			if requests != nil {
				// One write per line: O_APPEND keeps concurrent lines whole.
				fmt.Fprintf(requests, "archive %s %s\n", r.Method, r.URL.Path)
			}
			serveArchive(w, r, archive, size, bps)
		default:
			http.NotFound(w, r)
		}
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	line := fmt.Sprintf("GVX_DL_BASE=http://%s/dl/\n", ln.Addr())
	if err := announce(*ready, line); err != nil {
		log.Fatal(err)
	}
	fmt.Print(line)
	log.Fatal(http.Serve(ln, mux))
}

// announce writes line to the file ready, when one is named, in one rename:
// a script polling for it never reads half a line.
func announce(ready, line string) error {
	if ready == "" {
		return nil
	}
	if err := os.WriteFile(ready+".tmp", []byte(line), 0o644); err != nil {
		return err
	}
	return os.Rename(ready+".tmp", ready)
}

func parseRate(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for suffix, m := range map[string]int64{"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30} {
		if strings.HasSuffix(s, suffix) {
			s, mult = strings.TrimSuffix(s, suffix), m
			break
		}
	}
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 {
		return 0, fmt.Errorf("-rate %q: want a number of bytes per second such as 5MB", s)
	}
	return n * mult, nil
}

// serveArchive sends the archive, at most bps bytes per second when bps > 0
// (so that the fault scripts can interrupt an install mid-download).
func serveArchive(w http.ResponseWriter, r *http.Request, file string, size, bps int64) {
	f, err := os.Open(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/x-gzip")
	w.Header().Set("Content-Length", fmt.Sprint(size))
	if bps == 0 {
		io.Copy(w, f)
		return
	}
	const tick = 50 * time.Millisecond
	chunk := max(bps/int64(time.Second/tick), 1)
	buf := make([]byte, chunk)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(tick)
		}
		if err != nil {
			return
		}
	}
}

// build fetches the toolchain module zip with the go command (verified
// against the checksum database) and repacks it in the go.dev/dl layout.
func build(archive, version, goos, goarch string) error {
	mod := fmt.Sprintf("golang.org/toolchain@v0.0.1-go%s.%s-%s", version, goos, goarch)
	log.Printf("fetching %s through GOPROXY", mod)
	tmpMod, err := os.MkdirTemp("", "toolchain-server-mod")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpMod)
	if err := os.WriteFile(filepath.Join(tmpMod, "go.mod"), []byte("module tmp\n"), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Dir = tmpMod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go mod download %s: %v", mod, err)
	}
	var info struct{ Zip, Error string }
	if err := json.Unmarshal(out, &info); err != nil || info.Zip == "" {
		return fmt.Errorf("go mod download %s: %s %v", mod, info.Error, err)
	}
	if err := os.MkdirAll(filepath.Dir(archive), 0o755); err != nil {
		return err
	}
	log.Printf("repacking %s as %s", filepath.Base(info.Zip), filepath.Base(archive))
	tmp := archive + ".tmp"
	if err := repack(info.Zip, tmp, "golang.org/toolchain@"+strings.TrimPrefix(mod, "golang.org/toolchain@")+"/"); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, archive)
}

func repack(zipFile, out, prefix string) error {
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		return err
	}
	defer zr.Close()
	tw, finish, err := createTgz(out)
	if err != nil {
		return err
	}
	dirs := map[string]bool{}
	mtime := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, zf := range zr.File {
		rel, ok := strings.CutPrefix(zf.Name, prefix)
		if !ok || rel == "" || strings.HasSuffix(rel, "/") {
			continue
		}
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if dirs[d] {
				break
			}
			dirs[d] = true
			if err := tw.WriteHeader(&tar.Header{Name: "go/" + d + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: mtime}); err != nil {
				return err
			}
		}
		mode := int64(0o644)
		if strings.HasPrefix(rel, "bin/") || (strings.HasPrefix(rel, "pkg/tool/") && strings.Count(rel, "/") == 3) {
			mode = 0o755
		}
		if err := tw.WriteHeader(&tar.Header{Name: "go/" + rel, Typeflag: tar.TypeReg, Mode: mode, Size: int64(zf.UncompressedSize64), ModTime: mtime}); err != nil {
			return err
		}
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return finish()
}

// forge copies the tar.gz archive to out with one byte of the entry named
// entry changed: its first byte, plus one.
func forge(archive, out, entry string) error {
	in, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer in.Close()
	gr, err := gzip.NewReader(bufio.NewReaderSize(in, 1<<20))
	if err != nil {
		return err
	}
	tw, finish, err := createTgz(out)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gr)
	found := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Name == entry && hdr.Size > 0 {
			body, err := io.ReadAll(tr)
			if err != nil {
				return err
			}
			body[0]++
			found = true
			if _, err := tw.Write(body); err != nil {
				return err
			}
			continue
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return err
		}
	}
	if !found {
		return fmt.Errorf("-tamper %q: no such non-empty file in %s", entry, archive)
	}
	return finish()
}

// createTgz creates the tar.gz file out and returns its tar writer, and
// finish, which ends the archive and closes the file.
func createTgz(out string) (*tar.Writer, func() error, error) {
	f, err := os.Create(out)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	gz := gzip.NewWriter(bw)
	tw := tar.NewWriter(gz)
	finish := func() error {
		err := tw.Close()
		if err == nil {
			err = gz.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return tw, finish, nil
}

func hashFile(name string) (string, int64, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

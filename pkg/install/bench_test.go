//go:build unix

package install

// Benchmarks for where an install's time goes. They run against the real
// go.dev archive when GVX_BENCH_ARCHIVE names one (a go<version>.<os>-<arch>.tar.gz,
// such as the one scripts/toolchain-server caches), and against a generated
// GOROOT-shaped archive otherwise:
//
//	GVX_BENCH_ARCHIVE=/tmp/gvx-toolchain-cache/go1.22.6.linux-amd64.tar.gz \
//	  go test -run '^$' -bench . -benchtime 3x -cpuprofile cpu.out ./pkg/install
//	go tool pprof -top pkg/install.test cpu.out
//
// BenchmarkInstall is the whole install; the BenchmarkStage* ones take it
// apart: hashing, gunzip, reading tar, and writing the files, so that the
// sum of the parts can be held against the whole. Each also reports the
// process's CPU time per operation (cpu-ms/op, user and system), which a
// busy machine distorts much less than wall time.

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mholt/archives"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// benchData is the archive the benchmarks install, loaded or made once.
type benchData struct {
	artifact registry.Artifact
	data     []byte
	files    int   // regular files in it
	unpacked int64 // their total size
}

var (
	benchOnce sync.Once
	bench     benchData
	benchErr  error
)

func loadBench(b *testing.B) benchData {
	b.Helper()
	benchOnce.Do(func() { bench, benchErr = makeBench() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return bench
}

func makeBench() (benchData, error) {
	var (
		data []byte
		name string
		v    goversion.Version
		err  error
	)
	if p := os.Getenv("GVX_BENCH_ARCHIVE"); p != "" {
		name = filepath.Base(p)
		ver, _, ok := strings.Cut(strings.TrimPrefix(name, "go"), ".linux-")
		if !ok {
			ver, _, ok = strings.Cut(strings.TrimPrefix(name, "go"), ".darwin-")
		}
		if !ok || !strings.HasSuffix(name, ".tar.gz") {
			return benchData{}, fmt.Errorf("GVX_BENCH_ARCHIVE=%q: want a go<version>.<os>-<arch>.tar.gz", p)
		}
		if v, err = goversion.Parse(ver); err != nil {
			return benchData{}, fmt.Errorf("GVX_BENCH_ARCHIVE=%q: %w", p, err)
		}
		if data, err = os.ReadFile(p); err != nil {
			return benchData{}, err
		}
	} else {
		v = goversion.MustParse(testVersion)
		name = "go" + testVersion + ".linux-amd64.tar.gz"
		if data, err = generatedGoroot(); err != nil {
			return benchData{}, err
		}
	}
	files, unpacked, err := countTar(data)
	if err != nil {
		return benchData{}, err
	}
	h := sha256.Sum256(data)
	return benchData{
		artifact: registry.Artifact{
			Version:  v,
			Platform: registry.Platform{OS: "linux", Arch: "amd64"},
			Source:   "dl",
			Format:   registry.TarGz,
			Filename: name,
			URL:      "https://dl.test/" + name,
			SHA256:   hex.EncodeToString(h[:]),
			Size:     int64(len(data)),
		},
		data: data, files: files, unpacked: unpacked,
	}, nil
}

// generatedGoroot makes a tar.gz shaped like a Go release, scaled down: a
// few thousand files in a few hundred directories, most of them small
// source files, a few large binaries, and compressible contents.
func generatedGoroot() ([]byte, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("package func return if else for range var const type struct interface map chan go defer select case switch nil err error string int byte")
	text := func(n int) []byte {
		var buf bytes.Buffer
		for buf.Len() < n {
			buf.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(8) == 0 {
				buf.WriteByte('\n')
			} else {
				buf.WriteByte(' ')
			}
		}
		return buf.Bytes()[:n]
	}
	var out bytes.Buffer
	gz := gzip.NewWriter(&out)
	tw := tar.NewWriter(gz)
	mtime := time.Unix(1e9, 0)
	add := func(name string, mode int64, body []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: "go/" + name, Mode: mode, Size: int64(len(body)), Typeflag: tar.TypeReg, ModTime: mtime}); err != nil {
			return err
		}
		_, err := tw.Write(body)
		return err
	}
	bin := make([]byte, 4<<20)
	for i := range bin {
		bin[i] = byte(rng.IntN(16)) // half-entropy, like machine code
	}
	if err := add("bin/go", 0o755, bin); err != nil {
		return nil, err
	}
	if err := add("bin/gofmt", 0o755, bin[:1<<20]); err != nil {
		return nil, err
	}
	for _, tool := range []string{"compile", "link", "asm", "vet", "cgo"} {
		if err := add("pkg/tool/linux_amd64/"+tool, 0o755, bin[:2<<20]); err != nil {
			return nil, err
		}
	}
	for d := range 300 {
		for f := range 12 {
			if err := add(fmt.Sprintf("src/pkg%03d/file%02d.go", d, f), 0o644, text(200+rng.IntN(12000))); err != nil {
				return nil, err
			}
		}
	}
	if err := add("VERSION", 0o644, []byte("go1.999.0\n")); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func countTar(data []byte) (files int, size int64, err error) {
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files, size, nil
		}
		if err != nil {
			return 0, 0, err
		}
		if hdr.Typeflag == tar.TypeReg {
			files++
			size += hdr.Size
		}
	}
}

// cpuTimer measures the CPU time the process spends, user and system.
type cpuTimer struct{ start time.Duration }

func cpuNow(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) *cpuTimer { return &cpuTimer{cpuNow(b)} }

// report adds cpu-ms/op; time spent with the timer stopped is included, so
// callers keep their untimed work small or subtract it.
func (c *cpuTimer) report(b *testing.B, untimed time.Duration) {
	spent := cpuNow(b) - c.start - untimed
	b.ReportMetric(float64(spent.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// memSource serves the benchmark archive from memory.
type memSource struct{ data []byte }

func (memSource) Name() string                                     { return "memory" }
func (memSource) List(context.Context) ([]registry.Release, error) { return nil, nil }
func (s memSource) Fetch(context.Context, registry.Artifact) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(s.data)), nil
}

// httpSource fetches the benchmark archive from a loopback server, as the dl
// source would.
type httpSource struct{ url string }

func (httpSource) Name() string                                     { return "loopback" }
func (httpSource) List(context.Context) ([]registry.Release, error) { return nil, nil }
func (s httpSource) Fetch(ctx context.Context, _ registry.Artifact) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %s", s.url, resp.Status)
	}
	return resp.Body, nil
}

// benchInstall installs the benchmark archive from src b.N times, each into
// a fresh home, and checks every install.
func benchInstall(b *testing.B, src registry.Source, bd benchData) {
	base := b.TempDir()
	b.SetBytes(int64(len(bd.data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu, untimed := startCPU(b), time.Duration(0)
	for i := range b.N {
		in := &Installer{Dirs: layout.Dirs{Home: filepath.Join(base, fmt.Sprint(i))}}
		res, err := in.Install(context.Background(), src, bd.artifact)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stopped := cpuNow(b)
		if res.Receipt.SHA256 != bd.artifact.SHA256 {
			b.Fatalf("receipt SHA-256 = %s, want %s", res.Receipt.SHA256, bd.artifact.SHA256)
		}
		if err := os.RemoveAll(in.Dirs.Home); err != nil {
			b.Fatal(err)
		}
		untimed += cpuNow(b) - stopped
		b.StartTimer()
	}
	cpu.report(b, untimed)
	b.ReportMetric(float64(bd.files), "files/op")
}

// BenchmarkInstall is a whole install of the archive from memory and from
// a loopback HTTP server.
func BenchmarkInstall(b *testing.B) {
	bd := loadBench(b)
	b.Run("memory", func(b *testing.B) { benchInstall(b, memSource{bd.data}, bd) })
	b.Run("loopback", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.ServeContent(w, r, bd.artifact.Filename, time.Unix(1e9, 0), bytes.NewReader(bd.data))
		}))
		defer srv.Close()
		benchInstall(b, httpSource{srv.URL + "/" + bd.artifact.Filename}, bd)
	})
	// The same tree as a dl zip, from memory: the zip path (saved to
	// disk, hashed, checked, unzipped, exec bits set).
	b.Run("zip", func(b *testing.B) {
		zd, err := zipOf(bd)
		if err != nil {
			b.Fatal(err)
		}
		benchInstall(b, memSource{zd.data}, zd)
	})
}

// zipOf is bd's tar.gz rewritten as a dl zip holding the same files.
func zipOf(bd benchData) (benchData, error) {
	gz, err := gzip.NewReader(bytes.NewReader(bd.data))
	if err != nil {
		return benchData{}, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return benchData{}, err
		}
		if hdr.Typeflag != tar.TypeDir && hdr.Typeflag != tar.TypeReg {
			continue // a dl zip carries no links
		}
		fh, err := zip.FileInfoHeader(hdr.FileInfo())
		if err != nil {
			return benchData{}, err
		}
		fh.Name, fh.Method = hdr.Name, zip.Deflate
		w, err := zw.CreateHeader(fh)
		if err != nil {
			return benchData{}, err
		}
		if _, err := io.Copy(w, tr); err != nil {
			return benchData{}, err
		}
	}
	if err := zw.Close(); err != nil {
		return benchData{}, err
	}
	zd := bd
	zd.data = out.Bytes()
	h := sha256.Sum256(zd.data)
	zd.artifact.Format = registry.Zip
	zd.artifact.Filename = strings.TrimSuffix(bd.artifact.Filename, ".tar.gz") + ".zip"
	zd.artifact.URL = "https://dl.test/" + zd.artifact.Filename
	zd.artifact.SHA256 = hex.EncodeToString(h[:])
	zd.artifact.Size = int64(len(zd.data))
	return zd, nil
}

// BenchmarkStageSHA256 is the cost of hashing the compressed archive.
func BenchmarkStageSHA256(b *testing.B) {
	bd := loadBench(b)
	b.SetBytes(int64(len(bd.data)))
	cpu := startCPU(b)
	defer cpu.report(b, 0)
	for range b.N {
		h := sha256.New()
		h.Write(bd.data)
		if got := hex.EncodeToString(h.Sum(nil)); got != bd.artifact.SHA256 {
			b.Fatalf("SHA-256 = %s, want %s", got, bd.artifact.SHA256)
		}
	}
}

// BenchmarkStageGunzip compares gzip readers on the archive: the standard
// library's, klauspost's single-threaded one and pgzip's read-ahead one
// (both through mholt/archives), pgzip reading through its own 4 KB buffer,
// and gunzip, which gives it 1 MB reads. The source is a reader without
// ReadByte, as a download is.
func BenchmarkStageGunzip(b *testing.B) {
	bd := loadBench(b)
	readers := map[string]func(io.Reader) (io.ReadCloser, error){
		"stdlib":    func(r io.Reader) (io.ReadCloser, error) { return gzip.NewReader(r) },
		"klauspost": func(r io.Reader) (io.ReadCloser, error) { return archives.Gz{}.OpenReader(r) },
		"pgzip":     func(r io.Reader) (io.ReadCloser, error) { return archives.Gz{Multithreaded: true}.OpenReader(r) },
		"gunzip":    gunzip,
	}
	for _, name := range []string{"stdlib", "klauspost", "pgzip", "gunzip"} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(bd.data)))
			cpu := startCPU(b)
			defer cpu.report(b, 0)
			for range b.N {
				zr, err := readers[name](struct{ io.Reader }{bytes.NewReader(bd.data)})
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, zr)
				if err != nil {
					b.Fatal(err)
				}
				zr.Close()
				if n == 0 {
					b.Fatal("gunzip gave no bytes")
				}
			}
		})
	}
}

// BenchmarkStageTarRead is gunzip and tar parsing with every file body read
// and thrown away: all of an install but the disk.
func BenchmarkStageTarRead(b *testing.B) {
	bd := loadBench(b)
	b.SetBytes(int64(len(bd.data)))
	cpu := startCPU(b)
	defer cpu.report(b, 0)
	for range b.N {
		zr, err := gunzip(bytes.NewReader(bd.data))
		if err != nil {
			b.Fatal(err)
		}
		tr := tar.NewReader(zr)
		var size int64
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, tr)
			if err != nil {
				b.Fatal(err)
			}
			if hdr.Typeflag == tar.TypeReg {
				size += n
			}
		}
		zr.Close()
		if size != bd.unpacked {
			b.Fatalf("read %d bytes of files, want %d", size, bd.unpacked)
		}
	}
}

// BenchmarkStageExtract is the extractor alone, from the already
// decompressed tar: directory and file creation, writes and the checks.
func BenchmarkStageExtract(b *testing.B) {
	bd := loadBench(b)
	zr, err := gzip.NewReader(bytes.NewReader(bd.data))
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	base := b.TempDir()
	b.SetBytes(int64(len(bd.data)))
	b.ResetTimer()
	cpu, untimed := startCPU(b), time.Duration(0)
	for i := range b.N {
		root := filepath.Join(base, fmt.Sprint(i))
		if err := os.Mkdir(root, 0o777); err != nil {
			b.Fatal(err)
		}
		x := newExtractor(osFS{}, root, "go/", Limits{})
		if err := unpackTar(context.Background(), bytes.NewReader(raw), x); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stopped := cpuNow(b)
		if x.written != bd.unpacked {
			b.Fatalf("wrote %d bytes, want %d", x.written, bd.unpacked)
		}
		if err := os.RemoveAll(root); err != nil {
			b.Fatal(err)
		}
		untimed += cpuNow(b) - stopped
		b.StartTimer()
	}
	cpu.report(b, untimed)
}

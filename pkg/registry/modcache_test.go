package registry

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// writeModCache lays out files under a module cache, as the go command
// does: paths are slash-separated and relative to GOMODCACHE.
func writeModCache(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o444); err != nil {
			t.Fatal(err)
		}
	}
}

func TestModCache(t *testing.T) {
	const at = "cache/download/golang.org/toolchain/@v/"
	const mv = "v0.0.1-go1.999.0.linux-amd64"
	dir := t.TempDir()
	writeModCache(t, dir, map[string]string{
		at + mv + ".zip":                                                      "zip bytes",
		at + mv + ".ziphash":                                                  "h1:abc",
		at + mv + ".info":                                                     "{}",
		at + mv + ".mod":                                                      "module golang.org/toolchain\n",
		at + "v0.0.1-go1.998.1.linux-amd64.zip":                               "older",
		at + "v0.0.1-go1.999.0.darwin-arm64.zip":                              "other platform",
		at + "v0.0.1-go1.999rc1.linux-amd64.zip":                              "rc",
		at + "v0.0.1-go1.997.0.linux-amd64.info":                              "no zip: not listed",
		at + "list":                                                           mv + "\n",
		at + "v0.0.1-go1.22.06.linux-amd64.zip":                               "not as Go writes it",
		at + "v0.0.2-go1.999.0.linux-amd64.zip":                               "not a toolchain version",
		"golang.org/toolchain@" + mv + "/bin/go":                              "0123456789",
		"golang.org/toolchain@" + mv + "/src/fmt/print.go":                    "package fmt\n",
		"cache/download/sumdb/sum.gvx.test/lookup/golang.org/toolchain@" + mv: "record",
		"cache/download/sumdb/sum.gvx.test/tile/8/0/001":                      "tile",
		"cache/download/sumdb/sum.gvx.test/tile/8/0/002":                      "",
	})
	mc := ModCache{Dir: dir}
	plat := Platform{"linux", "amd64"}

	a, ok := mc.Find(goversion.MustParse("1.999.0"), plat)
	zip := filepath.Join(dir, filepath.FromSlash(at+mv+".zip"))
	if !ok || a.Source != SourceModCache || a.Format != ModuleZip || a.ModPath != ToolchainModule || a.ModVersion != mv ||
		a.Filename != mv+".zip" || a.Size != 9 || a.URL != fileURLOf(zip) || !strings.HasPrefix(a.URL, "file:///") {
		t.Fatalf("Find(1.999.0) = %+v, %v", a, ok)
	}
	for _, v := range []string{"1.997.0", "1.999.1"} {
		if a, ok := mc.Find(goversion.MustParse(v), plat); ok {
			t.Errorf("Find(%s) = %+v; want none", v, a)
		}
	}
	if _, ok := (ModCache{}).Find(goversion.MustParse("1.999.0"), plat); ok {
		t.Errorf("Find in no module cache: want none")
	}

	rc, err := mc.Fetch(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "zip bytes" {
		t.Errorf("Fetch read %q", b)
	}
	if _, err := mc.Fetch(context.Background(), Artifact{Source: "proxy", ModPath: ToolchainModule, ModVersion: mv}); err == nil {
		t.Errorf("Fetch of a proxy artifact: want an error")
	}
	if _, err := mc.Fetch(context.Background(), Artifact{Source: SourceModCache, ModPath: ToolchainModule, ModVersion: "v0.0.1-go../../x.linux-amd64"}); err == nil {
		t.Errorf("Fetch of a hostile version: want an error")
	}

	if zh, err := mc.ZipHash(mv); err != nil || string(zh) != "h1:abc" {
		t.Errorf("ZipHash = %q, %v", zh, err)
	}
	if zh, err := mc.ZipHash("v0.0.1-go1.998.1.linux-amd64"); err != nil || zh != nil {
		t.Errorf("ZipHash(none) = %q, %v; want nil", zh, err)
	}
	if rec, err := mc.LookupRecord("sum.gvx.test", mv); err != nil || string(rec) != "record" {
		t.Errorf("LookupRecord = %q, %v", rec, err)
	}
	if rec, err := mc.LookupRecord("sum.other.test", mv); err != nil || rec != nil {
		t.Errorf("LookupRecord(other database) = %q, %v; want nil", rec, err)
	}
	if _, err := mc.LookupRecord("../x", mv); err == nil {
		t.Errorf("LookupRecord(../x): want an error")
	}
	tiles := mc.Tiles("sum.gvx.test")
	if b, err := tiles("tile/8/0/001"); err != nil || string(b) != "tile" {
		t.Errorf("tile 001 = %q, %v", b, err)
	}
	for _, p := range []string{"tile/8/0/002", "tile/8/0/003", "tile/../../../x", "lookup/x"} {
		if b, err := tiles(p); err == nil {
			t.Errorf("tile %q = %q; want an error", p, b)
		}
	}

	rels, err := mc.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rels {
		for _, a := range r.Artifacts {
			got = append(got, a.ModVersion)
		}
	}
	want := []string{"v0.0.1-go1.999.0.darwin-arm64", mv, "v0.0.1-go1.999rc1.linux-amd64", "v0.0.1-go1.998.1.linux-amd64"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List = %v, want %v", got, want)
	}

	tcs, err := mc.Toolchains()
	if err != nil || len(tcs) != 4 {
		t.Fatalf("Toolchains = %+v, %v", tcs, err)
	}
	top := tcs[1]
	wantBytes := int64(len("zip bytes") + len("h1:abc") + len("{}") + len("module golang.org/toolchain\n") + len("0123456789") + len("package fmt\n"))
	if top.ModVersion != mv || top.Bytes != wantBytes || top.ZipBytes != 9 || top.Unpacked != filepath.Join(dir, "golang.org", "toolchain@"+mv) {
		t.Errorf("Toolchains[1] = %+v; want %d bytes with the unpacked copy", top, wantBytes)
	}
	if tcs[3].Bytes != int64(len("older")) || tcs[3].Unpacked != "" {
		t.Errorf("Toolchains[3] = %+v; want only its zip", tcs[3])
	}

	if tcs, err := (ModCache{Dir: filepath.Join(dir, "missing")}).Toolchains(); err != nil || tcs != nil {
		t.Errorf("Toolchains of a missing cache = %v, %v; want none, no error", tcs, err)
	}
}

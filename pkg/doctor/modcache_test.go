package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

// cacheToolchain puts a toolchain into the module cache at dir as the go
// command leaves it: a zip of zipBytes, its .ziphash, and an unpacked copy
// of unpackedBytes (none when 0).
func (f *fixture) cacheToolchain(dir, modver string, zipBytes, unpackedBytes int) {
	f.t.Helper()
	at := filepath.Join(dir, "cache", "download", "golang.org", "toolchain", "@v")
	f.write(filepath.Join(at, modver+".zip"), strings.Repeat("z", zipBytes), 0o444)
	f.write(filepath.Join(at, modver+".ziphash"), "h1:0123456789012345678901234567890123456789012=", 0o444) // 46 bytes
	if unpackedBytes > 0 {
		root := filepath.Join(dir, "golang.org", "toolchain@"+modver)
		f.write(filepath.Join(root, "bin", "go"), strings.Repeat("g", unpackedBytes/2), 0o555)
		f.write(filepath.Join(root, "src", "fmt", "print.go"), strings.Repeat("s", unpackedBytes-unpackedBytes/2), 0o444)
	}
}

func TestModCache(t *testing.T) {
	t.Run("no module cache", func(t *testing.T) {
		f := newFixture(t)
		delete(f.vars, "HOME")
		f.one("store.modcache", OK, "no Go module cache")
	})
	t.Run("no toolchains", func(t *testing.T) {
		f := newFixture(t)
		r := f.one("store.modcache", OK, "Go's module cache ("+filepath.Join(f.vars["HOME"], "go", "pkg", "mod")+") holds no toolchains")
		if r.Fix != "" {
			t.Errorf("fix %q, want none", r.Fix)
		}
	})
	t.Run("adoptable", func(t *testing.T) {
		f := newFixture(t)
		dir := filepath.Join(f.root, "gomodcache")
		f.vars["GOMODCACHE"] = dir
		f.install("1.998.0", "linux", "amd64")
		f.cacheToolchain(dir, "v0.0.1-go1.999.0.linux-amd64", 1954, 2000) // 4000 bytes with the .ziphash
		f.cacheToolchain(dir, "v0.0.1-go1.999rc1.linux-amd64", 954, 0)    // 1000
		f.cacheToolchain(dir, "v0.0.1-go1.998.0.linux-amd64", 1954, 3000) // 5000, installed already
		f.cacheToolchain(dir, "v0.0.1-go1.999.0.darwin-arm64", 454, 1500) // 2000, not this machine's
		f.write(filepath.Join(dir, "cache", "download", "golang.org", "x", "mod", "@v", "v0.1.0.zip"), "not a toolchain", 0o444)
		r := f.one("store.modcache", OK,
			"Go's module cache ("+dir+") holds 4 toolchains",
			"gvx can adopt 2 toolchains with no download: go1.999.0 linux/amd64 (4.0 kB), go1.999rc1 linux/amd64 (1.0 kB)",
			"installed in gvx already: go1.998.0 linux/amd64 (5.0 kB)",
			"for other platforms: go1.999.0 darwin/arm64 (2.0 kB)")
		wantFix(t, r, "gvx install 1.999.0 1.999rc1", "after that, 'go clean -modcache' would free 12.0 kB of toolchains",
			"clears the whole module cache", "your call", "gvx never deletes or changes Go's module cache")
	})
	t.Run("only duplicates", func(t *testing.T) {
		f := newFixture(t)
		dir := filepath.Join(f.root, "gomodcache")
		f.vars["GOMODCACHE"] = dir
		f.install("1.998.0", "linux", "amd64")
		f.cacheToolchain(dir, "v0.0.1-go1.998.0.linux-amd64", 954, 0)
		r := f.one("store.modcache", OK, "holds 1 toolchain; installed in gvx already: go1.998.0")
		if strings.Contains(r.Fix, "gvx install") || strings.Contains(r.Message, "adopt") {
			t.Errorf("nothing to adopt, got %q / %q", r.Message, r.Fix)
		}
		wantFix(t, r, "'go clean -modcache' would free 1.0 kB of toolchains", "your call")
	})
	t.Run("from Go's env file", func(t *testing.T) {
		f := newFixture(t)
		dir := filepath.Join(f.root, "elsewhere")
		envFile := filepath.Join(f.root, "goenv")
		f.write(envFile, "GOMODCACHE="+dir+"\n", 0o644)
		f.vars["GOENV"] = envFile
		f.cacheToolchain(dir, "v0.0.1-go1.999.0.linux-amd64", 954, 0)
		f.one("store.modcache", OK, "Go's module cache ("+dir+") holds 1 toolchain; gvx can adopt 1 toolchain")
	})
}

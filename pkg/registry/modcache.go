package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// SourceModCache is the Artifact.Source of a toolchain found in Go's module
// cache.
const SourceModCache = "modcache"

// maxBeside bounds what is read of the small files the go command keeps
// beside a zip: a .ziphash is one line, a lookup record a few lines and a
// signed tree head, a tile at most 8 KiB.
const maxBeside = 64 << 10

// ModCache is Go's module cache (GOMODCACHE) as a source of toolchains: the
// golang.org/toolchain zips the go command downloaded, for a GOTOOLCHAIN
// switch or 'go mod download', under Dir/cache/download. gvx only ever
// reads it: the go command owns it, and makes most of it read-only.
type ModCache struct {
	Dir string
}

// Name returns "modcache".
func (m ModCache) Name() string { return SourceModCache }

// download is the module cache's download directory, laid out as a module
// proxy.
func (m ModCache) download() string { return filepath.Join(m.Dir, "cache", "download") }

func (m ModCache) versions() string {
	return filepath.Join(m.download(), filepath.FromSlash(ToolchainModule), "@v")
}

// zipPath is where the go command keeps the zip of modver.
func (m ModCache) zipPath(modver string) string {
	return filepath.Join(m.versions(), modver+".zip")
}

// Find returns the cached zip of v for plat, if the module cache holds one.
func (m ModCache) Find(v goversion.Version, plat Platform) (Artifact, bool) {
	if m.Dir == "" {
		return Artifact{}, false
	}
	modver := ModVersion(v, plat)
	if _, _, ok := parseModVersion(modver); !ok {
		return Artifact{}, false
	}
	fi, err := os.Stat(m.zipPath(modver))
	if err != nil || !fi.Mode().IsRegular() {
		return Artifact{}, false
	}
	return m.artifact(v, plat, modver, fi.Size()), true
}

func (m ModCache) artifact(v goversion.Version, plat Platform, modver string, size int64) Artifact {
	return Artifact{
		Version:    v,
		Platform:   plat,
		Source:     SourceModCache,
		Format:     ModuleZip,
		Filename:   modver + ".zip",
		URL:        fileURLOf(m.zipPath(modver)),
		Size:       size,
		ModPath:    ToolchainModule,
		ModVersion: modver,
	}
}

// fileURLOf returns the file:// URL of an absolute path.
func fileURLOf(p string) string {
	s := filepath.ToSlash(p)
	if !strings.HasPrefix(s, "/") {
		s = "/" + s // C:/x
	}
	return (&url.URL{Scheme: "file", Path: s}).String()
}

// List returns the toolchains the module cache holds a zip of, newest
// first. A cache that does not exist holds none.
func (m ModCache) List(ctx context.Context) ([]Release, error) {
	tcs, err := m.scan(false)
	if err != nil {
		return nil, err
	}
	byVersion := map[string]*Release{}
	var rels []*Release
	for _, tc := range tcs {
		rel := byVersion[tc.Version.String()]
		if rel == nil {
			rel = &Release{Version: tc.Version, Stable: tc.Version.Stable()}
			byVersion[tc.Version.String()] = rel
			rels = append(rels, rel)
		}
		rel.Artifacts = append(rel.Artifacts, m.artifact(tc.Version, tc.Platform, tc.ModVersion, tc.ZipBytes))
	}
	out := make([]Release, len(rels))
	for i, r := range rels {
		out[i] = *r
	}
	return out, nil
}

// Fetch opens the cached zip of a, read-only.
func (m ModCache) Fetch(ctx context.Context, a Artifact) (io.ReadCloser, error) {
	if a.Source != SourceModCache {
		return nil, fmt.Errorf("the module cache cannot provide %s from the %q source", a.Filename, a.Source)
	}
	if _, _, ok := parseModVersion(a.ModVersion); !ok || a.ModPath != ToolchainModule {
		return nil, fmt.Errorf("%s@%s is not a Go toolchain module version", a.ModPath, a.ModVersion)
	}
	f, err := os.Open(m.zipPath(a.ModVersion))
	if err != nil {
		return nil, fmt.Errorf("read %s from Go's module cache: %w", a.Filename, err)
	}
	return f, nil
}

// ZipHash returns the .ziphash file the go command wrote beside the zip of
// modver once it had checked it; nil when there is none.
func (m ModCache) ZipHash(modver string) ([]byte, error) {
	if _, _, ok := parseModVersion(modver); !ok {
		return nil, fmt.Errorf("%q is not a Go toolchain module version", modver)
	}
	return readBeside(filepath.Join(m.versions(), modver+".ziphash"))
}

// LookupRecord returns the go command's cached answer of the checksum
// database named db (verify.SumDBName) for the zip of modver (see
// cmd/go/internal/modfetch/sumdb.go, ReadCache); nil when there is none.
func (m ModCache) LookupRecord(db, modver string) ([]byte, error) {
	if _, _, ok := parseModVersion(modver); !ok {
		return nil, fmt.Errorf("%q is not a Go toolchain module version", modver)
	}
	if !filepath.IsLocal(filepath.FromSlash(db)) {
		return nil, fmt.Errorf("checksum database name %q is not a local path", db)
	}
	return readBeside(filepath.Join(m.download(), "sumdb", filepath.FromSlash(db), "lookup", filepath.FromSlash(ToolchainModule)+"@"+modver))
}

// Tiles returns a reader of the checksum database tiles the go command
// cached for db, by their path ("tile/8/0/001").
func (m ModCache) Tiles(db string) func(path string) ([]byte, error) {
	base := filepath.Join(m.download(), "sumdb", filepath.FromSlash(db))
	return func(p string) ([]byte, error) {
		if !strings.HasPrefix(p, "tile/") || !filepath.IsLocal(filepath.FromSlash(p)) {
			return nil, fmt.Errorf("%q is not a tile path", p)
		}
		b, err := readBeside(filepath.Join(base, filepath.FromSlash(p)))
		if err == nil && len(b) == 0 {
			err = fs.ErrNotExist // the go command reads an empty file as missing too
		}
		return b, err
	}
}

// readBeside reads a small file of the module cache; a missing one reads
// as nil.
func readBeside(p string) ([]byte, error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxBeside+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBeside {
		return nil, fmt.Errorf("%s is larger than %d bytes; not what the go command writes", p, maxBeside)
	}
	return b, nil
}

// CachedToolchain is a toolchain zip in Go's module cache.
type CachedToolchain struct {
	Version    goversion.Version
	Platform   Platform
	ModVersion string
	Zip        string // the zip's path
	ZipBytes   int64
	// Unpacked is the copy the go command unpacked to run it, "" when there
	// is none.
	Unpacked string
	// Bytes is everything of this toolchain that 'go clean -modcache'
	// would remove: the zip, the files beside it and the unpacked copy.
	Bytes int64
}

// Toolchains lists the toolchain zips in the module cache, newest first,
// with what each takes on disk (walking each unpacked copy).
func (m ModCache) Toolchains() ([]CachedToolchain, error) {
	return m.scan(true)
}

func (m ModCache) scan(sizes bool) ([]CachedToolchain, error) {
	if m.Dir == "" {
		return nil, nil
	}
	ents, err := os.ReadDir(m.versions())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read Go's module cache: %w", err)
	}
	var out []CachedToolchain
	for _, e := range ents {
		modver, ok := strings.CutSuffix(e.Name(), ".zip")
		if !ok {
			continue
		}
		v, plat, ok := parseModVersion(modver)
		if !ok {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		tc := CachedToolchain{Version: v, Platform: plat, ModVersion: modver, Zip: m.zipPath(modver), ZipBytes: fi.Size()}
		if sizes {
			tc.Bytes = tc.ZipBytes
			for _, ext := range []string{".ziphash", ".info", ".mod", ".lock"} {
				if fi, err := os.Lstat(filepath.Join(m.versions(), modver+ext)); err == nil {
					tc.Bytes += fi.Size()
				}
			}
			dir := filepath.Join(m.Dir, filepath.FromSlash(ToolchainModule)+"@"+modver)
			if n, err := treeBytes(dir); err == nil {
				tc.Unpacked, tc.Bytes = dir, tc.Bytes+n
			}
		}
		out = append(out, tc)
	}
	slices.SortFunc(out, func(a, b CachedToolchain) int {
		if c := goversion.Compare(b.Version, a.Version); c != 0 {
			return c
		}
		return strings.Compare(a.Platform.String(), b.Platform.String())
	})
	return out, nil
}

// treeBytes adds up the sizes of the files under dir, which must be a
// directory.
func treeBytes(dir string) (int64, error) {
	fi, err := os.Lstat(dir)
	if err != nil {
		return 0, err
	}
	if !fi.IsDir() {
		return 0, fmt.Errorf("%s is not a directory", dir)
	}
	var n int64
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // count what can be read
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n, err
}

package verify

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb"
)

// goCache is what the go command's checksum database client caches in
// $GOMODCACHE/cache/download/sumdb: lookup records and tiles, keyed by
// "<name>/lookup/<path>@<version>" and "<name>/tile/...". It is filled by
// x/mod's client with the same ClientOps the go command gives it.
type goCache struct {
	db     *fakeDB
	files  map[string][]byte
	latest []byte
}

func (c *goCache) ReadRemote(path string) ([]byte, error) {
	rec := httptest.NewRecorder()
	c.db.handler.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 {
		return nil, errors.New(rec.Result().Status)
	}
	return rec.Body.Bytes(), nil
}

func (c *goCache) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(c.db.verifier), nil
	}
	return c.latest, nil
}

func (c *goCache) WriteConfig(file string, old, new []byte) error {
	c.latest = new
	return nil
}

func (c *goCache) ReadCache(file string) ([]byte, error) {
	if b, ok := c.files[file]; ok {
		return b, nil
	}
	return nil, os.ErrNotExist
}

func (c *goCache) WriteCache(file string, data []byte) { c.files[file] = data }
func (c *goCache) Log(string)                          {}
func (c *goCache) SecurityError(msg string)            { panic(msg) }

// goLookup has the go command look m up, as 'go mod download' does, and
// returns what it cached: the lookup record and a reader of the tiles.
func goLookup(t *testing.T, db *fakeDB, m fakeModule) (record []byte, tile func(string) ([]byte, error)) {
	t.Helper()
	c := &goCache{db: db, files: map[string][]byte{}}
	if _, err := sumdb.NewClient(c).Lookup(toolchain, m.version); err != nil {
		t.Fatal(err)
	}
	record = c.files[db.name+"/lookup/"+toolchain+"@"+m.version]
	if len(record) == 0 {
		t.Fatalf("no lookup record cached; have %d files", len(c.files))
	}
	return record, func(path string) ([]byte, error) { return c.ReadCache(db.name + "/" + path) }
}

// newCachedDB is a database holding several records, m's among them.
func newCachedDB(t *testing.T, m fakeModule) *fakeDB {
	db := newFakeDB(t, "sum.gvx.test")
	for i, v := range []string{"1.990.0", "1.991.0", "1.992.0"} {
		o := newFakeModule(t, v, strings.Repeat("x", i))
		db.add(toolchain, o.version, o.h1)
		db.record(t, toolchain, o.version)
	}
	db.add(toolchain, m.version, m.h1)
	return db
}

func TestCheckRecord(t *testing.T) {
	m := newFakeModule(t, "1.999.0", "")
	db := newCachedDB(t, m)
	record, tile := goLookup(t, db, m)
	gosumdb := db.verifier + " https://db.test"

	rc, err := checkRecord(gosumdb, record, toolchain, m.version, tile)
	if err != nil || rc.H1 != m.h1 || !rc.Proven || rc.Database != db.name || rc.TreeSize != 4 {
		t.Fatalf("checkRecord = %+v, %v; want %s proven in a tree of 4", rc, err, m.h1)
	}

	rc, err = checkRecord(gosumdb, record, toolchain, m.version, nil)
	if err != nil || rc.H1 != m.h1 || rc.Proven || rc.ProofErr == nil {
		t.Errorf("checkRecord without tiles = %+v, %v; want the hash, not proven", rc, err)
	}
	noTiles := func(string) ([]byte, error) { return nil, os.ErrNotExist }
	if rc, err := checkRecord(gosumdb, record, toolchain, m.version, noTiles); err != nil || rc.Proven || rc.ProofErr == nil {
		t.Errorf("checkRecord with the tiles missing = %+v, %v; want not proven", rc, err)
	}

	// A record whose go.sum lines were rewritten keeps a valid signature
	// (the note signs the tree head only), but the tiles prove it is not the
	// database's record.
	forged := bytes.Replace(record, []byte(m.h1), []byte("h1:"+strings.Repeat("A", 43)+"="), 1)
	if _, err := checkRecord(gosumdb, forged, toolchain, m.version, tile); !IsSecurity(err) {
		t.Errorf("checkRecord(forged lines, tiles) = %v; want a security error", err)
	}
	if rc, err := checkRecord(gosumdb, forged, toolchain, m.version, nil); err != nil || rc.Proven {
		t.Errorf("checkRecord(forged lines, no tiles) = %+v, %v; want it unproven", rc, err)
	}

	other := newFakeDB(t, db.name) // same name, another key
	for _, tc := range []struct {
		name, gosumdb string
		record        []byte
		version, want string
	}{
		{"another key", other.verifier, record, m.version, "not signed by sum.gvx.test"},
		{"another version", gosumdb, record, "v0.0.1-go1.999.1.linux-amd64", "lists no h1: hash"},
		{"garbage", gosumdb, []byte("not a record\n"), m.version, "cached lookup record"},
		{"GOSUMDB off", "off", record, m.version, "GOSUMDB=off"},
	} {
		if _, err := checkRecord(tc.gosumdb, tc.record, toolchain, tc.version, tile); err == nil || !strings.Contains(err.Error(), tc.want) || IsSecurity(err) {
			t.Errorf("checkRecord(%s) = %v; want a plain error containing %q", tc.name, err, tc.want)
		}
	}
}

type checkZipFunc func(ctx context.Context, zipFile, modPath, modVersion, url string) error

func (f checkZipFunc) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	return f(ctx, zipFile, modPath, modVersion, url)
}

func TestCheckCachedZip(t *testing.T) {
	m := newFakeModule(t, "1.999.0", "")
	evil := newFakeModule(t, "1.999.0", "a backdoor")
	db := newCachedDB(t, m)
	record, tile := goLookup(t, db, m)
	gosumdb := db.verifier + " https://db.test"
	unreachable := checkZipFunc(func(context.Context, string, string, string, string) error {
		return errors.New("cannot reach https://db.test: connection refused")
	})
	good := CachedZip{File: m.zip, URL: "file:///mod/x.zip", ModPath: toolchain, ModVersion: m.version, ZipHash: []byte(m.h1), Record: record, Tile: tile}
	ctx := context.Background()

	t.Run("online", func(t *testing.T) {
		var asked string
		online := checkZipFunc(func(_ context.Context, zipFile, _, _, _ string) error { asked = zipFile; return nil })
		res, err := CheckCachedZip(ctx, online, gosumdb, good)
		if err != nil || !res.Online || asked != m.zip || !strings.Contains(res.String(), "against the checksum database sum.gvx.test") {
			t.Errorf("CheckCachedZip = %+v (%s), %v; want checked online", res, res, err)
		}
	})
	t.Run("online mismatch", func(t *testing.T) {
		online := checkZipFunc(func(context.Context, string, string, string, string) error {
			return &MismatchError{What: "h1 (checksum database)"}
		})
		if _, err := CheckCachedZip(ctx, online, gosumdb, good); !IsSecurity(err) {
			t.Errorf("CheckCachedZip = %v; want the database's mismatch, no offline check", err)
		}
	})
	t.Run("offline", func(t *testing.T) {
		for _, online := range []interface {
			CheckZip(context.Context, string, string, string, string) error
		}{unreachable, nil} {
			res, err := CheckCachedZip(ctx, online, gosumdb, good)
			if err != nil || res.Online || !res.Record.Proven || res.OnlineErr == nil {
				t.Fatalf("CheckCachedZip(offline) = %+v, %v", res, err)
			}
			if s := res.String(); !strings.Contains(s, "checked offline") || !strings.Contains(s, ".ziphash") || !strings.Contains(s, "proven") {
				t.Errorf("String() = %q", s)
			}
		}
		z := good
		z.Tile = nil
		z.ZipHash = []byte(m.h1 + "\n")
		res, err := CheckCachedZip(ctx, unreachable, gosumdb, z)
		if err != nil || res.Record.Proven || !strings.Contains(res.String(), "not proven") {
			t.Errorf("CheckCachedZip(no tiles) = %s, %v; want checked, saying it is not proven", res, err)
		}
	})
	t.Run("offline mismatch", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			z    CachedZip
			want string
		}{
			{"tampered zip", CachedZip{File: evil.zip, ZipHash: []byte(m.h1), Record: record}, "cached checksum database record"},
			{"tampered zip and ziphash", CachedZip{File: evil.zip, ZipHash: []byte(evil.h1), Record: record}, "cached checksum database record"},
			{"wrong ziphash", CachedZip{File: m.zip, ZipHash: []byte(evil.h1), Record: record}, ".ziphash"},
			{"forged record", CachedZip{File: evil.zip, ZipHash: []byte(evil.h1), Record: bytes.Replace(record, []byte(m.h1), []byte(evil.h1), 1), Tile: tile}, "checksum database tree"},
		} {
			z := tc.z
			z.ModPath, z.ModVersion, z.URL = toolchain, m.version, "file:///mod/x.zip"
			_, err := CheckCachedZip(ctx, unreachable, gosumdb, z)
			var mm *MismatchError
			if !errors.As(err, &mm) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "gvx never changes the module cache") || mm.URL != z.URL {
				t.Errorf("%s: CheckCachedZip = %v; want a mismatch naming %q", tc.name, err, tc.want)
			}
		}
	})
	t.Run("uncheckable", func(t *testing.T) {
		other := newFakeDB(t, db.name)
		for _, tc := range []struct {
			name    string
			gosumdb string
			edit    func(*CachedZip)
			want    string
		}{
			{"no ziphash", gosumdb, func(z *CachedZip) { z.ZipHash = nil }, "no .ziphash"},
			{"no record", gosumdb, func(z *CachedZip) { z.Record = nil }, "lookup record of sum.gvx.test is not cached"},
			{"record of another key", other.verifier, func(*CachedZip) {}, "not signed"},
			{"GOSUMDB off", "off", func(*CachedZip) {}, "GOSUMDB=off"},
		} {
			z := good
			tc.edit(&z)
			_, err := CheckCachedZip(ctx, unreachable, tc.gosumdb, z)
			var ue *UncheckableError
			if !errors.Is(err, errUncheckable) || !errors.As(err, &ue) || IsSecurity(err) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "connection refused") {
				t.Errorf("%s: CheckCachedZip = %v; want errUncheckable naming %q and the database's error", tc.name, err, tc.want)
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		online := checkZipFunc(func(ctx context.Context, _, _, _, _ string) error { return ctx.Err() })
		if _, err := CheckCachedZip(ctx, online, gosumdb, good); !errors.Is(err, context.Canceled) {
			t.Errorf("CheckCachedZip(cancelled) = %v; want context.Canceled, no offline check", err)
		}
	})
}

// checkZipH1Func is an online checker that reports the h1 it checked.
type checkZipH1Func func(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error)

func (f checkZipH1Func) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	_, err := f(ctx, zipFile, modPath, modVersion, url)
	return err
}

func (f checkZipH1Func) CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error) {
	return f(ctx, zipFile, modPath, modVersion, url)
}

// CachedCheck.H1 is the h1 as checked: the online checker's when it reports
// one, the zip's own after an offline check.
func TestCheckCachedZipH1(t *testing.T) {
	m := newFakeModule(t, "1.999.0", "")
	db := newCachedDB(t, m)
	record, tile := goLookup(t, db, m)
	gosumdb := db.verifier + " https://db.test"
	good := CachedZip{File: m.zip, URL: "file:///mod/x.zip", ModPath: toolchain, ModVersion: m.version, ZipHash: []byte(m.h1), Record: record, Tile: tile}
	ctx := context.Background()
	online := checkZipH1Func(func(context.Context, string, string, string, string) (string, error) { return m.h1, nil })
	if res, err := CheckCachedZip(ctx, online, gosumdb, good); err != nil || !res.Online || res.H1 != m.h1 {
		t.Errorf("CheckCachedZip(online with h1) = %+v, %v; want H1 %q", res, err, m.h1)
	}
	plain := checkZipFunc(func(context.Context, string, string, string, string) error { return nil })
	if res, err := CheckCachedZip(ctx, plain, gosumdb, good); err != nil || res.H1 != "" {
		t.Errorf("CheckCachedZip(online without h1) = %+v, %v; want no H1", res, err)
	}
	if res, err := CheckCachedZip(ctx, nil, gosumdb, good); err != nil || res.Online || res.H1 != m.h1 {
		t.Errorf("CheckCachedZip(offline) = %+v, %v; want H1 %q", res, err, m.h1)
	}
}

package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// errUncheckable is matched (errors.Is) by CheckCachedZip's error when a
// zip from Go's module cache can be checked neither against the checksum
// database nor offline: an *UncheckableError. The zip must then not be
// used; it is not evidence of tampering.
var errUncheckable = errors.New("cannot be checked")

// UncheckableError says why a zip from Go's module cache could not be
// checked.
type UncheckableError struct {
	ModPath, ModVersion string
	OnlineErr           error  // why the checksum database could not be used
	Offline             string // why the offline check could not be made
}

func (e *UncheckableError) Error() string {
	return fmt.Sprintf("%s@%s from Go's module cache cannot be checked: the checksum database cannot be used (%v), and %s",
		e.ModPath, e.ModVersion, e.OnlineErr, e.Offline)
}

// Is reports whether target is errUncheckable.
func (e *UncheckableError) Is(target error) bool { return target == errUncheckable }

// modCacheAdvice closes the security error about a zip in Go's module
// cache: retrying would read the same file again.
const modCacheAdvice = "Nothing was installed. The copy in Go's module cache is damaged, or was changed after\n" +
	"the go command checked it. gvx never changes the module cache: find out how it happened,\n" +
	"then clearing it ('go clean -modcache') is your call; the go command downloads it again, checked."

// tileHeight is the height of the checksum database's tiles, as the go
// command's client reads and caches them (tile/8/...).
const tileHeight = 8

// SumDBName returns the name of the checksum database GOSUMDB names
// (defaultSumDB for ""): the go command keeps what it learnt from that
// database under $GOMODCACHE/cache/download/sumdb/<name>/.
func SumDBName(gosumdb string) (string, error) {
	db, err := parseGOSUMDB(gosumdb)
	if err != nil {
		return "", err
	}
	return db.name, nil
}

// recordCheck is what checkRecord found in a cached lookup record.
type recordCheck struct {
	Database string // the name of the database that signed the tree head
	H1       string // the hash the record lists for the zip
	TreeSize int64  // the size of the signed tree the record came with
	// Proven reports that the record was proven to be in that signed tree,
	// from the tiles the go command cached; ProofErr says why not.
	Proven   bool
	ProofErr error
}

// checkRecord reads record, a checksum database lookup record as the go
// command caches it ($GOMODCACHE/cache/download/sumdb/<name>/lookup/<path>@<version>,
// see cmd/go/internal/modfetch/sumdb.go): the record's id, its go.sum
// lines, a blank line and the signed tree head it was served with. The tree
// head's signature must verify with the key of the database gosumdb names,
// and the record must list an h1: hash for the zip of modPath@modVersion.
// tile, when not nil, reads the go command's cached tiles by their path
// ("tile/8/0/x001/234.p/5"); with them checkRecord also proves that the
// record is in the signed tree, and a record that is provably not in it is
// a *MismatchError. Without the tiles, or with tiles that do not fit the
// tree, the result says why the record is not Proven.
func checkRecord(gosumdb string, record []byte, modPath, modVersion string, tile func(path string) ([]byte, error)) (recordCheck, error) {
	db, err := parseGOSUMDB(gosumdb)
	if err != nil {
		return recordCheck{}, err
	}
	rc := recordCheck{Database: db.name}
	id, text, treeMsg, err := tlog.ParseRecord(record)
	if err != nil {
		return rc, fmt.Errorf("cached lookup record of %s@%s: %w", modPath, modVersion, err)
	}
	v, err := note.NewVerifier(db.key)
	if err != nil {
		return rc, err
	}
	n, err := note.Open(treeMsg, note.VerifierList(v))
	if err != nil {
		return rc, fmt.Errorf("cached lookup record of %s@%s: the tree head is not signed by %s: %w", modPath, modVersion, db.name, err)
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		return rc, fmt.Errorf("cached lookup record of %s@%s: %w", modPath, modVersion, err)
	}
	if id < 0 || id >= tree.N {
		return rc, fmt.Errorf("cached lookup record of %s@%s: record %d is not in the signed tree of %d records", modPath, modVersion, id, tree.N)
	}
	rc.TreeSize = tree.N
	for _, line := range strings.Split(string(text), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == modPath && f[1] == modVersion && strings.HasPrefix(f[2], "h1:") {
			rc.H1 = f[2]
		}
	}
	if rc.H1 == "" {
		return rc, fmt.Errorf("cached lookup record of %s@%s lists no h1: hash for its zip", modPath, modVersion)
	}
	if tile == nil {
		rc.ProofErr = errors.New("no cached tiles to read")
		return rc, nil
	}
	proof, err := tlog.ProveRecord(tree.N, id, tlog.TileHashReader(tree, cachedTiles(tile)))
	if err != nil {
		rc.ProofErr = err
		return rc, nil
	}
	if err := tlog.CheckRecord(proof, tree.N, tree.Hash, id, tlog.RecordHash(text)); err != nil {
		// The tiles hash to the signed tree, and the record is not in it:
		// its go.sum lines were written by someone other than the database.
		return rc, &MismatchError{
			What: "record (checksum database tree)", Subject: modPath + "@" + modVersion,
			URL:      "the go command's cached lookup record",
			Expected: fmt.Sprintf("record %d of the tree of %d records signed by %s", id, tree.N, db.name),
			Got:      "go.sum lines that are not that record",
		}
	}
	rc.Proven = true
	return rc, nil
}

// cachedTiles reads tiles the go command cached. A partial tile may be
// missing where the full one is there, which holds the same hashes first.
type cachedTiles func(path string) ([]byte, error)

func (cachedTiles) Height() int { return tileHeight }

func (read cachedTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := read(t.Path())
		if err != nil && t.W < 1<<t.H {
			full := t
			full.W = 1 << t.H
			if fd, ferr := read(full.Path()); ferr == nil && len(fd) >= t.W*tlog.HashSize {
				data, err = fd[:t.W*tlog.HashSize], nil
			}
		}
		if err != nil {
			return nil, fmt.Errorf("tile %s: %w", t.Path(), err)
		}
		out[i] = data
	}
	return out, nil
}

func (cachedTiles) SaveTiles([]tlog.Tile, [][]byte) {} // the module cache is never written

// CachedZip is a copy of a module zip from Go's module cache, with what the
// go command kept beside it when it downloaded and checked the zip.
type CachedZip struct {
	File                string // the copy to hash
	URL                 string // where it came from, for messages
	ModPath, ModVersion string
	// ZipHash is the .ziphash file beside the zip: the h1: hash the go
	// command computed and checked. Nil when there is none.
	ZipHash []byte
	// Record is the go command's cached lookup record for the zip (see
	// checkRecord); nil when there is none.
	Record []byte
	// Tile reads the go command's cached tiles of that database; nil for
	// none.
	Tile func(path string) ([]byte, error)
}

// CachedCheck says how CheckCachedZip checked a zip.
type CachedCheck struct {
	// Online reports that the checksum database itself vouched for the
	// zip, as for any zip from a proxy. Otherwise OnlineErr says why the
	// database could not be used, and Record what the offline check read.
	Online    bool
	Database  string
	OnlineErr error
	Record    recordCheck
	// H1 is the zip's h1 as checked; "" when the online checker does not
	// report it (it has no CheckZipH1).
	H1 string
}

// String says in a line how the zip was checked.
func (c CachedCheck) String() string {
	if c.Online {
		return "checked against the checksum database " + c.Database
	}
	s := fmt.Sprintf("checked offline: the .ziphash beside the zip and the go command's cached lookup record, signed by %s (tree of %d records), agree with the zip", c.Record.Database, c.Record.TreeSize)
	if c.Record.Proven {
		return s + "; the record is proven in that tree from the cached tiles"
	}
	return s + "; the record's place in that tree is not proven (" + c.Record.ProofErr.Error() + ")"
}

// CheckCachedZip checks a zip from Go's module cache the way a zip from a
// proxy is checked: against the checksum database through online, as
// CheckZip does. When the database cannot be used (any failure other than a
// security error or a cancellation; online may be nil when it could not
// even be set up), it checks offline instead: the zip's h1: hash must equal
// both the .ziphash the go command wrote and the hash in the go command's
// cached lookup record, whose signed tree head must verify with GOSUMDB's
// key (see checkRecord). Any difference is a *MismatchError. When neither
// check is possible the error is an *UncheckableError.
func CheckCachedZip(ctx context.Context, online interface {
	CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error
}, gosumdb string, z CachedZip) (CachedCheck, error) {
	var res CachedCheck
	res.Database, _ = SumDBName(gosumdb)
	if online == nil {
		res.OnlineErr = errors.New("no checksum database client")
	} else {
		var err error
		if h, ok := online.(interface {
			CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error)
		}); ok {
			res.H1, err = h.CheckZipH1(ctx, z.File, z.ModPath, z.ModVersion, z.URL)
		} else {
			err = online.CheckZip(ctx, z.File, z.ModPath, z.ModVersion, z.URL)
		}
		switch {
		case err == nil:
			res.Online = true
			return res, nil
		case IsSecurity(err):
			var mm *MismatchError
			if errors.As(err, &mm) {
				mm.Advice = modCacheAdvice
			}
			return res, err
		case ctx.Err() != nil:
			return res, err
		}
		res.OnlineErr = err
	}
	uncheckable := func(why string, args ...any) error {
		return &UncheckableError{ModPath: z.ModPath, ModVersion: z.ModVersion, OnlineErr: res.OnlineErr, Offline: fmt.Sprintf(why, args...)}
	}
	zh := string(bytes.TrimSpace(z.ZipHash))
	switch {
	case zh == "":
		return res, uncheckable("there is no .ziphash beside the zip")
	case len(z.Record) == 0:
		return res, uncheckable("the go command's lookup record of %s is not cached", res.Database)
	}
	rc, err := checkRecord(gosumdb, z.Record, z.ModPath, z.ModVersion, z.Tile)
	res.Record = rc
	var mm *MismatchError
	if errors.As(err, &mm) {
		mm.URL, mm.Advice = z.URL, modCacheAdvice
		return res, err
	}
	if err != nil {
		return res, uncheckable("%v", err)
	}
	got, err := hashZip(z.File)
	if err != nil {
		return res, fmt.Errorf("hash module zip of %s@%s from %s: %w", z.ModPath, z.ModVersion, z.URL, err)
	}
	if got != rc.H1 {
		return res, &MismatchError{What: "h1 (go command's cached checksum database record)", Subject: z.ModPath + "@" + z.ModVersion, URL: z.URL, Expected: rc.H1, Got: got, Advice: modCacheAdvice}
	}
	if zh != rc.H1 {
		return res, &MismatchError{What: "h1 (.ziphash beside the zip)", Subject: z.ModPath + "@" + z.ModVersion, URL: z.URL, Expected: rc.H1, Got: zh, Advice: modCacheAdvice}
	}
	res.H1 = got
	return res, nil
}

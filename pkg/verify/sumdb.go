package verify

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gvx-dev/gvx/internal/readerat"

	"github.com/gvx-dev/gvx/internal/httpget"
)

// SumDBConfig says which checksum database a Checker asks and how it gets
// there.
type SumDBConfig struct {
	// GOSUMDB is read as the go command reads it: "" (the default
	// database), "<name>" of a database gvx knows the key of,
	// "<name>+<hash>+<key>", either followed by " <url>", or "off", which
	// NewChecker refuses because toolchains are always verified.
	GOSUMDB string
	// Proxies is GOPROXY, in order. The database is reached through the
	// first proxy that serves it, as the go command does, unless GOSUMDB
	// gives an explicit URL.
	Proxies []Proxy
	// StateDir keeps the newest verified tree head of each database, which
	// must persist between runs to detect a forked database, and a cache of
	// verified tiles and records. Several processes may share it.
	StateDir string
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
}

// Checker checks module zips against a checksum database. It is safe for
// concurrent use, and several Checkers (in one or many processes) may share
// a StateDir.
type Checker struct {
	db      sumDB
	proxies []Proxy
	state   stateStore
	client  *http.Client

	// The database's base URL is decided once per Checker, on first need
	// (everything may come from the cache). A probe cut short by its
	// context decides nothing, so the next call probes again.
	baseMu   sync.Mutex
	baseDone bool
	base     string
	baseErr  error
}

// maxRemoteBody bounds a response from the database or a proxy's
// /supported endpoint: a lookup record is a few lines and a signed tree
// head, a tile at most 8 KiB.
const maxRemoteBody = 1 << 20

// NewChecker returns a Checker for cfg. It fails on a GOSUMDB it cannot use,
// including "off".
func NewChecker(cfg SumDBConfig) (*Checker, error) {
	db, err := parseGOSUMDB(cfg.GOSUMDB)
	if err != nil {
		return nil, err
	}
	if cfg.StateDir == "" {
		return nil, errors.New("checksum database: no state directory given")
	}
	for _, p := range cfg.Proxies {
		if p.URL == "" {
			return nil, errors.New("checksum database: empty GOPROXY entry")
		}
	}
	client := cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	return &Checker{
		db:      db,
		proxies: append([]Proxy(nil), cfg.Proxies...),
		state:   stateStore{dir: cfg.StateDir},
		client:  client,
	}, nil
}

// Database returns the name of the checksum database, "sum.golang.org" by
// default.
func (c *Checker) Database() string { return c.db.name }

// Lookup returns the h1: hash the checksum database holds for the zip of
// modPath at modVersion (not for its go.mod), after the client has checked
// the answer against the database's signed, append-only tree and the tree
// head this machine verified before.
func (c *Checker) Lookup(ctx context.Context, modPath, modVersion string) (h1 string, err error) {
	if err := module.Check(modPath, modVersion); err != nil {
		return "", fmt.Errorf("checksum database %s: %w", c.db.name, err)
	}
	s := &session{c: c, ctx: ctx}
	lines, err := sumdb.NewClient(s).Lookup(modPath, modVersion)
	if err != nil {
		return "", s.explain(modPath, modVersion, err)
	}
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == modPath && f[1] == modVersion && strings.HasPrefix(f[2], "h1:") {
			return f[2], nil
		}
	}
	return "", fmt.Errorf("checksum database %s has no h1: hash for the zip of %s@%s; the database answered %d line(s) without one", c.db.name, modPath, modVersion, len(lines))
}

// CheckZip hashes zipFile as dirhash.HashZip does and compares the hash with
// the one the checksum database holds for modPath@modVersion. A difference
// is a *MismatchError naming url, where the zip came from; a database that
// contradicts its own history is a *SecurityError.
func (c *Checker) CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error {
	_, err := c.CheckZipH1(ctx, zipFile, modPath, modVersion, url)
	return err
}

// CheckZipH1 is CheckZip, and returns the zip's h1, which the database
// vouched for: a caller that records it need not hash the zip again.
func (c *Checker) CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error) {
	want, err := c.Lookup(ctx, modPath, modVersion)
	if err != nil {
		return "", err
	}
	got, err := hashZip(zipFile)
	if err != nil {
		return "", fmt.Errorf("hash module zip of %s@%s from %s: %w", modPath, modVersion, url, err)
	}
	if got != want {
		return "", &MismatchError{What: "h1 (checksum database)", Subject: modPath + "@" + modVersion, URL: url, Expected: want, Got: got}
	}
	return got, nil
}

// resolveBase returns the base URL of the database, deciding it on the
// first call.
func (c *Checker) resolveBase(ctx context.Context) (string, error) {
	c.baseMu.Lock()
	defer c.baseMu.Unlock()
	if c.baseDone {
		return c.base, c.baseErr
	}
	base, err := c.findBase(ctx)
	if err != nil && ctx.Err() != nil {
		return "", err
	}
	c.baseDone, c.base, c.baseErr = true, base, err
	return base, err
}

// decidedBase returns the base URL if it has been decided.
func (c *Checker) decidedBase() string {
	c.baseMu.Lock()
	defer c.baseMu.Unlock()
	return c.base
}

// findBase decides how to reach the database, as the go command does: an
// explicit URL in GOSUMDB is used as is; otherwise each proxy in turn is
// asked for <proxy>/sumdb/<name>/supported. A 200 means all requests go
// through that proxy, never directly. A 404 or 410 (any error after a '|')
// moves on to the next entry; "direct", or the end of the list, means the
// database itself. Unlike the go command, which also goes direct at "off",
// gvx stops there: the user asked for no network beyond the proxies listed.
func (c *Checker) findBase(ctx context.Context) (string, error) {
	if c.db.url != "" {
		return c.db.url, nil
	}
	for _, p := range c.proxies {
		switch p.URL {
		case "direct":
			return c.db.direct(), nil
		case "off":
			return "", fmt.Errorf(`cannot reach checksum database %s: GOPROXY reaches "off" before any proxy that serves it, and toolchains are never installed unverified; add a proxy that serves the database, or "direct", to GOPROXY, or give its URL in GOSUMDB ("<key> <url>")`, c.db.name)
		}
		base := strings.TrimSuffix(p.URL, "/") + "/sumdb/" + c.db.name
		_, err := c.get(ctx, base+"/supported")
		if err == nil {
			return base, nil
		}
		if ctx.Err() != nil {
			return "", err
		}
		if errors.Is(err, fs.ErrNotExist) || p.FallBackOnError {
			continue
		}
		return "", fmt.Errorf("cannot reach checksum database %s through proxy %s (retry later, or end that GOPROXY entry with '|' to fall through to the next on errors): %w", c.db.name, httpget.Redact(p.URL), err)
	}
	return c.db.direct(), nil
}

// get fetches rawURL, which must answer 200 with at most maxRemoteBody
// bytes.
func (c *Checker) get(ctx context.Context, rawURL string) ([]byte, error) {
	resp, err := httpget.Get(ctx, c.client, rawURL, nil)
	if err != nil {
		return nil, err // a *StatusError or a *url.Error, which name the URL
	}
	return httpget.ReadBody(resp, maxRemoteBody, "a checksum database answer")
}

// StatusError is an HTTP answer other than 200 OK from a checksum database
// or a proxy: gvx's one such error. It matches fs.ErrNotExist (errors.Is)
// for 404 and 410, which is what a database answers for a module version
// it does not know and a proxy for a database it does not serve.
type StatusError = httpget.StatusError

// SecurityError is a checksum database that contradicts what this machine
// verified from it before: its signed tree does not contain the tree head
// kept in the state directory (a fork, or a history rewritten). The client
// stops at once; nothing may be installed.
type SecurityError struct {
	Database string // "sum.golang.org"
	URL      string // where the database was reached
	StateDir string // where the earlier tree head is kept
	Detail   string // the two signed tree heads and the proof, from the client
}

func (e *SecurityError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "SECURITY ERROR: checksum database %s contradicts the tree head verified earlier\n", e.Database)
	fmt.Fprintf(&b, "  url:   %s\n", e.URL)
	fmt.Fprintf(&b, "  state: %s\n", e.StateDir)
	detail := strings.TrimPrefix(strings.TrimSpace(e.Detail), "SECURITY ERROR\n")
	for _, line := range strings.Split(detail, "\n") {
		if line = strings.TrimRight(line, " \t"); line != "" {
			b.WriteString("  " + line)
		}
		b.WriteString("\n")
	}
	b.WriteString("The database, or a proxy in front of it, serves a forked or rewritten history. Nothing was\n")
	b.WriteString("installed. Report it, and keep the state directory: it is the evidence.")
	return b.String()
}

// Unwrap returns sumdb.ErrSecurity.
func (e *SecurityError) Unwrap() error { return sumdb.ErrSecurity }

// IsSecurity reports whether err is a verification failure that must be
// reported loudly (exit code 3): a *MismatchError or a *SecurityError.
func IsSecurity(err error) bool {
	var m *MismatchError
	var s *SecurityError
	return errors.As(err, &m) || errors.As(err, &s)
}

// session is the sumdb.ClientOps of one Lookup: it carries that call's
// context, which the client's interface has no room for, and remembers
// what went wrong so the Checker can return a typed error instead of the
// client's flattened text.
type session struct {
	c   *Checker
	ctx context.Context

	mu        sync.Mutex
	baseErr   error  // the database could not be located
	lookupErr error  // the /lookup request failed
	security  string // the client's report of a misbehaving database
}

func (s *session) ReadRemote(path string) ([]byte, error) {
	base, err := s.c.resolveBase(s.ctx)
	if err != nil {
		s.mu.Lock()
		s.baseErr = err
		s.mu.Unlock()
		return nil, err
	}
	data, err := s.c.get(s.ctx, base+path)
	if err != nil && strings.HasPrefix(path, "/lookup/") {
		s.mu.Lock()
		s.lookupErr = err
		s.mu.Unlock()
	}
	return data, err
}

func (s *session) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(s.c.db.key), nil
	}
	return s.c.state.readConfig(file)
}

func (s *session) WriteConfig(file string, old, new []byte) error {
	if file == "key" {
		return errors.New("checksum database: the verifier key comes from GOSUMDB and is never written")
	}
	return s.c.state.writeConfig(file, old, new)
}

func (s *session) ReadCache(file string) ([]byte, error) { return s.c.state.readCache(file) }

func (s *session) WriteCache(file string, data []byte) { s.c.state.writeCache(file, data) }

func (s *session) Log(string) {}

func (s *session) SecurityError(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.security == "" {
		s.security = msg
	}
}

// explain turns the error of the client's Lookup into the error a Checker
// returns, keeping the cause's type where one is known.
func (s *session) explain(modPath, modVersion string, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	db := s.c.db.name
	switch {
	case s.security != "":
		return &SecurityError{Database: db, URL: s.c.decidedBase(), StateDir: s.c.state.dir, Detail: s.security}
	case s.ctx.Err() != nil:
		return fmt.Errorf("checksum database %s: look up %s@%s: %w", db, modPath, modVersion, s.ctx.Err())
	case s.baseErr != nil:
		return s.baseErr
	case errors.Is(s.lookupErr, fs.ErrNotExist):
		return fmt.Errorf("checksum database %s does not know %s@%s, so it cannot be verified; check that this release exists for this platform: %w", db, modPath, modVersion, s.lookupErr)
	case s.lookupErr != nil:
		return fmt.Errorf("checksum database %s: look up %s@%s: %w", db, modPath, modVersion, s.lookupErr)
	}
	return fmt.Errorf("checksum database %s: %w", db, err)
}

// hashZip is dirhash.HashZip(zipFile, dirhash.Hash1), reading the archive
// through a window: dirhash's own zip.OpenReader reads each entry in a few
// KiB at a time, one pread each.
func hashZip(zipFile string) (string, error) {
	f, err := os.Open(zipFile)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	z, err := zip.NewReader(readerat.NewWindow(f, st.Size()), st.Size())
	if err != nil {
		return "", err
	}
	files := make([]string, 0, len(z.File))
	byName := make(map[string]*zip.File, len(z.File))
	for _, zf := range z.File {
		files = append(files, zf.Name)
		byName[zf.Name] = zf
	}
	return dirhash.Hash1(files, func(name string) (io.ReadCloser, error) {
		zf := byName[name]
		if zf == nil {
			return nil, fmt.Errorf("file %q not found in zip", name)
		}
		return zf.Open()
	})
}

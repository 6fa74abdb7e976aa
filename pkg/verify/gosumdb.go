package verify

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// defaultSumDB is the name of the Go checksum database the go command uses
// when GOSUMDB is empty, and defaultSumDBKey its public verifier key, both as
// the go command documents them ("go help module-auth").
const (
	defaultSumDB    = "sum.golang.org"
	defaultSumDBKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

	// chinaSumDBAlias names the same database as defaultSumDB, served from a
	// host reachable in mainland China; the go command maps it to
	// "sum.golang.org https://sum.golang.google.cn".
	chinaSumDBAlias = "sum.golang.google.cn"
)

// sumDB is a checksum database as GOSUMDB names it.
type sumDB struct {
	name string // the verifier key's name, "sum.golang.org"
	key  string // the full verifier key, "name+hash+key"
	// url is the explicit URL that followed the key in GOSUMDB, without a
	// trailing slash; empty when there was none. Like the go command, an
	// explicit URL is used as is, bypassing GOPROXY.
	url string
}

// direct is the URL to reach the database without a proxy.
func (db sumDB) direct() string {
	if db.url != "" {
		return db.url
	}
	return "https://" + db.name
}

// parseGOSUMDB reads GOSUMDB the way the go command does: "" or
// "sum.golang.org" for the default database, "sum.golang.google.cn" for the
// same database reached in mainland China, a verifier key "name+hash+key",
// each optionally followed by a space and the database's URL. "off" is an
// error: toolchain zips are always verified.
func parseGOSUMDB(s string) (sumDB, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		s = defaultSumDB
	case "off":
		return sumDB{}, errors.New(`GOSUMDB=off does not apply to Go toolchains: golang.org/toolchain zips are always checked against the checksum database (the go command refuses them too); unset GOSUMDB, or set it to a database you can reach, such as GOSUMDB="sum.golang.google.cn"`)
	case chinaSumDBAlias:
		s = defaultSumDB + " https://" + chinaSumDBAlias
	}
	f := strings.Fields(s)
	if len(f) > 2 {
		return sumDB{}, fmt.Errorf("invalid GOSUMDB %q: want a database name or verifier key, optionally followed by one URL", s)
	}
	key := f[0]
	switch key {
	case defaultSumDB:
		key = defaultSumDBKey
	case chinaSumDBAlias:
		key = defaultSumDBKey
		if len(f) == 1 {
			f = append(f, "https://"+chinaSumDBAlias)
		}
	}
	if !strings.Contains(key, "+") {
		return sumDB{}, fmt.Errorf("GOSUMDB names the checksum database %q, whose public key gvx does not know; give its verifier key instead (GOSUMDB=\"<name>+<hash>+<key> [<url>]\"), or unset GOSUMDB to use %s", key, defaultSumDB)
	}
	v, err := note.NewVerifier(key)
	if err != nil {
		return sumDB{}, fmt.Errorf("invalid GOSUMDB verifier key %q: %w", key, err)
	}
	db := sumDB{name: v.Name(), key: key}

	// No funny business in the database name: it becomes a URL path segment
	// and a directory name in the state directory.
	if !validDBName(db.name) {
		return sumDB{}, fmt.Errorf("invalid GOSUMDB: checksum database name %q must be host[/path]", db.name)
	}

	if len(f) == 2 {
		u, err := url.Parse(f[1])
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return sumDB{}, fmt.Errorf("invalid GOSUMDB URL %q: want an http or https URL such as https://%s", f[1], db.name)
		}
		db.url = strings.TrimSuffix(u.String(), "/")
	}
	return db, nil
}

// validDBName reports whether name is host[/path], as the go command
// requires of a checksum database name.
func validDBName(name string) bool {
	if name == "" || strings.HasSuffix(name, "/") || strings.Contains(name, `\`) {
		return false
	}
	u, err := url.Parse("https://" + name)
	if err != nil || u.Host == "" || u.RawPath != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return false
	}
	for _, seg := range strings.Split(u.Path, "/")[1:] {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return u.Host+u.Path == name
}

package verify

import (
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

func TestParseGOSUMDB(t *testing.T) {
	_, vkey, err := note.GenerateKey(rand.Reader, "sum.gvx.test")
	if err != nil {
		t.Fatal(err)
	}
	_, pathKey, err := note.GenerateKey(rand.Reader, "gvx.test/sumdb")
	if err != nil {
		t.Fatal(err)
	}
	_, badNameKey, err := note.GenerateKey(rand.Reader, "gvx.test/../x")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		want    sumDB
		direct  string
		errText string // non-empty: an error containing it
	}{
		{in: "", want: sumDB{name: "sum.golang.org", key: defaultSumDBKey}, direct: "https://sum.golang.org"},
		{in: "sum.golang.org", want: sumDB{name: "sum.golang.org", key: defaultSumDBKey}, direct: "https://sum.golang.org"},
		{in: "  sum.golang.org\n", want: sumDB{name: "sum.golang.org", key: defaultSumDBKey}, direct: "https://sum.golang.org"},
		{in: defaultSumDBKey, want: sumDB{name: "sum.golang.org", key: defaultSumDBKey}, direct: "https://sum.golang.org"},
		{in: "sum.golang.org https://mirror.gvx.test/sumdb/", want: sumDB{name: "sum.golang.org", key: defaultSumDBKey, url: "https://mirror.gvx.test/sumdb"}, direct: "https://mirror.gvx.test/sumdb"},
		// The mainland-China alias is the same database (same name, so
		// the same kept tree head), reached at its own host.
		{in: "sum.golang.google.cn", want: sumDB{name: "sum.golang.org", key: defaultSumDBKey, url: "https://sum.golang.google.cn"}, direct: "https://sum.golang.google.cn"},
		{in: "sum.golang.google.cn http://127.0.0.1:9", want: sumDB{name: "sum.golang.org", key: defaultSumDBKey, url: "http://127.0.0.1:9"}, direct: "http://127.0.0.1:9"},
		{in: vkey, want: sumDB{name: "sum.gvx.test", key: vkey}, direct: "https://sum.gvx.test"},
		{in: vkey + " http://127.0.0.1:8080", want: sumDB{name: "sum.gvx.test", key: vkey, url: "http://127.0.0.1:8080"}, direct: "http://127.0.0.1:8080"},
		{in: vkey + "\thttp://127.0.0.1:8080", want: sumDB{name: "sum.gvx.test", key: vkey, url: "http://127.0.0.1:8080"}, direct: "http://127.0.0.1:8080"},
		{in: pathKey, want: sumDB{name: "gvx.test/sumdb", key: pathKey}, direct: "https://gvx.test/sumdb"},

		{in: "off", errText: "always checked"},
		{in: "  off ", errText: "GOSUMDB=off"},
		{in: "sum.gvx.test", errText: `checksum database "sum.gvx.test", whose public key gvx does not know`},
		{in: "sum.gvx.test http://127.0.0.1:1", errText: "public key gvx does not know"},
		{in: "sum.golang.org+033de0ae+AAAA", errText: "invalid GOSUMDB verifier key"},
		{in: vkey + " http://127.0.0.1 extra", errText: "optionally followed by one URL"},
		{in: vkey + " 127.0.0.1:8080", errText: "invalid GOSUMDB URL"},
		{in: vkey + " ftp://gvx.test", errText: "invalid GOSUMDB URL"},
		{in: vkey + " https://", errText: "invalid GOSUMDB URL"},
		{in: badNameKey, errText: "must be host[/path]"},
	}
	for _, tt := range tests {
		got, err := parseGOSUMDB(tt.in)
		if tt.errText != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("parseGOSUMDB(%q) = %+v, %v; want an error containing %q", tt.in, got, err, tt.errText)
			}
			continue
		}
		if err != nil || got != tt.want || got.direct() != tt.direct {
			t.Errorf("parseGOSUMDB(%q) = %+v (direct %s), %v; want %+v (direct %s)", tt.in, got, got.direct(), err, tt.want, tt.direct)
		}
	}
}

func TestNewCheckerRefuses(t *testing.T) {
	tests := []struct {
		cfg     SumDBConfig
		errText string
	}{
		{SumDBConfig{GOSUMDB: "off", StateDir: t.TempDir()}, "GOSUMDB=off does not apply to Go toolchains"},
		{SumDBConfig{GOSUMDB: "", StateDir: ""}, "no state directory"},
		{SumDBConfig{StateDir: t.TempDir(), Proxies: []Proxy{{URL: ""}}}, "empty GOPROXY entry"},
	}
	for _, tt := range tests {
		c, err := NewChecker(tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.errText) {
			t.Errorf("NewChecker(%+v) = %v, %v; want an error containing %q", tt.cfg, c, err, tt.errText)
		}
	}
	c, err := NewChecker(SumDBConfig{StateDir: t.TempDir()})
	if err != nil || c.Database() != defaultSumDB {
		t.Errorf("NewChecker(default) = %v, %v; want a Checker for %s", c, err, defaultSumDB)
	}
}

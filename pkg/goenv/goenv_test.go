package goenv

import (
	"os"
	"path/filepath"
	"testing"
)

func envFunc(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEnvFile(t *testing.T) {
	tests := []struct {
		goos string
		env  []string
		want string
	}{
		{"linux", []string{"HOME", "/h"}, "/h/.config/go/env"},
		{"linux", []string{"HOME", "/h", "XDG_CONFIG_HOME", "/x"}, "/x/go/env"},
		{"linux", []string{"HOME", "/h", "XDG_CONFIG_HOME", "rel"}, ""}, // os.UserConfigDir refuses it
		{"linux", nil, ""},
		{"darwin", []string{"HOME", "/Users/a", "XDG_CONFIG_HOME", "/x"}, "/Users/a/Library/Application Support/go/env"},
		{"windows", []string{"AppData", `C:\Users\a\AppData\Roaming`}, filepath.Join(`C:\Users\a\AppData\Roaming`, "go", "env")},
		{"plan9", []string{"home", "/usr/a"}, "/usr/a/lib/go/env"},
		{"linux", []string{"HOME", "/h", "GOENV", "/etc/goenv"}, "/etc/goenv"},
		{"linux", []string{"HOME", "/h", "GOENV", "off"}, ""},
	}
	for _, tt := range tests {
		if got := envFile(envFunc(tt.env...), tt.goos); got != filepath.FromSlash(tt.want) && got != tt.want {
			t.Errorf("envFile(%v, %s) = %q, want %q", tt.env, tt.goos, got, tt.want)
		}
	}
}

func TestParseEnvFile(t *testing.T) {
	// The go command's readEnvFile: KEY=VALUE, key starting with A-Z,
	// value untrimmed, last one wins, anything else skipped.
	got := parseEnvFile([]byte("# comment\nGOTOOLCHAIN=auto\n\nGOPROXY=https://a|https://b\nlower=x\n=novalue\nNOEQUALS\nGOTOOLCHAIN=local\nGOFLAGS= -mod=mod \nGOSUMDB=k u"))
	want := map[string]string{"GOTOOLCHAIN": "local", "GOPROXY": "https://a|https://b", "GOFLAGS": " -mod=mod ", "GOSUMDB": "k u"}
	if len(got) != len(want) {
		t.Errorf("ParseEnvFile = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("ParseEnvFile[%s] = %q, want %q", k, got[k], v)
		}
	}
}

func TestSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	root := filepath.Join(dir, "root")
	user := filepath.Join(home, ".config", "go", "env")
	write(t, user, "GOTOOLCHAIN=local\nGOPROXY=https://user.example\n")
	write(t, filepath.Join(root, "go.env"), "GOTOOLCHAIN=auto\nGOPROXY=https://root.example\nGOSUMDB=root-sumdb\nGOFLAGS=-mod=mod\n")

	s := &Settings{Getenv: envFunc("HOME", home, "GOFLAGS", "-v"), GOOS: "linux", GOROOT: root}
	for _, tt := range []struct{ key, value, source string }{
		{"GOFLAGS", "-v", FromEnvironment},
		{"GOTOOLCHAIN", "local", user},
		{"GOPROXY", "https://user.example", user},
		{"GOSUMDB", "root-sumdb", filepath.Join(root, "go.env")},
		{"GONOSUMDB", "", FromNowhere},
	} {
		if v, src := s.Get(tt.key); v != tt.value || src != tt.source {
			t.Errorf("Get(%s) = %q from %q, want %q from %q", tt.key, v, src, tt.value, tt.source)
		}
	}

	// An empty environment variable counts as unset, as in cmd/go/internal/cfg.
	s = &Settings{Getenv: envFunc("HOME", home, "GOTOOLCHAIN", ""), GOOS: "linux", GOROOT: root}
	if v, _ := s.Get("GOTOOLCHAIN"); v != "local" {
		t.Errorf("Get(GOTOOLCHAIN) with it empty in the environment = %q, want the env file's local", v)
	}
	// GOENV=off: the user file is not read.
	s = &Settings{Getenv: envFunc("HOME", home, "GOENV", "off"), GOOS: "linux", GOROOT: root}
	if v, src := s.Get("GOTOOLCHAIN"); v != "auto" || src != filepath.Join(root, "go.env") {
		t.Errorf("Get(GOTOOLCHAIN) with GOENV=off = %q from %q, want auto from go.env", v, src)
	}
	// A directory or a missing file where a file should be: no settings.
	if err := os.MkdirAll(filepath.Join(dir, "adir", "go.env"), 0o755); err != nil {
		t.Fatal(err)
	}
	s = &Settings{Getenv: envFunc("GOENV", filepath.Join(dir, "missing")), GOROOT: filepath.Join(dir, "adir")}
	if v, src := s.Get("GOTOOLCHAIN"); v != "" || src != FromNowhere {
		t.Errorf("Get(GOTOOLCHAIN) with no files = %q from %q, want nothing", v, src)
	}
}

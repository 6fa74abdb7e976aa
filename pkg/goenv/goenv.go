// Package goenv is gvx's one authority on the go command's own settings:
// where a setting such as GOTOOLCHAIN, GOPROXY, GOSUMDB or GOMODCACHE comes
// from (the environment, Go's user env file that 'go env -w' writes, the
// selected root's go.env), what GOTOOLCHAIN means and what the go command
// will do with it in a module (see Decide), and which go on PATH is not
// gvx's (see SystemGo).
//
// The shim asks it on every go call, so it imports only the standard
// library and gvx's goversion and layout packages, and reads at most two
// small files per setting lookup. The rules follow the go command's source:
// cmd/go/internal/cfg (EnvFile, readEnvFile, Getenv) and
// cmd/go/internal/toolchain (Select, Exec).
package goenv

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// maxEnvFile bounds what is read of Go's env file or a go.env; real ones hold
// a few lines.
const maxEnvFile = 1 << 20

// Where a setting came from, besides the path of a file.
const (
	FromEnvironment = "environment"
	FromNowhere     = ""
)

// Settings looks up go command settings the way the go command does
// (cmd/go/internal/cfg.Getenv): a non-empty environment variable wins; else
// the last assignment in Go's user env file ($GOENV, else go/env in the user
// config directory); else the last assignment in $GOROOT/go.env of the
// toolchain that runs. Files are read once, on first need.
type Settings struct {
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// GOOS decides where the user config directory is; "" means runtime.GOOS.
	GOOS string
	// GOROOT is the root of the toolchain that will run; its go.env is the
	// last fallback. "" means none.
	GOROOT string

	loaded     bool
	user, root map[string]string
	userFile   string
}

// Get returns the value of key and where it came from: FromEnvironment,
// the path of the file that set it, or FromNowhere when nothing sets it.
func (s *Settings) Get(key string) (value, source string) {
	if v := s.getenv(key); v != "" {
		return v, FromEnvironment
	}
	s.load()
	if v, ok := s.user[key]; ok {
		return v, s.userFile
	}
	if v, ok := s.root[key]; ok {
		return v, filepath.Join(s.GOROOT, "go.env")
	}
	return "", FromNowhere
}

// Value returns the value of key, "" when nothing sets it.
func (s *Settings) Value(key string) string {
	v, _ := s.Get(key)
	return v
}

func (s *Settings) getenv(key string) string {
	if s.Getenv == nil {
		return os.Getenv(key)
	}
	return s.Getenv(key)
}

func (s *Settings) load() {
	if s.loaded {
		return
	}
	s.loaded = true
	s.userFile = envFile(s.getenv, s.GOOS)
	if s.userFile != "" {
		s.user = readEnvFile(s.userFile)
	}
	if s.GOROOT != "" {
		s.root = readEnvFile(filepath.Join(s.GOROOT, "go.env"))
	}
}

// envFile returns the path of Go's user env file, the one 'go env -w'
// writes: $GOENV, else go/env in os.UserConfigDir's directory for goos. It
// returns "" for GOENV=off or when there is no config directory (as the go
// command then reads none).
func envFile(getenv func(string) string, goos string) string {
	if goos == "" {
		goos = runtime.GOOS
	}
	if f := getenv("GOENV"); f != "" {
		if f == "off" {
			return ""
		}
		return f
	}
	var dir string
	switch goos {
	case "windows":
		dir = getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			dir = h + "/Library/Application Support"
		}
	case "plan9":
		if h := getenv("home"); h != "" {
			dir = h + "/lib"
		}
	default:
		dir = getenv("XDG_CONFIG_HOME")
		switch {
		case dir == "":
			if h := getenv("HOME"); h != "" {
				dir = h + "/.config"
			}
		case !filepath.IsAbs(dir):
			dir = "" // os.UserConfigDir refuses a relative XDG_CONFIG_HOME
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// readEnvFile reads a file of KEY=VALUE lines as the go command does: a
// line counts when it has an '=' and starts with an upper-case letter; the
// value is everything after the first '=', untrimmed; the last assignment
// wins. A missing or unreadable file has no settings.
func readEnvFile(path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, maxEnvFile))
	if err != nil {
		return nil
	}
	return parseEnvFile(data)
}

// parseEnvFile parses the content of Go's env file or a go.env (see
// readEnvFile for the rules).
func parseEnvFile(data []byte) map[string]string {
	m := map[string]string{}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		i := bytes.IndexByte(line, '=')
		if i < 0 || line[0] < 'A' || 'Z' < line[0] {
			continue // no '=', a comment, or not a variable name
		}
		m[string(line[:i])] = string(line[i+1:])
	}
	return m
}

package goenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestModCache(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	root := filepath.Join(dir, "root")
	userFile := filepath.Join(dir, "user.env")
	sep := string(filepath.ListSeparator)
	tests := []struct {
		name   string
		env    map[string]string
		user   string // content of Go's env file ($GOENV)
		goenv  string // content of $GOROOT/go.env
		goroot string // default root
		want   string
	}{
		{name: "default", env: map[string]string{"HOME": home}, want: filepath.Join(home, "go", "pkg", "mod")},
		{name: "no home", want: ""},
		{name: "GOMODCACHE from the environment", env: map[string]string{"HOME": home, "GOMODCACHE": "/m/c"}, want: "/m/c"},
		{name: "GOMODCACHE cleaned", env: map[string]string{"GOMODCACHE": "/m/c/"}, want: "/m/c"},
		{name: "relative GOMODCACHE is refused", env: map[string]string{"HOME": home, "GOMODCACHE": "m/c"}, want: ""},
		{name: "GOMODCACHE from the env file", env: map[string]string{"HOME": home}, user: "GOMODCACHE=/u/mod\n", want: "/u/mod"},
		{name: "GOMODCACHE from go.env", env: map[string]string{"HOME": home}, goenv: "GOMODCACHE=/r/mod\n", want: "/r/mod"},
		{name: "environment beats the env file", env: map[string]string{"GOMODCACHE": "/e/mod"}, user: "GOMODCACHE=/u/mod\n", want: "/e/mod"},
		{name: "env file beats go.env", user: "GOMODCACHE=/u/mod\n", goenv: "GOMODCACHE=/r/mod\n", want: "/u/mod"},
		{name: "GOPATH from the environment", env: map[string]string{"HOME": home, "GOPATH": "/gp"}, want: "/gp/pkg/mod"},
		{name: "first GOPATH entry", env: map[string]string{"GOPATH": "/a" + sep + "/b"}, want: "/a/pkg/mod"},
		{name: "empty first GOPATH entry", env: map[string]string{"GOPATH": sep + "/b"}, want: ""},
		{name: "relative GOPATH entry is refused", env: map[string]string{"GOPATH": "/a" + sep + "rel"}, want: ""},
		{name: "GOPATH entry with ~", env: map[string]string{"GOPATH": "~/go"}, want: ""},
		{name: "GOPATH from the env file", env: map[string]string{"HOME": home}, user: "GOPATH=/u/gp\n", want: "/u/gp/pkg/mod"},
		{name: "GOPATH from go.env", env: map[string]string{"HOME": home}, goenv: "GOPATH=/r/gp\n", want: "/r/gp/pkg/mod"},
		{name: "GOMODCACHE beats GOPATH", env: map[string]string{"GOPATH": "/gp"}, user: "GOMODCACHE=/u/mod\n", want: "/u/mod"},
		{name: "relative home is not inferred", env: map[string]string{"HOME": "rel"}, want: ""},
		{name: "home/go is the GOROOT", env: map[string]string{"HOME": home}, goroot: filepath.Join(home, "go"), want: ""},
		{name: "GOPATH set to the GOROOT only warns", env: map[string]string{"GOPATH": root}, goroot: root, want: filepath.Join(root, "pkg", "mod")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"GOENV": userFile}
			for k, v := range tt.env {
				env[k] = v
			}
			writeOrRemove(t, userFile, tt.user)
			writeOrRemove(t, filepath.Join(root, "go.env"), tt.goenv)
			goroot := root
			if tt.goroot != "" {
				goroot = tt.goroot
			}
			s := &Settings{Getenv: func(k string) string { return env[k] }, GOOS: "linux", GOROOT: goroot}
			if got := ModCache(s); got != filepath.FromSlash(tt.want) {
				t.Errorf("ModCache(%v, env file %q, go.env %q) = %q, want %q", tt.env, tt.user, tt.goenv, got, tt.want)
			}
		})
	}
}

func TestGOPATHHomeByOS(t *testing.T) {
	env := map[string]string{"HOME": "/h", "USERPROFILE": "/w", "home": "/p"}
	for goos, want := range map[string]string{"linux": "/h/go", "darwin": "/h/go", "windows": "/w/go", "plan9": "/p/go"} {
		s := &Settings{Getenv: func(k string) string { return env[k] }, GOOS: goos}
		if got := goPath(s); got != filepath.FromSlash(want) {
			t.Errorf("GOPATH on %s = %q, want %q", goos, got, want)
		}
	}
}

func writeOrRemove(t *testing.T, path, data string) {
	t.Helper()
	if data == "" {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.TrimSpace(data)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

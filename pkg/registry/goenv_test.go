//go:build unix

package registry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// fakeGo writes an executable "go" into dir that prints proxy and sumdb for
// 'go env GOPROXY GOSUMDB', and records GOTOOLCHAIN and GOROOT in dir/seen.
func fakeGo(t *testing.T, dir, proxy, sumdb string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "go")
	script := "#!/bin/sh\n" +
		"[ \"$1 $2 $3\" = \"env GOPROXY GOSUMDB\" ] || exit 9\n" +
		"echo \"GOTOOLCHAIN=$GOTOOLCHAIN GOROOT=$GOROOT\" > '" + filepath.Join(dir, "seen") + "'\n" +
		"echo '" + proxy + "'\necho '" + sumdb + "'\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func seen(t *testing.T, dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, "seen"))
	return strings.TrimSpace(string(b))
}

func TestGoEnv(t *testing.T) {
	root := t.TempDir()
	dirs := layout.Dirs{Home: filepath.Join(root, "gvx")}
	noEnv := func(string) string { return "" }
	environ := []string{"GOTOOLCHAIN=auto", "GOROOT=/stale", "PATH=/usr/bin"}

	// The shims directory comes first on PATH and holds a go that must not be asked.
	shimGo := fakeGo(t, dirs.Shims(), "http://shim.invalid", "shim")
	// A directory outside gvx whose go links to gvx's libexec shim binary.
	libexecGo := fakeGo(t, dirs.Libexec(), "http://libexec.invalid", "libexec")
	linked := filepath.Join(root, "linked")
	os.MkdirAll(linked, 0o755)
	if err := os.Symlink(libexecGo, filepath.Join(linked, "go")); err != nil {
		t.Fatal(err)
	}
	// A symlinked view of the shims directory.
	shimView := filepath.Join(root, "shimview")
	if err := os.Symlink(dirs.Shims(), shimView); err != nil {
		t.Fatal(err)
	}
	system := filepath.Join(root, "system", "bin")
	fakeGo(t, system, "http://system.invalid", "sum.test")
	empty := filepath.Join(root, "empty")
	os.MkdirAll(empty, 0o755)

	path := strings.Join([]string{dirs.Shims(), shimView, "relative/bin", empty, linked, system}, string(os.PathListSeparator))
	p, s, err := GoEnv(GoEnvOptions{Getenv: noEnv, PATH: path, Dirs: dirs, Environ: environ})
	if err != nil || p != "http://system.invalid" || s != "sum.test" {
		t.Fatalf("GoEnv = %q, %q, %v; want the system go's answer", p, s, err)
	}
	if got := seen(t, system); got != "GOTOOLCHAIN=local GOROOT=/stale" {
		t.Errorf("system go ran with %q; want GOTOOLCHAIN=local", got)
	}
	if seen(t, dirs.Shims()) != "" || seen(t, dirs.Libexec()) != "" {
		t.Errorf("a gvx shim was asked (%s)", shimGo)
	}

	// The environment wins, per variable.
	env := map[string]string{"GOPROXY": "http://env.invalid", "GOSUMDB": "env-sumdb"}
	p, s, err = GoEnv(GoEnvOptions{Getenv: func(k string) string { return env[k] }, PATH: path, Dirs: dirs})
	if err != nil || p != "http://env.invalid" || s != "env-sumdb" {
		t.Errorf("GoEnv with both in the environment = %q, %q, %v", p, s, err)
	}
	delete(env, "GOSUMDB")
	p, s, err = GoEnv(GoEnvOptions{Getenv: func(k string) string { return env[k] }, PATH: path, Dirs: dirs, Environ: environ})
	if err != nil || p != "http://env.invalid" || s != "sum.test" {
		t.Errorf("GoEnv with GOPROXY in the environment = %q, %q, %v; want GOSUMDB from go env", p, s, err)
	}

	// No go on PATH but shims: the newest installed gvx version answers.
	for _, v := range []string{"1.21.13", "1.22.6", "1.9.7"} {
		fakeGo(t, filepath.Join(dirs.Version(v), "bin"), "http://v"+v+".invalid", "sum-"+v)
	}
	os.MkdirAll(filepath.Join(dirs.Versions(), "not-a-version", "bin"), 0o755)
	p, s, err = GoEnv(GoEnvOptions{Getenv: noEnv, PATH: dirs.Shims(), Dirs: dirs, Environ: environ})
	if err != nil || p != "http://v1.22.6.invalid" || s != "sum-1.22.6" {
		t.Errorf("GoEnv from installed versions = %q, %q, %v; want 1.22.6's", p, s, err)
	}
	if got := seen(t, filepath.Join(dirs.Version("1.22.6"), "bin")); got != "GOTOOLCHAIN=local GOROOT="+dirs.Version("1.22.6") {
		t.Errorf("installed go ran with %q", got)
	}
}

func TestGoEnvNothingAnswers(t *testing.T) {
	root := t.TempDir()
	broken := filepath.Join(root, "bin")
	os.MkdirAll(broken, 0o755)
	os.WriteFile(filepath.Join(broken, "go"), []byte("#!/bin/sh\necho 'go: cannot find GOROOT' >&2\nexit 2\n"), 0o755)
	_, _, err := GoEnv(GoEnvOptions{Getenv: func(string) string { return "" }, PATH: broken, Dirs: layout.Dirs{Home: filepath.Join(root, "gvx")}})
	if err == nil || !strings.Contains(err.Error(), "set GOPROXY") || !strings.Contains(err.Error(), "cannot find GOROOT") {
		t.Errorf("GoEnv = %v; want an error that shows the go's complaint and says to set GOPROXY", err)
	}
	_, _, err = GoEnv(GoEnvOptions{Getenv: func(string) string { return "" }, PATH: "", Dirs: layout.Dirs{}})
	if err == nil || !strings.Contains(err.Error(), "set GOPROXY") {
		t.Errorf("GoEnv with nothing = %v; want the set-GOPROXY error", err)
	}
}

func TestGoEnvTimeout(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go"), []byte("#!/bin/sh\nexec sleep 60\n"), 0o755)
	_, _, err := GoEnv(GoEnvOptions{Getenv: func(string) string { return "" }, PATH: dir, Timeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no answer within 100ms") {
		t.Errorf("GoEnv with a hanging go = %v; want the timeout named", err)
	}
}

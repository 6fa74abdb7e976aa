package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/internal/fake"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// now is the fake clock of every test.
var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is a gvx home, a working directory and an Env whose every seam
// is a fake the test can change.
type fixture struct {
	t    *testing.T
	root string
	dirs layout.Dirs
	cwd  string
	vars map[string]string
	// runs answers Run by "base-name args..."; unset keys fail.
	runs   map[string]func(environ []string) (string, error)
	env    *Env
	sysctl map[string]uint32
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{
		t:      t,
		root:   root,
		dirs:   layout.Dirs{Home: filepath.Join(root, "gvx")},
		cwd:    filepath.Join(root, "src", "app"),
		vars:   map[string]string{"HOME": filepath.Join(root, "home")},
		runs:   map[string]func([]string) (string, error){},
		sysctl: map[string]uint32{},
	}
	for _, d := range []string{f.cwd, f.vars["HOME"], f.dirs.Home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// bin/go version answers with the version its GOROOT names.
	f.runs["go version"] = func(environ []string) (string, error) {
		for _, kv := range environ {
			if root, ok := strings.CutPrefix(kv, "GOROOT="); ok {
				return fmt.Sprintf("go version go%s linux/amd64\n", filepath.Base(root)), nil
			}
		}
		return "", fmt.Errorf("no GOROOT")
	}
	f.env = &Env{
		Dirs:   f.dirs,
		Cwd:    f.cwd,
		GOOS:   "linux",
		GOARCH: "amd64",
		Getenv: func(k string) string { return f.vars[k] },
		Sysctl: func(name string) (uint32, error) {
			v, ok := f.sysctl[name]
			if !ok {
				return 0, fmt.Errorf("sysctl %s: %w", name, fs.ErrNotExist)
			}
			return v, nil
		},
		ShellTranslated: func() (bool, error) { return false, nil },
		Run: func(ctx context.Context, environ []string, name string, args ...string) (string, error) {
			key := strings.Join(append([]string{filepath.Base(name)}, args...), " ")
			if r, ok := f.runs[key]; ok {
				return r(environ)
			}
			return "", fmt.Errorf("%s: executable file not found in $PATH", name)
		},
		Now:     func() time.Time { return now },
		Offline: true,
	}
	return f
}

// mkdir makes a directory under the fixture's root and returns its path.
func (f *fixture) mkdir(rel string) string {
	f.t.Helper()
	p := filepath.Join(f.root, rel)
	if err := os.MkdirAll(p, 0o755); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) write(path, body string, mode os.FileMode) {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		f.t.Fatal(err)
	}
}

// install makes a complete fake installed version with its receipt.
func (f *fixture) install(version, goos, goarch string) string {
	f.t.Helper()
	root := f.dirs.Version(version)
	for _, file := range fake.GOROOT(version, goos, goarch) {
		f.write(filepath.Join(root, filepath.FromSlash(file.Name)), file.Body, file.Mode)
	}
	rec, err := json.Marshal(install.Receipt{Version: version, OS: goos, Arch: goarch, Source: "dl"})
	if err != nil {
		f.t.Fatal(err)
	}
	f.write(f.dirs.Receipt(version), string(rec), 0o644)
	return root
}

// goOnPath puts an executable go script in dir.
func (f *fixture) goOnPath(dir string) string {
	p := filepath.Join(dir, "go")
	f.write(p, "#!/bin/sh\necho go\n", 0o755)
	return p
}

func (f *fixture) setPath(dirs ...string) {
	f.vars["PATH"] = strings.Join(dirs, string(os.PathListSeparator))
}

// check runs every check and returns the results whose ID is id.
func (f *fixture) check(id string) []Result {
	f.t.Helper()
	var out []Result
	for _, r := range Check(context.Background(), f.env) {
		if r.ID == id {
			out = append(out, r)
		}
	}
	return out
}

// one runs the checks and wants exactly one result with id, of status want,
// whose message holds every one of msgs.
func (f *fixture) one(id string, want Status, msgs ...string) Result {
	f.t.Helper()
	rs := f.check(id)
	if len(rs) != 1 {
		f.t.Fatalf("check %s: %d results, want 1: %+v", id, len(rs), rs)
	}
	r := rs[0]
	if r.Status != want {
		f.t.Fatalf("check %s: status %s, want %s (%s; fix %q)", id, r.Status, want, r.Message, r.Fix)
	}
	for _, m := range msgs {
		if !strings.Contains(r.Message, m) {
			f.t.Errorf("check %s: message %q does not hold %q", id, r.Message, m)
		}
	}
	return r
}

func wantFix(t *testing.T, r Result, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Fix, p) {
			t.Errorf("%s: fix %q does not hold %q", r.ID, r.Fix, p)
		}
	}
}

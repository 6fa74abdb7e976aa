package doctor

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"

	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func TestVersions(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		f := newFixture(t)
		f.one("store.versions", OK, "no Go versions installed")
	})
	t.Run("complete", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.998.0", "linux", "amd64")
		f.install("1.999.0", "linux", "amd64")
		f.one("store.versions", OK, "go1.998.0, go1.999.0")
	})
	t.Run("problems", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.997.0", "linux", "amd64")
		f.install("1.998.0", "linux", "amd64")
		noReceipt := f.install("1.999.0", "linux", "amd64")
		os.Remove(filepath.Join(noReceipt, ".gvx-receipt.json"))
		f.mkdir("gvx/versions/backup")
		f.runs["go version"] = func(environ []string) (string, error) {
			if slices.Contains(environ, "GOROOT="+f.dirs.Version("1.998.0")) {
				return "go version go1.21.0 linux/amd64\n", nil
			}
			return "", errors.New("exec format error")
		}
		rs := f.check("store.versions")
		want := []struct {
			status Status
			msg    string
		}{
			{Fail, "exec format error"},
			{Fail, "says go1.21.0, not go1.998.0"},
			{Fail, "has no receipt"},
			{Warn, "is not an installed Go version"},
		}
		if len(rs) != len(want) {
			t.Fatalf("%d results, want %d: %+v", len(rs), len(want), rs)
		}
		for i, w := range want {
			if rs[i].Status != w.status || !contains(rs[i].Message, w.msg) {
				t.Errorf("result %d = %s %q, want %s %q", i, rs[i].Status, rs[i].Message, w.status, w.msg)
			}
		}
		wantFix(t, rs[2], "gvx uninstall 1.999.0 && gvx install 1.999.0")
	})
	t.Run("odd output", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		f.runs["go version"] = func([]string) (string, error) { return "hello\n", nil }
		f.one("store.versions", Fail, `printed "hello"`)
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// shimBinary writes a stand-in for the shim binary.
func (f *fixture) shimBinary() string {
	p := filepath.Join(f.root, "gvx-shim")
	f.write(p, "#!/bin/sh\n", 0o755)
	return p
}

func TestShims(t *testing.T) {
	t.Run("nothing installed", func(t *testing.T) {
		f := newFixture(t)
		f.one("store.shims", OK, "nothing is installed")
	})
	t.Run("in step", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		if err := shim.InstallShims(f.dirs, f.shimBinary(), []string{"1.999.0"}); err != nil {
			t.Fatal(err)
		}
		f.one("store.shims", OK, "match the 1 installed versions")
	})
	t.Run("missing", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.998.0", "linux", "amd64")
		f.install("1.999.0", "linux", "amd64")
		if err := shim.InstallShims(f.dirs, f.shimBinary(), []string{"1.998.0"}); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(f.dirs.Shims(), "gofmt"))
		r := f.one("store.shims", Warn, "go1.999.0, gofmt")
		if r.Action == nil || r.Action.Kind != SyncShims {
			t.Errorf("action %+v, want SyncShims", r.Action)
		}
	})
	t.Run("dangling", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		if err := shim.InstallShims(f.dirs, f.shimBinary(), []string{"1.999.0"}); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(f.dirs.Libexec(), shim.ShimBinary))
		f.one("store.shims", Warn, "go, go1.999.0, gofmt")
	})
	t.Run("stray", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		if err := shim.InstallShims(f.dirs, f.shimBinary(), []string{"1.998.0", "1.999.0"}); err != nil {
			t.Fatal(err)
		}
		r := f.one("store.shims", Warn, "not installed", "go1.998.0")
		wantFix(t, r, "gvx doctor --fix")
	})
}

// stage makes a staging directory as an install of version would, aged age.
func (f *fixture) stage(version string, age time.Duration) string {
	f.t.Helper()
	p := filepath.Join(f.dirs.Staging(), version+layout.StagingSep+"123")
	f.write(filepath.Join(p, "go", "VERSION"), "go"+version, 0o644)
	if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func TestStaging(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		f := newFixture(t)
		f.one("store.staging", OK, "no leftovers")
	})
	t.Run("young is live", func(t *testing.T) {
		f := newFixture(t)
		f.stage("1.999.0", time.Minute)
		f.one("store.staging", OK)
	})
	t.Run("stale", func(t *testing.T) {
		f := newFixture(t)
		old := f.stage("1.999.0", 2*time.Hour)
		f.stage("1.998.0", time.Minute)
		r := f.one("store.staging", Warn, "1 leftovers of interrupted installs")
		if r.Action == nil || r.Action.Kind != RemoveStaging || !slices.Equal(r.Action.Paths, []string{old}) {
			t.Fatalf("action %+v, want RemoveStaging of %s", r.Action, old)
		}
		if err := install.RemoveStaging(f.dirs, r.Action.Paths); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Errorf("%s is still there after RemoveStaging: %v", old, err)
		}
		f.one("store.staging", OK)
	})
	t.Run("held for over an hour", func(t *testing.T) {
		f := newFixture(t)
		p := f.stage("1.999.0", 2*time.Hour)
		f.mkdir("gvx/locks")
		unlock, err := lockedfile.MutexAt(filepath.Join(f.dirs.Locks(), "1.999.0.lock")).Lock()
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		rs := f.check("store.locks")
		if len(rs) != 1 || rs[0].Status != Warn || !contains(rs[0].Message, "held its lock for over an hour ("+p+")") {
			t.Fatalf("store.locks = %+v, want a warning about the hanging install", rs)
		}
		if rs := f.check("store.staging"); len(rs) != 0 {
			t.Errorf("a held staging directory was offered for removal: %+v", rs)
		}
	})
	t.Run("unheld old lock file is normal", func(t *testing.T) {
		f := newFixture(t)
		f.write(filepath.Join(f.dirs.Locks(), "1.999.0.lock"), "", 0o644)
		if rs := f.check("store.locks"); len(rs) != 0 {
			t.Errorf("store.locks = %+v, want nothing", rs)
		}
	})
}

func TestRemoveStagingRefusesOutside(t *testing.T) {
	f := newFixture(t)
	keep := f.mkdir("keep")
	if err := install.RemoveStaging(f.dirs, []string{keep}); err == nil {
		t.Fatalf("RemoveStaging(%s) = nil, want a refusal", keep)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("RemoveStaging removed %s: %v", keep, err)
	}
}

func TestGlobal(t *testing.T) {
	t.Run("unset", func(t *testing.T) {
		f := newFixture(t)
		f.one("store.global", OK, "no global default")
	})
	t.Run("installed", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		f.write(f.dirs.Global(), "1.999\n", 0o644)
		f.one("store.global", OK, "go1.999.0 is installed")
	})
	t.Run("not installed", func(t *testing.T) {
		f := newFixture(t)
		f.write(f.dirs.Global(), "1.998.1\n", 0o644)
		r := f.one("store.global", Fail, "the global default 1.998.1", "is not installed")
		wantFix(t, r, "gvx install 1.998.1")
	})
	t.Run("broken", func(t *testing.T) {
		f := newFixture(t)
		f.write(f.dirs.Global(), "banana\n", 0o644)
		f.one("store.global", Fail, f.dirs.Global())
	})
	t.Run("system", func(t *testing.T) {
		f := newFixture(t)
		bin := f.mkdir("usr/bin")
		gobin := f.goOnPath(bin)
		f.setPath(bin)
		f.write(f.dirs.Global(), "system\n", 0o644)
		f.one("store.global", OK, "system ("+gobin+")")
	})
}

func TestFailed(t *testing.T) {
	if Failed([]Result{{Status: OK}, {Status: Warn}}) {
		t.Errorf("Failed(ok, warn) = true")
	}
	if !Failed([]Result{{Status: OK}, {Status: Fail}}) {
		t.Errorf("Failed(ok, fail) = false")
	}
}

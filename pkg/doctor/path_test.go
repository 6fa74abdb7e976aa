package doctor

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

func TestSelection(t *testing.T) {
	t.Run("installed", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		f.write(f.dirs.Global(), "1.999.0\n", 0o644)
		f.one("selection", OK, "go1.999.0 selected by "+f.dirs.Global())
	})
	t.Run("not installed", func(t *testing.T) {
		f := newFixture(t)
		f.write(filepath.Join(f.cwd, ".go-version"), "1.998.1\n", 0o644)
		r := f.one("selection", Fail, "go1.998.1 is not installed")
		wantFix(t, r, "gvx install 1.998.1")
	})
	t.Run("nothing selects", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.997.0", "linux", "amd64")
		r := f.one("selection", Warn, "no Go version is selected in "+f.cwd)
		wantFix(t, r, "gvx use --global 1.997.0")
	})
	t.Run("broken file", func(t *testing.T) {
		f := newFixture(t)
		f.write(filepath.Join(f.cwd, ".go-version"), "<<<<<<< HEAD\n1.22.6\n", 0o644)
		r := f.one("selection", Fail, "merge conflict")
		wantFix(t, r, "correct or remove "+filepath.Join(f.cwd, ".go-version"))
	})
}

func TestShimsOnPath(t *testing.T) {
	t.Run("first", func(t *testing.T) {
		f := newFixture(t)
		brew := f.mkdir("opt/homebrew/bin")
		f.goOnPath(brew)
		f.setPath(f.dirs.Shims(), brew)
		f.one("path.shims", OK, "come first on PATH")
	})
	t.Run("shadowed", func(t *testing.T) {
		f := newFixture(t)
		brew := f.mkdir("opt/homebrew/bin")
		other := f.goOnPath(brew)
		f.setPath("/nonexistent", brew, f.dirs.Shims())
		r := f.one("path.shims", Fail, other+" comes before gvx's shims")
		wantFix(t, r, `export PATH="`+f.dirs.Shims()+`:$PATH"`, "after whatever puts "+brew+" on PATH", filepath.Join(f.vars["HOME"], ".bashrc"))
	})
	t.Run("missing", func(t *testing.T) {
		f := newFixture(t)
		local := f.mkdir("usr/local/bin")
		other := f.goOnPath(local)
		f.setPath(local)
		r := f.one("path.shims", Fail, "is not on PATH", "go runs "+other)
		wantFix(t, r, `export PATH="`+f.dirs.Shims()+`:$PATH"`, "gvx setup")
	})
	t.Run("fish", func(t *testing.T) {
		f := newFixture(t)
		f.vars["SHELL"] = "/usr/bin/fish"
		f.setPath("/usr/bin")
		r := f.one("path.shims", Fail)
		wantFix(t, r, "fish_add_path --move --prepend "+f.dirs.Shims())
	})
	t.Run("a link to a shim earlier is not a shadow", func(t *testing.T) {
		f := newFixture(t)
		f.write(filepath.Join(f.dirs.Shims(), "go"), "#!/bin/sh\n", 0o755)
		bin := f.mkdir("bin")
		if err := os.Symlink(filepath.Join(f.dirs.Shims(), "go"), filepath.Join(bin, "go")); err != nil {
			t.Fatal(err)
		}
		f.setPath(bin, f.dirs.Shims())
		f.one("path.shims", OK)
	})
	t.Run("not executable is not a go", func(t *testing.T) {
		f := newFixture(t)
		bin := f.mkdir("bin")
		f.write(filepath.Join(bin, "go"), "data", 0o644)
		f.setPath(bin, f.dirs.Shims())
		f.one("path.shims", OK)
	})
}

func TestShell(t *testing.T) {
	t.Run("GVX_SHELL", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GVX_SHELL"] = "zsh"
		f.one("shell", OK, "GVX_SHELL=zsh")
	})
	t.Run("no shell to ask: block in zshrc", func(t *testing.T) {
		f := newFixture(t)
		f.vars["SHELL"] = "zsh"
		zdot := f.mkdir("zdot")
		f.vars["ZDOTDIR"] = zdot
		f.write(filepath.Join(zdot, ".zshrc"), "# >>> gvx >>>\neval \"$(gvx init zsh)\"\n# <<< gvx <<<\n", 0o644)
		f.one("shell", OK, filepath.Join(zdot, ".zshrc"))
	})
	t.Run("shell cannot start: block in fish config", func(t *testing.T) {
		f := newFixture(t)
		f.vars["SHELL"] = "/usr/bin/fish"
		f.write(filepath.Join(f.vars["HOME"], ".config", "fish", "config.fish"), "# >>> gvx >>>\n", 0o644)
		f.one("shell", Warn, "cannot start a login shell", "config.fish")
	})
	t.Run("none", func(t *testing.T) {
		f := newFixture(t)
		f.write(filepath.Join(f.vars["HOME"], ".bashrc"), "alias ll='ls -l'\n", 0o644)
		r := f.one("shell", Warn, "no gvx shell integration")
		wantFix(t, r, "gvx setup", filepath.Join(f.vars["HOME"], ".bashrc"))
	})
	const probe, probe2 = "zsh -l -i -c command -v go", "zsh -l -c command -v go"
	loginShell := func(t *testing.T, answer func() (string, error)) *fixture {
		f := newFixture(t)
		f.vars["SHELL"] = "/bin/zsh"
		f.vars["PATH"] = "/somewhere/else"
		f.write(filepath.Join(f.vars["HOME"], ".zshrc"), "# >>> gvx >>>\n# <<< gvx <<<\n", 0o644)
		f.runs[probe] = func(environ []string) (string, error) {
			if !slices.Contains(environ, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") || !slices.Contains(environ, "HOME="+f.vars["HOME"]) {
				t.Errorf("login shell environment %q: want the system's PATH and HOME", environ)
			}
			return answer()
		}
		f.runs[probe2] = func([]string) (string, error) { return filepath.Join(f.dirs.Shims(), "go"), nil }
		return f
	}
	t.Run("login shell runs the shims", func(t *testing.T) {
		var f *fixture
		f = loginShell(t, func() (string, error) { return "motd\n" + filepath.Join(f.dirs.Shims(), "go") + "\n", nil })
		f.one("shell", OK, "new login shells (zsh -l -i and zsh -l) run go from gvx's shims", ".zshrc")
	})
	t.Run("non-interactive login shell runs another go", func(t *testing.T) {
		var f *fixture
		f = loginShell(t, func() (string, error) { return filepath.Join(f.dirs.Shims(), "go"), nil })
		f.runs[probe2] = func([]string) (string, error) { return "/usr/local/go/bin/go\n", nil }
		f.one("shell", Fail, "a new login shell (zsh -l -c 'command -v go') runs /usr/local/go/bin/go, not gvx's shims")
	})
	t.Run("login shell runs another go", func(t *testing.T) {
		f := loginShell(t, func() (string, error) { return "/opt/homebrew/bin/go\n", nil })
		r := f.one("shell", Fail, "runs /opt/homebrew/bin/go, not gvx's shims", "puts /opt/homebrew/bin first")
		wantFix(t, r, "gvx setup", "moves its block to the end of "+filepath.Join(f.vars["HOME"], ".zprofile"))
	})
	t.Run("login shell finds no go", func(t *testing.T) {
		exitErr := exec.Command("false").Run()
		f := loginShell(t, func() (string, error) { return "", fmt.Errorf("zsh: %w", exitErr) })
		f.one("shell", Fail, "finds no go: gvx's shims are not on its PATH")
	})
	t.Run("login shell hangs", func(t *testing.T) {
		f := loginShell(t, func() (string, error) { return "", fmt.Errorf("zsh: %w", context.DeadlineExceeded) })
		f.one("shell", Warn, "did not answer within 5s", ".zshrc")
	})
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceBlock(t *testing.T) {
	block := setupBlock("bash")
	tests := []struct {
		name, in, want string
	}{
		{"empty file", "", block},
		{"append after a blank line", "alias ll='ls -l'\n", "alias ll='ls -l'\n\n" + block},
		{"no final newline", "alias ll='ls -l'", "alias ll='ls -l'\n\n" + block},
		{"already there", "x\n\n" + block, "x\n\n" + block},
		{"old block replaced in place", "a\n# >>> gvx >>>\nold\n# <<< gvx <<<\nb\n", "a\n" + block + "b\n"},
		{"markers with spaces around", "a\n  # >>> gvx >>>  \nold\n\t# <<< gvx <<<\nb\n", "a\n" + block + "b\n"},
		{"second copy removed", "# >>> gvx >>>\n1\n# <<< gvx <<<\nmid\n# >>> gvx >>>\n2\n# <<< gvx <<<\n", block + "mid\n"},
		{"CRLF file keeps its other lines", "a\r\n# >>> gvx >>>\r\nold\r\n# <<< gvx <<<\r\nb\r\n", "a\r\n" + block + "b\r\n"},
	}
	for _, tt := range tests {
		got, err := replaceBlock(tt.in, block)
		if err != nil {
			t.Errorf("%s: replaceBlock(%q) error %v", tt.name, tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: replaceBlock(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		// Idempotent: a second run changes nothing.
		if again, err := replaceBlock(got, block); err != nil || again != got {
			t.Errorf("%s: second replaceBlock = %q, %v; want %q", tt.name, again, err, got)
		}
		if n := strings.Count(got, blockBegin); n != 1 {
			t.Errorf("%s: %d blocks, want 1", tt.name, n)
		}
	}
}

func TestReplaceBlockRefusesBrokenBlocks(t *testing.T) {
	for _, in := range []string{
		"a\n# >>> gvx >>>\nexport PATH=x\n",
		"# >>> gvx >>>\n# >>> gvx >>>\n# <<< gvx <<<\n",
	} {
		if got, err := replaceBlock(in, setupBlock("zsh")); err == nil {
			t.Errorf("replaceBlock(%q) = %q, want an error", in, got)
		} else if !strings.Contains(err.Error(), "by hand") {
			t.Errorf("replaceBlock(%q) error %q does not say what to do", in, err)
		}
	}
}

func TestRCFile(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		shell string
		env   map[string]string
		want  string
	}{
		{"bash", nil, filepath.Join(home, ".bashrc")},
		{"zsh", nil, filepath.Join(home, ".zshrc")},
		{"zsh", map[string]string{"ZDOTDIR": "/z"}, filepath.Join("/z", ".zshrc")},
		{"zsh", map[string]string{"ZDOTDIR": "relative"}, filepath.Join(home, ".zshrc")},
		{"fish", nil, filepath.Join(home, ".config", "fish", "config.fish")},
		{"fish", map[string]string{"XDG_CONFIG_HOME": "/cfg"}, filepath.Join("/cfg", "fish", "config.fish")},
	}
	for _, tt := range tests {
		getenv := func(k string) string {
			if k == "HOME" {
				return home
			}
			return tt.env[k]
		}
		e := newEnv(nil, nil, nil, getenv)
		got, err := e.rcFile(tt.shell)
		if err != nil || got != tt.want {
			t.Errorf("rcFile(%q) with %v = %q, %v; want %q", tt.shell, tt.env, got, err, tt.want)
		}
	}
}

func TestWriteFileAtomicKeepsModeAndLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles-bashrc")
	if err := os.WriteFile(target, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, ".bashrc")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(link, []byte("new\n"), 0o644); err != nil {
		t.Fatalf("writeFileAtomic: %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link (%v)", link, err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode of rewritten file = %v, want 0600", fi.Mode().Perm())
	}
	if data, _ := os.ReadFile(target); string(data) != "new\n" {
		t.Errorf("content = %q, want %q", data, "new\n")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries, want 2 (no temporary files left)", len(entries))
	}
}

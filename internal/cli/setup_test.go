package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPlaceBlock(t *testing.T) {
	block := markBlock("export PATH=/g/shims:$PATH\n")
	tests := []struct {
		name, in, want string
		moved          bool
	}{
		{"empty file", "", block, false},
		{"append after a blank line", "alias ll='ls -l'\n", "alias ll='ls -l'\n\n" + block, false},
		{"no final newline", "alias ll='ls -l'", "alias ll='ls -l'\n\n" + block, false},
		{"already there", "x\n\n" + block, "x\n\n" + block, false},
		{"old block replaced in place", "a\n# >>> gvx >>>\nold\n# <<< gvx <<<\nb\n", "a\n" + block + "b\n", false},
		{"markers with spaces around", "a\n  # >>> gvx >>>  \nold\n\t# <<< gvx <<<\nb\n", "a\n" + block + "b\n", false},
		{"second copy removed", "# >>> gvx >>>\n1\n# <<< gvx <<<\nmid\n# >>> gvx >>>\n2\n# <<< gvx <<<\n", block + "mid\n", false},
		{"CRLF file keeps its other lines", "a\r\n# >>> gvx >>>\r\nold\r\n# <<< gvx <<<\r\nb\r\n", "a\r\n" + block + "b\r\n", false},
		{"comments after it stay after it", "a\n" + block + "# PATH is set above\n", "a\n" + block + "# PATH is set above\n", false},
		{"a later PATH line moves it to the end", "a\n" + block + "export PATH=/opt/homebrew/bin:$PATH\n", "a\nexport PATH=/opt/homebrew/bin:$PATH\n\n" + block, true},
		{"brew shellenv", block + "eval \"$(/opt/homebrew/bin/brew shellenv)\"\n", "eval \"$(/opt/homebrew/bin/brew shellenv)\"\n\n" + block, true},
		{"sourcing another file", block + ". \"$HOME/.cargo/env\"\n", ". \"$HOME/.cargo/env\"\n\n" + block, true},
		{"fish_add_path", block + "fish_add_path /usr/local/go/bin\n", "fish_add_path /usr/local/go/bin\n\n" + block, true},
		{"zsh's path array", block + "path=(/usr/local/go/bin $path)\n", "path=(/usr/local/go/bin $path)\n\n" + block, true},
	}
	for _, tt := range tests {
		got, moved, err := placeBlock(tt.in, block)
		if err != nil {
			t.Errorf("%s: placeBlock(%q) error %v", tt.name, tt.in, err)
			continue
		}
		if got != tt.want || (moved != "") != tt.moved {
			t.Errorf("%s: placeBlock(%q) = %q, moved %q; want %q (moved: %v)", tt.name, tt.in, got, moved, tt.want, tt.moved)
		}
		// Idempotent: a second run changes nothing.
		if again, moved, err := placeBlock(got, block); err != nil || again != got || moved != "" {
			t.Errorf("%s: second placeBlock = %q, moved %q, %v; want %q", tt.name, again, moved, err, got)
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
		if got, _, err := placeBlock(in, markBlock("x\n")); err == nil {
			t.Errorf("replaceBlock(%q) = %q, want an error", in, got)
		} else if !strings.Contains(err.Error(), "by hand") {
			t.Errorf("replaceBlock(%q) error %q does not say what to do", in, err)
		}
	}
}

func TestSetupFiles(t *testing.T) {
	home := t.TempDir()
	withProfile := t.TempDir()
	if err := os.WriteFile(filepath.Join(withProfile, ".profile"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	withLink := t.TempDir()
	if err := os.Symlink("dotfiles/bash_login", filepath.Join(withLink, ".bash_login")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		shell string
		env   map[string]string
		want  []string
	}{
		{"bash", nil, []string{filepath.Join(home, ".bashrc"), filepath.Join(home, ".bash_profile")}},
		{"bash", map[string]string{"HOME": withProfile}, []string{filepath.Join(withProfile, ".bashrc"), filepath.Join(withProfile, ".profile")}},
		{"bash", map[string]string{"HOME": withLink}, []string{filepath.Join(withLink, ".bashrc"), filepath.Join(withLink, ".bash_login")}},
		{"zsh", nil, []string{filepath.Join(home, ".zshrc"), filepath.Join(home, ".zprofile")}},
		{"zsh", map[string]string{"ZDOTDIR": "/z"}, []string{filepath.Join("/z", ".zshrc"), filepath.Join("/z", ".zprofile")}},
		{"zsh", map[string]string{"ZDOTDIR": "relative"}, []string{filepath.Join(home, ".zshrc"), filepath.Join(home, ".zprofile")}},
		{"fish", nil, []string{filepath.Join(home, ".config", "fish", "config.fish")}},
		{"fish", map[string]string{"XDG_CONFIG_HOME": "/cfg"}, []string{filepath.Join("/cfg", "fish", "config.fish")}},
	}
	for _, tt := range tests {
		getenv := func(k string) string {
			if v, ok := tt.env[k]; ok {
				return v
			}
			if k == "HOME" {
				return home
			}
			return ""
		}
		e := newEnv(nil, nil, nil, getenv)
		edits, err := e.setupEdits(tt.shell, "/g/shims", "/g/gvx")
		var got []string
		for _, ed := range edits {
			got = append(got, ed.path)
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("setupEdits(%q) with %v = %q, %v; want %q", tt.shell, tt.env, got, err, tt.want)
		}
	}
}

func TestLinkTarget(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][2]string{{"rel", "dotfiles/zshrc"}, {"abs", filepath.Join(dir, "elsewhere", "zshrc")}, {"chain", "rel"}, {"loop", "loop"}} {
		if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{
		"plain":   plain,
		"missing": filepath.Join(dir, "missing"),
		"rel":     filepath.Join(dir, "dotfiles", "zshrc"),
		"abs":     filepath.Join(dir, "elsewhere", "zshrc"),
		"chain":   filepath.Join(dir, "dotfiles", "zshrc"),
	} {
		if got, err := linkTarget(filepath.Join(dir, name)); err != nil || got != want {
			t.Errorf("linkTarget(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	if got, err := linkTarget(filepath.Join(dir, "loop")); err == nil {
		t.Errorf("linkTarget(loop) = %q, want an error", got)
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

package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	ucli "github.com/urfave/cli/v2"
)

// The marked block gvx setup owns in an rc file. Everything between the
// markers is replaced on each run; everything outside is left alone.
const (
	blockBegin = "# >>> gvx >>>"
	blockEnd   = "# <<< gvx <<<"
)

func setupCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "setup",
		Usage: "add gvx to your shell's start-up files and install the shims",
		Description: `Adds one marked block (# >>> gvx >>> ... # <<< gvx <<<) at the end of each
start-up file the shell reads, so that login, interactive and
non-interactive shells (Terminal.app, IDEs, 'zsh -lc') all find the shims:

  bash  ~/.bashrc (shims, gvx function, completion), and the login file
        bash reads (~/.bash_profile, ~/.bash_login or ~/.profile: shims);
        without one, ~/.bash_profile is created and reads ~/.bashrc
  zsh   ${ZDOTDIR:-~}/.zshrc (shims, function, completion) and .zprofile
        (shims, after macOS's path_helper and 'brew shellenv')
  fish  ~/.config/fish/config.fish

The block puts the shims first on PATH itself and reaches gvx by the path
of the gvx that ran setup (or the gvx on PATH when that is gone). Running
setup again replaces the block, and moves it to the end when a later line
changes PATH; delete the blocks to undo. A symbolic link (a dotfile
manager's) is kept and its target edited. The shell is taken from $SHELL
unless --shell names it. 'gvx doctor' checks what a new login shell runs.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "shell", Usage: "bash, zsh or fish (default: from $SHELL)"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("setup takes no arguments; name the shell with --shell %s", c.Args().First())
			}
			return runSetup(e, c.String("shell"))
		},
	}
}

func runSetup(e *env, named string) error {
	shell, err := e.shellName(named)
	if err != nil {
		return err
	}
	// The shims first: the block is useless without them.
	w, in, err := e.store()
	if err != nil {
		return err
	}
	if err := w.refreshShims(in); err != nil {
		return err
	}
	gvx, _ := e.gvxPath()
	edits, err := e.setupEdits(shell, w.dirs.Shims(), gvx)
	if err != nil {
		return err
	}
	for _, ed := range edits {
		if err := ed.apply(e); err != nil {
			return err
		}
	}
	if gvx == "" {
		e.notef("this gvx is a temporary 'go run' build and there is no gvx on PATH: the shims are on PATH in new shells, but 'gvx shell' and completion need an installed gvx (go install ./cmd/gvx ./cmd/gvx-shim, then rerun 'gvx setup')")
	}
	fmt.Fprintf(e.stderr, "open a new shell (or run: %s) to start using gvx; 'gvx doctor' checks it\n", sourceHint(shell, edits[0].path))
	return nil
}

// rcEdit is one start-up file and the block gvx setup puts into it.
type rcEdit struct {
	path  string // as the shell names it; may be a symbolic link
	block func(outside string) string
}

// setupEdits returns the files to edit for shell, the file of interactive
// shells first.
func (e *env) setupEdits(shell, shims, gvx string) ([]rcEdit, error) {
	home, err := e.home()
	if err != nil {
		return nil, err
	}
	full := func(string) string {
		return markBlock("# The shims first on PATH, then the gvx function and completion.\n" +
			pathCode(shell, shims) + initCall(shell, gvx))
	}
	switch shell {
	case "fish":
		config := filepath.Join(home, ".config")
		if x := e.getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
			config = x
		}
		// fish reads config.fish in every shell, login or not.
		return []rcEdit{{filepath.Join(config, "fish", "config.fish"), full}}, nil
	case "zsh":
		zdot := home
		if z := e.getenv("ZDOTDIR"); z != "" && filepath.IsAbs(z) {
			zdot = z
		}
		login := func(string) string {
			return markBlock("# The shims first on PATH for login shells, also those that read no .zshrc\n" +
				"# ('zsh -lc', IDEs); this runs after /etc/zprofile's path_helper.\n" +
				posixPathCode(shims))
		}
		return []rcEdit{{filepath.Join(zdot, ".zshrc"), full}, {filepath.Join(zdot, ".zprofile"), login}}, nil
	}
	bashrc := filepath.Join(home, ".bashrc")
	login := func(outside string) string {
		body := "# The shims first on PATH for login shells (macOS Terminal, IDEs, 'bash -l'),\n" +
			"# which read this file and not ~/.bashrc.\n"
		if strings.TrimSpace(outside) == "" {
			// gvx made this file: bash reads no ~/.bashrc in login shells
			// unless the login file says so.
			body += `if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi` + "\n"
		}
		return markBlock(body + posixPathCode(shims))
	}
	return []rcEdit{{bashrc, full}, {bashLoginFile(home), login}}, nil
}

// bashLoginFile is the file a bash login shell reads: the first of
// ~/.bash_profile, ~/.bash_login and ~/.profile that exists (a symbolic link
// counts, even a dangling one: the dotfile manager means it), else
// ~/.bash_profile, which gvx setup then creates.
func bashLoginFile(home string) string {
	for _, name := range []string{".bash_profile", ".bash_login", ".profile"} {
		p := filepath.Join(home, name)
		if _, err := os.Lstat(p); err == nil {
			return p
		}
	}
	return filepath.Join(home, ".bash_profile")
}

// markBlock wraps body in gvx's markers.
func markBlock(body string) string {
	return blockBegin + "\n" +
		"# Added by 'gvx setup': rerunning it replaces this block; delete the block to undo.\n" +
		body + blockEnd + "\n"
}

// apply puts the block into the file, through a symbolic link if the path
// is one, and says what it did.
func (ed rcEdit) apply(e *env) error {
	target, err := linkTarget(ed.path)
	if err != nil {
		return fmt.Errorf("update %s: %w", ed.path, err)
	}
	old, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", ed.path, err)
	}
	outside, err := replaceBlock(string(old), "")
	if err != nil {
		return fmt.Errorf("%s: %w", ed.path, err)
	}
	updated, moved, err := placeBlock(string(old), ed.block(outside))
	if err != nil {
		return fmt.Errorf("%s: %w", ed.path, err)
	}
	if updated == string(old) {
		fmt.Fprintf(e.stderr, "%s already sets up gvx; nothing to change\n", ed.path)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("update %s: %w", ed.path, err)
	}
	if err := writeFileAtomic(target, []byte(updated), 0o644); err != nil {
		return fmt.Errorf("update %s: %w", ed.path, err)
	}
	if moved != "" {
		fmt.Fprintf(e.stderr, "updated %s: moved the gvx block to the end, after %s, which changes PATH\n", ed.path, moved)
	} else {
		fmt.Fprintf(e.stderr, "updated %s\n", ed.path)
	}
	return nil
}

// maxLinks bounds how many symbolic links linkTarget follows, as the
// kernel's ELOOP does.
const maxLinks = 40

// linkTarget follows path's symbolic links to the file they name, which
// need not exist yet (a dotfile manager's link to a file it has not
// written): that file is the one to edit, so that the link stays a link.
func linkTarget(path string) (string, error) {
	for range maxLinks {
		dest, err := os.Readlink(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.EINVAL)) {
				return path, nil // not a link (or not there): edit it
			}
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("more than %d symbolic links", maxLinks)
}

// home is the user's home directory: $HOME, else the system's answer.
func (e *env) home() (string, error) {
	if home := e.getenv("HOME"); home != "" {
		return home, nil
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find your home directory: %w; set HOME", err)
	}
	return h, nil
}

func sourceHint(shell, rc string) string {
	if shell == "fish" {
		return "source " + quoteFish(rc)
	}
	return "source " + quotePOSIX(rc)
}

// changesPath matches a line that may put another directory, and another
// go, before the shims: PATH assignments, path_helper, 'brew shellenv',
// fish_add_path, and sourcing or evaluating other code (version managers,
// ~/.cargo/env). A gvx block followed by such a line is moved to the end.
var changesPath = regexp.MustCompile(`\bPATH\b|\bpath\b|fish_add_path|shellenv|path_helper|^\s*(source|\.|eval)\s|\beval\b`)

// placeBlock returns content with its gvx block replaced by block: in place
// when nothing after it changes PATH, else (and when there is none) at the
// end. moved names the first later line that changes PATH ("line 12: eval
// ...") when the block was moved for it.
func placeBlock(content, block string) (updated, moved string, err error) {
	lines := strings.SplitAfter(content, "\n")
	first := -1
	inBlock := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case !inBlock && t == blockBegin:
			inBlock = true
			if first < 0 {
				first = i
			}
		case inBlock && t == blockEnd:
			inBlock = false
		case !inBlock && first >= 0 && moved == "" && !strings.HasPrefix(t, "#") && changesPath.MatchString(t):
			moved = fmt.Sprintf("line %d (%s)", i+1, shorten(t))
		}
	}
	if first < 0 || moved != "" {
		rest, err := replaceBlock(content, "")
		if err != nil {
			return "", "", err
		}
		return appendBlock(rest, block), moved, nil
	}
	updated, err = replaceBlock(content, block)
	return updated, "", err
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// appendBlock adds block at the end of content, after a blank line.
func appendBlock(content, block string) string {
	s := strings.TrimRight(content, "\n")
	if s != "" {
		s += "\n\n"
	}
	return s + block
}

// replaceBlock returns content with its first gvx block replaced by block
// ("" removes it) and any other copy (one pasted by hand) removed. A file
// without a block is returned as it is.
func replaceBlock(content, block string) (string, error) {
	lines := strings.SplitAfter(content, "\n")
	var out strings.Builder
	placed, inBlock := false, false
	beginLine := 0
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case !inBlock && t == blockBegin:
			inBlock, beginLine = true, i+1
			if !placed {
				out.WriteString(block)
				placed = true
			}
		case inBlock && t == blockEnd:
			inBlock = false
		case inBlock && t == blockBegin:
			return "", fmt.Errorf("line %d: %q inside the gvx block that starts on line %d; remove the broken block by hand and rerun 'gvx setup'", i+1, blockBegin, beginLine)
		case !inBlock:
			out.WriteString(l)
		}
	}
	if inBlock {
		return "", fmt.Errorf("line %d: %q has no %q after it; remove the broken block by hand and rerun 'gvx setup'", beginLine, blockBegin, blockEnd)
	}
	return out.String(), nil
}

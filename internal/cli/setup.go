package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
		Usage: "add gvx to your shell's rc file and install the shims",
		Description: `Adds one marked block (# >>> gvx >>> ... # <<< gvx <<<) that runs 'gvx init'
to ~/.bashrc, ${ZDOTDIR:-~}/.zshrc or ~/.config/fish/config.fish. Running it
again replaces the block; delete the block to undo. The shell is taken from
$SHELL unless --shell names it.`,
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
	rc, err := e.rcFile(shell)
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

	old, err := os.ReadFile(rc)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", rc, err)
	}
	updated, err := replaceBlock(string(old), setupBlock(shell))
	if err != nil {
		return fmt.Errorf("%s: %w", rc, err)
	}
	if updated == string(old) {
		fmt.Fprintf(e.stderr, "%s already sets up gvx; nothing to change\n", rc)
	} else {
		if err := os.MkdirAll(filepath.Dir(rc), 0o755); err != nil {
			return fmt.Errorf("update %s: %w", rc, err)
		}
		if err := writeFileAtomic(rc, []byte(updated), 0o644); err != nil {
			return fmt.Errorf("update %s: %w", rc, err)
		}
		fmt.Fprintf(e.stderr, "updated %s\n", rc)
	}
	if _, err := lookPathIn("gvx", e.getenv("PATH")); err != nil {
		where := "the directory gvx is in"
		if self, err := os.Executable(); err == nil {
			where = filepath.Dir(self)
		}
		e.notef("gvx is not on PATH, so the block does nothing until it is; add %s to PATH", where)
	}
	fmt.Fprintf(e.stderr, "open a new shell (or run: %s) to start using gvx\n", sourceHint(shell, rc))
	return nil
}

// rcFile is the file the shell reads for every interactive shell.
func (e *env) rcFile(shell string) (string, error) {
	home := e.getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find your home directory: %w; set HOME", err)
		}
		home = h
	}
	switch shell {
	case "zsh":
		if z := e.getenv("ZDOTDIR"); z != "" && filepath.IsAbs(z) {
			return filepath.Join(z, ".zshrc"), nil
		}
		return filepath.Join(home, ".zshrc"), nil
	case "fish":
		if x := e.getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
			return filepath.Join(x, "fish", "config.fish"), nil
		}
		return filepath.Join(home, ".config", "fish", "config.fish"), nil
	}
	return filepath.Join(home, ".bashrc"), nil
}

func sourceHint(shell, rc string) string {
	if shell == "fish" {
		return "source " + quoteFish(rc)
	}
	return "source " + quotePOSIX(rc)
}

// setupBlock is the marked block for shell, markers included.
func setupBlock(shell string) string {
	line := `  eval "$(gvx init ` + shell + `)"`
	guard := "if command -v gvx >/dev/null 2>&1; then\n" + line + "\nfi"
	if shell == "fish" {
		guard = "if type -q gvx\n    gvx init fish | source\nend"
	}
	return blockBegin + "\n" +
		"# Added by 'gvx setup': rerunning it replaces this block; delete the block to undo.\n" +
		guard + "\n" +
		blockEnd + "\n"
}

// replaceBlock returns content with its gvx block replaced by block, or
// block appended when there is none. Extra blocks (a copy pasted by hand)
// are removed, so that there is exactly one.
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
	if placed {
		return out.String(), nil
	}
	s := out.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if s != "" {
		s += "\n"
	}
	return s + block, nil
}

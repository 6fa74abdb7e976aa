package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

func implodeCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "implode",
		Usage: "remove gvx's home, cache, state and its block in your shell rc files",
		Description: `Lists what it removes, then asks (on a terminal; --yes without one): the
gvx home with every installed Go and the shims, the cache (listings, kept
downloads), the state (known projects, the checksum database's tree head),
and the block 'gvx setup' added to ~/.bashrc, ~/.zshrc or fish's config.fish
(the rest of each file stays as it is). It never touches GOPATH, the module
cache or the tools you 'go install'ed, nor the gvx binary itself.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "do not ask"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("implode takes no arguments, got %q", c.Args().First())
			}
			return runImplode(e, c.Bool("yes"))
		},
	}
}

func runImplode(e *env, yes bool) error {
	dirs, err := e.dirs()
	if err != nil {
		return err
	}
	var trees []string
	for _, d := range []string{dirs.Home, e.cacheDir(), e.stateDir()} {
		if _, err := os.Lstat(d); err == nil {
			trees = append(trees, d)
		}
	}
	for _, d := range trees {
		if err := e.safeToRemove(d); err != nil {
			return err
		}
	}
	// The files gvx setup writes, for every shell: a block left from a
	// shell used earlier goes too.
	var rcs []string
	for _, sh := range shells {
		edits, err := e.setupEdits(sh, dirs.Shims(), "")
		if err != nil {
			continue
		}
		for _, ed := range edits {
			if data, err := os.ReadFile(ed.path); err == nil && strings.Contains(string(data), blockBegin) && !slices.Contains(rcs, ed.path) {
				rcs = append(rcs, ed.path)
			}
		}
	}
	if len(trees) == 0 && len(rcs) == 0 {
		fmt.Fprintln(e.stderr, "nothing of gvx's to remove")
		return nil
	}
	fmt.Fprintln(e.stderr, "gvx implode removes:")
	for _, d := range trees {
		fmt.Fprintf(e.stderr, "  %s\n", d)
	}
	for _, rc := range rcs {
		fmt.Fprintf(e.stderr, "  the gvx block in %s\n", rc)
	}
	ok, err := e.confirm("remove all of this?", "--yes", yes)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(e.stderr, "nothing removed")
		return nil
	}
	for _, rc := range rcs {
		if err := removeBlock(rc); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "removed the gvx block from %s\n", rc)
	}
	for _, d := range trees {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("remove %s: %w", d, err)
		}
		fmt.Fprintf(e.stderr, "removed %s\n", d)
	}
	if self, err := os.Executable(); err == nil {
		fmt.Fprintf(e.stderr, "gvx itself is still %s; remove it the way you installed it\n", self)
	}
	return nil
}

// removeBlock takes the gvx block out of an rc file with setup's own block
// code, keeping the rest of the file, its mode and a symlink to it.
func removeBlock(rc string) error {
	data, err := os.ReadFile(rc)
	if err != nil {
		return err
	}
	updated, err := replaceBlock(string(data), "")
	if err != nil {
		return fmt.Errorf("%s: %w", rc, err)
	}
	if err := writeFileAtomic(rc, []byte(updated), 0o644); err != nil {
		return fmt.Errorf("update %s: %w", rc, err)
	}
	return nil
}

// safeToRemove refuses a directory whose removal would take more than
// gvx's own files: the home directory, a root, or anything holding GOPATH
// (a GVX_HOME or XDG directory pointed somewhere unusual).
func (e *env) safeToRemove(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	home := e.getenv("HOME")
	keep := []string{home}
	gopath := e.getenv("GOPATH")
	if gopath == "" && home != "" {
		gopath = filepath.Join(home, "go")
	}
	keep = append(keep, filepath.SplitList(gopath)...)
	for _, k := range keep {
		if k == "" {
			continue
		}
		if within(k, abs) {
			return fmt.Errorf("implode: %s holds %s; gvx never removes that: remove what you want of it by hand", abs, k)
		}
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("implode: refusing to remove %s", abs)
	}
	return nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

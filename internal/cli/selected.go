package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// selections is what decides which Go runs, as list, uninstall and prune
// need it: the selection in the working directory and the global default.
type selections struct {
	here    shim.Selection
	hereErr error // a *shim.NotInstalledError comes with here
	global  shim.Selection
	// hasGlobal reports whether $GVX_HOME/version exists.
	hasGlobal bool
	globalErr error
}

// selected works out what the working directory and the global default
// select now.
func (e *env) selected(dirs layout.Dirs) selections {
	var s selections
	s.here, _, s.hereErr = e.selectionIn("", "")
	s.global, s.hasGlobal, s.globalErr = globalSelection(dirs, e.getenv)
	return s
}

// globalSelection returns what the global default ($GVX_HOME/version)
// selects; ok is false when there is no global file.
func globalSelection(dirs layout.Dirs, getenv func(string) string) (sel shim.Selection, ok bool, err error) {
	path := dirs.Global()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return shim.Selection{}, false, nil
	}
	if err != nil {
		return shim.Selection{}, true, err
	}
	sp, line, err := shim.ParseGoVersion(path, data)
	if err != nil {
		return shim.Selection{}, true, err
	}
	sel, err = shim.Resolve(dirs, getenv, shim.Origin{Kind: shim.OriginGlobal, Path: path, Line: line}, sp)
	return sel, true, err
}

// runs reports whether sel runs the installed version v.
func runs(sel shim.Selection, v goversion.Version) bool {
	return sel.Installed && !sel.Version.IsZero() && goversion.Equal(sel.Version, v)
}

// stdinTTY reports whether stdin is a terminal: only then does gvx ask.
func (e *env) stdinTTY() bool {
	f, ok := e.stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// confirm asks question on stderr and reports whether the answer is yes.
// yes answers it without asking; without a terminal to ask on, it is a
// usage error naming flag.
func (e *env) confirm(question, flag string, yes bool) (bool, error) {
	if yes {
		return true, nil
	}
	if !e.stdinTTY() {
		return false, usagef("stdin is not a terminal, so gvx cannot ask: add %s to go ahead", flag)
	}
	fmt.Fprintf(e.stderr, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
	if !e.stderrTTY() {
		fmt.Fprintln(e.stderr) // the terminal echoed the answer, not here
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// plural returns "1 version" or "2 versions".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// storeList returns the store, as e.store does, and what is installed in it.
func (e *env) storeList() (*world, *install.Installer, []install.Installed, error) {
	w, in, err := e.store()
	if err != nil {
		return nil, nil, nil, err
	}
	list, err := in.List()
	return w, in, list, err
}

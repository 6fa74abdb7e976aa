package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/adrg/xdg"
	"golang.org/x/term"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// env is what every command needs from the outside world, gathered once.
// Tests run Main in-process and through testscript; nothing here reads
// os.Stdout or os.Stderr directly.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	goos           string // runtime.GOOS, except in tests of another platform

	usageErr error // set by urfave/cli callbacks that cannot return errors
}

func newEnv(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *env {
	return &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, goos: runtime.GOOS}
}

// dirs returns the gvx home's layout.
func (e *env) dirs() (layout.Dirs, error) {
	home, err := layout.Home(e.getenv)
	if err != nil {
		return layout.Dirs{}, err
	}
	return layout.Dirs{Home: home}, nil
}

// pathSettings are the directories gvx reads from the environment, each
// checked once, at the start, by layout.CheckPath.
var pathSettings = []string{"GVX_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"}

// checkPathSettings refuses a path setting that is relative, needs shell
// expansion or holds the PATH list separator, with a *layout.SettingError
// (exit 2) naming it and the likely fix.
func checkPathSettings(getenv func(string) string) error {
	for _, name := range pathSettings {
		if v := getenv(name); v != "" {
			if err := layout.CheckPath(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// cacheDir is where listings and kept downloads live: $XDG_CACHE_HOME/gvx.
func (e *env) cacheDir() string {
	if d := e.getenv("XDG_CACHE_HOME"); d != "" { // checked by checkPathSettings
		return filepath.Join(d, "gvx")
	}
	return filepath.Join(xdg.CacheHome, "gvx")
}

// stateDir keeps state that must survive but is not data: the checksum
// database's verified tree head. $XDG_STATE_HOME/gvx.
func (e *env) stateDir() string {
	if d := e.getenv("XDG_STATE_HOME"); d != "" { // checked by checkPathSettings
		return filepath.Join(d, "gvx")
	}
	return filepath.Join(xdg.StateHome, "gvx")
}

// stderrTTY reports whether stderr is a terminal (progress bars go there).
func (e *env) stderrTTY() bool {
	f, ok := e.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// color reports whether output may carry ANSI colour: a terminal, and
// NO_COLOR unset (https://no-color.org).
func (e *env) color() bool {
	return e.stderrTTY() && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
}

// boolEnv reads a 0/1 style switch such as GVX_KEEP_DOWNLOADS.
func (e *env) boolEnv(name string) (bool, error) {
	v := e.getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, usagef("%s=%q: want 1 or 0", name, v)
	}
	return b, nil
}

func (e *env) notef(format string, args ...any) {
	fmt.Fprintf(e.stderr, "gvx: "+format+"\n", args...)
}

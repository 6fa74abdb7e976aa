package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gvx-dev/gvx/internal/shellquote"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// shellMarker opens the block gvx setup writes into a shell's rc file.
const shellMarker = "# >>> gvx >>>"

// checkSelection says which Go applies in the working directory and why.
func checkSelection(_ context.Context, s *state) []Result {
	const id = "selection"
	var notInstalled *shim.NotInstalledError
	var noSel *shim.NoSelectionError
	var fileErr *shim.FileError
	switch err := s.selErr; {
	case err == nil && s.sel.System != "":
		return []Result{ok(id, "system go %s selected by %s", s.sel.System, s.sel.Origin)}
	case err == nil:
		return []Result{ok(id, "%s selected by %s", s.sel.Version.GoName(), s.sel.Origin)}
	case errors.As(err, &notInstalled):
		fix := "gvx install " + notInstalled.InstallArg()
		if notInstalled.InstallArg() == "" {
			fix = "gvx use 1.22.6 (or install Go outside gvx for the spec system)"
		}
		return []Result{fail(id, fix, "%v", err)}
	case errors.As(err, &noSel):
		return []Result{warn(id, "gvx use --global "+s.newestInstalled("1.22.6")+" (or add a .go-version)", "no Go version is selected in %s", s.Cwd)}
	case errors.As(err, &fileErr):
		return []Result{fail(id, "correct or remove "+fileErr.Path, "%v", err)}
	default:
		return []Result{fail(id, "", "select a Go version in %s: %v", s.Cwd, err)}
	}
}

// newestInstalled names the newest installed version, or def.
func (s *state) newestInstalled(def string) string {
	if n := len(s.installed); n > 0 {
		return s.installed[n-1].Version.String()
	}
	return def
}

// checkShimsOnPath checks that the shims directory is on PATH before every
// other directory holding a go.
func checkShimsOnPath(_ context.Context, s *state) []Result {
	const id = "path.shims"
	shims := s.Dirs.Shims()
	dirs := s.pathDirs()
	at := -1
	for i, d := range dirs {
		if samePath(d, shims) {
			at = i
			break
		}
	}
	var shadow string
	for i, d := range dirs {
		if at >= 0 && i >= at {
			break
		}
		p := filepath.Join(d, layout.ExeName(s.GOOS, "go"))
		if isExecutable(s.Env, p) && !s.isGvx(p) {
			shadow = p
			break
		}
	}
	line := s.pathFixLine()
	switch {
	case at < 0:
		msg := fmt.Sprintf("gvx's shims directory %s is not on PATH", shims)
		if shadow != "" {
			msg += fmt.Sprintf("; go runs %s instead", shadow)
		}
		return []Result{fail(id, line+"\n(or run 'gvx setup' and open a new shell)", "%s", msg)}
	case shadow != "":
		return []Result{fail(id,
			fmt.Sprintf("%s\n(in %s, after whatever puts %s on PATH)", line, s.rcFile(), filepath.Dir(shadow)),
			"%s comes before gvx's shims on PATH, so go runs it instead of the selected version", shadow)}
	}
	return []Result{ok(id, "gvx's shims come first on PATH (%s)", shims)}
}

// pathFixLine is the exact line that puts the shims first on PATH.
func (s *state) pathFixLine() string {
	shims := s.Dirs.Shims()
	switch {
	case s.GOOS == "windows":
		return fmt.Sprintf(`$env:PATH = "%s;" + $env:PATH`, shims)
	case filepath.Base(s.Getenv("SHELL")) == "fish":
		return fmt.Sprintf("fish_add_path --move --prepend %s", shellquote.Fish(shims))
	}
	return fmt.Sprintf(`export PATH="%s:$PATH"`, shims)
}

// rcFiles are the shell start-up files gvx setup may have written to, the
// current shell's first.
func (s *state) rcFiles() []string {
	home := s.Getenv("HOME")
	zdot := s.Getenv("ZDOTDIR")
	if zdot == "" {
		zdot = home
	}
	config := s.Getenv("XDG_CONFIG_HOME")
	if config == "" || !filepath.IsAbs(config) {
		config = filepath.Join(home, ".config")
	}
	fish := filepath.Join(config, "fish", "config.fish")
	zsh := []string{filepath.Join(zdot, ".zshrc"), filepath.Join(zdot, ".zprofile")}
	bash := []string{filepath.Join(home, ".bashrc"), filepath.Join(home, ".bash_profile")}
	profile := filepath.Join(home, ".profile")
	switch filepath.Base(s.Getenv("SHELL")) {
	case "zsh":
		return append(append(zsh, bash...), fish, profile)
	case "fish":
		return append(append([]string{fish}, zsh...), append(bash, profile)...)
	}
	return append(append(bash, zsh...), fish, profile)
}

// rcFile is the start-up file of the current shell.
func (s *state) rcFile() string {
	if s.Getenv("HOME") == "" {
		return "your shell's start-up file"
	}
	return s.rcFiles()[0]
}

// checkShell checks what a new login shell runs as go: it starts $SHELL as
// a login shell, interactive and not, with the environment a new terminal
// starts from, and asks it 'command -v go'. Where that cannot run (no
// SHELL, a shell gvx does not set up, Windows), it looks for gvx's block in
// the start-up files instead.
func checkShell(ctx context.Context, s *state) []Result {
	const id = "shell"
	setUp := s.setUpIn()
	shell := s.Getenv("SHELL")
	name := filepath.Base(shell)
	if s.GOOS == "windows" || !filepath.IsAbs(shell) || (name != "bash" && name != "zsh" && name != "fish") {
		return []Result{s.shellByFiles(id, setUp)}
	}
	file := s.loginFile(name)
	// Terminal.app and IDEs' environment probes start login, interactive
	// shells; IDE run configurations start login shells that are not
	// interactive ('zsh -lc' reads no .zshrc). Both must find the shims.
	for _, flags := range [][]string{{"-l", "-i"}, {"-l"}} {
		probe := name + " " + strings.Join(flags, " ") + " -c 'command -v go'"
		args := append(flags, "-c", "command -v go")
		out, err := s.runTimed(ctx, s.loginEnviron(), shell, args...)
		goPath := lastLine(out)
		var exited *exec.ExitError
		switch {
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
			r := s.shellByFiles(id, setUp)
			r.Status, r.Message = Warn, fmt.Sprintf("a new login shell (%s) did not answer within %s; %s", probe, s.timeout(), r.Message)
			return []Result{r}
		case err != nil && !errors.As(err, &exited):
			r := s.shellByFiles(id, setUp)
			r.Status, r.Message = Warn, fmt.Sprintf("cannot start a login shell to check (%v); %s", err, r.Message)
			return []Result{r}
		case goPath == "":
			return []Result{fail(id, shellFix(setUp, file), "a new login shell (%s) finds no go: gvx's shims are not on its PATH", probe)}
		case !s.isGvx(goPath):
			return []Result{fail(id, shellFix(setUp, file),
				"a new login shell (%s) runs %s, not gvx's shims: something in its start-up files puts %s first", probe, goPath, filepath.Dir(goPath))}
		}
	}
	where := "gvx's block in " + setUp
	if setUp == "" {
		where = "no gvx block; PATH is set elsewhere"
	}
	return []Result{ok(id, "new login shells (%[1]s -l -i and %[1]s -l) run go from gvx's shims (%[2]s)", name, where)}
}

// shellFix says how to make login shells find the shims.
func shellFix(setUp, loginFile string) string {
	if setUp == "" {
		return "gvx setup\n(then open a new shell)"
	}
	return fmt.Sprintf("gvx setup\n(it moves its block to the end of %s, after the line that puts another go first; or remove that line)", loginFile)
}

// shellByFiles is the verdict without a shell to ask: GVX_SHELL, else
// gvx's block in a start-up file.
func (s *state) shellByFiles(id, setUp string) Result {
	if sh := s.Getenv("GVX_SHELL"); sh != "" {
		return ok(id, "gvx shell integration is active (GVX_SHELL=%s)", sh)
	}
	if setUp != "" {
		return ok(id, "gvx shell integration is set up in %s", setUp)
	}
	return warn(id, "gvx setup\n(then open a new shell; or add the output of 'gvx init' to "+s.rcFile()+")",
		"no gvx shell integration: gvx shell and completion will not work")
}

// setUpIn returns the first start-up file that holds gvx's block, or "".
func (s *state) setUpIn() string {
	if s.Getenv("HOME") == "" {
		return ""
	}
	for _, rc := range s.rcFiles() {
		data, err := s.ReadFile(rc)
		if err == nil && bytes.Contains(data, []byte(shellMarker)) {
			return rc
		}
	}
	return ""
}

// loginFile is the start-up file a login shell of shell reads last, where
// gvx's block must come after anything else that changes PATH.
func (s *state) loginFile(shell string) string {
	home := s.Getenv("HOME")
	switch shell {
	case "fish":
		return s.rcFiles()[0]
	case "zsh":
		zdot := s.Getenv("ZDOTDIR")
		if zdot == "" {
			zdot = home
		}
		return filepath.Join(zdot, ".zprofile") + " and " + filepath.Join(zdot, ".zshrc")
	}
	for _, name := range []string{".bash_profile", ".bash_login", ".profile"} {
		p := filepath.Join(home, name)
		if _, err := s.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(home, ".bash_profile")
}

// loginEnviron is the environment a new terminal's shell starts from: the
// user's identity, terminal and locale, and the system's default PATH, not
// this process's PATH (which this shell's start-up files already changed).
// ZDOTDIR and XDG_CONFIG_HOME are kept: they choose which files are read.
func (s *state) loginEnviron() []string {
	path := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	if s.GOOS == "darwin" {
		path = "/usr/bin:/bin:/usr/sbin:/sbin" // launchd's; path_helper adds /etc/paths
	}
	env := []string{"PATH=" + path, "TERM=dumb"}
	for _, k := range []string{"HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TMPDIR", "ZDOTDIR", "XDG_CONFIG_HOME"} {
		if v := s.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// lastLine is the last non-empty line of out: a shell's start-up files may
// print before the answer.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

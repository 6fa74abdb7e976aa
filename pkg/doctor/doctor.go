// Package doctor diagnoses a gvx setup: the traps that make a Go version
// manager look broken (a go earlier on PATH than gvx's shims, an x86_64 Go
// under Rosetta 2 on Apple Silicon, a stale GOROOT, GOTOOLCHAIN switching
// or refusing, cgo without a C compiler, an unreachable proxy, a damaged
// store). Each check is a small function over an Env of seams, so that every
// branch, the macOS ones included, is tested on any machine with fakes.
//
// The package returns results; it never prints. Fixes that are safe to
// apply without asking are described by a Result's Action, and applied by the
// caller (gvx doctor --fix).
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gvx-dev/gvx/internal/lock"
	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// Status is how a check ended.
type Status string

// The statuses, from good to bad. Only Fail makes gvx doctor exit 1.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Result is what one check found.
type Result struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	// Fix is what the user can do about it: a command or a line to add,
	// empty when there is nothing to do.
	Fix string `json:"fix"`
	// Action is a fix gvx doctor --fix may apply; nil for none.
	Action *Action `json:"-"`
}

// ActionKind says which safe fix an Action is.
type ActionKind int

const (
	// RemoveStaging removes what interrupted installs left in staging
	// (Action.Paths); see install.RemoveStaging.
	RemoveStaging ActionKind = iota + 1
	// SyncShims recreates the shims for the installed versions.
	SyncShims
	// Reinstall uninstalls Action.Version and installs it again for the
	// host's native architecture; the caller asks first.
	Reinstall
)

// Action is a fix gvx doctor --fix knows how to apply.
type Action struct {
	Kind    ActionKind
	Paths   []string
	Version goversion.Version
}

// Binary is what the header of an executable says.
type Binary struct {
	// Format is "Mach-O", "ELF" or "PE"; empty for a file that is none of
	// them (a shell script, say).
	Format string
	// Arches are the GOARCH names of the code inside: one, or one per slice
	// of a universal ("fat") Mach-O file.
	Arches []string
}

// Env is everything the checks read from the outside world. Nil fields take
// the real implementation (see Check); tests replace what they fake.
type Env struct {
	Dirs layout.Dirs
	Cwd  string // absolute working directory
	// GOOS and GOARCH are gvx's own (runtime.GOOS, runtime.GOARCH).
	GOOS, GOARCH string

	Getenv   func(string) string
	LookPath func(name string) (string, error) // searches Getenv("PATH")
	Stat     func(string) (fs.FileInfo, error)
	ReadFile func(string) ([]byte, error)
	ReadDir  func(string) ([]fs.DirEntry, error)
	// Sysctl reads a numeric macOS sysctl such as hw.optional.arm64; one
	// that does not exist returns an error wrapping fs.ErrNotExist.
	Sysctl func(name string) (uint32, error)
	// MacOSVersion answers kern.osproductversion ("14.5") on macOS.
	MacOSVersion func() (string, error)
	// ShellTranslated reports whether the parent process, the shell that
	// started gvx, runs under Rosetta 2.
	ShellTranslated func() (bool, error)
	// Run runs a program (xcode-select -p, cc -dumpmachine, go version)
	// with environ (nil: gvx's own) and returns its standard output.
	Run func(ctx context.Context, environ []string, name string, args ...string) (string, error)
	// ReadBinary reads the format and CPU types of an executable.
	ReadBinary func(path string) (Binary, error)
	// LockHeld reports whether another process holds the lock file at path.
	LockHeld func(path string) (bool, error)
	Client   *http.Client
	Now      func() time.Time

	Offline bool          // skip the network checks
	Timeout time.Duration // bounds each network probe and program run; zero means 5s
}

// defaultTimeout bounds each probe: doctor answers in seconds, and a
// proxy that takes longer than this to list versions is itself a finding.
const defaultTimeout = 5 * time.Second

// staleAge is how old a leftover in staging must be before doctor calls
// it stale: no real install takes an hour, and a younger one may be live.
const staleAge = time.Hour

func (e *Env) withDefaults() *Env {
	c := *e
	if c.GOOS == "" {
		c.GOOS, c.GOARCH = runtime.GOOS, runtime.GOARCH
	}
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.Stat == nil {
		c.Stat = os.Stat
	}
	if c.ReadFile == nil {
		c.ReadFile = os.ReadFile
	}
	if c.ReadDir == nil {
		c.ReadDir = os.ReadDir
	}
	if c.LookPath == nil {
		c.LookPath = func(name string) (string, error) { return lookPath(&c, name) }
	}
	if c.Sysctl == nil {
		c.Sysctl = registry.Sysctl
	}
	if c.MacOSVersion == nil {
		c.MacOSVersion = install.HostMacOSVersion
	}
	if c.ShellTranslated == nil {
		c.ShellTranslated = shellTranslated
	}
	if c.Run == nil {
		c.Run = run
	}
	if c.ReadBinary == nil {
		c.ReadBinary = ReadBinary
	}
	if c.LockHeld == nil {
		c.LockHeld = lock.Held
	}
	if c.Client == nil {
		c.Client = registry.NewHTTPClient(registry.HTTPOptions{Timeout: c.timeout(), Attempts: 1, UserAgent: "gvx-doctor"})
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &c
}

func (e *Env) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return defaultTimeout
}

// state is one doctor run: the Env and what several checks share.
type state struct {
	*Env
	sel       shim.Selection
	settings  *goenv.Settings // Go's settings as the selected go sees them; see goSetting
	selErr    error
	installed []install.Installed
	host      registry.Platform
	hostNotes []string
	appleArm  bool // Apple Silicon hardware
}

// check is one diagnosis. It returns one result or several.
type check func(ctx context.Context, s *state) []Result

// checks run in this order, which is also the order of the report.
var checks = []check{
	checkSelection,
	checkShimsOnPath,
	checkShell,
	checkHost,
	checkToolchainArch,
	checkShimArch,
	checkPathArch,
	checkGOROOT,
	checkGOBIN,
	checkGOTOOLCHAIN,
	checkCgo,
	checkNetwork,
	checkVersions,
	checkShims,
	checkStaging,
	checkGlobal,
	checkModCache,
	checkTrust,
	checkTools,
}

// Check runs every check and returns their results in report order.
func Check(ctx context.Context, env *Env) []Result {
	s := &state{Env: env.withDefaults()}
	s.sel, s.selErr = shim.Select(s.Dirs, s.Cwd, s.Getenv)
	s.installed, _ = (&install.Installer{Dirs: s.Dirs}).List()
	s.host, s.hostNotes, _ = registry.Host(probe{s.Env})
	if s.host.OS == "" {
		s.host = registry.Platform{OS: s.GOOS, Arch: s.GOARCH}
	}
	if s.GOOS == "darwin" {
		v, err := s.Sysctl("hw.optional.arm64")
		s.appleArm = err == nil && v == 1
	}
	var out []Result
	for _, c := range checks {
		out = append(out, c(ctx, s)...)
	}
	return out
}

// Failed reports whether any result is a failure.
func Failed(results []Result) bool {
	for _, r := range results {
		if r.Status == Fail {
			return true
		}
	}
	return false
}

// probe answers registry.Host's questions through the Env's seams.
type probe struct{ e *Env }

func (p probe) GOOS() string   { return p.e.GOOS }
func (p probe) GOARCH() string { return p.e.GOARCH }
func (p probe) AppleSilicon() (bool, error) {
	v, err := p.e.Sysctl("hw.optional.arm64")
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return v == 1, err
}
func (p probe) Translated() (bool, error) {
	v, err := p.e.Sysctl("sysctl.proc_translated")
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return v == 1, err
}

func ok(id, format string, args ...any) Result {
	return Result{ID: id, Status: OK, Message: fmt.Sprintf(format, args...)}
}

func warn(id, fix, format string, args ...any) Result {
	return Result{ID: id, Status: Warn, Message: fmt.Sprintf(format, args...), Fix: fix}
}

func fail(id, fix, format string, args ...any) Result {
	return Result{ID: id, Status: Fail, Message: fmt.Sprintf(format, args...), Fix: fix}
}

// pathDirs returns the absolute entries of PATH, cleaned, in order.
func (s *state) pathDirs() []string { return layout.SearchPath(s.Getenv("PATH")) }

// isExecutable reports whether path is a file that may be run on e.GOOS.
func isExecutable(e *Env, path string) bool {
	fi, err := e.Stat(path)
	return err == nil && layout.ExecutableOn(e.GOOS, fi)
}

func lookPath(e *Env, name string) (string, error) {
	for _, d := range layout.SearchPath(e.Getenv("PATH")) {
		p := filepath.Join(d, layout.ExeName(e.GOOS, name))
		if isExecutable(e, p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, exec.ErrNotFound)
}

// samePath reports whether a and b name the same directory, after
// resolving symbolic links where they exist.
func samePath(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	if a == b {
		return true
	}
	ra, errA := filepath.EvalSymlinks(a)
	rb, errB := filepath.EvalSymlinks(b)
	return errA == nil && errB == nil && ra == rb
}

// isGvx reports whether the go at path is one of gvx's (goenv.IsGvx).
func (s *state) isGvx(path string) bool { return goenv.IsGvx(s.Dirs, path) }

// otherGos returns every go on PATH that is not gvx's, in PATH order, each
// file once (goenv.SystemGos).
func (s *state) otherGos() []string { return goenv.SystemGos(s.Dirs, s.Getenv("PATH")) }

func run(ctx context.Context, environ []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = environ
	cmd.WaitDelay = time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			if len(msg) > 200 {
				msg = msg[:200] + "..."
			}
			return string(out), fmt.Errorf("%s: %w: %s", name, err, msg)
		}
		return string(out), fmt.Errorf("%s: %w", name, err)
	}
	return string(out), nil
}

// runTimed runs a program under the Env's timeout.
func (s *state) runTimed(ctx context.Context, environ []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	return s.Run(ctx, environ, name, args...)
}

package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func execCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "exec",
		Usage:     "run a command with the selected Go first on PATH and GOROOT set",
		ArgsUsage: "[--go SPEC] CMD [ARGS...]",
		Description: `Runs CMD in the environment the go shim gives the real go: GOROOT set to the
selected root, its bin first on PATH. --go picks an installed version instead
of the one this directory selects (and sets GVX_GO_VERSION for CMD, so nested
shim calls agree). The exit code of CMD is gvx's; signals are passed on.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "go", Usage: "use this installed version (a spec: 1.22.6, 1.22, latest)"},
		},
		BashComplete: completeVersions(e),
		Action: func(c *ucli.Context) error {
			if c.NArg() == 0 {
				return usagef("exec: name a command to run, e.g. 'gvx exec go version'")
			}
			return runExec(e, c.String("go"), c.Args().Slice())
		},
	}
}

// signalsToForward are passed on to the child: a terminal delivers ^C to the
// whole process group, but kill(1) and supervisors signal gvx alone.
var signalsToForward = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// runExec runs argv with the selected Go's environment as a child process
// and returns its exit status as an ExitCoder.
func runExec(e *env, spec string, argv []string) error {
	sel, dirs, err := e.selectionIn("", spec)
	var nie *shim.NotInstalledError
	if spec != "" && errors.As(err, &nie) {
		return goFlagNotInstalled(nie)
	}
	if err != nil {
		return err
	}
	environ := shim.Environ(sel, os.Environ(), dirs)
	if spec != "" && sel.Installed && !sel.Version.IsZero() {
		environ = shim.SetEnv(environ, shim.EnvGoVersion, sel.Version.String())
	}
	path, err := lookPathIn(argv[0], shim.EnvValue(environ, "PATH"))
	if err != nil {
		return err
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = environ
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.stdout, e.stderr

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, signalsToForward...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", argv[0], err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s) // it may have exited already
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return ucli.Exit("", exitStatus(exit.ProcessState))
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", argv[0], err)
	}
	return nil
}

// exitStatus is the code a shell would report: the exit code, or 128+N for
// a child killed by signal N.
func exitStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	if code := ps.ExitCode(); code >= 0 {
		return code
	}
	return exitFailure
}

// lookPathIn finds name as exec.LookPath does, but on the PATH the child
// will have (the selected root's bin first), not gvx's own.
func lookPathIn(name, pathList string) (string, error) {
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		if isExecutableFile(name) {
			return name, nil
		}
		return "", fmt.Errorf("exec: %s is not an executable file", name)
	}
	names := []string{name}
	if suffix := layout.ExeSuffix; suffix != "" && !strings.HasSuffix(name, suffix) {
		names = append(names, name+suffix)
	}
	for _, dir := range layout.SearchPath(pathList) {
		for _, n := range names {
			if p := filepath.Join(dir, n); isExecutableFile(p) {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("exec: %q not found on PATH (with the selected Go's bin first)", name)
}

func isExecutableFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && layout.IsExecutable(fi)
}

// goFlagNotInstalled says that what --go names is not installed, with --go
// as the origin: the shim's own origins ("+1.22 argument") name what a go
// call can carry, which is not what the user typed here.
func goFlagNotInstalled(nie *shim.NotInstalledError) error {
	if nie.Spec.Kind() == goversion.Exact {
		return fmt.Errorf("%s is not installed (selected by --go %s); run 'gvx install %s'", nie.Spec.Version().GoName(), nie.Spec, nie.InstallArg())
	}
	return fmt.Errorf("no installed Go matches %q (selected by --go); run 'gvx install %s'", nie.Spec, nie.InstallArg())
}

// Package cli is gvx's command layer: one file per command, each building a
// *cli.Command whose action calls into pkg/* and prints the result. Output
// goes through the injected stdout/stderr pair so tests see what users see.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
	"github.com/gvx-dev/gvx/pkg/verify"
	ucli "github.com/urfave/cli/v2"
)

// version is gvx's own version, stamped by the release build with
// -ldflags "-X github.com/gvx-dev/gvx/internal/cli.version=v1.2.3".
var version = ""

// Exit codes, as the design and the issues fix them.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitSecurity = 3
)

// Version returns gvx's version: the stamped one, else the module version
// `go install ...@v1.2.3` records, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// usageError is a mistake in how gvx was called; it exits with code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Main runs the gvx command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return MainAs(runtime.GOOS, args, stdin, stdout, stderr)
}

// MainAs is Main on a machine whose operating system is goos, as far as
// choosing shell start-up files goes: the seam through which tests run the
// macOS setup on Linux.
func MainAs(goos string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := newEnv(stdin, stdout, stderr, os.Getenv)
	env.goos = goos
	if err := checkPathSettings(env.getenv); err != nil {
		return report(stderr, err)
	}
	err := newApp(env).RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "gvx: interrupted; nothing was left half-installed")
		return 130
	}
	return report(stderr, err)
}

// report prints err once, with the "gvx: " prefix, and maps it to an exit code.
func report(stderr io.Writer, err error) int {
	var usage *usageError
	var setting *layout.SettingError
	var file *shim.FileError
	var exit ucli.ExitCoder
	switch {
	case verify.IsSecurity(err):
		fmt.Fprintf(stderr, "gvx: %v\n", err)
		return exitSecurity
	case errors.As(err, &file):
		// A broken version file or go.mod is a failure, as in the shim,
		// not a mistake in how gvx was called.
		fmt.Fprintf(stderr, "gvx: %v\n", err)
		return exitFailure
	case errors.As(err, &usage), errors.As(err, &setting), errors.Is(err, goversion.ErrSpec):
		fmt.Fprintf(stderr, "gvx: %v\n", err)
		return exitUsage
	case errors.As(err, &exit):
		if msg := strings.TrimSpace(err.Error()); msg != "" {
			fmt.Fprintf(stderr, "gvx: %s\n", msg)
		}
		return exit.ExitCode()
	}
	fmt.Fprintf(stderr, "gvx: %v\n", err)
	return exitFailure
}

func newApp(env *env) *ucli.App {
	app := &ucli.App{
		Name:                 "gvx",
		Usage:                "install Go versions and pick the right one for every shell and project",
		Version:              Version(),
		Reader:               env.stdin,
		Writer:               env.stdout,
		ErrWriter:            env.stderr,
		EnableBashCompletion: true,
		Suggest:              true,
		// Errors are reported once, by Main; urfave/cli must never call
		// os.Exit (that would end tests too).
		ExitErrHandler: func(*ucli.Context, error) {},
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return usagef("%v; see 'gvx --help'", err)
		},
		CommandNotFound: func(c *ucli.Context, name string) {
			env.usageErr = usagef("unknown command %q; see 'gvx --help'", name)
		},
		Commands: []*ucli.Command{
			withRemoteCompletion(env, installCommand(env), "latest"),
			withVersionCompletion(env, uninstallCommand(env)),
			listCommand(env),
			listRemoteCommand(env),
			outdatedCommand(env),
			upgradeCommand(env),
			pruneCommand(env),
			toolsCommand(env),
			useCommand(env),
			shellCommand(env),
			currentCommand(env),
			whichCommand(env),
			execCommand(env),
			envCommand(env),
			initCommand(env),
			setupCommand(env),
			doctorCommand(env),
			withVersionCompletion(env, verifyCommand(env)),
			implodeCommand(env),
			versionCommand(),
		},
	}
	app.After = func(*ucli.Context) error { return env.usageErr }
	for _, c := range app.Commands {
		if c.OnUsageError == nil {
			c.OnUsageError = app.OnUsageError
		}
		switch c.Name {
		case "exec":
			// CMD's own flags come after CMD.
		case "install", "uninstall", "use", "shell", "upgrade":
			flagsFirst(c, "versions")
		default:
			flagsFirst(c, "arguments")
		}
	}
	return app
}

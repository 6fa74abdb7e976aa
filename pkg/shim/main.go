package shim

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// envAutoInstall, set to 1, makes the shim install a selected version that is
// missing (running "gvx install SPEC", progress on stderr) and go on.
const envAutoInstall = "GVX_AUTO_INSTALL"

// Main is the whole shim: the name it was run as (argv[0]) names the tool,
// go or gofmt, or a version-named go ("go1.22.6"). It selects the version,
// builds the environment and execs the real tool, so it returns only on
// failure (or on Windows, with the child's exit code). Errors go to stderr
// prefixed "gvx: "; the result is the exit code: 1 for failures, 2 for usage.
func Main(args []string) int {
	return run(args, os.Getenv, os.Environ(), os.Stderr)
}

func run(args []string, getenv func(string) string, environ []string, stderr io.Writer) int {
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "gvx: %v\n", err)
		return code
	}
	if len(args) == 0 {
		return fail(2, errors.New("shim started without a program name"))
	}
	name := strings.TrimSuffix(filepath.Base(args[0]), exeSuffix)
	tool, named := toolOf(name)
	if tool == "" {
		return fail(2, fmt.Errorf("the shim runs as go, gofmt or go<version>, not %q; use the shims in $GVX_HOME/shims", name))
	}
	depth, _ := strconv.Atoi(getenv(depthVar))
	if depth >= maxShimDepth {
		return fail(1, fmt.Errorf("%s re-entered gvx's shims %d times: a loop; check that the go found for 'system' (or a wrapper on PATH) does not call go through $GVX_HOME/shims", tool, depth))
	}
	environ = SetEnv(environ, depthVar, strconv.Itoa(depth+1))
	dirs, environ, err := shimHome(getenv, environ)
	if err != nil {
		var setting *layout.SettingError
		if errors.As(err, &setting) {
			return fail(2, err)
		}
		return fail(1, err)
	}
	sel, args, code, err := selector(dirs, tool, name, named, args[1:], getenv)
	if err != nil {
		return fail(code, err)
	}
	choose := sel
	if getenv(envAutoInstall) == "1" {
		choose = func() (Selection, error) { return selectInstalling(dirs, sel, environ, stderr) }
	}
	s, err := choose()
	if err != nil {
		return fail(1, err)
	}
	path := s.Tool(tool)
	code, err = execHook(path, append([]string{path}, args...), Environ(s, environ, dirs))
	if err != nil && errors.Is(err, fs.ErrNotExist) && s.GOROOT != "" && !exists(filepath.Join(s.GOROOT, layout.ReceiptName)) {
		// An uninstall renamed the root away between the selection and
		// the exec: choose again, once, which says the version is not
		// installed (or finds what replaced it).
		if s, err = choose(); err != nil {
			return fail(1, err)
		}
		path = s.Tool(tool)
		code, err = execHook(path, append([]string{path}, args...), Environ(s, environ, dirs))
	}
	if err != nil {
		return fail(1, fmt.Errorf("run %s (selected by %s): %w", path, s.Origin, err))
	}
	return code
}

// shimHome is the gvx home the shim serves: GVX_HOME, or, when that is
// unset, the home the shim itself lives in (an editor started outside the
// shell that exports it, running the shim by its path), which environ then
// names for what this go runs, gvx install included.
func shimHome(getenv func(string) string, environ []string) (layout.Dirs, []string, error) {
	home, err := layout.Home(getenv)
	if getenv("GVX_HOME") == "" {
		self, _ := os.Executable() // libexec/gvx-shim, or shims/go where links stay unresolved
		if h, ok := layout.HomeOf(self); ok {
			home, err = h, nil
			environ = SetEnv(environ, "GVX_HOME", h)
		}
	}
	return layout.Dirs{Home: home}, environ, err
}

// selector returns how the shim run as name (tool, or the version-named
// named) with arguments args chooses its version, and the arguments for
// the tool. The go command's switch comes first, then a +V argument, then
// a version-named shim, then the environment and files. A bad choice is an
// error with its exit code: 2 for a bad argument.
func selector(dirs layout.Dirs, tool, name string, named *goversion.Spec, args []string, getenv func(string) string) (func() (Selection, error), []string, int, error) {
	switch target := getenv(goenv.SwitchVersion); {
	case target != "" && tool == "go":
		// The go command switched toolchains: it found this shim on PATH
		// as the version-named go<target> and exec'd it under its own
		// argv[0]. Run exactly that version, with its arguments as they
		// are; the variable reaches the target, which checks and unsets it.
		v, ok := goversion.FromToolchain(target)
		if !ok {
			return nil, nil, 1, fmt.Errorf("%s=%q is not a Go toolchain name; unset it", goenv.SwitchVersion, target)
		}
		sp := goversion.MustParseSpec(v.String())
		return func() (Selection, error) {
			return Resolve(dirs, getenv, Origin{Kind: OriginSwitch, Spec: target}, sp)
		}, args, 0, nil
	case len(args) > 0 && strings.HasPrefix(args[0], "+"):
		raw := args[0][1:]
		sp, err := goversion.ParseSpec(raw)
		if err != nil {
			return nil, nil, 2, fmt.Errorf("+%s argument: %w", raw, err)
		}
		return explicit(dirs, getenv, Origin{Kind: OriginArgument, Spec: raw}, sp), args[1:], 0, nil
	case named != nil:
		return explicit(dirs, getenv, Origin{Kind: OriginCommand, Spec: name}, *named), args, 0, nil
	}
	return func() (Selection, error) {
		cwd, err := os.Getwd()
		if err != nil {
			return Selection{}, fmt.Errorf("find the working directory: %w", err)
		}
		return selectVersion(dirs, cwd, getenv, false)
	}, args, 0, nil
}

// selectInstalling is sel with GVX_AUTO_INSTALL=1: a selected version that
// is not installed is installed, as is the toolchain the go command would
// download for a module that needs a newer Go, and sel runs again.
func selectInstalling(dirs layout.Dirs, sel func() (Selection, error), environ []string, stderr io.Writer) (Selection, error) {
	s, err := sel()
	var nie *NotInstalledError
	switch {
	case errors.As(err, &nie) && nie.InstallArg() != "":
		if ierr := autoInstall(dirs, nie.InstallArg(), "selected by "+nie.Origin.String(), environ, stderr); ierr != nil {
			return s, fmt.Errorf("%v; automatic install: %w", err, ierr)
		}
		s, err = sel()
	case err == nil && s.Floor != nil && !s.Floor.Raised:
		// The go command would download this toolchain; install it
		// into gvx instead and run it.
		f := s.Floor
		why := f.Toolchain.String() + " names it"
		if f.Requirement != nil {
			why = fileLine(f.Requirement.Path, f.Line()) + " requires " + f.Verdict.Version.GoName() + ", newer than " + f.From.GoName() + " selected by " + s.Origin.String()
		}
		if ierr := autoInstall(dirs, f.Verdict.Version.String(), why, environ, stderr); ierr != nil {
			return s, fmt.Errorf("the go command would switch to %s (%s); automatic install: %w", f.Verdict.Version.GoName(), why, ierr)
		}
		s, err = sel()
	}
	return s, err
}

// execHook is execTool; tests replace it to act between selection and exec.
var execHook = execTool

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// toolOf maps the shim's name to the real tool, and for a version-named shim
// to its exact spec. It returns "" for a name the shim does not serve.
func toolOf(name string) (string, *goversion.Spec) {
	switch name {
	case "go", "gofmt":
		return name, nil
	}
	if isVersionShim(name) {
		sp, err := goversion.ParseSpec(name)
		if err == nil && sp.Kind() == goversion.Exact {
			return "go", &sp
		}
	}
	return "", nil
}

// explicit returns the selection of an explicit spec (a +SPEC argument or a
// version-named shim), adjusted by ApplyFloor for the working directory.
func explicit(dirs layout.Dirs, getenv func(string) string, origin Origin, sp goversion.Spec) func() (Selection, error) {
	return func() (Selection, error) {
		s, err := Resolve(dirs, getenv, origin, sp)
		if err != nil {
			return s, err
		}
		cwd, err := os.Getwd()
		if err != nil {
			return s, nil // no directory, no go.mod: the go command finds none either
		}
		return applyFloor(dirs, cwd, getenv, s, false), nil
	}
}

// autoInstall runs "gvx install ARG" with its output on stderr; why says
// what asks for ARG ("selected by GVX_GO_VERSION"). The gvx executable is the one recorded in
// Libexec()/GvxPathFile, else gvx on PATH.
func autoInstall(dirs layout.Dirs, arg, why string, environ []string, stderr io.Writer) error {
	gvx := ""
	if data, err := os.ReadFile(filepath.Join(dirs.Libexec(), GvxPathFile)); err == nil {
		gvx = strings.TrimSpace(string(data))
	}
	if gvx == "" {
		p, err := exec.LookPath("gvx")
		if err != nil {
			return fmt.Errorf("gvx not found: not recorded in %s and not on PATH; run 'gvx setup'", filepath.Join(dirs.Libexec(), GvxPathFile))
		}
		gvx = p
	}
	arg = strings.Trim(arg, `"`)
	fmt.Fprintf(stderr, "gvx: installing %s (%s; %s=1)\n", arg, why, envAutoInstall)
	cmd := exec.Command(gvx, "install", arg)
	cmd.Env = environ
	cmd.Stdout = stderr // keep the tool's stdout clean for its own output
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install %s: %w", gvx, arg, err)
	}
	return nil
}

// fileLine is "path:line", or path when line is 0.
func fileLine(path string, line int) string {
	if line > 0 {
		return path + ":" + strconv.Itoa(line)
	}
	return path
}

// IsShimName reports whether a program named name (argv[0], with or without
// a directory) is a shim: go, gofmt or a version-named go1.22.6. The gvx
// binary uses it to run as the shim when no separate gvx-shim is installed.
func IsShimName(name string) bool {
	tool, _ := toolOf(strings.TrimSuffix(filepath.Base(name), exeSuffix))
	return tool != ""
}

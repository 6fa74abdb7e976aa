package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/internal/atomicfile"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func useCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "use",
		Usage:     "pin a Go version for this directory (.go-version) or for everything (--global)",
		ArgsUsage: "[SPEC]",
		Description: `Writes SPEC to .go-version in the working directory, or with --global to
$GVX_HOME/version, installing a matching version first unless --no-install.
With no SPEC, pins the newest installed version that meets what go.mod or
go.work requires (installing one if none does) as an exact version.
--no-install refuses a version that the release listing shows does not exist.
--global --unset removes the global default.

The directory is remembered as a known project (in gvx's state directory),
so that 'gvx prune' keeps what it pins and 'gvx outdated' checks it.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "global", Aliases: []string{"g"}, Usage: "set the global default, $GVX_HOME/version"},
			&ucli.BoolFlag{Name: "no-install", Usage: "write the file even if no installed version matches"},
			&ucli.BoolFlag{Name: "unset", Usage: "with --global: remove the global default"},
		},
		BashComplete: completeVersions(e, "latest", "system"),
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return usagef("use takes one version, got %d: %s", c.NArg(), strings.Join(c.Args().Slice(), " "))
			}
			if c.Bool("unset") {
				return runUnsetGlobal(e, c.Bool("global"), c.Args().First())
			}
			return runUse(c.Context, e, c.Args().First(), c.Bool("global"), c.Bool("no-install"))
		},
	}
}

// runUse writes the version file: raw is the spec the user typed, "" to pin
// what go.mod or go.work requires.
func runUse(ctx context.Context, e *env, raw string, global, noInstall bool) error {
	if raw == "" && global {
		return usagef("use --global: name a version, e.g. 'gvx use --global 1.22.6'")
	}
	var sp goversion.Spec
	if raw != "" {
		var err error
		if sp, err = goversion.ParseSpec(raw); err != nil {
			return err
		}
	}
	dirs, err := e.dirs()
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("find the working directory: %w", err)
	}
	if raw == "" {
		v, err := pinRequirement(ctx, e, dirs, cwd, noInstall)
		if err != nil {
			return err
		}
		sp = goversion.MustParseSpec(v.String())
	} else if err := ensureInstalled(ctx, e, dirs, sp, noInstall); err != nil {
		return err
	}

	path := filepath.Join(cwd, shim.GoVersionFile)
	if global {
		path = dirs.Global()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("set the global default: %w", err)
		}
	} else if tv, line, ok := toolVersionsPin(cwd); ok {
		// The directory pins Go in asdf/mise's .tool-versions: change
		// that line, rather than shadow it with a .go-version that gvx
		// would follow and asdf and mise would not.
		if err := rewriteToolVersions(tv, line, sp.String()); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote %s to %s:%d (asdf and mise read it too)\n", sp, tv, line)
		e.rememberProject(cwd)
		return nil
	}
	if err := writeFileAtomic(path, []byte(sp.String()+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s to %s\n", sp, path)
	if !global {
		e.rememberProject(cwd)
	}

	// Say when something with higher precedence still decides here, so
	// that the user is not surprised by the next go call.
	if sel, err := shim.Select(dirs, cwd, e.getenv); sel.Origin.Kind != shim.OriginNone && sel.Origin.Path != path {
		e.notef("%s still decides in %s (it comes before %s); %s", sel.Origin, cwd, path, overrideHint(sel.Origin))
	} else if err != nil && !errors.As(err, new(*shim.NotInstalledError)) {
		e.notef("%v", err)
	}
	return nil
}

// toolVersionsPin returns the .tool-versions of dir and the line of its
// golang (or go) entry, when dir has one and no .go-version (which would
// decide before it).
func toolVersionsPin(dir string) (path string, line int, ok bool) {
	if _, err := os.Lstat(filepath.Join(dir, shim.GoVersionFile)); err == nil {
		return "", 0, false
	}
	path = filepath.Join(dir, shim.ToolVersionsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return "", 0, false
	}
	specs, line, err := shim.ParseToolVersions(path, data)
	if err != nil || len(specs) == 0 {
		return "", 0, false
	}
	return path, line, true
}

// rewriteToolVersions sets the versions of the golang entry on line of a
// .tool-versions file to spec, keeping the tool's word, the spacing before
// the versions, a trailing comment, the line ending and every other line.
func rewriteToolVersions(path string, line int, spec string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(data), "\n")
	if line < 1 || line > len(lines) {
		return fmt.Errorf("%s: no line %d to rewrite; edit it by hand", path, line)
	}
	l := lines[line-1]
	body := strings.TrimRight(l, "\r\n")
	end := l[len(body):] // the line's own ending, CRLF kept
	comment := ""
	if c := strings.IndexByte(body, '#'); c >= 0 {
		body, comment = body[:c], body[c:]
	}
	// body is: indent, the word golang or go, spacing, the versions, spacing.
	content := strings.TrimRight(body, " \t")
	space := body[len(content):]
	start := len(content) - len(strings.TrimLeft(content, " \t"))
	word := start + strings.IndexAny(content[start:]+" ", " \t")
	versions := word + len(content[word:]) - len(strings.TrimLeft(content[word:], " \t"))
	if comment != "" && space == "" {
		space = " "
	}
	lines[line-1] = content[:versions] + spec + space + comment + end
	return writeFileAtomic(path, []byte(strings.Join(lines, "")), 0o644)
}

// overrideHint says how to make a freshly written version file count.
func overrideHint(o shim.Origin) string {
	switch o.Kind {
	case shim.OriginEnv:
		return "run 'gvx shell --unset' to drop it"
	case shim.OriginGoVersion, shim.OriginToolVersions:
		return "edit or remove that file, or run 'gvx use' in that directory"
	}
	return "see 'gvx current'"
}

// ensureInstalled installs a version matching sp unless one is installed,
// sp is "system", or noInstall is set (then it only warns).
func ensureInstalled(ctx context.Context, e *env, dirs layout.Dirs, sp goversion.Spec, noInstall bool) error {
	_, err := shim.Resolve(dirs, e.getenv, shim.Origin{Kind: shim.OriginArgument, Spec: sp.String()}, sp)
	var nie *shim.NotInstalledError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &nie):
		return err
	case sp.Kind() == goversion.System:
		e.notef("no system go on PATH outside gvx yet; 'system' will fail until there is one")
		return nil
	case noInstall:
		if err := e.checkExists(ctx, sp); err != nil {
			return err
		}
		e.notef("no installed Go matches %s; run 'gvx install %s'", sp, nie.InstallArg())
		return nil
	}
	return runInstall(ctx, e, []string{sp.String()}, false, "")
}

// pinRequirement returns the version to pin for the go.mod or go.work that
// applies in cwd: the version the go command would switch to when it is
// installed, else the newest installed patch of that Go line, else the
// newest patch of the oldest newer installed line (shim.ForRequirement).
// With none of them installed, unless noInstall, it installs the newest
// patch of the go.mod's own line (or its exact prerelease) and pins that.
func pinRequirement(ctx context.Context, e *env, dirs layout.Dirs, cwd string, noInstall bool) (goversion.Version, error) {
	req, err := shim.FindRequirement(cwd, e.getenv)
	if err != nil {
		return goversion.Version{}, err
	}
	if req == nil {
		return goversion.Version{}, usagef("use: no go.mod or go.work in %s or above; name a version, e.g. 'gvx use 1.22.6'", cwd)
	}
	min, line := req.Minimum()
	where := req.Path
	if line > 0 {
		where = fmt.Sprintf("%s:%d", req.Path, line)
	}
	if v, ok := shim.ForRequirement(dirs, min, req.Least()); ok {
		return v, nil
	}
	if noInstall {
		return goversion.Version{}, fmt.Errorf("no installed Go is %s or newer (required by %s); run 'gvx install %s'", min.GoName(), where, min)
	}
	spec := min.String()
	if min.Stable() {
		spec = min.Lang() // the newest patch of the module's own line
	}
	if err := runInstall(ctx, e, []string{spec}, false, ""); err != nil {
		return goversion.Version{}, err
	}
	if v, ok := shim.ForRequirement(dirs, min, req.Least()); ok {
		return v, nil
	}
	return goversion.Version{}, fmt.Errorf("installed %s for %s, but it does not meet %s", spec, where, min.GoName())
}

// writeFileAtomic replaces path with data as atomicfile.Write does: readers
// (every shim call) see the old content or the new, a symbolic link (a
// dotfile manager's rc file, dangling or not) stays a link and its target is
// written, an existing file keeps its permissions, and what a killed write
// left beside the file is removed.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	return atomicfile.Write(path, data, perm)
}

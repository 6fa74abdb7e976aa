// Package shim is gvx's hot path: it decides which installed Go applies to
// the current invocation, shell and directory, and execs that Go's real
// binary in one hop. It is used by the shim binary (cmd/gvx-shim, installed
// as $GVX_HOME/shims/go, gofmt and go<version>) and by the gvx commands that
// report or apply the selection (current, which, exec, env).
//
// It imports only the standard library, gvx's goenv, goversion, layout and
// atomicfile, and go-internal's lockedfile (for Sync): every package linked
// into the shim costs start-up time on every go call.
//
// Selection, highest first:
//
//  1. a "+SPEC" first argument: go +1.22.6 test ./...
//  2. a version-named shim: go1.22.6 runs exactly that version
//  3. GVX_GO_VERSION (what gvx shell sets)
//  4. walking up from the working directory, the nearest .go-version or
//     .tool-versions with a golang/go line (.go-version first in one directory)
//  5. the global default, $GVX_HOME/version
//  6. the nearest go.work (GOWORK is honoured), else go.mod: max(go,
//     toolchain) as a minimum, the newest installed version satisfying it
//
// A version counts as installed when $GVX_HOME/versions/<version> holds its
// receipt (layout.ReceiptName), which install writes before the root is
// renamed into place. An exact spec costs one stat however many versions are
// installed; other specs list the versions directory once.
//
// The environment the real go gets is described at Environ. The shim runs
// the real binary with execve on Unix (no child process) and as a child
// process with signals forwarded and the exit code passed through on
// Windows. A depth counter in GVX_SHIM_DEPTH stops loops through PATH.
//
// Files the CLI and the shim share (see InstallShims and RecordGvx):
//
//	$GVX_HOME/libexec/gvx-shim   gvx's own copy of the shim binary
//	$GVX_HOME/libexec/gvx-path   the path of the gvx executable, one line;
//	                             the shim runs "<it> install SPEC" when
//	                             GVX_AUTO_INSTALL=1 (gvx on PATH otherwise)
//	$GVX_HOME/shims/go, gofmt, go1.22.6, ...  links to libexec/gvx-shim
package shim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// EnvGoVersion selects a version for one shell; gvx shell sets it.
const EnvGoVersion = "GVX_GO_VERSION"

// Names of the files read while walking up from the working directory.
const (
	GoVersionFile    = ".go-version"
	ToolVersionsFile = ".tool-versions"
)

// OriginKind says which source selected a version.
type OriginKind int

const (
	OriginNone         OriginKind = iota
	OriginArgument                // a "+1.22.6" first argument
	OriginCommand                 // a version-named shim, go1.22.6
	OriginEnv                     // GVX_GO_VERSION
	OriginGoVersion               // a .go-version file
	OriginToolVersions            // a .tool-versions file
	OriginGlobal                  // $GVX_HOME/version
	OriginGoWork                  // a go.work minimum
	OriginGoMod                   // a go.mod minimum
	OriginSwitch                  // the go command switching toolchains (goenv.SwitchVersion)
)

// Origin is where a selection came from. Path and Line are set for files;
// Spec holds what was typed for an argument or command name.
type Origin struct {
	Kind OriginKind
	Path string
	Line int
	Spec string
}

// String describes the origin for messages: "/src/app/.go-version:1",
// "GVX_GO_VERSION", "+1.22.6 argument", "go1.22.6 command".
func (o Origin) String() string {
	switch o.Kind {
	case OriginArgument:
		return "+" + o.Spec + " argument"
	case OriginCommand:
		return o.Spec + " command"
	case OriginEnv:
		return EnvGoVersion
	case OriginSwitch:
		return "the go command's toolchain switch (" + goenv.SwitchVersion + "=" + o.Spec + ")"
	case OriginNone:
		return "nothing"
	}
	if o.Line > 0 {
		return o.Path + ":" + strconv.Itoa(o.Line)
	}
	return o.Path
}

// Selection is the Go version that applies, and why.
type Selection struct {
	Spec    goversion.Spec
	Origin  Origin
	Version goversion.Version // the installed version chosen; zero when not installed or system
	// Installed reports whether the selection can run: an installed gvx
	// version, or for the spec "system" a go found on PATH.
	Installed bool
	GOROOT    string // root of the installed version; "" for system
	System    string // path of the system go, for the spec "system"
	// Requirement is the go.work or go.mod that applies in the directory
	// (see FindRequirement), whatever decided; nil when there is none or it
	// cannot be read. gvx current warns when it asks for a newer Go.
	Requirement *Requirement
	// Floor is what the go command started as the explicitly selected
	// version would do about its toolchain (see ApplyFloor): set when it
	// would switch, and for Select and ApplyFloor whenever it was worked
	// out; nil for system, a version not installed, or no explicit choice.
	Floor *Floor
}

// Floor is what the go command's own toolchain switching (GOTOOLCHAIN) makes
// of an explicit selection: the go.work or go.mod asks for a newer Go, or
// GOTOOLCHAIN names another toolchain.
type Floor struct {
	// Requirement is the go.work or go.mod that asks; nil when GOTOOLCHAIN
	// alone names the toolchain.
	Requirement *Requirement
	// Toolchain is the effective GOTOOLCHAIN (environment, Go's env file,
	// the selected root's go.env).
	Toolchain goenv.Toolchain
	// Verdict is what the explicitly selected go would do.
	Verdict goenv.Verdict
	// From is the explicitly selected version.
	From goversion.Version
	// Raised reports that an installed version the go command accepts runs
	// instead of From (it is Selection.Version); otherwise From runs and the
	// go command switches by itself (downloading Verdict.Run) or refuses.
	Raised bool
}

// Line returns the go.work or go.mod line that asks for the switch, 0 when
// GOTOOLCHAIN alone decided.
func (f *Floor) Line() int {
	switch {
	case f.Requirement == nil:
		return 0
	case f.Verdict.Reason == goenv.ReasonToolchainLine:
		return f.Requirement.ToolchainLine
	case f.Verdict.Reason == goenv.ReasonGoLine:
		return f.Requirement.GoLine
	}
	return 0
}

// Tool returns the path of the named tool ("go", "gofmt") of the selection:
// in the installed root's bin, or beside the system go.
func (s Selection) Tool(name string) string {
	if s.System != "" {
		return filepath.Join(filepath.Dir(s.System), name+exeSuffix)
	}
	return filepath.Join(s.GOROOT, "bin", name+exeSuffix)
}

// NotInstalledError says the selected version is not installed.
type NotInstalledError struct {
	Spec   goversion.Spec
	Origin Origin
}

func (e *NotInstalledError) Error() string {
	switch e.Spec.Kind() {
	case goversion.Exact:
		return fmt.Sprintf("%s is not installed (selected by %s); run 'gvx install %s'", e.Spec.Version().GoName(), e.Origin, e.InstallArg())
	case goversion.AtLeast:
		return fmt.Sprintf("no installed Go is %s or newer (required by %s); run 'gvx install %s'", goenv.FirstRelease(e.Spec.Version()).GoName(), e.Origin, e.InstallArg())
	case goversion.System:
		return fmt.Sprintf("no system go on PATH outside gvx (selected by %s); install Go another way or choose a version with 'gvx use 1.22.6'", e.Origin)
	}
	return fmt.Sprintf("no installed Go matches %q (selected by %s); run 'gvx install %s'", e.Spec, e.Origin, e.InstallArg())
}

// InstallArg returns the argument for gvx install that satisfies the spec:
// the spec itself, or for a go.mod minimum that minimum version. It is ""
// for system, which gvx does not install.
func (e *NotInstalledError) InstallArg() string {
	switch e.Spec.Kind() {
	case goversion.System:
		return ""
	case goversion.Exact:
		return e.Spec.Version().String()
	case goversion.AtLeast:
		// What the go command would download: "go 1.22" is go1.22.0.
		return goenv.FirstRelease(e.Spec.Version()).String()
	case goversion.Constraint:
		return `"` + e.Spec.String() + `"`
	}
	return e.Spec.String()
}

// NoSelectionError says that no source selects a version.
type NoSelectionError struct {
	Dir string // where the walk started
}

func (e *NoSelectionError) Error() string {
	return "no Go version selected; run 'gvx use --global 1.22.6' or add a .go-version"
}

// Select finds the version that applies in cwd (an absolute directory),
// following sources 3 to 6 of the package doc; the argument and command-name
// sources are the caller's (see Resolve). It returns a *FileError for a broken
// version file and a *NoSelectionError when nothing selects a version. When
// the selected version is not installed it returns the Selection (Installed
// false) together with a *NotInstalledError. Selection.Requirement is the
// go.work or go.mod that applies in cwd, whatever decided.
func Select(dirs layout.Dirs, cwd string, getenv func(string) string) (Selection, error) {
	return selectVersion(dirs, cwd, getenv, true)
}

// selectVersion is Select; the shim passes withReq false, so that go.mod
// and go.work are read only when the go command's switching could use them.
func selectVersion(dirs layout.Dirs, cwd string, getenv func(string) string, withReq bool) (Selection, error) {
	sel, found, err := pinned(dirs, cwd, getenv)
	if found {
		if err != nil {
			if withReq {
				sel.Requirement, _ = FindRequirement(cwd, getenv)
			}
			return sel, err
		}
		return applyFloor(dirs, cwd, getenv, sel, withReq), nil
	}
	req, err := FindRequirement(cwd, getenv)
	if err != nil {
		return Selection{}, err
	}
	if req == nil {
		return Selection{}, &NoSelectionError{Dir: cwd}
	}
	kind := OriginGoMod
	if req.work {
		kind = OriginGoWork
	}
	_, line := req.Minimum()
	sel, err = Resolve(dirs, getenv, Origin{Kind: kind, Path: req.Path, Line: line}, req.Spec())
	sel.Requirement = req
	return sel, err
}

// ApplyFloor returns sel, an explicit selection (a +SPEC argument, a
// version-named shim, GVX_GO_VERSION, a version file or the global
// default) for the working directory cwd, adjusted the way the go command
// would adjust it, so that it never has to switch to a toolchain gvx
// already has. With the effective GOTOOLCHAIN (environment, Go's env file,
// the selected root's go.env) allowing switches (auto, path, X+auto,
// X+path), or naming a toolchain, the go command started as sel would run
// goenv.Decide's verdict instead; then the version that runs is:
//
//   - that exact toolchain, when it is installed;
//   - else, when GOTOOLCHAIN names no minimum of its own, the newest
//     installed patch of the same Go line that is at least as new (stable
//     releases before prereleases), else the newest patch of the oldest
//     newer installed line: the go command runs either without switching;
//   - else sel, and the go command does what it does (downloads, or fails
//     for path).
//
// GOTOOLCHAIN=local, GO111MODULE=off, a selection that is not installed,
// system, and a go.mod the go command would refuse leave sel as it is (the
// go command then reports its own error). Selection.Floor records the
// verdict, and Selection.Requirement the go.work or go.mod.
func ApplyFloor(dirs layout.Dirs, cwd string, getenv func(string) string, sel Selection) Selection {
	return applyFloor(dirs, cwd, getenv, sel, true)
}

func applyFloor(dirs layout.Dirs, cwd string, getenv func(string) string, sel Selection, withReq bool) Selection {
	if withReq {
		sel.Requirement, _ = FindRequirement(cwd, getenv)
	}
	if !sel.Installed || sel.System != "" || sel.Version.IsZero() {
		return sel
	}
	st := &goenv.Settings{Getenv: getenv, GOROOT: sel.GOROOT}
	modulesOff := st.Value("GO111MODULE") == "off"
	tc, err := goenv.LookupToolchain(st)
	if err != nil {
		return sel // a GOTOOLCHAIN the go command itself refuses
	}
	if !withReq {
		// The shim's fast path: reading go.mod and go.work only pays off
		// when the go command could switch for them, and to a version
		// gvx has. Without a minimum of GOTOOLCHAIN's own, Go only
		// switches up, so with nothing installed newer than the selection
		// (and nothing to install) the selection runs whatever go.mod says.
		if modulesOff || (tc.Min == "" && !tc.Switches()) {
			return sel
		}
		if tc.Min == "" && getenv(envAutoInstall) != "1" && !newerInstalled(dirs, sel.Version) {
			return sel
		}
		if tc.Switches() {
			sel.Requirement, _ = FindRequirement(cwd, getenv)
		}
	}
	var mod *goenv.Module
	if sel.Requirement != nil {
		mod = sel.Requirement.Module()
	}
	v := goenv.Decide(sel.Version, tc, mod, modulesOff)
	f := &Floor{Toolchain: tc, Verdict: v, From: sel.Version}
	if v.Reason != goenv.ReasonGOTOOLCHAIN {
		f.Requirement = sel.Requirement
	}
	if v.Run == "" {
		if withReq {
			sel.Floor = f
		}
		return sel
	}
	sel.Floor = f
	least := v.Version
	if f.Requirement != nil && tc.Min == "" {
		least = f.Requirement.Least()
	}
	if iv, ok := floorPick(dirs, nil, v.Version, least, tc.Min == "" && tc.Switches()); ok {
		sel.Version, sel.GOROOT, f.Raised = iv.v, dirs.Version(iv.name), true
	}
	return sel
}

// ForRequirement returns the installed version to pin for a module whose
// go command would switch to target and runs anything at least least
// without switching: target itself, else the newest installed patch of its
// line, else the newest patch of the oldest newer installed line (see
// floorPick). gvx use pins it.
func ForRequirement(dirs layout.Dirs, target, least goversion.Version) (goversion.Version, bool) {
	iv, ok := floorPick(dirs, nil, target, least, true)
	return iv.v, ok
}

// floorPick finds the installed version to run for a go command that would
// switch to target: target itself; or, when nearby is set (the go command
// runs any toolchain at least least without switching), the newest
// installed patch of target's line that is at least least, else the newest
// patch of the oldest newer installed line. Stable releases win over
// prereleases. listed is listVersions(dirs) when the caller has it, or nil.
func floorPick(dirs layout.Dirs, listed []installed, target, least goversion.Version, nearby bool) (installed, bool) {
	if name, ok := installedExact(dirs, target); ok {
		return installed{name, goversion.MustParse(name)}, true
	}
	if !nearby {
		return installed{}, false
	}
	_, tminor := target.MajorMinor()
	if listed == nil {
		listed = listVersions(dirs) // newest first
	}
	runs := func(v goversion.Version) bool {
		return goversion.Compare(v, least) >= 0 && (v.Stable() || v.Prerelease())
	}
	line := -1
	for i := len(listed) - 1; i >= 0; i-- { // oldest first
		if _, minor := listed[i].v.MajorMinor(); minor >= tminor && runs(listed[i].v) && hasReceipt(dirs, listed[i].name) {
			line = minor
			break
		}
	}
	return newest(dirs, listed, func(v goversion.Version) bool {
		_, minor := v.MajorMinor()
		return minor == line && runs(v)
	})
}

// newest returns the newest of listed (newest first) that match accepts and
// whose install is complete, a stable release before any prerelease. It
// checks receipts only of candidates, and of no prerelease once one is
// found.
func newest(dirs layout.Dirs, listed []installed, match func(goversion.Version) bool) (installed, bool) {
	var pre *installed
	for i, iv := range listed {
		if !match(iv.v) || (pre != nil && !iv.v.Stable()) || !hasReceipt(dirs, iv.name) {
			continue
		}
		if iv.v.Stable() {
			return iv, true
		}
		pre = &listed[i]
	}
	if pre != nil {
		return *pre, true
	}
	return installed{}, false
}

// pinned looks for an explicit choice: GVX_GO_VERSION, then the nearest
// .go-version or .tool-versions with a go line, then the global default.
// found reports whether one of them decided (err may then be set).
func pinned(dirs layout.Dirs, cwd string, getenv func(string) string) (sel Selection, found bool, err error) {
	if s := getenv(EnvGoVersion); s != "" {
		sp, err := goversion.ParseSpec(s)
		if err != nil {
			return Selection{}, true, fmt.Errorf("%s: %w; fix it or run 'gvx shell --unset'", EnvGoVersion, err)
		}
		sel, err := Resolve(dirs, getenv, Origin{Kind: OriginEnv}, sp)
		return sel, true, err
	}
	tmp := tempRoots()
	for dir := filepath.Clean(cwd); ; {
		// Anyone may write in a temp root: files there pin nobody's go.
		if !slices.Contains(tmp, dir) {
			if sel, found, err := pinnedIn(dirs, dir, getenv); found {
				return sel, true, err
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	path := dirs.Global()
	data, ok, err := readBounded(path, maxVersionFile, versionFileHolds)
	if err != nil {
		return Selection{}, true, err
	}
	if !ok {
		return Selection{}, false, nil
	}
	sp, line, err := ParseGoVersion(path, data)
	if err != nil {
		return Selection{}, true, err
	}
	sel, err = Resolve(dirs, getenv, Origin{Kind: OriginGlobal, Path: path, Line: line}, sp)
	return sel, true, err
}

// pinnedIn looks for a .go-version, else a .tool-versions with a go line,
// in dir.
func pinnedIn(dirs layout.Dirs, dir string, getenv func(string) string) (sel Selection, found bool, err error) {
	path := filepath.Join(dir, GoVersionFile)
	data, ok, err := readBounded(path, maxVersionFile, versionFileHolds)
	if err != nil {
		return Selection{}, true, err
	}
	if ok {
		sp, line, err := ParseGoVersion(path, data)
		if err != nil {
			return Selection{}, true, err
		}
		sel, err := Resolve(dirs, getenv, Origin{Kind: OriginGoVersion, Path: path, Line: line}, sp)
		return sel, true, err
	}
	path = filepath.Join(dir, ToolVersionsFile)
	data, ok, err = readBounded(path, maxVersionFile, versionFileHolds)
	if err != nil {
		return Selection{}, true, err
	}
	if !ok {
		return Selection{}, false, nil
	}
	specs, line, err := ParseToolVersions(path, data)
	if err != nil || len(specs) == 0 {
		return Selection{}, err != nil, err
	}
	sel, err = Resolve(dirs, getenv, Origin{Kind: OriginToolVersions, Path: path, Line: line}, specs...)
	return sel, true, err
}

// FindRequirement returns the go.work or go.mod requirement that applies in
// cwd, found as the go command finds it (modload.FindGoWork, FindGoMod):
// GOWORK names the workspace file (off: none; it must be absolute, and a
// file that does not exist yet is skipped); else the nearest go.work walking
// up, which wins over any go.mod; else the nearest go.mod, except that a
// go.mod in the system temp directory itself is ignored
// (golang.org/issue/26708). It returns nil when there is none, and a
// *FileError for a broken file or an invalid GOWORK. A go.work in a temp
// root is skipped too (see tempRoots).
func FindRequirement(cwd string, getenv func(string) string) (*Requirement, error) {
	tmp := tempRoots()
	switch gowork := getenv("GOWORK"); gowork {
	case "off":
	case "", "auto":
		for dir := filepath.Clean(cwd); ; {
			if slices.Contains(tmp, dir) {
				// Skipped, unlike the go command, which reads it: anyone
				// may write it, and a stranger's file must not pick, break
				// or hang everyone's go (gvx then runs a version the go
				// command may still switch from, as it would anyway).
			} else if r, err := readRequirement(filepath.Join(dir, "go.work"), true); r != nil || err != nil {
				return r, err
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	default:
		if !filepath.IsAbs(gowork) {
			return nil, &FileError{Path: "GOWORK=" + gowork, Err: errors.New("invalid GOWORK: not an absolute path; set it to the absolute path of a go.work file, or off")}
		}
		if r, err := readRequirement(gowork, true); r != nil || err != nil {
			return r, err
		}
	}
	for dir := filepath.Clean(cwd); ; {
		path := filepath.Join(dir, "go.mod")
		if slices.Contains(tmp, dir) {
			if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
				return nil, nil // the search ends here, without reading it
			}
		} else if r, err := readRequirement(path, false); r != nil || err != nil {
			return r, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// tempRoots are the system temp directories themselves (os.TempDir, and on
// Unix /tmp and /var/tmp, /private/tmp on macOS), where any local user may
// create files. Version files and go.mod/go.work there are not read.
func tempRoots() []string {
	roots := []string{filepath.Clean(os.TempDir())}
	if os.PathSeparator == '/' {
		roots = append(roots, "/tmp", "/var/tmp", "/private/tmp")
	}
	return roots
}

// readRequirement reads one go.mod or go.work; nil when it does not exist.
func readRequirement(path string, work bool) (*Requirement, error) {
	data, ok, err := readBounded(path, maxModFile, modFileHolds)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	r, err := parseGoMod(path, data)
	if err != nil {
		return nil, err
	}
	r.work = work
	return r, nil
}

// Resolve finds the first of specs that is installed (several specs are asdf
// fallbacks from .tool-versions; usually there is one). The spec "system" is
// the first go on PATH that is not gvx's. When none is installed it returns
// the Selection for the first spec (Installed false) and a
// *NotInstalledError. Exact specs cost one stat, whatever the number of
// installed versions; other specs list the versions directory once.
func Resolve(dirs layout.Dirs, getenv func(string) string, origin Origin, specs ...goversion.Spec) (Selection, error) {
	if len(specs) == 0 {
		return Selection{}, &NoSelectionError{}
	}
	var listed []installed
	listedOK := false
	for _, sp := range specs {
		sel := Selection{Spec: sp, Origin: origin}
		switch sp.Kind() {
		case goversion.System:
			if p, ok := goenv.SystemGo(dirs, getenv("PATH")); ok {
				sel.System, sel.Installed = p, true
				return sel, nil
			}
			continue
		case goversion.Exact:
			if name, ok := installedExact(dirs, sp.Version()); ok {
				sel.Version, sel.GOROOT, sel.Installed = goversion.MustParse(name), dirs.Version(name), true
				return sel, nil
			}
			continue
		}
		if !listedOK {
			listed, listedOK = listVersions(dirs), true
		}
		if iv, ok := newest(dirs, listed, sp.Matches); ok {
			sel.Version, sel.GOROOT, sel.Installed = iv.v, dirs.Version(iv.name), true
			return sel, nil
		}
	}
	return Selection{Spec: specs[0], Origin: origin}, &NotInstalledError{Spec: specs[0], Origin: origin}
}

type installed struct {
	name string
	v    goversion.Version
}

// listVersions returns the directories of Versions() named as Go versions,
// newest first, without checking their receipts.
func listVersions(dirs layout.Dirs) []installed {
	names, err := readDirNames(dirs.Versions())
	if err != nil {
		return nil
	}
	out := make([]installed, 0, len(names))
	for _, n := range names {
		if v, ok := layout.VersionDir(n); ok {
			out = append(out, installed{n, v})
		}
	}
	slices.SortFunc(out, func(a, b installed) int { return goversion.Compare(b.v, a.v) })
	return out
}

// newerInstalled reports whether the versions directory holds a version
// newer than v. It stops at the first one, sorts nothing and checks no
// receipt (an install in progress counts: the caller then only does work
// that was not needed).
func newerInstalled(dirs layout.Dirs, v goversion.Version) bool {
	names, _ := readDirNames(dirs.Versions())
	for _, n := range names {
		if iv, ok := layout.VersionDir(n); ok && goversion.Compare(iv, v) > 0 {
			return true
		}
	}
	return false
}

// InstalledVersions returns the complete installs in dirs (those with a
// receipt), oldest first.
func InstalledVersions(dirs layout.Dirs) []goversion.Version {
	var out []goversion.Version
	for _, iv := range listVersions(dirs) {
		if hasReceipt(dirs, iv.name) {
			out = append(out, iv.v)
		}
	}
	slices.Reverse(out)
	return out
}

func hasReceipt(dirs layout.Dirs, name string) bool {
	_, err := os.Stat(dirs.Receipt(name))
	return err == nil
}

// installedExact finds the root of version v with one stat (two for Go 1.20
// and older, where "1.20" and "1.20.0" name the same release).
func installedExact(dirs layout.Dirs, v goversion.Version) (string, bool) {
	name := v.String()
	if hasReceipt(dirs, name) {
		return name, true
	}
	if !v.Stable() {
		return "", false
	}
	alt := ""
	if _, minor := v.MajorMinor(); minor <= 20 {
		if strings.Count(name, ".") == 1 {
			alt = name + ".0"
		} else if n, ok := strings.CutSuffix(name, ".0"); ok {
			alt = n
		}
	}
	if alt != "" && hasReceipt(dirs, alt) {
		return alt, true
	}
	return "", false
}

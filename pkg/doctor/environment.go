package doctor

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
)

// goSetting returns a go env setting as the selected go would see it, and
// where it came from: the environment, Go's user env file (what go env -w
// writes), or the selected root's go.env (see goenv.Settings). It returns
// "", "" when none sets it.
func (s *state) goSetting(key string) (value, source string) {
	if s.settings == nil {
		s.settings = &goenv.Settings{Getenv: s.Getenv, GOOS: s.GOOS, GOROOT: s.goroot()}
	}
	return s.settings.Get(key)
}

// goroot is the root of the go that runs here: the selected version's, or
// for system (or no selection) that of the first other go on PATH.
func (s *state) goroot() string {
	if s.sel.GOROOT != "" {
		return s.sel.GOROOT
	}
	gos := s.otherGos()
	if len(gos) == 0 {
		return ""
	}
	p := gos[0]
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Dir(filepath.Dir(p))
}

func (s *state) onPath(dir string) bool {
	for _, d := range s.pathDirs() {
		if samePath(d, dir) {
			return true
		}
	}
	return false
}

// checkGOROOT looks for a GOROOT exported in the shell.
func checkGOROOT(_ context.Context, s *state) []Result {
	const id = "env.goroot"
	goroot := s.Getenv("GOROOT")
	if goroot == "" {
		return []Result{ok(id, "GOROOT is not exported (each Go finds its own)")}
	}
	fix := "unset GOROOT\n(and remove its export from " + s.rcFile() + ")"
	if fi, err := s.Stat(goroot); err != nil || !fi.IsDir() {
		return []Result{fail(id, fix, "GOROOT=%s is exported but is not a directory", goroot)}
	}
	if s.sel.Installed && s.sel.GOROOT != "" {
		if samePath(goroot, s.sel.GOROOT) {
			return []Result{warn(id, fix, "GOROOT=%s is exported; it names the selected %s, but goes stale at the next switch", goroot, s.sel.Version.GoName())}
		}
		return []Result{fail(id, fix, "GOROOT=%s is exported and holds %s, not the selected %s: tools that read GOROOT mix two Gos",
			goroot, s.rootVersion(goroot), s.sel.Version.GoName())}
	}
	return []Result{warn(id, fix, "GOROOT=%s is exported (%s); gvx's shims override it, other tools do not", goroot, s.rootVersion(goroot))}
}

// rootVersion names the Go in a GOROOT from its VERSION file.
func (s *state) rootVersion(root string) string {
	data, err := s.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return "an unknown Go"
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if first = strings.TrimSpace(first); strings.HasPrefix(first, "go") {
		return first
	}
	return "an unknown Go"
}

// checkGOBIN checks that the directory go install writes to is on PATH.
func checkGOBIN(_ context.Context, s *state) []Result {
	const id = "env.gobin"
	dir, src := s.goSetting("GOBIN")
	what := "GOBIN"
	if dir == "" {
		gopath, gsrc := s.goSetting("GOPATH")
		if gopath == "" {
			home := s.Getenv("HOME")
			if s.GOOS == "windows" {
				home = s.Getenv("USERPROFILE")
			}
			if home == "" {
				return []Result{warn(id, "set GOBIN, and put it on PATH", "neither GOBIN, GOPATH nor HOME is set: go install has nowhere to put tools")}
			}
			gopath, gsrc = filepath.Join(home, "go"), "default"
		}
		first := filepath.SplitList(gopath)[0]
		dir, src, what = filepath.Join(first, "bin"), gsrc, "GOPATH/bin"
	}
	if s.onPath(dir) {
		return []Result{ok(id, "%s %s is on PATH", what, dir)}
	}
	from := ""
	if src != "" && src != "default" {
		from = " (from " + src + ")"
	}
	fix := fmt.Sprintf(`export PATH="$PATH:%s"`, dir)
	if s.GOOS == "windows" {
		fix = fmt.Sprintf(`$env:PATH += ";%s"`, dir)
	}
	return []Result{warn(id, fix+"\n(add it to "+s.rcFile()+")",
		"%s %s%s is not on PATH: tools installed with go install will not be found", what, dir, from)}
}

// checkGOTOOLCHAIN reports GOTOOLCHAIN and what the go command does with it
// here (goenv.Decide, as the shim applies it): run the selection, run the
// toolchain it would switch to (which gvx then runs directly), switch by
// itself to one gvx lacks, or refuse.
func checkGOTOOLCHAIN(_ context.Context, s *state) []Result {
	const id = "gotoolchain"
	value, src := s.goSetting("GOTOOLCHAIN")
	tc, err := goenv.ParseToolchain(value, src)
	shown := fmt.Sprintf("GOTOOLCHAIN=%s (from %s)", value, src)
	if value == "" {
		shown = "GOTOOLCHAIN is not set (go.env has none, so it acts as local)"
	}
	unsetFix := "unset GOTOOLCHAIN; go env -u GOTOOLCHAIN"
	if err != nil {
		return []Result{fail(id, unsetFix, "%s is not local, auto, path or a toolchain name such as go1.22.6: every go command fails (%v)", shown, err)}
	}
	f := s.sel.Floor
	if f == nil { // nothing explicit is installed, or system
		if tc.Min != "" && !tc.Switches() {
			return []Result{warn(id, unsetFix, "%s: every go command runs %s, whatever gvx selects", shown, tc.MinVersion.GoName())}
		}
		return []Result{ok(id, "%s", shown)}
	}
	v, have := f.Verdict, f.From
	where := ""
	if r := f.Requirement; r != nil {
		line := f.Line()
		if line == 0 {
			line = r.GoLine
		}
		where = r.Path
		if line > 0 {
			where = fmt.Sprintf("%s:%d", r.Path, line)
		}
	}
	if v.Run == "" {
		need, _ := s.requirementMinimum()
		useFix := fmt.Sprintf("gvx install %[1]s && gvx use %[1]s", need.String())
		switch {
		case v.Refuses && v.Reason == goenv.ReasonTooOld:
			return []Result{fail(id, useFix, "%s needs %s, and the selected %s is older than go1.21 and cannot switch: go commands here fail", where, need.GoName(), have.GoName())}
		case v.Refuses:
			return []Result{fail(id, useFix, "%s needs %s, newer than the selected %s, and %s: go commands here fail", where, need.GoName(), have.GoName(), shown)}
		case f.Requirement != nil:
			return []Result{ok(id, "%s; %s needs %s and the selected %s meets it", shown, where, need.GoName(), have.GoName())}
		}
		return []Result{ok(id, "%s", shown)}
	}
	if f.Raised {
		if v.Reason == goenv.ReasonGOTOOLCHAIN {
			return []Result{warn(id, unsetFix, "%s: every go command runs %s, whatever gvx selects (gvx runs it directly instead of %s)", shown, v.Run, have.GoName())}
		}
		return []Result{ok(id, "%s; %s needs %s: go would switch to it from the selected %s, so gvx runs the installed %s directly", shown, where, v.Version.GoName(), have.GoName(), s.sel.Version.GoName())}
	}
	install := "gvx install " + v.Version.String()
	if v.Reason == goenv.ReasonGOTOOLCHAIN {
		if !tc.Switches() {
			return []Result{warn(id, unsetFix, "%s: every go command runs %s, whatever gvx selects", shown, v.Run)}
		}
		return []Result{warn(id, unsetFix, "%s: go commands run at least %s, newer than the selected %s", shown, v.Run, have.GoName())}
	}
	switch p, err := s.LookPath(v.Run); {
	case err == nil && goenv.IsGvx(s.Dirs, p):
		return []Result{fail(id, "gvx doctor --fix\n(or: "+install+")", "%s; %s needs %s: go switches to gvx's shim %s, but %s is not installed: a stale shim", shown, where, v.Run, p, v.Run)}
	case err == nil:
		return []Result{warn(id, install, "%s; %s needs %s: go switches to %s, which is not gvx's", shown, where, v.Run, p)}
	case v.PathOnly:
		return []Result{fail(id, install, "%s; %s needs %s and it is not on PATH: go commands here fail", shown, where, v.Run)}
	}
	return []Result{warn(id, install+"\n(gvx then runs it directly)",
		"%s; %s needs %s, newer than the selected %s: go downloads it through GOPROXY into the module cache", shown, where, v.Run, have.GoName())}
}

// requirementMinimum is the toolchain the go.work or go.mod here needs.
func (s *state) requirementMinimum() (goversion.Version, int) {
	if r := s.sel.Requirement; r != nil {
		return r.Minimum()
	}
	return goversion.Version{}, 0
}

package doctor

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// goSetting returns a go env setting as the selected go would see it, and
// where it came from: the environment, Go's user env file (what go env -w
// writes), or the selected root's go.env. It returns "", "" when none sets it.
func (s *state) goSetting(key string) (value, source string) {
	if v := s.Getenv(key); v != "" {
		return v, "environment"
	}
	if f := s.goEnvFile(); f != "" {
		if v := s.readEnvFile(f, key); v != "" {
			return v, f
		}
	}
	if root := s.goroot(); root != "" {
		f := filepath.Join(root, "go.env")
		if v := s.readEnvFile(f, key); v != "" {
			return v, f
		}
	}
	return "", ""
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

// goEnvFile is Go's user env file: $GOENV, else go/env in the user config
// directory (os.UserConfigDir's rules, read through the Env's getenv).
func (s *state) goEnvFile() string {
	if f := s.Getenv("GOENV"); f != "" {
		if f == "off" {
			return ""
		}
		return f
	}
	var dir string
	switch s.GOOS {
	case "windows":
		dir = s.Getenv("AppData")
	case "darwin", "ios":
		if h := s.Getenv("HOME"); h != "" {
			dir = filepath.Join(h, "Library", "Application Support")
		}
	case "plan9":
		if h := s.Getenv("home"); h != "" {
			dir = filepath.Join(h, "lib")
		}
	default:
		dir = s.Getenv("XDG_CONFIG_HOME")
		if dir == "" || !filepath.IsAbs(dir) {
			dir = ""
			if h := s.Getenv("HOME"); h != "" {
				dir = filepath.Join(h, ".config")
			}
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// readEnvFile reads key from a file of KEY=VALUE lines, as go env -w
// writes them and go.env holds them. The last assignment wins.
func (s *state) readEnvFile(path, key string) string {
	data, err := s.ReadFile(path)
	if err != nil {
		return ""
	}
	var val string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == key {
			val = strings.TrimSpace(v)
		}
	}
	return val
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

// go121 is the first Go that switches toolchains (GOTOOLCHAIN).
var go121 = goversion.MustParse("1.21.0")

// checkGOTOOLCHAIN reports GOTOOLCHAIN and what it does here when go.mod or
// go.work needs a newer Go than the one selected.
func checkGOTOOLCHAIN(_ context.Context, s *state) []Result {
	const id = "gotoolchain"
	value, src := s.goSetting("GOTOOLCHAIN")
	shown := fmt.Sprintf("GOTOOLCHAIN=%s (from %s)", value, src)
	if value == "" {
		value, shown = "local", "GOTOOLCHAIN is not set (go.env has none, so it acts as local)"
	}
	name, mode, _ := strings.Cut(value, "+")
	if name == "auto" || name == "path" {
		name, mode = "local", name
	}
	unsetFix := "unset GOTOOLCHAIN; go env -u GOTOOLCHAIN"
	if name != "local" {
		pinned, err := goversion.Parse(name)
		if err != nil || !strings.HasPrefix(name, "go") {
			return []Result{fail(id, unsetFix, "%s is not local, auto, path or a toolchain name such as go1.22.6", shown)}
		}
		if mode == "" {
			return []Result{warn(id, unsetFix, "%s: every go command runs %s, whatever gvx selects", shown, pinned.GoName())}
		}
		if s.sel.Installed && s.sel.System == "" && goversion.Less(s.sel.Version, pinned) {
			return []Result{warn(id, unsetFix, "%s: go commands run at least %s, newer than the selected %s", shown, pinned.GoName(), s.sel.Version.GoName())}
		}
	}
	req := s.sel.Requirement
	if req == nil {
		req, _ = shim.FindRequirement(s.Cwd, s.Getenv)
	}
	if req == nil || !s.sel.Installed || s.sel.System != "" {
		return []Result{ok(id, "%s", shown)}
	}
	need, line := req.Minimum()
	have := s.sel.Version
	where := req.Path
	if line > 0 {
		where = fmt.Sprintf("%s:%d", req.Path, line)
	}
	if !goversion.Less(have, need) {
		return []Result{ok(id, "%s; %s needs %s and the selected %s meets it", shown, where, need.GoName(), have.GoName())}
	}
	useFix := fmt.Sprintf("gvx install %[1]s && gvx use %[1]s", need.String())
	if goversion.Less(have, go121) {
		return []Result{fail(id, useFix, "%s needs %s, and the selected %s is older than go1.21 and cannot switch: go commands here fail", where, need.GoName(), have.GoName())}
	}
	if mode == "" {
		return []Result{fail(id, useFix, "%s needs %s, newer than the selected %s, and %s: go commands here fail", where, need.GoName(), have.GoName(), shown)}
	}
	switch p, err := s.LookPath(need.GoName()); {
	case err == nil && s.isGvx(p):
		return []Result{ok(id, "%s; %s needs %s: go switches to it and finds gvx's shim %s", shown, where, need.GoName(), p)}
	case err == nil:
		return []Result{warn(id, useFix, "%s; %s needs %s: go switches to %s, which is not gvx's", shown, where, need.GoName(), p)}
	case mode == "path":
		return []Result{fail(id, "gvx install "+need.String(), "%s; %s needs %s and it is not on PATH: go commands here fail", shown, where, need.GoName())}
	}
	return []Result{warn(id, "gvx install "+need.String()+"\n(go then finds gvx's "+need.GoName()+" shim)",
		"%s; %s needs %s, newer than the selected %s: go downloads it through GOPROXY into the module cache", shown, where, need.GoName(), have.GoName())}
}

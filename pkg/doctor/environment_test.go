package doctor

import (
	"path/filepath"
	"testing"
)

func TestGOROOT(t *testing.T) {
	t.Run("unset", func(t *testing.T) {
		f := newFixture(t)
		f.one("env.goroot", OK, "not exported")
	})
	t.Run("missing", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOROOT"] = filepath.Join(f.root, "gone")
		r := f.one("env.goroot", Fail, "is not a directory")
		wantFix(t, r, "unset GOROOT")
	})
	t.Run("the selected one", func(t *testing.T) {
		f := newFixture(t)
		root := f.install("1.999.0", "linux", "amd64")
		f.write(f.dirs.Global(), "1.999.0\n", 0o644)
		f.vars["GOROOT"] = root
		r := f.one("env.goroot", Warn, "names the selected go1.999.0")
		wantFix(t, r, "unset GOROOT", ".bashrc")
	})
	t.Run("another go", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		f.write(f.dirs.Global(), "1.999.0\n", 0o644)
		old := f.mkdir("usr/local/go")
		f.write(filepath.Join(old, "VERSION"), "go1.17.2\ntime 2021-10-07\n", 0o644)
		f.vars["GOROOT"] = old
		f.one("env.goroot", Fail, "holds go1.17.2, not the selected go1.999.0")
	})
	t.Run("another go without VERSION", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		f.write(f.dirs.Global(), "1.999.0\n", 0o644)
		f.vars["GOROOT"] = f.mkdir("opt/go")
		f.one("env.goroot", Fail, "holds an unknown Go")
	})
	t.Run("nothing selected", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOROOT"] = f.mkdir("opt/go")
		f.one("env.goroot", Warn, "shims override it")
	})
}

func TestGOBIN(t *testing.T) {
	t.Run("GOBIN on PATH", func(t *testing.T) {
		f := newFixture(t)
		gobin := f.mkdir("tools/bin")
		f.vars["GOBIN"] = gobin
		f.setPath(f.dirs.Shims(), gobin)
		f.one("env.gobin", OK, "GOBIN "+gobin+" is on PATH")
	})
	t.Run("GOBIN missing", func(t *testing.T) {
		f := newFixture(t)
		gobin := filepath.Join(f.root, "tools", "bin")
		f.vars["GOBIN"] = gobin
		f.setPath(f.dirs.Shims())
		r := f.one("env.gobin", Warn, "GOBIN "+gobin+" (from environment) is not on PATH")
		wantFix(t, r, `export PATH="$PATH:`+gobin+`"`)
	})
	t.Run("default GOPATH", func(t *testing.T) {
		f := newFixture(t)
		f.setPath("/usr/bin")
		f.one("env.gobin", Warn, "GOPATH/bin "+filepath.Join(f.vars["HOME"], "go", "bin")+" is not on PATH")
	})
	t.Run("first GOPATH entry", func(t *testing.T) {
		f := newFixture(t)
		a, b := f.mkdir("a"), f.mkdir("b")
		f.vars["GOPATH"] = a + string(filepath.ListSeparator) + b
		f.setPath(filepath.Join(a, "bin"))
		f.one("env.gobin", OK, filepath.Join(a, "bin"))
	})
	t.Run("GOBIN from go env -w", func(t *testing.T) {
		f := newFixture(t)
		envFile := filepath.Join(f.root, "goenv")
		f.vars["GOENV"] = envFile
		f.write(envFile, "GOPROXY=https://proxy.example\nGOBIN=/opt/tools\n", 0o644)
		f.setPath("/usr/bin")
		f.one("env.gobin", Warn, "GOBIN /opt/tools (from "+envFile+")")
	})
	t.Run("user config dir", func(t *testing.T) {
		f := newFixture(t)
		f.write(filepath.Join(f.vars["HOME"], ".config", "go", "env"), "GOBIN=/opt/tools\n", 0o644)
		f.setPath("/opt/tools")
		f.one("env.gobin", OK, "GOBIN /opt/tools is on PATH")
	})
	t.Run("no home", func(t *testing.T) {
		f := newFixture(t)
		delete(f.vars, "HOME")
		f.one("env.gobin", Warn, "nowhere to put tools")
	})
}

// gomod writes a go.mod in the fixture's working directory.
func (f *fixture) gomod(body string) string {
	p := filepath.Join(f.cwd, "go.mod")
	f.write(p, "module example.com/app\n\n"+body, 0o644)
	return p
}

func TestGOTOOLCHAIN(t *testing.T) {
	// selected returns a fixture whose global default go1.22.6 is installed.
	selected := func(t *testing.T, version string) *fixture {
		f := newFixture(t)
		f.install(version, "linux", "amd64")
		f.write(f.dirs.Global(), version+"\n", 0o644)
		f.setPath(f.dirs.Shims())
		return f
	}
	t.Run("no go.mod", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "auto"
		f.one("gotoolchain", OK, "GOTOOLCHAIN=auto (from environment)")
	})
	t.Run("go.mod met", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "local"
		p := f.gomod("go 1.22\n")
		f.one("gotoolchain", OK, p+":3 needs go1.22.0 and the selected go1.22.6 meets it")
	})
	t.Run("local refuses", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "local"
		f.gomod("go 1.23.4\n")
		r := f.one("gotoolchain", Fail, "needs go1.23.4, newer than the selected go1.22.6", "go commands here fail")
		wantFix(t, r, "gvx install 1.23.4 && gvx use 1.23.4")
	})
	t.Run("unset acts as local", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.gomod("go 1.23.4\n")
		f.one("gotoolchain", Fail, "acts as local")
	})
	t.Run("auto: gvx runs what go would switch to", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.install("1.23.4", "linux", "amd64")
		f.vars["GOTOOLCHAIN"] = "auto"
		p := f.gomod("go 1.22\ntoolchain go1.23.4\n")
		f.one("gotoolchain", OK, p+":4 needs go1.23.4: go would switch to it from the selected go1.22.6, so gvx runs the installed go1.23.4 directly")
	})
	t.Run("auto finds a stale gvx shim", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "auto"
		f.gomod("go 1.22\ntoolchain go1.23.4\n")
		f.write(filepath.Join(f.dirs.Shims(), "go1.23.4"), "#!/bin/sh\n", 0o755)
		r := f.one("gotoolchain", Fail, "go switches to gvx's shim "+filepath.Join(f.dirs.Shims(), "go1.23.4")+", but go1.23.4 is not installed")
		wantFix(t, r, "gvx doctor --fix")
	})
	t.Run("auto downloads", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "auto"
		f.gomod("go 1.23.4\n")
		r := f.one("gotoolchain", Warn, "go downloads it through GOPROXY")
		wantFix(t, r, "gvx install 1.23.4")
	})
	t.Run("auto finds another go", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "go1.21.0+auto"
		f.gomod("go 1.23.4\n")
		sdk := f.mkdir("sdk/bin")
		f.write(filepath.Join(sdk, "go1.23.4"), "#!/bin/sh\n", 0o755)
		f.setPath(f.dirs.Shims(), sdk)
		f.one("gotoolchain", Warn, "go switches to "+filepath.Join(sdk, "go1.23.4")+", which is not gvx's")
	})
	t.Run("path without the version", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "path"
		f.gomod("go 1.23.4\n")
		f.one("gotoolchain", Fail, "it is not on PATH")
	})
	t.Run("pinned", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "go1.21.13"
		r := f.one("gotoolchain", Warn, "every go command runs go1.21.13")
		wantFix(t, r, "go env -u GOTOOLCHAIN")
	})
	t.Run("minimum above the selection", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "go1.23.0+auto"
		f.one("gotoolchain", Warn, "at least go1.23.0, newer than the selected go1.22.6")
	})
	t.Run("not a value", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "newest"
		f.one("gotoolchain", Fail, "is not local, auto, path")
	})
	t.Run("too old to switch", func(t *testing.T) {
		f := selected(t, "1.20.14")
		f.vars["GOTOOLCHAIN"] = "auto"
		f.gomod("go 1.22.0\n")
		f.one("gotoolchain", Fail, "older than go1.21 and cannot switch")
	})
	t.Run("from go.env", func(t *testing.T) {
		f := selected(t, "1.22.6")
		goenv := filepath.Join(f.dirs.Version("1.22.6"), "go.env")
		f.write(goenv, "GOPROXY=https://proxy.example,direct\nGOTOOLCHAIN=auto\n", 0o644)
		f.one("gotoolchain", OK, "GOTOOLCHAIN=auto (from "+goenv+")")
	})
	t.Run("go.work first", func(t *testing.T) {
		f := selected(t, "1.22.6")
		f.vars["GOTOOLCHAIN"] = "local"
		f.gomod("go 1.21.0\n")
		work := filepath.Join(f.cwd, "go.work")
		f.write(work, "go 1.24.0\n\nuse .\n", 0o644)
		f.one("gotoolchain", Fail, work+":1 needs go1.24.0")
	})
}

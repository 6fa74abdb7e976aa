package doctor

import (
	"errors"
	"path/filepath"
	"testing"
)

// compiler puts an executable C compiler named name on PATH, answering
// -dumpmachine with triple.
func (f *fixture) compiler(name, triple string) string {
	bin := f.mkdir("cc-bin")
	p := filepath.Join(bin, name)
	f.write(p, "#!/bin/sh\n", 0o755)
	f.vars["PATH"] = f.vars["PATH"] + string(filepath.ListSeparator) + bin
	f.runs[name+" -dumpmachine"] = func([]string) (string, error) { return triple + "\n", nil }
	return p
}

func TestCgo(t *testing.T) {
	t.Run("off", func(t *testing.T) {
		f := newFixture(t)
		f.vars["CGO_ENABLED"] = "0"
		f.one("cgo", OK, "cgo is off (CGO_ENABLED=0 from environment)")
	})
	t.Run("linux cc", func(t *testing.T) {
		f := newFixture(t)
		cc := f.compiler("cc", "x86_64-linux-gnu")
		f.one("cgo", OK, cc+" targets x86_64-linux-gnu, as Go does (amd64)")
	})
	t.Run("linux gcc only", func(t *testing.T) {
		f := newFixture(t)
		gcc := f.compiler("gcc", "x86_64-pc-linux-gnu")
		f.one("cgo", OK, gcc)
	})
	t.Run("wrong target", func(t *testing.T) {
		f := newFixture(t)
		f.compiler("cc", "aarch64-linux-gnu")
		f.one("cgo", Warn, "targets aarch64-linux-gnu, but Go builds for amd64")
	})
	t.Run("GOARCH decides", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOARCH"] = "arm64"
		f.compiler("cc", "aarch64-linux-gnu")
		f.one("cgo", OK, "as Go does (arm64)")
	})
	t.Run("no compiler", func(t *testing.T) {
		f := newFixture(t)
		f.setPath(f.mkdir("empty"))
		r := f.one("cgo", Warn, "no C compiler (cc, gcc, clang) on PATH", "cgo off")
		wantFix(t, r, "apt install gcc")
	})
	t.Run("required but missing", func(t *testing.T) {
		f := newFixture(t)
		f.vars["CGO_ENABLED"] = "1"
		f.one("cgo", Fail, "CGO_ENABLED=1 but no C compiler")
	})
	t.Run("CC not found", func(t *testing.T) {
		f := newFixture(t)
		f.vars["CC"] = "clang-17 -fno-lto"
		f.one("cgo", Fail, "CC=clang-17 -fno-lto is set but clang-17 is not on PATH")
	})
	t.Run("CC absolute", func(t *testing.T) {
		f := newFixture(t)
		cc := f.compiler("musl-gcc", "x86_64-linux-musl")
		f.vars["CC"] = cc
		f.one("cgo", OK, cc+" targets x86_64-linux-musl")
	})
	t.Run("target unknown", func(t *testing.T) {
		f := newFixture(t)
		f.compiler("cc", "")
		f.runs["cc -dumpmachine"] = func([]string) (string, error) { return "", errors.New("unknown option") }
		f.one("cgo", Warn, "its target is unknown: unknown option")
	})
	t.Run("mac without command line tools", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.compiler("clang", "arm64-apple-darwin23.0.0")
		f.runs["xcode-select -p"] = func([]string) (string, error) { return "", errors.New("exit status 2") }
		r := f.one("cgo", Warn, "the Xcode Command Line Tools are missing", "stub", "cgo stays on and every cgo build fails")
		wantFix(t, r, "xcode-select --install")
		f.vars["CGO_ENABLED"] = "1"
		f.one("cgo", Fail, "CGO_ENABLED=1 but the Xcode Command Line Tools are missing")
	})
	t.Run("mac clang", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		clang := f.compiler("clang", "arm64-apple-darwin23.0.0")
		f.runs["clang -arch arm64 -dumpmachine"] = f.runs["clang -dumpmachine"]
		f.runs["xcode-select -p"] = func([]string) (string, error) { return "/Library/Developer/CommandLineTools\n", nil }
		f.one("cgo", OK, clang+" targets arm64-apple-darwin23.0.0, as Go does (arm64)")
	})
	// Under Rosetta, or with an x86_64 toolchain, clang's default target
	// differs from Go's, but cgo passes -arch: no false alarm.
	t.Run("mac x86_64 toolchain", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.install("1.999.0", "darwin", "amd64")
		f.write(f.dirs.Global(), "1.999.0\n", 0o644)
		clang := f.compiler("clang", "arm64-apple-darwin23.0.0")
		f.runs["clang -arch x86_64 -dumpmachine"] = func([]string) (string, error) { return "x86_64-apple-darwin23.0.0\n", nil }
		f.runs["xcode-select -p"] = func([]string) (string, error) { return "/Library/Developer/CommandLineTools\n", nil }
		f.one("cgo", OK, clang+" targets x86_64-apple-darwin23.0.0, as Go does (amd64)")
	})
	t.Run("mac compiler without -arch", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.vars["CC"] = "gcc-14"
		f.compiler("gcc-14", "aarch64-apple-darwin23")
		f.runs["gcc-14 -arch arm64 -dumpmachine"] = func([]string) (string, error) { return "", errors.New("unrecognized option '-arch'") }
		f.one("cgo", Warn, "its target is unknown")
	})
}

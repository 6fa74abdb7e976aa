package doctor

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/install"
)

// onMac makes the fixture a Mac: Apple Silicon or Intel.
func (f *fixture) onMac(appleSilicon bool) {
	f.env.GOOS = "darwin"
	if appleSilicon {
		f.env.GOARCH = "arm64"
		f.sysctl["hw.optional.arm64"] = 1
		f.sysctl["sysctl.proc_translated"] = 0
	} else {
		f.env.GOARCH = "amd64"
		f.sysctl["hw.optional.arm64"] = 0
	}
}

// binaries fakes ReadBinary: the base name of a file's directory's parent
// ("1.999.0" for versions/1.999.0/bin/go) or the file's path picks the answer.
func (f *fixture) binaries(m map[string]Binary) {
	f.env.ReadBinary = func(path string) (Binary, error) {
		if b, ok := m[path]; ok {
			return b, nil
		}
		if b, ok := m[filepath.Base(filepath.Dir(filepath.Dir(path)))]; ok {
			return b, nil
		}
		return Binary{}, errors.New("unexpected read of " + path)
	}
}

func TestHost(t *testing.T) {
	t.Run("not a mac", func(t *testing.T) {
		f := newFixture(t)
		for _, id := range []string{"arch.host", "arch.gvx", "arch.shell"} {
			if rs := f.check(id); len(rs) != 0 {
				t.Errorf("%s on linux: %+v, want nothing", id, rs)
			}
		}
	})
	t.Run("intel", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(false)
		f.one("arch.host", OK, "Intel Mac")
		if rs := f.check("arch.gvx"); len(rs) != 0 {
			t.Errorf("arch.gvx on an Intel Mac: %+v", rs)
		}
	})
	t.Run("apple silicon native", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.one("arch.host", OK, "Apple Silicon")
		f.one("arch.gvx", OK, "natively")
		f.one("arch.shell", OK, "natively")
	})
	t.Run("gvx translated", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.env.GOARCH = "amd64"
		f.sysctl["sysctl.proc_translated"] = 1
		r := f.one("arch.gvx", Warn, "darwin/amd64 program running under Rosetta 2")
		wantFix(t, r, "darwin/arm64 build of gvx")
	})
	t.Run("shell translated", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.vars["SHELL"] = "/bin/zsh"
		f.env.ShellTranslated = func() (bool, error) { return true, nil }
		r := f.one("arch.shell", Warn, "this shell runs under Rosetta 2")
		wantFix(t, r, "exec arch -arm64 /bin/zsh -l")
	})
	t.Run("shell unknown", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.env.ShellTranslated = func() (bool, error) { return false, errors.New("operation not permitted") }
		f.one("arch.shell", Warn, "operation not permitted")
	})
	t.Run("sysctl fails", func(t *testing.T) {
		f := newFixture(t)
		f.env.GOOS = "darwin"
		f.env.Sysctl = func(string) (uint32, error) { return 0, errors.New("boom") }
		f.one("arch.host", Warn, "cannot tell whether this Mac has Apple Silicon: boom")
	})
}

func TestToolchainArch(t *testing.T) {
	machoArm := Binary{Format: "Mach-O", Arches: []string{"arm64"}}
	machoAmd := Binary{Format: "Mach-O", Arches: []string{"amd64"}}
	fat := Binary{Format: "Mach-O", Arches: []string{"amd64", "arm64"}}
	elfAmd := Binary{Format: "ELF", Arches: []string{"amd64"}}
	elfArm := Binary{Format: "ELF", Arches: []string{"arm64"}}
	tests := []struct {
		name   string
		mac    bool // Apple Silicon Mac, else linux/amd64
		bin    Binary
		status Status
		msg    string
		action bool
	}{
		{"arm64 on apple silicon", true, machoArm, OK, "Mach-O arm64, native here", false},
		{"fat on apple silicon", true, fat, OK, "Mach-O x86_64+arm64, native here", false},
		{"x86_64 on apple silicon", true, machoAmd, Warn, "runs under Rosetta 2", true},
		{"elf on a mac", true, elfArm, Fail, "ELF arm64 binary, which darwin cannot run", true},
		{"amd64 on linux", false, elfAmd, OK, "ELF x86_64, native here", false},
		{"arm64 on linux amd64", false, elfArm, Fail, "cannot run", true},
		{"script", false, Binary{}, Warn, "not a Mach-O, ELF or PE binary", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.mac {
				f.onMac(true)
				f.install("1.999.0", "darwin", "arm64")
			} else {
				f.install("1.999.0", "linux", "amd64")
			}
			f.binaries(map[string]Binary{"1.999.0": tt.bin})
			r := f.one("arch.toolchain", tt.status, "go1.999.0", tt.msg)
			if tt.status != OK {
				wantFix(t, r, "gvx doctor --fix")
			}
			if got := r.Action != nil && r.Action.Kind == Reinstall && r.Action.Version.String() == "1.999.0"; got != tt.action {
				t.Errorf("action %+v, want a reinstall: %v", r.Action, tt.action)
			}
		})
	}
	t.Run("unreadable", func(t *testing.T) {
		f := newFixture(t)
		f.install("1.999.0", "linux", "amd64")
		f.env.ReadBinary = func(string) (Binary, error) { return Binary{}, errors.New("permission denied") }
		f.one("arch.toolchain", Fail, "cannot read", "permission denied")
	})
	t.Run("every version", func(t *testing.T) {
		f := newFixture(t)
		f.onMac(true)
		f.install("1.998.0", "darwin", "amd64")
		f.install("1.999.0", "darwin", "arm64")
		f.binaries(map[string]Binary{"1.998.0": machoAmd, "1.999.0": machoArm})
		rs := f.check("arch.toolchain")
		if len(rs) != 2 || rs[0].Status != Warn || rs[1].Status != OK {
			t.Fatalf("results %+v, want warn for 1.998.0 and ok for 1.999.0", rs)
		}
	})
}

func TestPathArch(t *testing.T) {
	f := newFixture(t)
	f.onMac(true)
	brew := f.mkdir("opt/homebrew/bin")
	local := f.mkdir("usr/local/bin")
	asdf := f.mkdir("asdf/shims")
	brewGo, localGo, asdfGo := f.goOnPath(brew), f.goOnPath(local), f.goOnPath(asdf)
	f.setPath(f.dirs.Shims(), brew, local, asdf, brew)
	f.binaries(map[string]Binary{
		brewGo:  {Format: "Mach-O", Arches: []string{"arm64"}},
		localGo: {Format: "Mach-O", Arches: []string{"amd64"}},
		asdfGo:  {},
	})
	rs := f.check("arch.path")
	if len(rs) != 3 {
		t.Fatalf("%d results, want one per go on PATH: %+v", len(rs), rs)
	}
	if rs[0].Status != OK || !strings.Contains(rs[0].Message, brewGo) {
		t.Errorf("homebrew go: %+v, want ok", rs[0])
	}
	if rs[1].Status != Warn || !strings.Contains(rs[1].Message, localGo) || !strings.Contains(rs[1].Message, "Rosetta 2") {
		t.Errorf("/usr/local go: %+v, want a Rosetta warning", rs[1])
	}
	wantFix(t, rs[1], "replace "+localGo+" with a darwin/arm64 build")
	if rs[1].Action != nil {
		t.Errorf("a go outside gvx got an action: %+v", rs[1].Action)
	}
	if rs[2].Status != OK || !strings.Contains(rs[2].Message, "is a script") {
		t.Errorf("asdf shim: %+v, want ok as a script", rs[2])
	}
}

func TestTripleArch(t *testing.T) {
	for in, want := range map[string]string{
		"x86_64-linux-gnu":         "amd64",
		"x86_64-pc-linux-gnu":      "amd64",
		"aarch64-linux-gnu":        "arm64",
		"arm64-apple-darwin23.0.0": "arm64",
		"i686-linux-gnu":           "386",
		"armv7l-unknown-linux":     "arm",
		"powerpc64le-linux-gnu":    "ppc64le",
		"riscv64-linux-gnu":        "riscv64",
		"loongarch64-linux-gnu":    "loong64",
	} {
		if got := tripleArch(in); got != want {
			t.Errorf("tripleArch(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestToolchainTooNewForThisMac installs a root whose bin/go is the real
// header of go1.27.0 darwin/arm64 (minimum macOS 13.0) on a macOS 12 Mac.
func TestToolchainTooNewForThisMac(t *testing.T) {
	head, err := os.ReadFile(filepath.Join("..", "install", "testdata", "macho", "go1.27.0.darwin-arm64.bin-go.head"))
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]Status{"12.7.6": Fail, "13.0": OK} {
		f := newFixture(t)
		f.onMac(true)
		root := f.install("1.27.0", "darwin", "arm64")
		f.write(filepath.Join(root, "bin", "go"), string(head), 0o755)
		// debug/macho wants the whole file; the CPU type is not what
		// this test is about.
		f.env.ReadBinary = func(string) (Binary, error) { return Binary{Format: "Mach-O", Arches: []string{"arm64"}}, nil }
		f.env.MacOSVersion = func() (string, error) { return host, nil }
		r := f.one("arch.toolchain", want)
		if want == Fail {
			for _, msg := range []string{"go1.27.0", "needs macOS 13.0 or later, and this Mac runs macOS 12.7"} {
				if !strings.Contains(r.Message, msg) {
					t.Errorf("macOS %s: message %q does not hold %q", host, r.Message, msg)
				}
			}
			wantFix(t, r, "gvx uninstall 1.27.0 && gvx install 1.26")
		}
	}
}

// TestToolchainArchChosen: a root installed for another architecture on
// purpose (gvx install --arch, the way to Go before 1.16 on Apple Silicon)
// is reported as such, and doctor --fix is not offered to replace it.
func TestToolchainArchChosen(t *testing.T) {
	f := newFixture(t)
	f.onMac(true)
	rec, err := json.Marshal(install.Receipt{Version: "1.15.15", OS: "darwin", Arch: "amd64", Source: "dl", ArchChosen: true})
	if err != nil {
		t.Fatal(err)
	}
	f.install("1.15.15", "darwin", "amd64")
	f.write(f.dirs.Receipt("1.15.15"), string(rec), 0o644)
	f.binaries(map[string]Binary{"1.15.15": {Format: "Mach-O", Arches: []string{"amd64"}}})
	r := f.one("arch.toolchain", OK, "go1.15.15 is for amd64, installed so on purpose (--arch)")
	if r.Action != nil {
		t.Errorf("action %+v for a root installed with --arch, want none", r.Action)
	}
}

// TestShimArch: gvx's own shim binary, which every go call starts, is read
// too: an x86_64 one on Apple Silicon makes every call a Rosetta process.
func TestShimArch(t *testing.T) {
	for _, tt := range []struct {
		bin    Binary
		status Status
		msg    string
	}{
		{Binary{Format: "Mach-O", Arches: []string{"amd64", "arm64"}}, OK, "native here"},
		{Binary{Format: "Mach-O", Arches: []string{"amd64"}}, Warn, "runs under Rosetta 2"},
	} {
		f := newFixture(t)
		f.onMac(true)
		shimBin := filepath.Join(f.dirs.Libexec(), "gvx-shim")
		f.write(shimBin, "x", 0o755)
		f.binaries(map[string]Binary{shimBin: tt.bin})
		r := f.one("arch.shim", tt.status, "gvx's shim binary "+shimBin, tt.msg)
		if tt.status != OK {
			wantFix(t, r, "install gvx built for this machine")
		}
	}
	// No shim binary yet: nothing to say here.
	if rs := newFixture(t).check("arch.shim"); len(rs) != 0 {
		t.Errorf("arch.shim without a shim binary: %+v, want no result", rs)
	}
}

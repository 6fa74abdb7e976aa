package doctor

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// builds caches the tiny programs cross-compiled for this test run: each
// GOOS/GOARCH is built once, whatever the number of tests that read it.
var builds = struct {
	sync.Mutex
	dir   string
	paths map[string]string
}{paths: map[string]string{}}

func TestMain(m *testing.M) {
	code := m.Run()
	if builds.dir != "" {
		os.RemoveAll(builds.dir)
	}
	os.Exit(code)
}

// crossBuild compiles a tiny Go program for goos/goarch and returns the
// executable's path.
func crossBuild(t *testing.T, goos, goarch string) string {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	key := goos + "_" + goarch
	if p, ok := builds.paths[key]; ok {
		return p
	}
	if builds.dir == "" {
		d, err := os.MkdirTemp("", "doctor-builds-")
		if err != nil {
			t.Fatal(err)
		}
		builds.dir = d
		src := []byte("package main\n\nfunc main() {}\n")
		if err := os.WriteFile(filepath.Join(d, "main.go"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "go.mod"), []byte("module tiny\n\ngo 1.21\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on PATH: %v", err)
	}
	out := filepath.Join(builds.dir, "tiny_"+key)
	cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	cmd.Dir = builds.dir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=", "GOTOOLCHAIN=local", "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=%s GOARCH=%s go build: %v\n%s", goos, goarch, err, msg)
	}
	builds.paths[key] = out
	return out
}

// fatMachO joins thin Mach-O files into a universal ("fat") file: the
// fat header, one fat_arch per slice, each slice aligned to 2^14 bytes.
func fatMachO(t *testing.T, thin ...string) []byte {
	t.Helper()
	const alignShift = 14
	var header, body bytes.Buffer
	put := func(v uint32) { binary.Write(&header, binary.BigEndian, v) }
	put(macho.MagicFat)
	put(uint32(len(thin)))
	offset := uint32(1 << alignShift) // the header fits in the first page
	for _, p := range thin {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		mf, err := macho.NewFile(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not a Mach-O file: %v", p, err)
		}
		put(uint32(mf.Cpu))
		put(mf.SubCpu)
		put(offset)
		put(uint32(len(data)))
		put(alignShift)
		for uint32(body.Len())+1<<alignShift < offset {
			body.WriteByte(0)
		}
		body.Write(data)
		offset += uint32(len(data))
		offset = (offset + 1<<alignShift - 1) &^ (1<<alignShift - 1)
	}
	out := header.Bytes()
	out = append(out, make([]byte, 1<<alignShift-len(out))...)
	return append(out, body.Bytes()...)
}

func TestReadBinary(t *testing.T) {
	arm := crossBuild(t, "darwin", "arm64")
	amd := crossBuild(t, "darwin", "amd64")
	dir := t.TempDir()
	fat := filepath.Join(dir, "fat")
	if err := os.WriteFile(fat, fatMachO(t, amd, arm), 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "script")
	os.WriteFile(script, []byte("#!/bin/sh\nexec go \"$@\"\n"), 0o755)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o755)
	class := filepath.Join(dir, "Main.class") // Java shares the fat magic
	os.WriteFile(class, []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0}, 0o644)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		path   string
		format string
		arches []string
	}{
		{arm, "Mach-O", []string{"arm64"}},
		{amd, "Mach-O", []string{"amd64"}},
		{fat, "Mach-O", []string{"amd64", "arm64"}},
		{self, "ELF", []string{runtime.GOARCH}},
		{script, "", nil},
		{empty, "", nil},
	}
	if runtime.GOOS != "linux" {
		tests[3].format = map[string]string{"darwin": "Mach-O", "windows": "PE"}[runtime.GOOS]
	}
	for _, tt := range tests {
		got, err := ReadBinary(tt.path)
		if err != nil {
			t.Errorf("ReadBinary(%s): %v", filepath.Base(tt.path), err)
			continue
		}
		if got.Format != tt.format || !slices.Equal(got.Arches, tt.arches) {
			t.Errorf("ReadBinary(%s) = %+v, want %s %v", filepath.Base(tt.path), got, tt.format, tt.arches)
		}
	}
	if _, err := ReadBinary(class); err == nil {
		t.Errorf("ReadBinary(Main.class) read a Java class as a fat Mach-O file")
	}
	if _, err := ReadBinary(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("ReadBinary(missing) error %v, want not exist", err)
	}
	trunc := filepath.Join(dir, "truncated")
	data, _ := os.ReadFile(arm)
	os.WriteFile(trunc, data[:64], 0o755)
	if _, err := ReadBinary(trunc); err == nil {
		t.Errorf("ReadBinary(truncated Mach-O) = nil error")
	}
}

// TestToolchainArchRealMachO runs the architecture check over real Mach-O
// toolchains: an Apple Silicon Mac with an x86_64, an arm64 and a
// universal bin/go installed.
func TestToolchainArchRealMachO(t *testing.T) {
	arm := crossBuild(t, "darwin", "arm64")
	amd := crossBuild(t, "darwin", "amd64")
	f := newFixture(t)
	f.onMac(true)
	put := func(version, from string, data []byte) {
		root := f.install(version, "darwin", "arm64")
		if data == nil {
			var err error
			if data, err = os.ReadFile(from); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(root, "bin", "go"), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	put("1.997.0", amd, nil)
	put("1.998.0", arm, nil)
	put("1.999.0", "", fatMachO(t, amd, arm))
	rs := f.check("arch.toolchain")
	want := []Status{Warn, OK, OK}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(rs), len(want), rs)
	}
	for i, r := range rs {
		if r.Status != want[i] {
			t.Errorf("result %d: %s %q, want %s", i, r.Status, r.Message, want[i])
		}
	}
	wantFix(t, rs[0], "gvx doctor --fix")
}

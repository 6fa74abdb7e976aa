package install

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// realHead reads the first 16 KiB of a real toolchain's bin/go, written by
// scripts/machoheads from zips fetched through GOPROXY.
func realHead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "macho", name+".bin-go.head"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMinMacOSOfRealToolchains(t *testing.T) {
	for name, want := range map[string]MacOSVersion{
		"go1.25.0.darwin-arm64": {12, 0},
		"go1.26.0.darwin-amd64": {12, 0},
		"go1.27.0.darwin-arm64": {13, 0},
	} {
		got, err := MinMacOS(bytes.NewReader(realHead(t, name)), "")
		if err != nil || got != want {
			t.Errorf("MinMacOS(%s bin/go) = %v, %v; want %v", name, got, err, want)
		}
	}
}

// fat joins Mach-O slices into a universal file as lipo lays it out: the
// big-endian header, then each slice at a 16 KiB boundary.
func fat(slices ...[]byte) []byte {
	const align = 1 << 14
	var hdr bytes.Buffer
	binary.Write(&hdr, binary.BigEndian, []uint32{fatMagic, uint32(len(slices))})
	off := uint32(align)
	for _, s := range slices {
		cpu := binary.LittleEndian.Uint32(s[4:])
		binary.Write(&hdr, binary.BigEndian, []uint32{cpu, 0, off, uint32(len(s)), 14})
		off += uint32(len(s)+align-1) / align * align
	}
	out := make([]byte, off)
	copy(out, hdr.Bytes())
	off = align
	for _, s := range slices {
		copy(out[off:], s)
		off += uint32(len(s)+align-1) / align * align
	}
	return out
}

func TestMinMacOSOfUniversalFile(t *testing.T) {
	f := fat(realHead(t, "go1.26.0.darwin-amd64"), realHead(t, "go1.27.0.darwin-arm64"))
	for arch, want := range map[string]MacOSVersion{"amd64": {12, 0}, "arm64": {13, 0}, "": {13, 0}} {
		if got, err := MinMacOS(bytes.NewReader(f), arch); err != nil || got != want {
			t.Errorf("MinMacOS(universal, %q) = %v, %v; want %v", arch, got, err, want)
		}
	}
	if _, err := MinMacOS(bytes.NewReader(f), "riscv64"); err == nil {
		t.Errorf("MinMacOS(universal, riscv64) succeeded, want an error")
	}
}

func TestMinMacOSRefusesOtherFiles(t *testing.T) {
	truncated := realHead(t, "go1.25.0.darwin-arm64")[:40]
	for name, data := range map[string][]byte{
		"script":    []byte("#!/bin/sh\necho go\n"),
		"truncated": truncated,
		"empty":     nil,
	} {
		if v, err := MinMacOS(bytes.NewReader(data), ""); err == nil {
			t.Errorf("MinMacOS(%s) = %v, want an error", name, v)
		}
	}
}

func TestMacOSCheckRefusesBeforeRename(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin", "go"), realHead(t, "go1.27.0.darwin-arm64"), 0o755); err != nil {
		t.Fatal(err)
	}
	on := func(v string) func() (string, error) { return func() (string, error) { return v, nil } }
	err := MacOSCheck(on("12.7.6"), "arm64")(root)
	var me *MacOSError
	if !errors.As(err, &me) {
		t.Fatalf("MacOSCheck(go1.27.0 on macOS 12.7.6) = %v, want a *MacOSError", err)
	}
	me.Version = "go1.27.0"
	for _, want := range []string{"go1.27.0 needs macOS 13.0 or later", "this Mac runs macOS 12.7", "the newest Go that runs here is 1.26: gvx install 1.26"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	for _, host := range []string{"13.0", "15.1"} {
		if err := MacOSCheck(on(host), "arm64")(root); err != nil {
			t.Errorf("MacOSCheck(go1.27.0 on macOS %s) = %v, want nil", host, err)
		}
	}
	unknown := func() (string, error) { return "", errors.New("not macOS") }
	if err := MacOSCheck(unknown, "arm64")(root); err != nil {
		t.Errorf("MacOSCheck with no macOS version = %v, want nil", err)
	}
}

func TestRunsOnMacOS(t *testing.T) {
	tests := []struct {
		v, os string
		ok    bool
	}{
		{"1.27.0", "13.0", true},
		{"1.27.0", "12.7", false},
		{"1.27rc1", "12.7", false},
		{"1.26.3", "12.0", true},
		{"1.25.0", "11.7", false},
		{"1.24.5", "11.0", true},
		{"1.22.6", "10.15", true},
		{"1.23.0", "10.15", false},
		{"1.10.8", "12.0", false},
		{"1.10.8", "11.6", true},
		{"1.11.13", "14.0", true},
	}
	for _, tt := range tests {
		host, err := ParseMacOSVersion(tt.os)
		if err != nil {
			t.Fatal(err)
		}
		if ok, why := RunsOnMacOS(goversion.MustParse(tt.v), host); ok != tt.ok {
			t.Errorf("RunsOnMacOS(%s, macOS %s) = %v (%s), want %v", tt.v, tt.os, ok, why, tt.ok)
		}
	}
	for os, want := range map[string]string{"15.0": "", "13.0": "", "12.7": "1.26", "11.2": "1.24", "10.15": "1.22", "10.9": "1.12"} {
		host, _ := ParseMacOSVersion(os)
		if got := NewestLineForMacOS(host); got != want {
			t.Errorf("NewestLineForMacOS(%s) = %q, want %q", os, got, want)
		}
	}
}

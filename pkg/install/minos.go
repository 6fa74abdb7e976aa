package install

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// MacOSVersion is a macOS release, "12.7" as {12, 7}.
type MacOSVersion struct{ Major, Minor int }

func (v MacOSVersion) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Less reports whether v is older than w.
func (v MacOSVersion) Less(w MacOSVersion) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

// ParseMacOSVersion reads kern.osproductversion's answer, "14.5" or "12.7.6".
func ParseMacOSVersion(s string) (MacOSVersion, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	var v MacOSVersion
	var err error
	if v.Major, err = strconv.Atoi(parts[0]); err != nil || v.Major <= 0 {
		return MacOSVersion{}, fmt.Errorf("macOS version %q: not a version", s)
	}
	if len(parts) > 1 {
		if v.Minor, err = strconv.Atoi(parts[1]); err != nil {
			return MacOSVersion{}, fmt.Errorf("macOS version %q: not a version", s)
		}
	}
	return v, nil
}

// Mach-O constants (<mach-o/loader.h>, <mach-o/fat.h>).
const (
	machoMagic64      = 0xfeedfacf
	fatMagic          = 0xcafebabe
	lcBuildVersion    = 0x32
	lcVersionMinMacOS = 0x24
	platformMacOS     = 1
	cpuArm64          = 0x0100000c
	cpuAmd64          = 0x01000007
	// maxLoadCmds bounds the load commands read: real Go binaries have
	// about 20, and the header is untrusted input.
	maxLoadCmds = 1024
)

// errNoMinMacOS is returned for a Mach-O file that names no minimum macOS.
var errNoMinMacOS = errors.New("no minimum macOS in its Mach-O header")

// MinMacOS reads the minimum macOS an executable declares: the minos of
// LC_BUILD_VERSION, or LC_VERSION_MIN_MACOSX in older binaries. For a
// universal file it reads the slice for goarch, or the highest of all
// slices when goarch is "". Only the headers are read, so r may hold just
// the start of the file.
func MinMacOS(r io.ReaderAt, goarch string) (MacOSVersion, error) {
	var magic [4]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil {
		return MacOSVersion{}, fmt.Errorf("read Mach-O header: %w", err)
	}
	if binary.BigEndian.Uint32(magic[:]) != fatMagic {
		_, v, err := sliceMinOS(r, 0)
		return v, err
	}
	var hdr [8]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return MacOSVersion{}, fmt.Errorf("read universal header: %w", err)
	}
	n := binary.BigEndian.Uint32(hdr[4:])
	if n == 0 || n > 16 {
		return MacOSVersion{}, fmt.Errorf("universal file with %d slices", n)
	}
	var best MacOSVersion
	found := false
	for i := range n {
		var fa [20]byte
		if _, err := r.ReadAt(fa[:], 8+int64(i)*20); err != nil {
			return MacOSVersion{}, fmt.Errorf("read universal header: %w", err)
		}
		cpu, v, err := sliceMinOS(r, int64(binary.BigEndian.Uint32(fa[8:])))
		if err != nil {
			return MacOSVersion{}, err
		}
		if goarch != "" && cpuArch(cpu) == goarch {
			return v, nil
		}
		if !found || best.Less(v) {
			best, found = v, true
		}
	}
	if goarch != "" {
		return MacOSVersion{}, fmt.Errorf("universal file has no %s slice", goarch)
	}
	return best, nil
}

func cpuArch(cpu uint32) string {
	switch cpu {
	case cpuArm64:
		return "arm64"
	case cpuAmd64:
		return "amd64"
	}
	return fmt.Sprintf("cpu %#x", cpu)
}

// sliceMinOS reads one 64-bit Mach-O file's header at off.
func sliceMinOS(r io.ReaderAt, off int64) (cpu uint32, v MacOSVersion, err error) {
	var h [32]byte
	if _, err := r.ReadAt(h[:], off); err != nil {
		return 0, v, fmt.Errorf("read Mach-O header: %w", err)
	}
	le := binary.LittleEndian
	if le.Uint32(h[0:]) != machoMagic64 {
		return 0, v, errors.New("not a 64-bit Mach-O file")
	}
	cpu = le.Uint32(h[4:])
	ncmds := le.Uint32(h[16:])
	if ncmds > maxLoadCmds {
		return cpu, v, fmt.Errorf("Mach-O header claims %d load commands", ncmds)
	}
	at := off + 32
	for range ncmds {
		var lc [16]byte
		if _, err := r.ReadAt(lc[:], at); err != nil {
			return cpu, v, fmt.Errorf("read Mach-O load command: %w", err)
		}
		cmd, size := le.Uint32(lc[0:]), le.Uint32(lc[4:])
		switch {
		case cmd == lcBuildVersion && le.Uint32(lc[8:]) == platformMacOS:
			return cpu, decodeMacOS(le.Uint32(lc[12:])), nil
		case cmd == lcVersionMinMacOS:
			return cpu, decodeMacOS(le.Uint32(lc[8:])), nil
		}
		if size < 8 {
			return cpu, v, fmt.Errorf("Mach-O load command of %d bytes", size)
		}
		at += int64(size)
	}
	return cpu, v, errNoMinMacOS
}

// decodeMacOS reads a version packed as xxxx.yy.zz in nibbles.
func decodeMacOS(x uint32) MacOSVersion {
	return MacOSVersion{Major: int(x >> 16), Minor: int(x >> 8 & 0xff)}
}

// macOSFloors are the minimum macOS of each Go line from which it changed,
// newest first, as Go's release notes state them (and, from 1.25, as the
// Mach-O headers of the toolchain zips say: facts.md).
var macOSFloors = []struct {
	minor int // the first Go 1 line with this minimum
	min   MacOSVersion
}{
	{27, MacOSVersion{13, 0}},
	{25, MacOSVersion{12, 0}},
	{23, MacOSVersion{11, 0}},
	{21, MacOSVersion{10, 15}},
	{17, MacOSVersion{10, 13}},
	{15, MacOSVersion{10, 12}},
	{13, MacOSVersion{10, 11}},
}

// lastBeforeMonterey is the newest Go 1 line that crashes on macOS 12 and
// later at start (bsdthread_register error, golang/go#49425).
const lastBeforeMonterey = 10

// monterey is macOS 12.
var monterey = MacOSVersion{12, 0}

// RunsOnMacOS says whether Go version v can run on macOS os, judged from
// its version (before anything is downloaded), and if not, why.
func RunsOnMacOS(v goversion.Version, os MacOSVersion) (bool, string) {
	major, minor := v.MajorMinor()
	if major == 1 && minor <= lastBeforeMonterey && !os.Less(monterey) {
		return false, fmt.Sprintf("Go 1.%d and older crash on macOS 12 and later (golang/go#49425)", lastBeforeMonterey)
	}
	for _, f := range macOSFloors {
		if major > 1 || minor >= f.minor {
			if os.Less(f.min) {
				return false, fmt.Sprintf("%s needs macOS %s or later", v.GoName(), f.min)
			}
			break
		}
	}
	return true, ""
}

// NewestLineForMacOS returns the newest Go line that runs on macOS os, as
// a spec such as "1.26", or "" when every line does.
func NewestLineForMacOS(os MacOSVersion) string {
	for i, f := range macOSFloors {
		if !os.Less(f.min) {
			if i == 0 {
				return ""
			}
			return fmt.Sprintf("1.%d", macOSFloors[i-1].minor-1)
		}
	}
	return fmt.Sprintf("1.%d", macOSFloors[len(macOSFloors)-1].minor-1)
}

// MacOSCheck returns an Installer.CanRun that reads the minimum macOS of
// an unpacked root's bin/go and refuses a toolchain this Mac cannot start.
// hostVersion answers kern.osproductversion (HostMacOSVersion in gvx).
func MacOSCheck(hostVersion func() (string, error), goarch string) func(root string) error {
	return func(root string) error {
		s, err := hostVersion()
		if err != nil {
			return nil // unknown: the table in RunsOnMacOS already judged
		}
		host, err := ParseMacOSVersion(s)
		if err != nil {
			return nil
		}
		gobin := filepath.Join(root, "bin", "go")
		f, err := os.Open(gobin)
		if err != nil {
			return fmt.Errorf("read the minimum macOS of bin/go: %w", err)
		}
		defer f.Close()
		min, err := MinMacOS(f, goarch)
		if errors.Is(err, errNoMinMacOS) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the minimum macOS of bin/go: %w", err)
		}
		if host.Less(min) {
			return &MacOSError{Needs: min, Host: host, Newest: NewestLineForMacOS(host)}
		}
		return nil
	}
}

// MacOSError says that a toolchain needs a newer macOS than this Mac runs.
type MacOSError struct {
	Version string // "go1.27.0", filled in by the caller when known
	Needs   MacOSVersion
	Host    MacOSVersion
	Newest  string // the newest Go line that runs here, "1.26"
}

func (e *MacOSError) Error() string {
	what := "this toolchain"
	if e.Version != "" {
		what = e.Version
	}
	msg := fmt.Sprintf("%s needs macOS %s or later (its bin/go says so), and this Mac runs macOS %s", what, e.Needs, e.Host)
	if e.Newest != "" {
		msg += fmt.Sprintf("; the newest Go that runs here is %s: gvx install %s", e.Newest, e.Newest)
	}
	return msg
}

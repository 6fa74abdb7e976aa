package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gvx-dev/gvx/internal/fake"
)

// cmdModCache fills and inspects the module cache at $GOMODCACHE, as the go
// command would have left it after downloading toolchains from the fake
// server.
//
//	modcache add VERSION [GOOS/GOARCH]  what 'go mod download' of the toolchain leaves
//	modcache tamper VERSION [ziphash]   replace the zip (and with ziphash, its .ziphash too)
//	modcache snapshot                   remember every path, mode and content
//	modcache unchanged                  fail if anything differs from the snapshot
//	modcache sumdb-down                 point GOSUMDB at a port nobody listens on
//	modcache mark                       remember how many requests the server answered
//	modcache no-requests                fail if the server answered any since the mark
func cmdModCache(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: modcache add|tamper|snapshot|unchanged ...")
	}
	dir := ts.Getenv("GOMODCACHE")
	if dir == "" {
		ts.Fatalf("modcache: set GOMODCACHE first")
	}
	if neg && args[0] != "unchanged" {
		ts.Fatalf("modcache %s does not fail", args[0])
	}
	switch args[0] {
	case "add":
		if len(args) < 2 || len(args) > 3 {
			ts.Fatalf("usage: modcache add VERSION [GOOS/GOARCH]")
		}
		goos, goarch := runtime.GOOS, runtime.GOARCH
		if len(args) == 3 {
			var ok bool
			if goos, goarch, ok = strings.Cut(args[2], "/"); !ok {
				ts.Fatalf("modcache add: %q is not GOOS/GOARCH", args[2])
			}
		}
		ts.Check(server(ts).FillModCache(dir, args[1], goos, goarch))
	case "tamper":
		if len(args) < 2 || len(args) > 3 || (len(args) == 3 && args[2] != "ziphash") {
			ts.Fatalf("usage: modcache tamper VERSION [ziphash]")
		}
		mv := fake.ModVersion(args[1], runtime.GOOS, runtime.GOARCH)
		z := fake.TamperedModuleZip(mv, runtime.GOOS, runtime.GOARCH)
		at := filepath.Join(dir, "cache", "download", "golang.org", "toolchain", "@v")
		ts.Check(os.WriteFile(filepath.Join(at, mv+".zip"), z, 0o666))
		if len(args) == 3 {
			ts.Check(os.WriteFile(filepath.Join(at, mv+".ziphash"), []byte(fake.H1(z)), 0o666))
		}
	case "snapshot":
		ts.Setenv("MODCACHE_SNAPSHOT", snapshot(ts, dir))
	case "unchanged":
		was := ts.Getenv("MODCACHE_SNAPSHOT")
		if was == "" {
			ts.Fatalf("modcache unchanged: no snapshot")
		}
		if now := snapshot(ts, dir); (now == was) == neg {
			ts.Fatalf("the module cache changed: %v", !neg)
		}
	case "sumdb-down":
		l, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		dead := "http://" + l.Addr().String()
		ts.Check(l.Close())
		ts.Setenv("GOSUMDB", server(ts).VerifierKey+" "+dead)
	case "mark":
		ts.Setenv("MODCACHE_MARK", strconv.FormatInt(server(ts).Requests(), 10))
	case "no-requests":
		mark, err := strconv.ParseInt(ts.Getenv("MODCACHE_MARK"), 10, 64)
		ts.Check(err)
		if n := server(ts).Requests() - mark; n != 0 {
			ts.Fatalf("the server answered %d requests since the mark, want none", n)
		}
	default:
		ts.Fatalf("unknown modcache command %q", args[0])
	}
}

// snapshot is a digest of every path under dir with its mode, size and
// content.
func snapshot(ts *testscript.TestScript, dir string) string {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v %d %d", p, fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		lines = append(lines, line)
		return nil
	})
	ts.Check(err)
	sort.Strings(lines)
	return fmt.Sprintf("%x", sha256.Sum256([]byte(strings.Join(lines, "\n"))))
}

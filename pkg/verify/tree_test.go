package verify

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

func TestModuleFileName(t *testing.T) {
	for _, tc := range []struct {
		rel, want string
		ok        bool
	}{
		{"bin/go", "bin/go", true},
		{"src/go.mod", "src/_go.mod", true},
		{"src/cmd/go.mod", "src/cmd/_go.mod", true},
		{"src/cmd/_go.mod", "src/cmd/_go.mod", true},
		{"src/notgo.mod", "src/notgo.mod", true},
		{"go.mod", "_go.mod", true},
		{"api/go1.txt", "", false},
		{"doc/go_spec.html", "", false},
		{"misc/wasm/wasm_exec.js", "", false},
		{"test/fixedbugs/x.go", "", false},
		{"testdata/x", "testdata/x", true},
		{"lib/wasm/wasm_exec.js", "lib/wasm/wasm_exec.js", true},
	} {
		got, ok := ModuleFileName(tc.rel)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ModuleFileName(%q) = %q, %v, want %q, %v", tc.rel, got, ok, tc.want, tc.ok)
		}
	}
}

// TestToolchainTreeH1MatchesHashZip builds a module zip the way distpack
// does from a distribution's files and checks that the h1 computed from the
// distribution's own files is dirhash.HashZip's.
func TestToolchainTreeH1MatchesHashZip(t *testing.T) {
	dist := map[string]string{
		"VERSION":                "go1.999.0\n",
		"bin/go":                 "#!/bin/sh\n",
		"src/go.mod":             "module std\n",
		"src/cmd/go.mod":         "module cmd\n",
		"src/fmt/print.go":       "package fmt\n",
		"api/go1.txt":            "pkg fmt\n",
		"misc/wasm/wasm_exec.js": "//\n",
		"test/run.go":            "package main\n",
		"doc/go_spec.html":       "<html>\n",
	}
	const modPath, modVersion = "golang.org/toolchain", "v0.0.1-go1.999.0.linux-amd64"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	sums := map[string]string{}
	for rel, body := range dist {
		s := sha256.Sum256([]byte(body))
		sums[rel] = hex.EncodeToString(s[:])
		name, ok := ModuleFileName(rel)
		if !ok {
			continue
		}
		w, err := zw.Create(modPath + "@" + modVersion + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zipFile := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(zipFile, buf.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	want, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ToolchainTreeH1(modPath, modVersion, sums)
	if err != nil || got != want {
		t.Errorf("ToolchainTreeH1 = %q, %v, want %q", got, err, want)
	}

	sums["src/fmt/print.go"] = sums["bin/go"]
	if got, _ := ToolchainTreeH1(modPath, modVersion, sums); got == want {
		t.Errorf("ToolchainTreeH1 of a changed tree = %q, the genuine hash", got)
	}
	sums["src/_go.mod"] = sums["src/go.mod"]
	if _, err := ToolchainTreeH1(modPath, modVersion, sums); err == nil {
		t.Errorf("ToolchainTreeH1 with both src/go.mod and src/_go.mod: no error")
	}
}

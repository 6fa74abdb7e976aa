package tools

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// TestListReadsTheTestBinary lists a directory holding this test binary (a
// Go executable with build info) and a shell script (not Go).
func TestListReadsTheTestBinary(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mytool"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "script"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	list, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "mytool" {
		t.Fatalf("List = %+v, want only mytool", list)
	}
	tool := list[0]
	if tool.Go.IsZero() {
		t.Errorf("Go = zero, want the test's toolchain (build info says %q)", tool.GoRaw)
	}
	if !tool.Older(goversion.MustParse("1.999.0")) || tool.Older(goversion.MustParse("1.0")) {
		t.Errorf("Older: built with %s, compared wrongly with 1.999.0 and 1.0", tool.Go)
	}
	// A test binary is built from the module being tested, not installed
	// from it at a version.
	if tool.Installable() {
		t.Errorf("Installable() = true for %+v; a test binary has no module version", tool)
	}
}

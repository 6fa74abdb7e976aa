package doctor

import (
	"os"
	"path/filepath"
	"testing"
)

// TestToolsBuiltWithOlderGo puts this test binary (a Go executable) on PATH
// as dlv, in a module that requires a Go that cannot exist yet.
func TestToolsBuiltWithOlderGo(t *testing.T) {
	f := newFixture(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := f.mkdir("bin")
	f.write(filepath.Join(bin, "dlv"), string(data), 0o755)
	f.write(filepath.Join(bin, "not-a-known-tool"), string(data), 0o755)
	f.setPath(bin)

	if rs := f.check("tools"); len(rs) != 0 {
		t.Fatalf("no go.mod: %+v, want no result", rs)
	}
	f.write(filepath.Join(f.cwd, "go.mod"), "module app\n\ngo 1.999.0\n", 0o644)
	r := f.one("tools", Warn, "dlv", "older than the go1.999.0", "go.mod:3")
	wantFix(t, r, "gvx tools upgrade dlv")

	f.write(filepath.Join(f.cwd, "go.mod"), "module app\n\ngo 1.16\n", 0o644)
	if rs := f.check("tools"); len(rs) != 0 {
		t.Fatalf("go 1.16: %+v, want no result", rs)
	}
}

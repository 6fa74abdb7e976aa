package shim

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func shimNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestInstallShims(t *testing.T) {
	dirs := fakeHome(t)
	src := filepath.Join(t.TempDir(), "gvx-shim")
	writeFile(t, src, "shim v1")
	if err := InstallShims(dirs, src, []string{"1.22.6", "1.21.13"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"go", "go1.21.13", "go1.22.6", "gofmt"}
	if got := shimNames(t, dirs.Shims()); !slices.Equal(got, want) {
		t.Errorf("shims = %q, want %q", got, want)
	}
	copyPath := filepath.Join(dirs.Libexec(), ShimBinary)
	for _, n := range want {
		data, err := os.ReadFile(filepath.Join(dirs.Shims(), n))
		if err != nil || string(data) != "shim v1" {
			t.Errorf("shims/%s reads %q, %v; want the shim binary", n, data, err)
		}
		if target, err := os.Readlink(filepath.Join(dirs.Shims(), n)); err != nil || filepath.IsAbs(target) {
			t.Errorf("shims/%s -> %q, %v; want a relative link (the home may move)", n, target, err)
		}
	}
	fi, err := os.Stat(copyPath)
	if err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("libexec copy: %v, %v; want an executable", fi, err)
	}

	// Idempotent: nothing changes, not even the copy's modification time.
	before := fi.ModTime()
	writeFile(t, filepath.Join(dirs.Shims(), "README"), "not a shim")
	if err := InstallShims(dirs, src, []string{"1.22.6", "1.21.13"}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(copyPath); !fi.ModTime().Equal(before) {
		t.Errorf("second InstallShims rewrote the unchanged shim binary")
	}

	// A new shim binary refreshes the copy; an uninstalled version's shim goes,
	// files that are not version shims stay.
	writeFile(t, src, "shim v2")
	if err := InstallShims(dirs, src, []string{"1.22.6"}); err != nil {
		t.Fatal(err)
	}
	if got, want := shimNames(t, dirs.Shims()), []string{"README", "go", "go1.22.6", "gofmt"}; !slices.Equal(got, want) {
		t.Errorf("after uninstall, shims = %q, want %q", got, want)
	}
	if data, _ := os.ReadFile(filepath.Join(dirs.Shims(), "go")); string(data) != "shim v2" {
		t.Errorf("shims/go reads %q after upgrade, want %q", data, "shim v2")
	}
	if got := shimNames(t, dirs.Libexec()); !slices.Equal(got, []string{ShimBinary}) {
		t.Errorf("libexec = %q, want only %s (no temporary files left)", got, ShimBinary)
	}

	if err := InstallShims(dirs, src, []string{"../1.22"}); err == nil {
		t.Errorf("InstallShims with version %q: no error", "../1.22")
	}
	if err := InstallShims(dirs, filepath.Join(t.TempDir(), "missing"), nil); err == nil {
		t.Errorf("InstallShims with a missing shim binary: no error")
	}
}

func TestRecordGvx(t *testing.T) {
	dirs := fakeHome(t)
	if err := RecordGvx(dirs, "/opt/gvx/bin/gvx"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dirs.Libexec(), GvxPathFile))
	if err != nil || string(data) != "/opt/gvx/bin/gvx\n" {
		t.Errorf("gvx-path = %q, %v", data, err)
	}
}

package install

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/layout"
)

func TestCheckNamesChangedMissingAndExtraFiles(t *testing.T) {
	in, sums, res := installChecked(t)
	rc, err := in.Check(context.Background(), testVersion, sums)
	if err != nil || !rc.Intact() || rc.SumDB != "ok" || rc.Files != len(distFiles()) {
		t.Fatalf("Check of a fresh root = %+v, %v; want intact, sumdb ok, %d files", rc, err, len(distFiles()))
	}

	root := res.Root
	if err := os.WriteFile(filepath.Join(root, "src", "fmt", "print.go"), []byte("package fmt // changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "doc", "go_spec.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin", "evil"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rc, err = in.Check(context.Background(), testVersion, sums)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Intact() || !slices.Equal(rc.Changed, []string{"src/fmt/print.go"}) ||
		!slices.Equal(rc.Missing, []string{"doc/go_spec.html"}) || !slices.Equal(rc.Extra, []string{"bin/evil"}) {
		t.Errorf("Check = %+v; want src/fmt/print.go changed, doc/go_spec.html missing, bin/evil extra", rc)
	}
	if rc.SumDB != "mismatch" || rc.Expected != genuineH1(t) {
		t.Errorf("Check sumdb = %q (expected %q), want a mismatch with the genuine h1", rc.SumDB, rc.Expected)
	}

	// The database out of reach: the file list still decides.
	rc, err = in.Check(context.Background(), testVersion, &fakeSums{err: errors.New("offline")})
	if err != nil || rc.Intact() || !strings.HasPrefix(rc.SumDB, "not checked: ") {
		t.Errorf("Check offline = %+v, %v; want not intact, sumdb not checked", rc, err)
	}

	// A file list that does not match the receipt is reported as such.
	if err := os.WriteFile(filepath.Join(root, manifestName), []byte(strings.Repeat("0", 64)+"  bin/go\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, _ = in.Check(context.Background(), testVersion, nil)
	if rc.Intact() || !strings.Contains(rc.List, "but the receipt says") {
		t.Errorf("Check with a replaced file list = %+v; want the list reported", rc)
	}
}

// TestCheckRootWithoutFileList: a root an older gvx installed has no file
// list; that alone is not a difference, and the database still decides.
func TestCheckRootWithoutFileList(t *testing.T) {
	in, sums, res := installChecked(t)
	rec := res.Receipt
	rec.Tree = ""
	if err := os.Remove(filepath.Join(res.Root, layout.ReceiptName)); err != nil {
		t.Fatal(err)
	}
	if err := writeReceipt(osFS{}, res.Root, rec); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(res.Root, manifestName)); err != nil {
		t.Fatal(err)
	}
	rc, err := in.Check(context.Background(), testVersion, sums)
	if err != nil || !rc.Intact() || !rc.NoList || rc.SumDB != "ok" {
		t.Errorf("Check of a root without a file list = %+v, %v; want intact, NoList, sumdb ok", rc, err)
	}
}

// installChecked installs the distpack test tree from a tar.gz whose h1 the
// fake checksum database vouches for, and returns the installer, the
// database and the result.
func installChecked(t *testing.T) (*Installer, *fakeSums, Result) {
	t.Helper()
	in, _ := testInstaller(t)
	sums := &fakeSums{modVersion: testModVersion, h1: genuineH1(t)}
	in.Sums = sums
	data := tarGz(t, "go/", distFiles())
	a := tarArtifact(testVersion, data)
	res, err := in.Install(context.Background(), newSource(a, data), a)
	if err != nil {
		t.Fatal(err)
	}
	return in, sums, res
}

package projects

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestAddListForget(t *testing.T) {
	state := t.TempDir()
	s := Store{Dir: filepath.Join(state, "gvx")}
	root := t.TempDir()
	mk := func(name, file, body string) string {
		d := filepath.Join(root, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if file != "" {
			if err := os.WriteFile(filepath.Join(d, file), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	gv := mk("a", ".go-version", "1.22.6\n")
	tv := mk("b", ".tool-versions", "nodejs 20.1.0\ngolang 1.21.13\n")
	noGo := mk("c", ".tool-versions", "nodejs 20.1.0\n")
	gone := mk("d", ".go-version", "1.22\n")
	for _, d := range []string{gv, tv, noGo, gone, gv} {
		if err := s.Add(d); err != nil {
			t.Fatalf("Add(%q) = %v", d, err)
		}
	}
	if err := s.Add("relative/dir"); err == nil {
		t.Errorf("Add(relative) = nil, want an error")
	}
	if err := os.RemoveAll(gone); err != nil {
		t.Fatal(err)
	}
	got, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{gv, tv}; !slices.Equal(got, want) {
		t.Errorf("List() = %q, want %q", got, want)
	}
	// The forgotten ones are gone from the file, not only from the answer.
	data, err := os.ReadFile(filepath.Join(s.Dir, fileName))
	if err != nil {
		t.Fatal(err)
	}
	if want := gv + "\n" + tv + "\n"; string(data) != want {
		t.Errorf("file = %q, want %q", data, want)
	}
}

func TestListWithoutFile(t *testing.T) {
	got, err := Store{Dir: t.TempDir()}.List()
	if err != nil || got != nil {
		t.Errorf("List() = %q, %v; want nil, nil", got, err)
	}
}

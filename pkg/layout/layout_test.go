package layout

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	tests := []struct {
		value, want string // want: "" = accepted, else part of the error
	}{
		{"/home/a/gvx", ""},
		{"/opt/gvx/", ""},
		{"~/gvx", `GVX_HOME="~/gvx" starts with ~, which only a shell expands (and not inside quotes): use an absolute path, e.g. GVX_HOME="$HOME/gvx"`},
		{"~", `e.g. GVX_HOME="$HOME/"`},
		{"$HOME/gvx", `GVX_HOME="$HOME/gvx" holds a $ that no shell expanded`},
		{"/a:/b", `holds ':', the PATH list separator`},
		{"gvx", `GVX_HOME="gvx" is not an absolute path: use an absolute path, e.g. GVX_HOME="$HOME/gvx"`},
		{"./gvx", "is not an absolute path"},
	}
	for _, tt := range tests {
		err := CheckPath("GVX_HOME", tt.value)
		if tt.want == "" {
			if err != nil {
				t.Errorf("CheckPath(%q) = %v, want nil", tt.value, err)
			}
			continue
		}
		var se *SettingError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckPath(%q) = %v, want a *SettingError containing %q", tt.value, err, tt.want)
		}
	}
	getenv := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if _, err := Home(getenv(map[string]string{"GVX_HOME": "rel"})); err == nil {
		t.Error("Home(GVX_HOME=rel) = nil error")
	}
	if _, err := Home(getenv(map[string]string{"XDG_DATA_HOME": "~/.local/share"})); err == nil {
		t.Error("Home(XDG_DATA_HOME=~/.local/share) = nil error")
	}
	if h, err := Home(getenv(map[string]string{"GVX_HOME": "/x/gvx/"})); err != nil || h != "/x/gvx" {
		t.Errorf("Home(GVX_HOME=/x/gvx/) = %q, %v", h, err)
	}
}

func TestHomeOf(t *testing.T) {
	home := t.TempDir()
	d := Dirs{Home: home}
	if err := os.MkdirAll(d.Libexec(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d.Libexec(), "gvx-shim"+ExeSuffix), []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		exe  string
		want bool
	}{
		{filepath.Join(d.Libexec(), "gvx-shim"), true},
		{filepath.Join(d.Shims(), "go"), true},
		{filepath.Join(home, "bin", "go"), false},
		{filepath.Join(t.TempDir(), "shims", "go"), false}, // no gvx-shim there
		{"shims/go", false},
	} {
		h, ok := HomeOf(tt.exe)
		if ok != tt.want || (ok && h != home) {
			t.Errorf("HomeOf(%q) = %q, %v; want %v", tt.exe, h, ok, tt.want)
		}
	}
}

func TestVersionDir(t *testing.T) {
	for name, want := range map[string]bool{
		"1.22.6": true, "1.23rc1": true, "1.21.0": true,
		"go1.22.6": false, "1.22.06": false, "1.22.6 ": false, "tmp": false, "": false,
	} {
		v, ok := VersionDir(name)
		if ok != want || (ok && v.String() != name) {
			t.Errorf("VersionDir(%q) = %v, %v; want ok=%v", name, v, ok, want)
		}
	}
}

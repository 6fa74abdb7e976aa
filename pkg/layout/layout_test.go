package layout

import (
	"errors"
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

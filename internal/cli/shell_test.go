package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestQuotePOSIX runs bash on each quoted word: the word must come back as
// it was, with nothing expanded or run.
func TestQuotePOSIX(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash is needed to check shell quoting: %v", err)
	}
	for _, s := range []string{
		"1.22.6", ">=1.21, <1.23", "it's", `$(touch pwned)`, "`id`", `a\b`, "*", "two  spaces", "new\nline", "",
	} {
		q := quotePOSIX(s)
		out, err := exec.Command(bash, "-c", "printf '%s' "+q).Output()
		if err != nil {
			t.Errorf("bash -c printf %s: %v", q, err)
			continue
		}
		if string(out) != s {
			t.Errorf("quotePOSIX(%q) = %s, which bash reads as %q", s, q, out)
		}
	}
}

func TestQuoteFish(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.22.6", "1.22.6"},
		{">=1.21, <1.23", "'>=1.21, <1.23'"},
		{"it's", `'it\'s'`},
		{`a\b`, `'a\\b'`},
		{"/home/me/.local/share/gvx/shims", "/home/me/.local/share/gvx/shims"},
	}
	for _, tt := range tests {
		if got := quoteFish(tt.in); got != tt.want {
			t.Errorf("quoteFish(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestShellCode(t *testing.T) {
	tests := []struct {
		shell, value string
		want, unset  string
	}{
		{"bash", "1.22.6", "export GVX_GO_VERSION=1.22.6", "unset GVX_GO_VERSION"},
		{"zsh", ">=1.21", "export GVX_GO_VERSION='>=1.21'", "unset GVX_GO_VERSION"},
		{"fish", "1.22", "set -gx GVX_GO_VERSION 1.22", "set -e GVX_GO_VERSION"},
	}
	for _, tt := range tests {
		if got := exportCode(tt.shell, "GVX_GO_VERSION", tt.value); got != tt.want {
			t.Errorf("exportCode(%q, %q) = %q, want %q", tt.shell, tt.value, got, tt.want)
		}
		if got := unsetCode(tt.shell, "GVX_GO_VERSION"); got != tt.unset {
			t.Errorf("unsetCode(%q) = %q, want %q", tt.shell, got, tt.unset)
		}
	}
}

// TestShellRefusesUnknownFunction checks that a GVX_SHELL gvx does not know
// (an old or hand-written function) is a usage error, not code in the wrong
// syntax.
func TestShellRefusesUnknownFunction(t *testing.T) {
	gvxEnv(t)
	t.Setenv("GVX_SHELL", "tcsh")
	code, stdout, stderr := run("shell", "1.999.0")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `GVX_SHELL="tcsh"`) {
		t.Errorf("gvx shell with GVX_SHELL=tcsh = %d, %q, %q; want exit 2, no output, a message naming GVX_SHELL", code, stdout, stderr)
	}
}

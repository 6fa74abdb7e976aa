package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRewriteToolVersions: gvx use changes only the versions of the golang
// entry, keeping the word, spacing, comment, line ending and other lines.
func TestRewriteToolVersions(t *testing.T) {
	tests := []struct {
		in   string
		line int
		want string
	}{
		{"nodejs 20.1.0\ngolang 1.21.13\n", 2, "nodejs 20.1.0\ngolang 1.22.6\n"},
		{"golang 1.21.13 1.20.14 # fallback\r\nruby 3.3\r\n", 1, "golang 1.22.6 # fallback\r\nruby 3.3\r\n"},
		{"  go\t1.21.13#pinned\n", 1, "  go\t1.22.6 #pinned\n"},
		{"golang 1.21.13", 1, "golang 1.22.6"},
	}
	for _, tt := range tests {
		p := filepath.Join(t.TempDir(), ".tool-versions")
		if err := os.WriteFile(p, []byte(tt.in), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := rewriteToolVersions(p, tt.line, "1.22.6"); err != nil {
			t.Fatalf("rewriteToolVersions(%q): %v", tt.in, err)
		}
		got, _ := os.ReadFile(p)
		fi, _ := os.Stat(p)
		if string(got) != tt.want || fi.Mode().Perm() != 0o600 {
			t.Errorf("rewriteToolVersions(%q) = %q (mode %v), want %q (mode 0600)", tt.in, got, fi.Mode().Perm(), tt.want)
		}
	}
}

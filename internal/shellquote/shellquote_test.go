package shellquote

import (
	"os/exec"
	"testing"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string][2]string{
		"/a/b":       {"/a/b", "/a/b"},
		"/a b/c":     {"'/a b/c'", "'/a b/c'"},
		"/it's":      {`'/it'\''s'`, `'/it\'s'`},
		"/x/$HOME/y": {"'/x/$HOME/y'", "'/x/$HOME/y'"},
		`C:\go`:      {`'C:\go'`, `'C:\\go'`},
		"":           {"''", "''"},
	} {
		if got := POSIX(in); got != want[0] {
			t.Errorf("POSIX(%q) = %q, want %q", in, got, want[0])
		}
		if got := Fish(in); got != want[1] {
			t.Errorf("Fish(%q) = %q, want %q", in, got, want[1])
		}
	}
}

// TestQuoteInRealShells has sh, bash, zsh and fish print the quoted words
// back: each must come out as it went in.
func TestQuoteInRealShells(t *testing.T) {
	words := []string{"/a b/c", "/it's", "/x/$HOME/y", `C:\go`, "a\"b", "semi;colon", "star*", "tab\there", "new\nline", "~/x", "!bang"}
	for _, sh := range []string{"sh", "bash", "zsh", "fish"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			t.Errorf("%s is not installed: %v", sh, err)
			continue
		}
		quote := POSIX
		if sh == "fish" {
			quote = Fish
		}
		for _, w := range words {
			out, err := exec.Command(path, "-c", "printf '%s' "+quote(w)).Output()
			if err != nil || string(out) != w {
				t.Errorf("%s: printf of %s printed %q (%v), want %q", sh, quote(w), out, err, w)
			}
		}
	}
}

package cli

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestPathCodeIdempotent runs the PATH code of 'gvx init' and of gvx
// setup's blocks several times over PATHs that already hold the shims
// directory, including a directory whose name is a glob pattern, which must
// be matched literally, in every shell that reads it: bash, zsh, and sh
// (dash), which reads ~/.profile.
func TestPathCodeIdempotent(t *testing.T) {
	tests := []struct {
		shims, path, want string
	}{
		{"/g/shims", "/usr/bin:/bin", "/g/shims:/usr/bin:/bin"},
		{"/g/shims", "/usr/bin:/g/shims:/bin", "/g/shims:/usr/bin:/bin"},
		{"/g/shims", "/g/shims:/g/shims:/usr/bin:/g/shims", "/g/shims:/usr/bin"},
		{"/g/shims", "", "/g/shims"},
		{"/g/shims", "/g/shims/sub:/g/shimsx", "/g/shims:/g/shims/sub:/g/shimsx"},
		{"/g/[s]*", "/g/s1:/g/[s]*:/bin", "/g/[s]*:/g/s1:/bin"},
		{"/g/shims", "/usr/bin::/bin:", "/g/shims:/usr/bin::/bin:"},
	}
	for _, sh := range []string{"bash", "zsh", "sh"} {
		bin, err := exec.LookPath(sh)
		if err != nil {
			t.Fatalf("%s is needed to run the PATH code: %v", sh, err)
		}
		for _, tt := range tests {
			code := posixPathCode(tt.shims)
			if sh != "sh" {
				code = initScript(sh, tt.shims, "gvx")
			}
			script := "PATH=" + quotePOSIX(tt.path) + "\n" + code + code + code + `printf '%s' "$PATH"`
			args := []string{"-c", script}
			if sh == "zsh" {
				args = append([]string{"-f"}, args...)
			}
			out, err := exec.Command(bin, args...).CombinedOutput()
			if err != nil {
				t.Errorf("%s: shims %q, PATH %q: %v\n%s", sh, tt.shims, tt.path, err, out)
				continue
			}
			if string(out) != tt.want {
				t.Errorf("%s: shims %q, PATH %q: PATH after three runs = %q, want %q", sh, tt.shims, tt.path, out, tt.want)
			}
		}
	}
}

// TestInitScriptReachesGvxByPath checks that a gvx that is not on PATH is
// called by its absolute path, by the function and by completion alike.
func TestInitScriptReachesGvxByPath(t *testing.T) {
	for _, sh := range shells {
		s := initScript(sh, "/g/shims", "/opt/gvx/bin/gvx")
		if strings.Contains(s, "command gvx") {
			t.Errorf("initScript(%q, gvx not on PATH) still runs 'command gvx':\n%s", sh, s)
		}
		if n := strings.Count(s, "command /opt/gvx/bin/gvx "); n < 3 {
			t.Errorf("initScript(%q) calls /opt/gvx/bin/gvx %d times, want the function and both completion calls", sh, n)
		}
	}
}

func TestInitScriptNeverSetsGOROOT(t *testing.T) {
	for _, sh := range shells {
		s := initScript(sh, "/g/shims", "gvx")
		if strings.Contains(s, "GOROOT") {
			t.Errorf("initScript(%q) mentions GOROOT:\n%s", sh, s)
		}
		if !strings.Contains(s, envShell+"="+sh) && !strings.Contains(s, envShell+"=fish") {
			t.Errorf("initScript(%q) does not tell gvx shell which syntax to print", sh)
		}
		if !strings.Contains(s, "--generate-bash-completion") {
			t.Errorf("initScript(%q) has no completion", sh)
		}
	}
}

func TestShellName(t *testing.T) {
	tests := []struct {
		named, shellEnv, want string
		usage                 bool
	}{
		{"zsh", "/bin/bash", "zsh", false},
		{"", "/bin/bash", "bash", false},
		{"", "/usr/local/bin/zsh", "zsh", false},
		{"", "/opt/homebrew/bin/fish", "fish", false},
		{"", "", "", true},
		{"", "/bin/tcsh", "", true},
		{"pwsh", "/bin/bash", "", true},
	}
	for _, tt := range tests {
		e := newEnv(nil, nil, nil, func(k string) string {
			if k == "SHELL" {
				return tt.shellEnv
			}
			return ""
		})
		got, err := e.shellName(tt.named)
		var ue *usageError
		if got != tt.want || (err != nil) != tt.usage || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("shellName(%q) with SHELL=%q = %q, %v; want %q (usage error: %v)", tt.named, tt.shellEnv, got, err, tt.want, tt.usage)
		}
	}
}

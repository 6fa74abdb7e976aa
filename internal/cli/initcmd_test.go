package cli

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestInitScriptPathIdempotent sources the bash snippet several times over
// PATHs that already hold the shims directory, including a directory whose
// name is a glob pattern, which must be matched literally.
func TestInitScriptPathIdempotent(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash is needed to run the init snippet: %v", err)
	}
	tests := []struct {
		shims, path, want string
	}{
		{"/g/shims", "/usr/bin:/bin", "/g/shims:/usr/bin:/bin"},
		{"/g/shims", "/usr/bin:/g/shims:/bin", "/g/shims:/usr/bin:/bin"},
		{"/g/shims", "/g/shims:/g/shims:/usr/bin:/g/shims", "/g/shims:/usr/bin"},
		{"/g/shims", "", "/g/shims"},
		{"/g/shims", "/g/shims/sub:/g/shimsx", "/g/shims:/g/shims/sub:/g/shimsx"},
		{"/g/[s]*", "/g/s1:/g/[s]*:/bin", "/g/[s]*:/g/s1:/bin"},
	}
	for _, tt := range tests {
		snippet := initScript("bash", tt.shims)
		script := "PATH=" + quotePOSIX(tt.path) + "\n" + snippet + snippet + snippet + `printf '%s' "$PATH"`
		out, err := exec.Command(bash, "--norc", "--noprofile", "-c", script).CombinedOutput()
		if err != nil {
			t.Errorf("shims %q, PATH %q: bash: %v\n%s", tt.shims, tt.path, err, out)
			continue
		}
		if string(out) != tt.want {
			t.Errorf("shims %q, PATH %q: PATH after sourcing three times = %q, want %q", tt.shims, tt.path, out, tt.want)
		}
	}
}

func TestInitScriptNeverSetsGOROOT(t *testing.T) {
	for _, sh := range shells {
		s := initScript(sh, "/g/shims")
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

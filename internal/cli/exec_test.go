package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// execEnv installs a fake 1.999.0, selects it, and returns an env whose
// output is captured.
func execEnv(t *testing.T) (*env, *bytes.Buffer) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("GVX_HOME", home)
	t.Setenv(shim.EnvGoVersion, "1.999.0")
	fakeInstall(t, layout.Dirs{Home: home}, "1.999.0", "#!/bin/sh\necho \"real go $*\"\n")
	var out bytes.Buffer
	return newEnv(nil, &out, &out, os.Getenv), &out
}

func exitCodeOf(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ec ucli.ExitCoder
	if !errors.As(err, &ec) {
		t.Fatalf("error %v is not an exit code", err)
	}
	return ec.ExitCode()
}

func TestExecRunsTheSelectedGo(t *testing.T) {
	e, out := execEnv(t)
	if err := runExec(e, "", []string{"go", "vet", "./..."}); err != nil {
		t.Fatalf("runExec: %v", err)
	}
	if got := out.String(); got != "real go vet ./...\n" {
		t.Errorf("output = %q, want the selected root's go to run", got)
	}
}

func TestExecExitStatus(t *testing.T) {
	e, _ := execEnv(t)
	tests := []struct {
		script string
		want   int
	}{
		{"exit 0", 0},
		{"exit 3", 3},
		{"exit 255", 255},
		{"kill -KILL $$", 128 + int(syscall.SIGKILL)},
	}
	for _, tt := range tests {
		err := runExec(e, "", []string{"sh", "-c", tt.script})
		if got := exitCodeOf(t, err); got != tt.want {
			t.Errorf("gvx exec sh -c %q: exit %d, want %d", tt.script, got, tt.want)
		}
	}
}

// TestExecForwardsSignals has the child signal gvx (this test process) with
// SIGTERM; gvx must pass it on, and the child's trap decides the exit code.
func TestExecForwardsSignals(t *testing.T) {
	e, _ := execEnv(t)
	script := `trap 'exit 42' TERM; kill -TERM $PPID; while :; do :; done`
	err := runExec(e, "", []string{"sh", "-c", script})
	if got := exitCodeOf(t, err); got != 42 {
		t.Errorf("child trapping the forwarded SIGTERM: exit %d (%v), want 42", got, err)
	}
}

func TestLookPathIn(t *testing.T) {
	dir1, dir2 := t.TempDir(), t.TempDir()
	for _, p := range []string{filepath.Join(dir1, "tool"), filepath.Join(dir2, "tool"), filepath.Join(dir2, "other")} {
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir1, "other"), []byte("not executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := strings.Join([]string{"relative", "", dir1, dir2}, string(os.PathListSeparator))
	for _, tt := range []struct{ name, want string }{
		{"tool", filepath.Join(dir1, "tool")},
		{"other", filepath.Join(dir2, "other")},
		{filepath.Join(dir2, "tool"), filepath.Join(dir2, "tool")},
	} {
		if got, err := lookPathIn(tt.name, list); err != nil || got != tt.want {
			t.Errorf("lookPathIn(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if got, err := lookPathIn("missing", list); err == nil {
		t.Errorf("lookPathIn(missing) = %q, want an error", got)
	}
	// A relative PATH entry is never searched, even when the file is there.
	t.Chdir(dir2)
	if got, err := lookPathIn("tool", "."); err == nil {
		t.Errorf("lookPathIn through a relative entry = %q, want an error", got)
	}
}

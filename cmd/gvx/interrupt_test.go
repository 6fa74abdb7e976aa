//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gvx-dev/gvx/internal/fake"
	"github.com/gvx-dev/gvx/internal/lock"
	"github.com/gvx-dev/gvx/pkg/layout"
)

// TestInterruptWhileWaitingForLock: a gvx that must wait for another's
// lock says once for whom it waits, and SIGINT or SIGTERM then stop it at
// once with exit 130, having done nothing: the uninstall it was asked for
// does not happen when the lock comes free.
func TestInterruptWhileWaitingForLock(t *testing.T) {
	bin := buildLoadBinaries(t)
	srv := fake.NewServer(releases...)
	defer srv.Close()
	work := t.TempDir()
	env := loadEnv(work, srv)
	if o := run(work, env, bin.gvx, "install", "1.998.1"); o.code != 0 {
		t.Fatalf("install: %s", o)
	}
	dirs := layout.Dirs{Home: filepath.Join(work, ".gvx")}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			unlock, err := lock.Take(context.Background(), dirs.Lock("1.998.1"), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer unlock()
			cmd := exec.Command(bin.gvx, "uninstall", "--force", "1.998.1")
			cmd.Dir, cmd.Env = work, env
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The first line it prints is what it waits for; then signal.
			lines := bufio.NewScanner(stderr)
			if !lines.Scan() {
				t.Fatalf("gvx printed nothing before waiting")
			}
			want := "gvx: waiting for another gvx (pid " + strconv.Itoa(os.Getpid()) + ") installing or removing go1.998.1; Ctrl-C stops"
			if got := lines.Text(); got != want {
				t.Errorf("gvx said %q, want %q", got, want)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var rest strings.Builder
			for lines.Scan() {
				rest.WriteString(lines.Text() + "\n")
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Errorf("gvx uninstall after %s: %v, want exit 130; stderr %q", sig, err, rest.String())
			}
			if !strings.Contains(rest.String(), "interrupted") {
				t.Errorf("stderr after the signal = %q, want it to say it was interrupted", rest.String())
			}
			unlock()
			if _, err := os.Stat(dirs.Receipt("1.998.1")); err != nil {
				t.Errorf("go1.998.1 is gone after the interrupted uninstall: %v", err)
			}
		})
	}
}

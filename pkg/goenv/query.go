package goenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// QueryTimeout is how long a go env run may take unless the caller says:
// it reads a few files and prints, so far less is needed even on a slow
// disk, yet a go wrapper that hangs must not hang gvx.
const QueryTimeout = 10 * time.Second

// maxQueryStderr bounds how much of a failed go env's stderr its error
// quotes.
const maxQueryStderr = 200

// Query runs 'gobin env NAME...' in the environment env and returns the
// values in the order of names: the go command's own answer, in which its
// env file and the root's go.env count. A name the go command knows but
// that is unset answers "". The run is bounded by ctx and by timeout. The
// caller sets what the child must see (GOTOOLCHAIN=local, so that gobin
// answers for itself and does not switch). Every gvx question to a go
// binary goes through here.
func Query(ctx context.Context, timeout time.Duration, gobin string, env []string, names ...string) ([]string, error) {
	what := gobin + " env " + strings.Join(names, " ")
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, append([]string{"env"}, names...)...)
	cmd.Env = env
	cmd.WaitDelay = time.Second // a child that leaves its pipes open
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("%s: no answer within %s", what, timeout)
			}
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > maxQueryStderr {
			msg = msg[:maxQueryStderr] + "..."
		}
		if msg != "" {
			return nil, fmt.Errorf("%s: %w: %s", what, err, msg)
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	// One line per name; only the last newline goes, as an empty value is
	// an empty line (GOBIN, most often).
	out := strings.ReplaceAll(stdout.String(), "\r\n", "\n")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(names) {
		return nil, fmt.Errorf("%s: printed %d lines, want %d", what, len(lines), len(names))
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return lines, nil
}

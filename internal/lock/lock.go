// Package lock takes gvx's lock files: lockedfile locks (flock on Unix,
// LockFileEx on Windows) whose holder writes its pid into the file, so that
// a gvx that has to wait can say for whom, and whose wait ends when its
// context does (Ctrl-C, SIGTERM), with nothing done.
package lock

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/lockedfile"
)

// Take takes the lock at path, creating the file. When another process
// holds it, waiting is called once with that process's pid (0 when it is
// not known) before the wait; a done ctx ends the wait with ctx.Err() and
// nothing held. The returned function releases the lock; calling it again
// does nothing.
func Take(ctx context.Context, path string, waiting func(pid int)) (unlock func(), err error) {
	if waiting != nil {
		if held, _ := Held(path); held {
			waiting(pidIn(path))
		}
	}
	type result struct {
		unlock func()
		err    error
	}
	got := make(chan result, 1)
	go func() {
		u, err := lockedfile.MutexAt(path).Lock()
		got <- result{u, err}
	}()
	select {
	case r := <-got:
		if r.err != nil {
			return nil, r.err
		}
		// Who holds it, for those who will wait; the lock is on the file,
		// not its content.
		_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o666)
		return sync.OnceFunc(r.unlock), nil
	case <-ctx.Done():
		go func() { // let go of the lock should it come before the exit
			if r := <-got; r.err == nil {
				r.unlock()
			}
		}()
		return nil, ctx.Err()
	}
}

// pidIn reads the pid a holder wrote into the lock file at path.
func pidIn(path string) int {
	data, err := os.ReadFile(path)
	if err != nil || len(data) > 32 {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid
}

package lock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestTakeWaitsAndStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "1.22.6.lock")
	unlock, err := Take(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); strings.TrimSpace(string(data)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("lock file holds %q, want this process's pid", data)
	}
	// A second taker (its own open file: flock conflicts within one
	// process too) is told who holds the lock, and stops when its context
	// ends, holding nothing.
	ctx, cancel := context.WithCancel(context.Background())
	var told int
	_, err = Take(ctx, path, func(pid int) { told = pid; cancel() })
	if !errors.Is(err, context.Canceled) || told != os.Getpid() {
		t.Errorf("Take while held = %v, told pid %d; want context.Canceled after being told %d", err, told, os.Getpid())
	}
	if held, err := Held(path); !held || err != nil {
		t.Errorf("Held while held = %v, %v", held, err)
	}
	unlock()
	// The cancelled taker may still get the lock for a moment (and let it
	// go at once); a new one gets it in the end.
	u2, err := Take(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	u2()
	if held, err := Held(filepath.Join(t.TempDir(), "missing.lock")); held || err != nil {
		t.Errorf("Held(missing) = %v, %v", held, err)
	}
}

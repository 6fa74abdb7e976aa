//go:build unix

package goenv

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func fakeGo(t *testing.T, script string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "go")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQuery(t *testing.T) {
	// go env prints an unset value as an empty line: GOBIN, most often.
	gobin := fakeGo(t, `[ "$1 $2 $3" = "env GOBIN GOPATH" ] || exit 9; printf '\n/home/u/go\n'`)
	got, err := Query(context.Background(), QueryTimeout, gobin, nil, "GOBIN", "GOPATH")
	if want := []string{"", "/home/u/go"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Query(GOBIN GOPATH) = %q, %v; want %q", got, err, want)
	}
	crlf := fakeGo(t, `printf 'C:\\Go\r\ngo1.22.6\r\n'`)
	if got, err := Query(context.Background(), QueryTimeout, crlf, nil, "GOROOT", "GOVERSION"); err != nil || !slices.Equal(got, []string{`C:\Go`, "go1.22.6"}) {
		t.Errorf("Query(CRLF output) = %q, %v", got, err)
	}
	env := fakeGo(t, `echo "$GOTOOLCHAIN"`)
	if got, err := Query(context.Background(), QueryTimeout, env, []string{"GOTOOLCHAIN=local"}, "GOTOOLCHAIN"); err != nil || !slices.Equal(got, []string{"local"}) {
		t.Errorf("Query in env GOTOOLCHAIN=local = %q, %v", got, err)
	}
}

func TestQueryErrors(t *testing.T) {
	for _, tc := range []struct {
		name, script, want string
		timeout            time.Duration
	}{
		{"fails", `echo 'go: cannot find GOROOT directory' >&2; exit 2`, "env GOROOT GOVERSION: exit status 2: go: cannot find GOROOT directory", QueryTimeout},
		{"too few lines", `echo /usr/local/go`, "env GOROOT GOVERSION: printed 1 lines, want 2", QueryTimeout},
		{"hangs", `exec sleep 60`, "env GOROOT GOVERSION: no answer within 100ms", 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gobin := fakeGo(t, tc.script)
			_, err := Query(context.Background(), tc.timeout, gobin, nil, "GOROOT", "GOVERSION")
			if err == nil || err.Error() != gobin+" "+tc.want {
				t.Errorf("Query = %v\nwant %s %s", err, gobin, tc.want)
			}
		})
	}
	long := fakeGo(t, `printf 'x%.0s' $(seq 500) >&2; exit 1`)
	_, err := Query(context.Background(), QueryTimeout, long, nil, "GOROOT")
	if err == nil || !strings.HasSuffix(err.Error(), strings.Repeat("x", maxQueryStderr)+"...") {
		t.Errorf("Query with 500 bytes of stderr = %v, want it cut at %d", err, maxQueryStderr)
	}
}

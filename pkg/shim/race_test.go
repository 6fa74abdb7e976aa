package shim

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// TestInstallShimsConcurrent syncs the shims from many goroutines at once,
// as several gvx processes do when installs and uninstalls run together:
// none may fail on another's temporary link or on a shim another removed.
func TestInstallShimsConcurrent(t *testing.T) {
	src := filepath.Join(t.TempDir(), "gvx-shim")
	writeFile(t, src, "shim")
	for round := range 20 {
		dirs := fakeHome(t)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Half of them see 1.999.0 installed, half do not
				// (an uninstall in between): one creates the shim
				// while another removes it.
				var versions []string
				if i%2 == 0 {
					versions = []string{"1.999.0"}
				}
				errs <- InstallShims(dirs, src, versions)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("round %d: InstallShims = %v, want nil", round, err)
			}
		}
		// Once they agree again, the directory holds exactly the shims.
		if err := InstallShims(dirs, src, []string{"1.999.0"}); err != nil {
			t.Fatal(err)
		}
		if got, want := shimNames(t, dirs.Shims()), []string{"go", "go1.999.0", "gofmt"}; !slices.Equal(got, want) {
			t.Fatalf("round %d: shims = %q, want %q (no temporary links left)", round, got, want)
		}
	}
}

// TestRunRootGoneBeforeExec stands for an uninstall renaming the selected
// root away between the shim's selection and its exec: the shim chooses
// again, and says the version is not installed, or runs what now matches.
func TestRunRootGoneBeforeExec(t *testing.T) {
	tests := []struct {
		name      string
		installed []string
		spec      string
		remove    string // the root to rename away at the first exec
		keepRcpt  bool   // leave the receipt: a broken root, not an uninstall
		code      int
		stderr    string   // with ROOT for $GVX_HOME/versions
		execs     []string // the versions exec was asked to run
	}{
		{
			name: "exact spec", installed: []string{"1.22.6"}, spec: "1.22.6", remove: "1.22.6", code: 1,
			stderr: "gvx: go1.22.6 is not installed (selected by +1.22.6 argument); run 'gvx install 1.22.6'\n",
			execs:  []string{"1.22.6"},
		},
		{
			name: "line spec finds another", installed: []string{"1.22.5", "1.22.6"}, spec: "1.22", remove: "1.22.6", code: 0,
			execs: []string{"1.22.6", "1.22.5"},
		},
		{
			name: "broken root is not retried", installed: []string{"1.22.6"}, spec: "1.22.6", remove: "1.22.6", keepRcpt: true, code: 1,
			stderr: "gvx: run ROOT/1.22.6/bin/go (selected by +1.22.6 argument): ",
			execs:  []string{"1.22.6"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dirs := fakeHome(t, tt.installed...)
			var execs []string
			execHook = func(path string, argv, env []string) (int, error) {
				root := filepath.Dir(filepath.Dir(path))
				execs = append(execs, filepath.Base(root))
				if len(execs) == 1 {
					if tt.keepRcpt {
						if err := os.Remove(filepath.Join(root, "bin", "go"+exeSuffix)); err != nil {
							t.Fatal(err)
						}
					} else if err := os.Rename(dirs.Version(tt.remove), filepath.Join(dirs.Home, "gone")); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := os.Stat(path); err != nil {
					return 1, err // what exec says for a missing file
				}
				return 0, nil
			}
			t.Cleanup(func() { execHook = execTool })
			t.Chdir(t.TempDir())
			var stderr bytes.Buffer
			code := run([]string{"go", "+" + tt.spec, "version"}, envFunc("GVX_HOME", dirs.Home), nil, &stderr)
			want := dirs.Versions() + string(filepath.Separator)
			got := bytes.ReplaceAll(stderr.Bytes(), []byte(want), []byte("ROOT/"))
			if code != tt.code || !bytes.HasPrefix(got, []byte(tt.stderr)) || (tt.stderr == "") != (len(got) == 0) {
				t.Errorf("run = %d, stderr %q; want %d, %q", code, got, tt.code, tt.stderr)
			}
			if !slices.Equal(execs, tt.execs) {
				t.Errorf("exec ran %q, want %q", execs, tt.execs)
			}
		})
	}
}

//go:build unix

package shim

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// Hostile repositories: version files and go.mod/go.work belong to whoever
// wrote the repository, and the shim reads them on every go call.

// selectWithin runs Select with a deadline: a hang is a failure, not a
// stuck test binary.
func selectWithin(t *testing.T, dirs layout.Dirs, cwd string, getenv func(string) string) (Selection, error) {
	t.Helper()
	type result struct {
		sel Selection
		err error
	}
	done := make(chan result, 1)
	go func() {
		sel, err := Select(dirs, cwd, getenv)
		done <- result{sel, err}
	}()
	select {
	case r := <-done:
		return r.sel, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("Select in %s did not return: it hangs", cwd)
		return Selection{}, nil
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestHostileFileKinds(t *testing.T) {
	dirs := fakeHome(t, "1.22.6")
	writeFile(t, dirs.Global(), "1.22.6\n")

	t.Run("a FIFO .go-version is refused at once, naming it", func(t *testing.T) {
		root := t.TempDir()
		mkfifo(t, filepath.Join(root, ".go-version"))
		_, err := selectWithin(t, dirs, root, envFunc())
		want := filepath.Join(root, ".go-version") + ": a named pipe (FIFO), not a regular file"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %v, want it to start %q", err, want)
		}
	})
	t.Run("a FIFO go.mod does not hang when a .go-version decides", func(t *testing.T) {
		root := t.TempDir()
		mkfifo(t, filepath.Join(root, "go.mod"))
		writeFile(t, filepath.Join(root, ".go-version"), "1.22.6\n")
		sel, err := selectWithin(t, dirs, root, envFunc("GOTOOLCHAIN", "auto"))
		if err != nil || sel.Version.String() != "1.22.6" || sel.Requirement != nil {
			t.Errorf("Select = %s (requirement %v), %v; want 1.22.6 with the FIFO ignored", sel.Version, sel.Requirement, err)
		}
	})
	t.Run("a FIFO go.mod that decides is an error", func(t *testing.T) {
		root := t.TempDir()
		mkfifo(t, filepath.Join(root, "go.mod"))
		_, err := FindRequirement(root, envFunc())
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("FindRequirement = %v, want the FIFO refused", err)
		}
	})
	t.Run("a link to /dev/stdin is refused", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Symlink("/dev/stdin", filepath.Join(root, ".go-version")); err != nil {
			t.Fatal(err)
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer w.Close()
		saved := os.Stdin
		os.Stdin = r
		defer func() { os.Stdin = saved }()
		if _, err := selectWithin(t, dirs, root, envFunc()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("error %v, want /dev/stdin refused", err)
		}
	})
	t.Run("a directory where a go.work should be is refused", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Mkdir(filepath.Join(root, "go.work"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := FindRequirement(root, envFunc()); err == nil || !strings.Contains(err.Error(), "a directory, not a regular file") {
			t.Errorf("FindRequirement = %v, want the directory refused", err)
		}
	})
}

// TestShimFIFODoesNotEatStdin runs the real shim with a .go-version that is
// a link to /dev/stdin: it fails at once, and with a FIFO .go-version it
// fails too, without hanging, while the real go would get its stdin.
func TestShimFIFODoesNotHang(t *testing.T) {
	shimBin := buildShim(t)
	dirs := layout.Dirs{Home: filepath.Join(t.TempDir(), "gvx")}
	installFake(t, dirs, "1.999.0")
	if err := InstallShims(dirs, shimBin, []string{"1.999.0"}); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"fifo", "stdin"} {
		root := t.TempDir()
		p := filepath.Join(root, ".go-version")
		if kind == "fifo" {
			mkfifo(t, p)
		} else if err := os.Symlink("/dev/stdin", p); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(filepath.Join(dirs.Shims(), "go"), "version")
		cmd.Dir = root
		cmd.Env = []string{"GVX_HOME=" + dirs.Home, "PATH=/usr/bin:/bin", "HOME=" + root}
		cmd.Stdin = strings.NewReader("1.999.0\n")
		cmd.WaitDelay = time.Second
		done := make(chan struct{})
		timer := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill(); close(done) })
		out, err := cmd.CombinedOutput()
		timer.Stop()
		select {
		case <-done:
			t.Fatalf("%s: the shim hung", kind)
		default:
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "not a regular file") {
			t.Errorf("%s: shim = %v, %q; want exit 1 refusing the file", kind, err, out)
		}
	}
}

// TestNoLeaks: a version file that links to a secret is reported by name
// and line, never by content; nor is a huge line echoed.
func TestNoLeaks(t *testing.T) {
	dirs := fakeHome(t)
	secret := filepath.Join(t.TempDir(), "git-credentials")
	writeFile(t, secret, "https://gvx-user:ghp_s3cr3tT0ken@example.invalid\n")
	cases := map[string]string{
		"credentials": secret,
		"environ":     "/proc/self/environ",
	}
	t.Setenv("GVX_TEST_SECRET", "hunter2-s3cr3t")
	for name, target := range cases {
		if _, err := os.Stat(target); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		root := t.TempDir()
		if err := os.Symlink(target, filepath.Join(root, ".go-version")); err != nil {
			t.Fatal(err)
		}
		_, err := selectWithin(t, dirs, root, envFunc())
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		msg := err.Error()
		if strings.Contains(msg, "s3cr3t") || strings.Contains(msg, "gvx-user") || len(msg) > 300 {
			t.Errorf("%s: the error shows the file's content: %q", name, msg)
		}
		if !strings.HasPrefix(msg, filepath.Join(root, ".go-version")+":1: not a Go version (") {
			t.Errorf("%s: error %q does not name the file and line", name, msg)
		}
	}
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".go-version"), strings.Repeat("x", 60<<10)+"\n")
	_, err := selectWithin(t, dirs, root, envFunc())
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "a 61440-byte line, not shown") {
		t.Errorf("60 KB line: error %q, want a short one", err)
	}
	writeFile(t, filepath.Join(root, "go.mod"), "module m\ngo "+strings.Repeat("1", 60<<10)+"\n")
	if _, err := FindRequirement(root, envFunc()); err == nil || len(err.Error()) > 200 {
		t.Errorf("60 KB go line: error %v, want a short one", err)
	}
}

// TestTempRootIgnored: files in the system temp directory itself, which
// anyone may write, pick nothing; those below it count as usual.
func TestTempRootIgnored(t *testing.T) {
	dirs := fakeHome(t, "1.21.13", "1.22.6")
	writeFile(t, dirs.Global(), "1.21.13\n")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	writeFile(t, filepath.Join(tmp, ".go-version"), "1.22.6\n")
	writeFile(t, filepath.Join(tmp, ".tool-versions"), "golang 1.22.6\n")
	mkfifo(t, filepath.Join(tmp, "go.work"))
	writeFile(t, filepath.Join(tmp, "go.mod"), "module x\ngo 1.22.6\n")
	cwd := filepath.Join(tmp, "project")
	if err := os.MkdirAll(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	sel, err := selectWithin(t, dirs, cwd, envFunc("GOTOOLCHAIN", "auto"))
	if err != nil || sel.Version.String() != "1.21.13" || sel.Origin.Kind != OriginGlobal || sel.Requirement != nil {
		t.Errorf("Select under the temp root = %s from %s (requirement %v), %v; want the global 1.21.13, nothing from the temp root", sel.Version, sel.Origin, sel.Requirement, err)
	}
	writeFile(t, filepath.Join(cwd, ".go-version"), "1.22.6\n")
	if sel, err = selectWithin(t, dirs, cwd, envFunc()); err != nil || sel.Version.String() != "1.22.6" {
		t.Errorf("Select below the temp root = %s, %v; want its own .go-version", sel.Version, err)
	}
}

// TestDeeperThanPathMax: in a working directory longer than PATH_MAX the
// files too deep to open are absent (as for the go command), and those
// higher up still count.
func TestDeeperThanPathMax(t *testing.T) {
	dirs := fakeHome(t, "1.22.6")
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".go-version"), "1.22.6\n")
	dir := root
	name := strings.Repeat("d", 200)
	// Build the tree with relative paths (absolute ones would be too long).
	t.Chdir(root)
	for len(dir) < 5000 {
		if err := os.Mkdir(name, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chdir(name); err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(dir, name)
	}
	sel, err := selectWithin(t, dirs, dir, envFunc("GOTOOLCHAIN", "auto"))
	if err != nil || sel.Version.String() != "1.22.6" {
		t.Errorf("Select %d bytes deep = %s, %v; want the .go-version at the top", len(dir), sel.Version, err)
	}
}

// TestGoModSizeMessage: an oversized go.mod is explained as a go.mod.
func TestGoModSizeMessage(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "go.mod"), "module m\n"+strings.Repeat("// padding\n", (maxModFile/11)+1))
	_, err := FindRequirement(root, envFunc())
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB; a go.mod or go.work this large") {
		t.Errorf("FindRequirement = %v, want the go.mod size explained", err)
	}
}

// FuzzSelectFileKinds runs the selection over version files and go.mod and
// go.work files of every kind (regular of any size, FIFO, directory, links
// to devices, to /proc, dangling, in a loop): it never hangs, and an error
// names the file and stays short.
func FuzzSelectFileKinds(f *testing.F) {
	for kind := byte(0); kind < 8; kind++ {
		for name := byte(0); name < 4; name++ {
			f.Add(kind, name, uint16(7), []byte("1.22.6\n"))
		}
	}
	f.Add(byte(0), byte(2), uint16(60000), []byte("module m\ngo 1.22.6\n"))
	dirs := fakeHome(f, "1.22.6", "1.21.13")
	f.Fuzz(func(t *testing.T, kind, name byte, size uint16, data []byte) {
		root := t.TempDir()
		file := filepath.Join(root, []string{GoVersionFile, ToolVersionsFile, "go.mod", "go.work"}[name%4])
		switch kind % 8 {
		case 0: // a regular file of the given size, data repeated or cut
			body := data
			if len(body) > 0 && int(size) > len(body) {
				body = bytes.Repeat(body, int(size)/len(body)+1)
			}
			writeFile(t, file, string(body[:min(len(body), int(size))]))
		case 1:
			mkfifo(t, file)
		case 2:
			if err := os.Mkdir(file, 0o755); err != nil {
				t.Fatal(err)
			}
		case 3:
			os.Symlink("/dev/zero", file)
		case 4:
			os.Symlink("/proc/self/environ", file)
		case 5:
			os.Symlink(filepath.Join(root, "missing"), file)
		case 6:
			os.Symlink(file, file) // a loop
		case 7:
			os.Symlink("/dev/stdin", file)
		}
		sel, err := selectWithin(t, dirs, root, envFunc("GOTOOLCHAIN", "auto", EnvGoVersion, ""))
		if err == nil {
			return
		}
		msg := err.Error()
		var fe *FileError
		var nie *NotInstalledError
		var nse *NoSelectionError
		if !errors.As(err, &fe) && !errors.As(err, &nie) && !errors.As(err, &nse) {
			t.Fatalf("Select = %v (%T), %v; want a FileError, NotInstalledError or NoSelectionError", sel.Version, err, err)
		}
		if fe != nil && !strings.Contains(msg, file) {
			t.Errorf("error %q does not name %s", msg, file)
		}
		if len(msg) > 400 {
			t.Errorf("error of %d bytes: %.200q...", len(msg), msg)
		}
	})
}

//go:build windows

package shim

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"
)

// execTool runs the real tool as a child process (Windows has no exec),
// forwards interrupts to it and returns its exit code. The console delivers
// Ctrl+C to the child as well; catching it here keeps the shim alive until
// the child has finished, so the exit code is passed through.
func execTool(path string, argv, env []string) (int, error) {
	cmd := &exec.Cmd{Path: path, Args: argv, Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s) // not supported for os.Interrupt on Windows; the console already told the child
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return 1, err
	}
	return 0, nil
}

// readLimit reads at most limit bytes of path.
func readLimit(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		kind := "not a regular file"
		if fi.IsDir() {
			kind = "a directory"
		}
		return nil, &notRegularError{kind: kind}
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// readDirNames returns the names in dir.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// linkShim makes link a copy of target (a hard link where the file system
// allows), replacing what is there atomically. It reports whether anything
// changed.
func linkShim(target, link string) (bool, error) {
	if same, _ := sameContent(target, link); same {
		return false, nil
	}
	tmp := tempLinkName(link)
	os.Remove(tmp) // a leftover of a killed process that had this pid
	if err := os.Link(target, tmp); err != nil {
		if err := copyFile(target, tmp); err != nil {
			return false, err
		}
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

// copyFile copies src to dst, for a shim where no hard link can be made.
func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o755)
}

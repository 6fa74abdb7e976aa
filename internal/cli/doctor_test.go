package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDoctorFixReinstallsNonNative installs a version, swaps its bin/go for
// a binary of another architecture (what an x86_64 Go on Apple Silicon is),
// and checks that 'gvx doctor --fix' asks before reinstalling it, keeps it on
// "no", and reinstalls it natively on "yes".
func TestDoctorFixReinstallsNonNative(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake toolchains' bin/go is a shell script")
	}
	gvxEnv(t)
	home := os.Getenv("GVX_HOME")
	code, _, stderr := run("install", "1.999.0")
	require.Equal(t, 0, code, stderr)

	gobin := filepath.Join(home, "versions", "1.999.0", "bin", "go")
	foreignGo(t, gobin)

	doctor := func(answer string, args ...string) (int, string, string) {
		var o, e strings.Builder
		code := Main(append([]string{"gvx", "doctor", "--offline", "--fix"}, args...), strings.NewReader(answer), &o, &e)
		return code, o.String(), e.String()
	}

	_, _, stderr = doctor("n\n")
	assert.Contains(t, stderr, "reinstall go1.999.0 for this machine")
	assert.Contains(t, stderr, "kept go1.999.0")
	got, err := os.ReadFile(gobin)
	require.NoError(t, err)
	assert.False(t, strings.HasPrefix(string(got), "#!"), "bin/go was replaced although the answer was no")

	_, _, stderr = doctor("", "--yes")
	assert.Contains(t, stderr, "installed go1.999.0")
	got, err = os.ReadFile(gobin)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(got), "#!"), "bin/go is still the foreign binary; stderr:\n%s", stderr)
	out2, err := exec.Command(gobin, "version").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out2), "go version go1.999.0")
}

// TestDoctorFixKeepsTheRootWhenReinstallFails: with the network gone, the
// native build cannot be fetched, and the toolchain of another architecture
// stays installed and runnable: nothing is removed before its replacement
// exists. A root installed with --arch on purpose is not offered at all.
func TestDoctorFixKeepsTheRootWhenReinstallFails(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake toolchains' bin/go is a shell script")
	}
	srv := gvxEnv(t)
	home := os.Getenv("GVX_HOME")
	code, _, stderr := run("install", "1.999.0")
	require.Equal(t, 0, code, stderr)
	gobin := filepath.Join(home, "versions", "1.999.0", "bin", "go")
	foreignGo(t, gobin)
	foreign, err := os.ReadFile(gobin)
	require.NoError(t, err)

	srv.Close() // the network is gone
	t.Setenv("GVX_SOURCE", "dl")
	var o, e strings.Builder
	code = Main([]string{"gvx", "doctor", "--offline", "--fix", "--yes"}, strings.NewReader(""), &o, &e)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, e.String(), "go1.999.0 is left as it was")
	got, err := os.ReadFile(gobin)
	require.NoError(t, err, "bin/go is gone after a failed reinstall")
	assert.Equal(t, foreign, got, "bin/go changed after a failed reinstall")
	_, err = os.Stat(filepath.Join(home, "versions", "1.999.0", ".gvx-receipt.json"))
	assert.NoError(t, err, "the receipt is gone after a failed reinstall")
}

// foreignGo replaces the fake toolchain's bin/go at gobin with a tiny
// program built for the other architecture: what an x86_64 toolchain is on
// an arm64 machine (or the reverse).
func foreignGo(t *testing.T, gobin string) {
	t.Helper()
	other := map[bool]string{true: "arm64", false: "amd64"}[runtime.GOARCH == "amd64"]
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module x\n\ngo 1.21\n"), 0o644))
	require.NoError(t, os.Remove(gobin)) // go build will not overwrite a non-object file
	build := exec.Command("go", "build", "-o", gobin, ".")
	build.Dir = src
	build.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+other, "CGO_ENABLED=0", "GOFLAGS=", "GOTOOLCHAIN=local")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

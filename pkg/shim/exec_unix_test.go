//go:build unix

package shim

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// fakeGo is a toolchain's bin/go (and bin/gofmt): it reports what it was run
// with. Versions such as 1.999.0 cannot exist.
const fakeGo = `#!/bin/sh
if [ "$1" = fail ]; then exit 7; fi
echo "$(basename "$0") version go@VERSION@ linux/amd64"
echo "GOROOT=$GOROOT"
echo "PATH1=${PATH%%:*}"
echo "DEPTH=$GVX_SHIM_DEPTH"
echo "GOTOOLCHAIN=$GOTOOLCHAIN"
echo "ARGS=$*"
echo "SWITCH=$GOTOOLCHAIN_INTERNAL_SWITCH_VERSION COUNT=$GOTOOLCHAIN_INTERNAL_SWITCH_COUNT"
`

func installFake(t *testing.T, dirs layout.Dirs, v string) {
	t.Helper()
	for _, tool := range []string{"go", "gofmt"} {
		writeFile(t, filepath.Join(dirs.Version(v), "bin", tool), strings.ReplaceAll(fakeGo, "@VERSION@", v))
	}
	writeFile(t, dirs.Receipt(v), `{"version":"`+v+`"}`)
}

// TestShimExec builds cmd/gvx-shim, installs it as the shims of a temporary
// gvx home over fake toolchains, and runs the shims for real.
func TestShimExec(t *testing.T) {
	shimBin := buildShim(t)
	dirs := layout.Dirs{Home: filepath.Join(t.TempDir(), "gvx")}
	installFake(t, dirs, "1.999.0")
	installFake(t, dirs, "1.998.0")
	if err := InstallShims(dirs, shimBin, []string{"1.999.0", "1.998.0"}); err != nil {
		t.Fatal(err)
	}
	project := t.TempDir()
	writeFile(t, filepath.Join(project, ".go-version"), "1.999.0\n")
	deep := filepath.Join(project, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	module := t.TempDir()
	writeFile(t, filepath.Join(module, "go.mod"), "module m\ngo 1.999.0\n")
	newer := t.TempDir()
	writeFile(t, filepath.Join(newer, "go.mod"), "module m\ngo 1.1000.0\n")
	system := t.TempDir()
	writeFile(t, filepath.Join(system, "go"), "#!/bin/sh\necho system go GOROOT=$GOROOT DEPTH=$GVX_SHIM_DEPTH\n")
	looping := t.TempDir() // a "system" go that calls go through PATH again
	writeFile(t, filepath.Join(looping, "go"), "#!/bin/sh\nexec go \"$@\"\n")
	fakeGvx := filepath.Join(t.TempDir(), "gvx")
	writeFile(t, fakeGvx, "#!/bin/sh\n# fake gvx install: $1 = install, $2 = version\necho installing $2 >&2\nd=\"$GVX_HOME/versions/$2\"\nmkdir -p \"$d/bin\"\ncp \""+
		dirs.Version("1.999.0")+"/bin/go\" \"$d/bin/go\"\necho '{}' > \"$d/"+layout.ReceiptName+"\"\n")

	shims := dirs.Shims()
	basePath := shims + ":/usr/bin:/bin"
	tests := []struct {
		name   string
		tool   string // shim name
		args   []string
		dir    string
		env    []string
		code   int
		stdout []string // lines that must appear
		stderr string
	}{
		{
			name: "go-version three levels up", tool: "go", args: []string{"version", "-m", "x y"}, dir: deep,
			stdout: []string{"go version go1.999.0 linux/amd64", "GOROOT=" + dirs.Version("1.999.0"),
				"PATH1=" + filepath.Join(dirs.Version("1.999.0"), "bin"), "DEPTH=", "ARGS=version -m x y"},
		},
		{
			name: "gofmt", tool: "gofmt", args: []string{"-l", "."}, dir: deep,
			stdout: []string{"gofmt version go1.999.0 linux/amd64", "ARGS=-l ."},
		},
		{
			name: "+version argument", tool: "go", args: []string{"+1.998.0", "env", "GOROOT"}, dir: deep,
			stdout: []string{"go version go1.998.0 linux/amd64", "GOROOT=" + dirs.Version("1.998.0"), "ARGS=env GOROOT"},
		},
		{
			name: "version-named shim", tool: "go1.998.0", args: []string{"version"}, dir: deep,
			stdout: []string{"go version go1.998.0 linux/amd64"},
		},
		{
			name: "GVX_GO_VERSION beats the file; stale GOROOT replaced; GOTOOLCHAIN kept", tool: "go", args: []string{"version"}, dir: deep,
			env:    []string{EnvGoVersion + "=1.998", "GOROOT=/stale/goroot", "GOTOOLCHAIN=go1.998.0+auto"},
			stdout: []string{"go version go1.998.0 linux/amd64", "GOROOT=" + dirs.Version("1.998.0"), "GOTOOLCHAIN=go1.998.0+auto"},
		},
		{
			name: "exit code passed through", tool: "go", args: []string{"fail"}, dir: deep, code: 7,
		},
		{
			name: "not installed", tool: "go", args: []string{"version"}, dir: deep, env: []string{EnvGoVersion + "=1.997.0"}, code: 1,
			stderr: "gvx: go1.997.0 is not installed (selected by GVX_GO_VERSION); run 'gvx install 1.997.0'\n",
		},
		{
			name: "system skips the shims", tool: "go", args: []string{"version"}, dir: deep,
			env:    []string{EnvGoVersion + "=system", "PATH=" + shims + ":" + system + ":/usr/bin:/bin", "GOROOT=/stale"},
			stdout: []string{"system go GOROOT= DEPTH=1"},
		},
		{
			name: "loop through a system wrapper is stopped", tool: "go", args: []string{"version"}, dir: deep,
			env:  []string{EnvGoVersion + "=system", "PATH=" + shims + ":" + looping + ":/usr/bin:/bin"},
			code: 1, stderr: "gvx: go re-entered gvx's shims 16 times: a loop",
		},
		{
			// The go command found the go1.998.0 shim on PATH and exec'd it
			// keeping argv[0] "go": that version runs, whatever the
			// .go-version says, and the switch variables reach it unchanged.
			name: "go's toolchain switch lands", tool: "go", args: []string{"version"}, dir: deep,
			env:    []string{"GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=go1.998.0", "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT=1", "GOTOOLCHAIN=auto"},
			stdout: []string{"go version go1.998.0 linux/amd64", "GOROOT=" + dirs.Version("1.998.0"), "SWITCH=go1.998.0 COUNT=1"},
		},
		{
			name: "go's switch beats a version-named shim and GVX_GO_VERSION", tool: "go1.999.0", args: []string{"+1.999.0", "build"}, dir: deep,
			env:    []string{"GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=go1.998.0", EnvGoVersion + "=1.999.0"},
			stdout: []string{"go version go1.998.0 linux/amd64", "ARGS=+1.999.0 build", "SWITCH=go1.998.0 COUNT="},
		},
		{
			name: "go's switch to a version not installed", tool: "go", args: []string{"version"}, dir: deep,
			env:  []string{"GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=go1.997.0"},
			code: 1, stderr: "gvx: go1.997.0 is not installed (selected by the go command's toolchain switch (GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=go1.997.0)); run 'gvx install 1.997.0'\n",
		},
		{
			name: "go's switch to something else", tool: "go", args: []string{"version"}, dir: deep,
			env:  []string{"GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=bash"},
			code: 1, stderr: "gvx: GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=\"bash\" is not a Go toolchain name; unset it\n",
		},
		{
			name: "go.mod raises an older pin to what Go would switch to", tool: "go", args: []string{"version"}, dir: module,
			env:    []string{EnvGoVersion + "=1.998.0", "GOTOOLCHAIN=auto"},
			stdout: []string{"go version go1.999.0 linux/amd64", "GOROOT=" + dirs.Version("1.999.0"), "SWITCH= COUNT="},
		},
		{
			name: "GOTOOLCHAIN=local keeps the pin", tool: "go", args: []string{"version"}, dir: module,
			env:    []string{EnvGoVersion + "=1.998.0", "GOTOOLCHAIN=local"},
			stdout: []string{"go version go1.998.0 linux/amd64"},
		},
		{
			name: "auto-install", tool: "go", args: []string{"version"}, dir: deep,
			env:    []string{EnvGoVersion + "=1.997.0", envAutoInstall + "=1"},
			stdout: []string{"GOROOT=" + dirs.Version("1.997.0")},
			stderr: "gvx: installing 1.997.0 (selected by GVX_GO_VERSION; GVX_AUTO_INSTALL=1)\ninstalling 1.997.0\n",
		},
		{
			name: "auto-install what Go would download", tool: "go", args: []string{"version"}, dir: newer,
			env:    []string{EnvGoVersion + "=1.998.0", "GOTOOLCHAIN=auto", envAutoInstall + "=1"},
			stdout: []string{"GOROOT=" + dirs.Version("1.1000.0")},
			stderr: "gvx: installing 1.1000.0 (" + filepath.Join(newer, "go.mod") + ":2 requires go1.1000.0, newer than go1.998.0 selected by GVX_GO_VERSION; GVX_AUTO_INSTALL=1)\ninstalling 1.1000.0\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.HasPrefix(tt.name, "auto-install") {
				if err := RecordGvx(dirs, fakeGvx); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(filepath.Join(shims, tt.tool), tt.args...)
			cmd.Dir = tt.dir
			cmd.Env = append([]string{"GVX_HOME=" + dirs.Home, "PATH=" + basePath, "HOME=" + t.TempDir()}, tt.env...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			lines := strings.Split(stdout.String(), "\n")
			for _, want := range tt.stdout {
				if !containsString(lines, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if !strings.HasPrefix(stderr.String(), tt.stderr) || (tt.stderr == "" && stderr.Len() > 0) {
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.stderr)
			}
		})
	}
}

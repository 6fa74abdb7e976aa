package cli

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gvx-dev/gvx/internal/fake"
)

// gvxEnv points gvx at a fresh fake release server and a temp home.
func gvxEnv(t *testing.T) *fake.Server {
	t.Helper()
	host := runtime.GOOS + "/" + runtime.GOARCH
	srv := fake.NewServer(
		fake.Release{Version: "1.998.1", Stable: true, Platforms: []string{host}},
		fake.Release{Version: "1.999.0", Stable: true, Platforms: []string{host}},
	)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	// Out of the repository, whose go.mod would select a version and make
	// gvx list mark it.
	t.Chdir(dir)
	self, err := os.Executable()
	require.NoError(t, err)
	for k, v := range map[string]string{
		"GVX_HOME": filepath.Join(dir, "home"), "XDG_CACHE_HOME": filepath.Join(dir, "cache"),
		"XDG_STATE_HOME": filepath.Join(dir, "state"), "GVX_DL_BASE": srv.DLBase(),
		"GOPROXY": srv.GOPROXY(), "GOSUMDB": srv.GOSUMDB(), "GVX_SOURCE": "dl",
		"GVX_SHIM_BINARY": self, "GVX_HTTP_TIMEOUT": "5s",
		// Go's own env file (go env -w) is the test's, empty, not the machine's.
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"), "GOENV": "", "GOTOOLCHAIN": "",
	} {
		t.Setenv(k, v)
	}
	return srv
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(append([]string{"gvx"}, args...), nil, &out, &errb)
	return code, out.String(), errb.String()
}

// TestExitCodes checks the exit codes users and scripts rely on: 0 ok,
// 1 failure, 2 usage, 3 verification failure.
func TestExitCodes(t *testing.T) {
	srv := gvxEnv(t)
	name := "go1.999.0." + runtime.GOOS + "-" + runtime.GOARCH + ".tar.gz"

	code, _, stderr := run("install", "1.999.0")
	assert.Equal(t, 0, code, stderr)

	code, stdout, _ := run("list")
	assert.Equal(t, 0, code)
	assert.Equal(t, "1.999.0\n", stdout)

	for _, args := range [][]string{
		{"install", "not-a-version"},
		{"install", "1.2/../.."},
		{"install", "system"},
		{"install", "--arch", "sparc", "1.999.0"},
		{"install", "1.999.0", "--arch", "amd64"},
		{"uninstall"},
		{"list-remote", "1", "2"},
		{"install", "--no-such-flag"},
		{"frobnicate"},
	} {
		code, _, stderr := run(args...)
		assert.Equal(t, 2, code, "gvx %q: want a usage error; stderr:\n%s", args, stderr)
		assert.Regexp(t, `^gvx: `, stderr, "gvx %q", args)
	}

	code, _, stderr = run("install", "1.99")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `no Go release matches "1.99"`)

	// A tampered archive: exit 3, loudly, and the earlier install intact.
	data := append([]byte(nil), srv.Archive(name)...)
	data[len(data)/3] ^= 1
	srv.Handle("/dl/"+name, func(w http.ResponseWriter, r *http.Request) { w.Write(data) })
	code, _, stderr = run("uninstall", "1.999.0")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = run("install", "1.999.0")
	assert.Equal(t, 3, code)
	assert.Contains(t, stderr, "SECURITY ERROR")
	_, stdout, _ = run("list")
	assert.Empty(t, stdout)
}

func TestVersion(t *testing.T) {
	code, stdout, _ := run("--version")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `^gvx version \S+\n$`, stdout)
}

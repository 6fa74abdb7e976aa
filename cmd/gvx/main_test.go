package main

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gvx-dev/gvx/internal/cli"
	"github.com/gvx-dev/gvx/internal/fake"
	"github.com/gvx-dev/gvx/pkg/shim"
)

var update = flag.Bool("u", false, "update testscript golden output")

func TestMain(m *testing.M) {
	runShim := func() { os.Exit(shim.Main(os.Args)) }
	testscript.Main(m, map[string]func(){
		"gvx": func() { os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr)) },
		// gvx-darwin is gvx choosing shell files as it does on macOS.
		"gvx-darwin": func() { os.Exit(cli.MainAs("darwin", os.Args, os.Stdin, os.Stdout, os.Stderr)) },
		"go":         runShim,
		"gofmt":      runShim,
		"go1.999.0":  runShim,
		"go1.998.1":  runShim,
	})
}

// host is the platform the fake releases are built for; other is the same
// OS with another architecture (for --arch and "not native").
var (
	host      = runtime.GOOS + "/" + runtime.GOARCH
	otherArch = map[bool]string{true: "arm64", false: "amd64"}[runtime.GOARCH == "amd64"]
	other     = runtime.GOOS + "/" + otherArch
)

// releases are what the fake go.dev/dl, module proxy and checksum database
// offer: versions that cannot exist, so nothing real is ever touched.
var releases = []fake.Release{
	// 1.996 has three patches, for outdated, upgrade and prune.
	{Version: "1.996.0", Stable: true, Platforms: []string{host}},
	{Version: "1.996.1", Stable: true, Platforms: []string{host}},
	{Version: "1.996.2", Stable: true, Platforms: []string{host}},
	{Version: "1.997.0", Stable: true, Platforms: []string{host}},
	{Version: "1.998.0", Stable: true, Platforms: []string{host, "darwin/amd64"}},
	{Version: "1.998.1", Stable: true, Platforms: []string{host, "darwin/amd64", other}},
	{Version: "1.999rc1", Stable: false, Platforms: []string{host}},
	{Version: "1.999.0", Stable: true, Platforms: []string{host}},
}

func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup:               setupScript,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"server":   cmdServer,
			"tamper":   cmdTamper,
			"hits":     cmdHits,
			"modcache": cmdModCache,
		},
	})
}

// setupScript starts a fake release server for one script and points gvx at
// it, with every gvx and XDG directory inside the script's work dir.
func setupScript(env *testscript.Env) error {
	srv := fake.NewServer(releases...)
	env.Defer(srv.Close)
	env.Values["server"] = srv
	self, err := os.Executable()
	if err != nil {
		return err
	}
	work := env.WorkDir
	for k, v := range map[string]string{
		"GVX_DL_BASE":      srv.DLBase(),
		"GOPROXY":          srv.GOPROXY(),
		"GOSUMDB":          srv.GOSUMDB(),
		"GVX_HOME":         filepath.Join(work, ".gvx"),
		"HOME":             filepath.Join(work, "home"),
		"XDG_CACHE_HOME":   filepath.Join(work, ".cache"),
		"XDG_STATE_HOME":   filepath.Join(work, ".state"),
		"XDG_DATA_HOME":    filepath.Join(work, ".data"),
		"XDG_CONFIG_HOME":  filepath.Join(work, ".config"),
		"GVX_SHIM_BINARY":  self, // the test binary runs as the shim when called go
		"GVX_HTTP_TIMEOUT": "10s",
		"SERVER":           srv.URL,
		"HOSTPLATFORM":     host,
		"GOOS_":            runtime.GOOS,
		"GOARCH_":          runtime.GOARCH,
		"OTHERARCH":        otherArch,
	} {
		env.Setenv(k, v)
	}
	return os.MkdirAll(filepath.Join(work, "home"), 0o755)
}

func server(ts *testscript.TestScript) *fake.Server {
	return ts.Value("server").(*fake.Server)
}

// cmdServer changes the fake server: "server down" stops it (the network is
// gone), "server status PATH CODE" makes PATH answer with an HTTP status.
func cmdServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: server down | server status PATH CODE")
	}
	switch args[0] {
	case "down":
		server(ts).Close()
	case "status":
		if len(args) != 3 {
			ts.Fatalf("usage: server status PATH CODE")
		}
		code, err := strconv.Atoi(args[2])
		ts.Check(err)
		server(ts).Handle(args[1], func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, http.StatusText(code), code)
		})
	default:
		ts.Fatalf("unknown server command %q", args[0])
	}
}

// cmdTamper makes the server answer with a tampered archive: what a
// corrupted download or a tampered mirror would serve.
//
//	tamper dl FILENAME      the tar.gz with one byte changed
//	tamper proxy MODVERSION a valid module zip with other contents
//	tamper forge VERSION    the host's tar.gz with one byte of bin/go
//	                        changed, and a listing that matches it
func cmdTamper(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tamper dl FILENAME | tamper proxy MODVERSION | tamper forge VERSION")
	}
	s := server(ts)
	var urlPath string
	var data []byte
	switch args[0] {
	case "forge":
		s.Forge(args[1], runtime.GOOS, runtime.GOARCH)
		return
	case "dl":
		urlPath = "/dl/" + args[1]
		data = append([]byte(nil), s.Archive(args[1])...)
		if len(data) == 0 {
			ts.Fatalf("no archive %q", args[1])
		}
		data[len(data)/2] ^= 0xff
	case "proxy":
		urlPath = "/proxy/golang.org/toolchain/@v/" + args[1] + ".zip"
		data = fake.TamperedModuleZip(args[1], runtime.GOOS, runtime.GOARCH)
	default:
		ts.Fatalf("tamper: unknown source %q", args[0])
	}
	s.Handle(urlPath, func(w http.ResponseWriter, r *http.Request) { w.Write(data) })
}

// cmdHits checks how many requests the server got for a path.
func cmdHits(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: hits URLPATH N")
	}
	want, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	got := server(ts).Hits(args[0])
	if (got == want) == neg {
		ts.Fatalf("%s was requested %d times, want %s%d", args[0], got, map[bool]string{true: "not "}[neg], want)
	}
}

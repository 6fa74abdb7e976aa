package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gvx-dev/gvx/internal/fake"
)

// faultVersion is the version each network fault hits; previousVersion is
// installed before, and must come through every fault untouched.
const (
	faultVersion    = "1.999.0"
	previousVersion = "1.998.1"
)

// faultEnv is a gvx home with previousVersion installed, against a fake
// server whose faultVersion archive the test breaks.
type faultEnv struct {
	srv     *fake.Server
	name    string // faultVersion's archive name
	path    string // its URL path on srv
	archive []byte
	before  []string // the home's versions/ before the fault
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	srv := gvxEnv(t)
	code, _, stderr := run("install", previousVersion)
	require.Equal(t, 0, code, stderr)
	name := "go" + faultVersion + "." + runtime.GOOS + "-" + runtime.GOARCH + ".tar.gz"
	return &faultEnv{
		srv: srv, name: name, path: "/dl/" + name,
		archive: srv.Archive(name),
		before:  versionsTree(t),
	}
}

// versionsTree lists everything under $GVX_HOME/versions with its size and
// mode, so that any change to an installed root shows.
func versionsTree(t *testing.T) []string {
	t.Helper()
	root := filepath.Join(os.Getenv("GVX_HOME"), "versions")
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		paths = append(paths, fmt.Sprintf("%s %v %d", filepath.ToSlash(rel), info.Mode(), info.Size()))
		return nil
	})
	require.NoError(t, err)
	sort.Strings(paths)
	return paths
}

// installFails runs gvx install faultVersion, wants exit code want and every
// fragment in stderr, and checks that the fault left nothing behind: the
// previous version listed alone and unchanged, and staging empty.
func (f *faultEnv) installFails(t *testing.T, want int, fragments ...string) string {
	t.Helper()
	code, _, stderr := run("install", faultVersion)
	assert.Equal(t, want, code, "exit code; stderr:\n%s", stderr)
	assert.Regexp(t, `(?m)^gvx: `, stderr)
	for _, frag := range fragments {
		assert.Contains(t, stderr, frag)
	}
	f.assertIntact(t)
	return stderr
}

func (f *faultEnv) assertIntact(t *testing.T) {
	t.Helper()
	code, stdout, _ := run("list")
	assert.Equal(t, 0, code)
	assert.Equal(t, previousVersion+"\n", stdout, "gvx list after the fault")
	assert.Equal(t, f.before, versionsTree(t), "versions/ changed")
	staging, err := os.ReadDir(filepath.Join(os.Getenv("GVX_HOME"), "staging"))
	require.NoError(t, err)
	assert.Empty(t, staging, "left in staging")
	out, err := exec.Command(filepath.Join(os.Getenv("GVX_HOME"), "versions", previousVersion, "bin", "go"), "version").Output()
	assert.NoError(t, err)
	assert.Contains(t, string(out), "go version go"+previousVersion+" ")
}

// installWorks runs gvx install faultVersion and wants it to succeed.
func (f *faultEnv) installWorks(t *testing.T) {
	t.Helper()
	code, _, stderr := run("install", faultVersion)
	require.Equal(t, 0, code, stderr)
	code, stdout, _ := run("list")
	assert.Equal(t, 0, code)
	assert.Equal(t, previousVersion+"\n"+faultVersion+"\n", stdout)
}

// TestInstallStallMidBody: a server that goes silent halfway through the
// archive ends the install after GVX_HTTP_TIMEOUT, saying so.
func TestInstallStallMidBody(t *testing.T) {
	f := newFaultEnv(t)
	t.Setenv("GVX_HTTP_TIMEOUT", "300ms")
	release := make(chan struct{})
	defer close(release)
	f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(f.archive)))
		w.Write(f.archive[:len(f.archive)/2])
		w.(http.Flusher).Flush()
		select { // silent until the client gives up
		case <-release:
		case <-r.Context().Done():
		}
	})
	stderr := f.installFails(t, 1, "gvx: install go"+faultVersion+": "+f.srv.URL+f.path+": download stalled: no data for 300ms; "+
		"check the network, or set GVX_HTTP_TIMEOUT (for example 2m) to wait longer\n")
	assert.Equal(t, 1, strings.Count(stderr, f.srv.URL+f.path), "the URL is named once")
	assert.EqualValues(t, 1, f.srv.Hits(f.path), "a stall mid-body is not retried")
}

// TestInstallStallBeforeHeaders: a server that accepts the request and never
// answers is given up on after GVX_HTTP_TIMEOUT.
func TestInstallStallBeforeHeaders(t *testing.T) {
	f := newFaultEnv(t)
	t.Setenv("GVX_HTTP_TIMEOUT", "300ms")
	release := make(chan struct{})
	defer close(release)
	f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	f.installFails(t, 1, "no answer within 300ms", "GVX_HTTP_TIMEOUT")
}

// resetConn closes the request's connection with a TCP reset.
func resetConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.(*net.TCPConn).SetLinger(0)
	conn.Close()
}

// TestInstallResetConnections: resets before the answer are retried a
// bounded number of times; then the error names the server.
func TestInstallResetConnections(t *testing.T) {
	t.Run("always", func(t *testing.T) {
		f := newFaultEnv(t)
		f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) { resetConn(t, w) })
		f.installFails(t, 1, "cannot reach "+f.srv.URL+f.path)
		assert.EqualValues(t, 3, f.srv.Hits(f.path), "attempts")
	})
	t.Run("twice", func(t *testing.T) {
		f := newFaultEnv(t)
		f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) {
			if f.srv.Hits(f.path) <= 2 {
				resetConn(t, w)
				return
			}
			w.Write(f.archive)
		})
		f.installWorks(t)
		assert.EqualValues(t, 3, f.srv.Hits(f.path), "attempts")
	})
	t.Run("mid-body", func(t *testing.T) {
		// Once part of the body has been unpacked, the download is not
		// restarted behind the user's back: the error says to retry.
		f := newFaultEnv(t)
		f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(f.archive)))
			w.Write(f.archive[:len(f.archive)/2])
			w.(http.Flusher).Flush()
			resetConn(t, w)
		})
		stderr := f.installFails(t, 1, f.srv.URL+f.path, "retry")
		assert.NotContains(t, stderr, "SECURITY")
		assert.EqualValues(t, 1, f.srv.Hits(f.path), "attempts")
	})
}

// TestInstallHTMLPage: a 200 whose body is a web page (a captive portal, a
// mirror's error page) is refused before any of it is unpacked.
func TestInstallHTMLPage(t *testing.T) {
	f := newFaultEnv(t)
	f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><body>Sign in to the hotel Wi-Fi</body></html>")
	})
	f.installFails(t, 1, "got an HTML page instead of the archive "+f.name)
}

// TestInstallWrongContentLength: a Content-Length other than the listing's
// size is a different file (exit 3, before any byte is unpacked); a body
// without one that runs past the size is cut off and refused the same way;
// one that ends early is a truncated download (exit 1, retry).
func TestInstallWrongContentLength(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler func(f *faultEnv) http.HandlerFunc
		code    int
		frags   func(f *faultEnv, size int) []string
	}{
		{"longer", func(f *faultEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(len(f.archive)+100))
				w.Write(append(append([]byte{}, f.archive...), make([]byte, 100)...))
			}
		}, 3, func(_ *faultEnv, size int) []string {
			return []string{"SECURITY ERROR", fmt.Sprint(size+100) + " bytes (Content-Length)"}
		}},
		{"shorter", func(f *faultEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(len(f.archive)-100))
				w.Write(f.archive[:len(f.archive)-100])
			}
		}, 3, func(_ *faultEnv, size int) []string {
			return []string{"SECURITY ERROR", fmt.Sprint(size-100) + " bytes (Content-Length)"}
		}},
		{"chunked longer", func(f *faultEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Write(f.archive[:10])
				w.(http.Flusher).Flush() // no Content-Length from here on
				w.Write(f.archive[10:])
				w.Write(make([]byte, 4096))
			}
		}, 3, func(*faultEnv, int) []string { return []string{"SECURITY ERROR", "size"} }},
		{"chunked shorter", func(f *faultEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Write(f.archive[:10])
				w.(http.Flusher).Flush()
				w.Write(f.archive[10 : len(f.archive)-100])
			}
		}, 1, func(f *faultEnv, size int) []string {
			return []string{fmt.Sprintf("download %s%s: download truncated at %d of %d bytes: unexpected EOF; retry\n",
				f.srv.URL, f.path, size-100, size)}
		}},
		{"declared but cut", func(f *faultEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(len(f.archive)))
				w.Write(f.archive[:len(f.archive)-100])
				w.(http.Flusher).Flush()
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
			}
		}, 1, func(*faultEnv, int) []string { return []string{"retry"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFaultEnv(t)
			f.srv.Handle(f.path, tc.handler(f))
			stderr := f.installFails(t, tc.code, tc.frags(f, len(f.archive))...)
			if tc.code != 3 {
				assert.NotContains(t, stderr, "SECURITY")
			}
		})
	}
}

// TestInstallRedirectToAnotherHost: a redirect to another host of the same
// scheme is followed (go.dev/dl itself redirects to a download host).
func TestInstallRedirectToAnotherHost(t *testing.T) {
	f := newFaultEnv(t)
	var files atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files.Add(1)
		w.Write(f.archive)
	}))
	defer other.Close()
	// localhost, not 127.0.0.1: another host name, on another port.
	_, port, _ := net.SplitHostPort(other.Listener.Addr().String())
	target := "http://localhost:" + port + "/files/" + f.name
	f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	})
	f.installWorks(t)
	assert.EqualValues(t, 1, files.Load(), "downloads from the other host")
}

// TestInstallRedirectHTTPSToHTTP serves the listing over https, with a
// certificate the client is made to trust, and redirects the archive to
// plain http: gvx refuses it, does not fall back to the module proxy, and
// installs nothing. A redirect to another https host is followed.
func TestInstallRedirectHTTPSToHTTP(t *testing.T) {
	f := newFaultEnv(t)
	plain := f.srv.URL + "/plain/" + f.name
	f.srv.Handle("/plain/"+f.name, func(w http.ResponseWriter, r *http.Request) { w.Write(f.archive) })
	files := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(f.archive)
	}))
	defer files.Close()
	redirectTo := plain
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/dl/" {
			resp, err := http.Get(f.srv.DLBase() + "?" + r.URL.RawQuery)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			w.Header().Set("Content-Type", "application/json")
			io.Copy(w, resp.Body)
			return
		}
		http.Redirect(w, r, redirectTo, http.StatusFound)
	}))
	defer front.Close()
	trustTLS(t, map[string]*httptest.Server{"dl.example.com": front, "files.example.com": files})
	_, frontPort, _ := net.SplitHostPort(front.Listener.Addr().String())
	t.Setenv("GVX_DL_BASE", "https://dl.example.com:"+frontPort+"/dl/")
	t.Setenv("GVX_SOURCE", "auto")

	f.installFails(t, 1, "refusing the redirect from https://dl.example.com:"+frontPort+"/dl/"+f.name+" to "+plain,
		"downloads never leave https")
	assert.EqualValues(t, 0, f.srv.Hits("/plain/"+f.name), "the http URL was fetched")
	for _, p := range []string{"/proxy/golang.org/toolchain/@v/list", "/proxy/golang.org/toolchain/@v/" +
		fake.ModVersion(faultVersion, runtime.GOOS, runtime.GOARCH) + ".zip"} {
		assert.EqualValues(t, 0, f.srv.Hits(p), "a refused redirect made gvx fall back to the proxy (%s)", p)
	}

	_, filesPort, _ := net.SplitHostPort(files.Listener.Addr().String())
	redirectTo = "https://files.example.com:" + filesPort + "/go/" + f.name
	f.installWorks(t)
}

// trustTLS makes the transport every gvx client starts from (a clone of
// http.DefaultTransport) trust httptest's certificate and reach each server
// under its name, which that certificate covers; the change is undone when
// the test ends. gvx has no switch to trust other certificates, and none is
// wanted: this stands in for a mirror with a real certificate.
func trustTLS(t *testing.T, hosts map[string]*httptest.Server) {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport)
	saved := tr.Clone()
	pool := x509.NewCertPool()
	addrs := map[string]string{}
	for name, s := range hosts {
		pool.AddCert(s.Certificate())
		_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
		addrs[net.JoinHostPort(name, port)] = s.Listener.Addr().String()
	}
	var d net.Dialer
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if a, ok := addrs[addr]; ok {
			addr = a
		}
		return d.DialContext(ctx, network, addr)
	}
	t.Cleanup(func() {
		tr.TLSClientConfig = saved.TLSClientConfig
		tr.DialContext = saved.DialContext
	})
}

// TestInstallAfterFaultsWorks: after each kind of fault, the same install
// against a server that behaves succeeds, with nothing to clean up first.
func TestInstallAfterFaultsWorks(t *testing.T) {
	f := newFaultEnv(t)
	t.Setenv("GVX_HTTP_TIMEOUT", "300ms")
	faults := []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) { resetConn(t, w) },
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html></html>")
		},
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(f.archive)))
			w.Write(f.archive[:len(f.archive)/2])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		},
	}
	for _, h := range faults {
		f.srv.Handle(f.path, h)
		code, _, stderr := run("install", faultVersion)
		require.Equal(t, 1, code, stderr)
		f.assertIntact(t)
	}
	f.srv.Handle(f.path, func(w http.ResponseWriter, r *http.Request) { w.Write(f.archive) })
	f.installWorks(t)
	staging, err := os.ReadDir(filepath.Join(os.Getenv("GVX_HOME"), "staging"))
	require.NoError(t, err)
	assert.Empty(t, staging)
}

package doctor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// netServer answers the release listing at /dl/ and the toolchain list at
// /proxy/golang.org/toolchain/@v/list with the given statuses; 0 hangs
// until the client gives up.
func netServer(t *testing.T, dl, proxy *atomic.Int32) *httptest.Server {
	t.Helper()
	answer := func(w http.ResponseWriter, r *http.Request, code int32) {
		if code == 0 {
			<-r.Context().Done()
			return
		}
		w.WriteHeader(int(code))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/dl/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("mode") != "json" {
			http.Error(w, "want mode=json", http.StatusBadRequest)
			return
		}
		answer(w, r, dl.Load())
	})
	mux.HandleFunc("/proxy/golang.org/toolchain/@v/list", func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, proxy.Load())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestNetworkConfig(t *testing.T) {
	t.Run("values", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOPROXY"] = "https://proxy.example,direct"
		f.one("network.config", OK, "GOPROXY=https://proxy.example,direct (from environment)", "GOSUMDB is Go's default")
		f.one("network.probe", OK, "--offline")
	})
	t.Run("sumdb off", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOSUMDB"] = "off"
		r := f.one("network.config", Warn, "without the checksum database")
		wantFix(t, r, "go env -u GOSUMDB")
	})
	t.Run("proxy off", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOPROXY"] = "off"
		f.one("network.config", Warn, "the module proxy is off")
	})
}

func TestNetworkProbe(t *testing.T) {
	type codes struct{ dl, proxy int32 }
	tests := []struct {
		name        string
		source      string
		codes       codes
		dl, proxy   Status
		dlMsg, pMsg string
	}{
		{"both answer", "", codes{200, 200}, OK, OK, "the release listing answers", "the module proxy answers"},
		{"listing down", "", codes{500, 200}, Warn, OK, "500 Internal Server Error", "answers"},
		{"proxy down", "", codes{200, 404}, OK, Warn, "answers", "404 Not Found"},
		{"both down", "", codes{503, 502}, Fail, Fail, "503", "502"},
		{"dl only and down", "dl", codes{500, 200}, Fail, OK, "500", "answers"},
		{"proxy only and down", "proxy", codes{200, 500}, OK, Fail, "answers", "500"},
		{"listing hangs", "", codes{0, 200}, Warn, OK, "no answer within", "answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dl, proxy atomic.Int32
			dl.Store(tt.codes.dl)
			proxy.Store(tt.codes.proxy)
			srv := netServer(t, &dl, &proxy)
			f := newFixture(t)
			f.env.Offline = false
			f.env.Timeout = 200 * time.Millisecond
			f.vars["GVX_DL_BASE"] = srv.URL + "/dl/"
			f.vars["GOPROXY"] = srv.URL + "/proxy,direct"
			f.vars["GVX_SOURCE"] = tt.source
			f.one("network.dl", tt.dl, tt.dlMsg)
			r := f.one("network.proxy", tt.proxy, tt.pMsg)
			if tt.proxy == OK && !strings.Contains(r.Message, srv.URL+"/proxy") {
				t.Errorf("proxy result %q does not name the proxy", r.Message)
			}
		})
	}
	t.Run("no proxy known", func(t *testing.T) {
		var dl, proxy atomic.Int32
		dl.Store(200)
		srv := netServer(t, &dl, &proxy)
		f := newFixture(t)
		f.env.Offline = false
		f.vars["GVX_DL_BASE"] = srv.URL + "/dl/"
		f.one("network.proxy", Warn, "GOPROXY is not known")
	})
	t.Run("only direct", func(t *testing.T) {
		var dl, proxy atomic.Int32
		dl.Store(200)
		srv := netServer(t, &dl, &proxy)
		f := newFixture(t)
		f.env.Offline = false
		f.vars["GVX_DL_BASE"] = srv.URL + "/dl/"
		f.vars["GOPROXY"] = "direct"
		f.one("network.proxy", Warn, "names no proxy")
	})
}

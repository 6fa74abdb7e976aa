package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/gvx-dev/gvx/pkg/registry"

	"github.com/gvx-dev/gvx/internal/httpget"
)

// checkNetwork reports GOPROXY and GOSUMDB and, unless offline, whether the
// release listing and the module proxy answer.
func checkNetwork(ctx context.Context, s *state) []Result {
	goproxy, psrc := s.goSetting("GOPROXY")
	gosumdb, ssrc := s.goSetting("GOSUMDB")
	show := func(name, value, src string) string {
		if value == "" {
			return name + " is Go's default"
		}
		return fmt.Sprintf("%s=%s (from %s)", name, value, src)
	}
	config := show("GOPROXY", goproxy, psrc) + "; " + show("GOSUMDB", gosumdb, ssrc)
	var out []Result
	switch {
	case gosumdb == "off":
		out = append(out, warn("network.config", "unset GOSUMDB; go env -u GOSUMDB",
			"%s: gvx will not install toolchains from the module proxy without the checksum database", config))
	case goproxy == "off" || strings.HasPrefix(goproxy, "off,") || strings.HasPrefix(goproxy, "off|"):
		out = append(out, warn("network.config", "unset GOPROXY; go env -u GOPROXY",
			"%s: the module proxy is off, so gvx can install only from the release listing", config))
	default:
		out = append(out, ok("network.config", "%s", config))
	}
	if s.Offline {
		return append(out, ok("network.probe", "network not checked (--offline)"))
	}
	source := strings.TrimSpace(s.Getenv("GVX_SOURCE"))
	only := func(name string) bool { return source == name }
	dlErr := s.probeListing(ctx)
	proxyURL, proxyErr := s.probeProxy(ctx, goproxy)
	both := dlErr != nil && proxyErr != nil
	if dlErr == nil {
		out = append(out, ok("network.dl", "the release listing answers (%s)", s.dlBase()))
	} else {
		r := warn("network.dl", "check your connection or proxy settings, or set GVX_DL_BASE to a mirror", "the release listing does not answer: %v", dlErr)
		if only("dl") || both {
			r.Status = Fail
		}
		out = append(out, r)
	}
	switch {
	case proxyErr == nil:
		out = append(out, ok("network.proxy", "the module proxy answers (%s)", proxyURL))
	default:
		r := warn("network.proxy", "check your connection, or set GOPROXY to a reachable proxy", "the module proxy does not answer: %v", proxyErr)
		if only("proxy") || both {
			r.Status = Fail
		}
		out = append(out, r)
	}
	return out
}

func (s *state) dlBase() string {
	if b := strings.TrimSpace(s.Getenv("GVX_DL_BASE")); b != "" {
		return b
	}
	return registry.DefaultDLBase
}

func (s *state) probeListing(ctx context.Context) error {
	return s.get(ctx, s.dlBase()+"?mode=json")
}

// probeProxy asks the first proxy of goproxy for the toolchain module's
// version list and returns the proxy's URL.
func (s *state) probeProxy(ctx context.Context, goproxy string) (string, error) {
	if goproxy == "" {
		return "", fmt.Errorf("GOPROXY is not known (no env setting, no go.env in the selected Go); set GOPROXY")
	}
	proxies, err := registry.ParseGOPROXY(goproxy)
	if err != nil {
		return "", err
	}
	for _, p := range proxies {
		if p.URL == "direct" || p.URL == "off" {
			continue
		}
		return p.URL, s.get(ctx, strings.TrimSuffix(p.URL, "/")+"/golang.org/toolchain/@v/list")
	}
	return "", fmt.Errorf("GOPROXY=%s names no proxy", goproxy)
}

// get fetches url within the Env's timeout and wants a 200.
func (s *state) get(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	resp, err := httpget.Get(ctx, s.Client, url, nil)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("GET %s: no answer within %s", httpget.Redact(url), s.timeout())
		}
		return err
	}
	// The status is the answer; the list itself (hundreds of KB) is not
	// needed.
	resp.Body.Close()
	return nil
}

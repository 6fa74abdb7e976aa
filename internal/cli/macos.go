package cli

import (
	"fmt"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// hostMacOS is the running macOS's version; ok is false elsewhere, or when
// it cannot be read (then nothing is refused for it).
func (e *env) hostMacOS() (v install.MacOSVersion, ok bool) {
	if e.goos != "darwin" {
		return v, false
	}
	s, err := install.HostMacOSVersion()
	if err != nil {
		return v, false
	}
	v, err = install.ParseMacOSVersion(s)
	return v, err == nil
}

// canRun is the installers' check, before the rename, that this Mac can
// start the unpacked toolchain; nil elsewhere.
func (e *env) canRun() func(root string) error {
	if _, ok := e.hostMacOS(); !ok {
		return nil
	}
	return install.MacOSCheck(install.HostMacOSVersion, "")
}

// specForMacOS makes sp pick only releases that run on this Mac (see
// narrowForMacOS).
func (e *env) specForMacOS(sp goversion.Spec, plat registry.Platform) (goversion.Spec, error) {
	host, ok := e.hostMacOS()
	if !ok || plat.OS != "darwin" {
		return sp, nil
	}
	return narrowForMacOS(sp, host)
}

// narrowForMacOS turns latest (and 1, go1) into the newest release that
// runs on macOS host, and refuses an exact version or a line that cannot
// run there, naming the newest line that does.
func narrowForMacOS(sp goversion.Spec, host install.MacOSVersion) (goversion.Spec, error) {
	newest := install.NewestLineForMacOS(host)
	switch sp.Kind() {
	case goversion.Latest:
		if newest == "" {
			return sp, nil
		}
		major, minor := goversion.MustParse(newest).MajorMinor()
		return goversion.ParseSpec(fmt.Sprintf("<%d.%d", major, minor+1))
	case goversion.Exact, goversion.Line:
		if ok, why := install.RunsOnMacOS(sp.Version(), host); !ok {
			msg := fmt.Sprintf("%s: %s, and this Mac runs macOS %s", sp, why, host)
			if newest != "" {
				msg += fmt.Sprintf("; the newest Go that runs here is %s: gvx install %s", newest, newest)
			}
			return sp, fmt.Errorf("%s", msg)
		}
	}
	return sp, nil
}

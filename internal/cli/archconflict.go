package cli

import (
	"fmt"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// archConflict refuses to install v for plat when v is installed for
// another architecture: one version has one root, so that would either
// replace it unasked or claim "already installed" for the wrong one.
func archConflict(in *install.Installer, v goversion.Version, plat registry.Platform) error {
	have, ok := installedVersion(in, v)
	if !ok || have.Receipt.Arch == "" || have.Receipt.Arch == plat.Arch {
		return nil
	}
	s := have.Version.String()
	return fmt.Errorf("%s is installed for %s/%s in %s, not for %s/%s; a version has one root, so replace it: gvx uninstall %s && gvx install --arch %s %s",
		have.Version.GoName(), have.Receipt.OS, have.Receipt.Arch, have.Root, plat.OS, plat.Arch, s, plat.Arch, s)
}

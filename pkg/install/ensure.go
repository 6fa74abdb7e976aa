package install

import (
	"context"
	"fmt"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// Sources are where Ensure looks for a release, in this order: a local copy
// the go command downloaded (no network), then the release source.
type Sources struct {
	// Local installs v from a local copy when there is one (Go's module
	// cache), reporting whether there was; nil means none.
	Local func(ctx context.Context, v goversion.Version) (Result, bool, error)
	// Remote returns the release source, built on first need: an exact
	// version that is installed, or found locally, needs no listing.
	Remote func() (registry.Source, error)
	// Forget drops the cached release listing; Ensure calls it after a
	// security error, so that a plain retry does not reuse the listing
	// that vouched for what failed (it may be the listing that lies).
	Forget func()
}

// Ensure makes sure a version sp names is installed for plat, in the manner
// of hc-install: an exact version already installed is the result at once
// (tidying what a kill right after its rename may have left), unless
// ArchChosen asks for another architecture; else the newest release sp
// matches comes from a local copy or is downloaded and installed. A version
// installed for another architecture than plat is refused, naming how to
// replace it: a version has one root.
func (in *Installer) Ensure(ctx context.Context, sp goversion.Spec, plat registry.Platform, srcs Sources) (Result, error) {
	if sp.Kind() == goversion.Exact && !in.ArchChosen {
		if have, ok := in.Find(sp.Version()); ok {
			_ = in.Tidy(have.Version.String()) // best effort; doctor reports what stays
			in.reporter().Done(fmt.Sprintf("%s is already installed in %s", have.Version.GoName(), have.Root))
			return Result{Version: have.Version.String(), Root: have.Root, AlreadyInstalled: true, Receipt: have.Receipt}, nil
		}
	}
	local := func(v goversion.Version) (Result, bool, error) {
		if srcs.Local == nil {
			return Result{}, false, nil
		}
		return srcs.Local(ctx, v)
	}
	if sp.Kind() == goversion.Exact {
		if res, ok, err := local(sp.Version()); ok || err != nil {
			return res, err
		}
	}
	src, err := srcs.Remote()
	if err != nil {
		return Result{}, err
	}
	a, err := registry.Resolve(ctx, src, sp, plat)
	if err != nil {
		return Result{}, err
	}
	if err := in.archConflict(a.Version, plat); err != nil {
		return Result{}, err
	}
	if sp.Kind() != goversion.Exact {
		if res, ok, err := local(a.Version); ok || err != nil {
			return res, err
		}
	}
	res, err := in.Install(ctx, src, a)
	if verify.IsSecurity(err) && srcs.Forget != nil {
		srcs.Forget()
	}
	return res, err
}

// Find returns the installed root of version v ("1.20.0" finds go1.20).
func (in *Installer) Find(v goversion.Version) (Installed, bool) {
	list, err := in.List()
	if err != nil {
		return Installed{}, false
	}
	for _, i := range list {
		if goversion.Equal(i.Version, v) {
			return i, true
		}
	}
	return Installed{}, false
}

// archConflict refuses to install v for plat when v is installed for
// another architecture: a version has one root, and --arch must not say
// "already installed" for a root that is not what was asked for.
func (in *Installer) archConflict(v goversion.Version, plat registry.Platform) error {
	have, ok := in.Find(v)
	if !ok || have.Receipt.Arch == "" || have.Receipt.Arch == plat.Arch {
		return nil
	}
	s := have.Version.String()
	return fmt.Errorf("%s is installed for %s/%s in %s, not for %s/%s; a version has one root, so replace it: gvx uninstall %s && gvx install --arch %s %s",
		have.Version.GoName(), have.Receipt.OS, have.Receipt.Arch, have.Root, plat.OS, plat.Arch, s, plat.Arch, s)
}

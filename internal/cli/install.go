package cli

import (
	"context"
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/registry"
)

func installCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "install",
		Usage:     "download, verify and install Go versions",
		ArgsUsage: "[SPEC...]",
		Description: `SPEC is a version (1.22.6, go1.22.6), a minor line (1.22, 1.22.x: its newest
patch), latest, a prerelease (1.23rc1) or a constraint (">=1.21, <1.23").
With no SPEC, installs the version the current directory selects.

Releases come from the go.dev/dl listing, or the golang.org/toolchain module
on GOPROXY (GVX_SOURCE=auto|dl|proxy); GVX_DL_MIRROR adds files-only mirrors
for the archive bytes. Every archive is checked: the listing's SHA-256, and
for Go 1.21+ the files' h1 against the checksum database (GOSUMDB), whatever
the source (module zips by the database alone). From a base other than
go.dev, an unreachable database fails the install unless GVX_VERIFY=sha256.
A toolchain the
go command already downloaded into its module cache (GOMODCACHE) is installed
from there with no download, checked like a module zip (offline, against the
.ziphash and checksum database record the go command kept).`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "refresh", Usage: "fetch the release listing even if the cached one is fresh"},
			&ucli.StringFlag{Name: "arch", Usage: "install for this GOARCH instead of the host's (e.g. amd64 for Go before 1.16 on Apple Silicon)"},
		},
		Action: func(c *ucli.Context) error {
			specs := c.Args().Slice()
			if len(specs) == 0 {
				spec, err := e.selectedSpec()
				if err != nil {
					return err
				}
				specs = []string{spec}
			}
			return runInstall(c.Context, e, specs, c.Bool("refresh"), c.String("arch"))
		},
	}
}

// runInstall installs each spec in turn. A failure does not stop the
// others; the shims follow what was installed, and the error names every
// spec that failed.
func runInstall(ctx context.Context, e *env, specs []string, refresh bool, arch string) error {
	parsed := make([]goversion.Spec, 0, len(specs))
	for _, s := range specs {
		sp, err := goversion.ParseSpec(s)
		if err != nil {
			return err
		}
		if sp.Kind() == goversion.System {
			return usagef("%v", registry.ErrSystemSpec)
		}
		parsed = append(parsed, sp)
	}
	w, err := e.world(refresh)
	if err != nil {
		return err
	}
	in, err := w.installer()
	if err != nil {
		return err
	}
	plat, err := e.platform(arch)
	if err != nil {
		return err
	}
	in.ArchChosen = arch != ""
	var src registry.Source
	var failed []error
	for _, sp := range parsed {
		if _, err := installSpec(ctx, w, in, &src, sp, plat); err != nil {
			err = explainNoRelease(ctx, src, sp, err)
			if len(parsed) > 1 {
				err = fmt.Errorf("install %s: %w", sp, err)
			}
			failed = append(failed, err)
			if ctx.Err() != nil {
				break // interrupted: nothing more
			}
		}
	}
	// The shims follow what did get installed, whatever failed.
	if err := w.refreshShims(in); err != nil {
		failed = append(failed, err)
	}
	return errors.Join(failed...)
}

// installSpec makes sure the release sp names is installed for plat
// (install.Installer.Ensure; the installer says when it was already). On
// macOS sp first narrows to releases this Mac can run. A toolchain the go
// command already downloaded comes from Go's module cache; otherwise it is
// downloaded from *src, which is set up on first need.
func installSpec(ctx context.Context, w *world, in *install.Installer, src *registry.Source, sp goversion.Spec, plat registry.Platform) (install.Result, error) {
	sp, err := w.env.specForMacOS(sp, plat)
	if err != nil {
		return install.Result{}, err
	}
	return in.Ensure(ctx, sp, plat, install.Sources{
		Local: func(ctx context.Context, v goversion.Version) (install.Result, bool, error) {
			return w.installFromModCache(ctx, in, v, plat)
		},
		Remote: func() (registry.Source, error) {
			if *src == nil {
				s, err := w.source()
				if err != nil {
					return nil, err
				}
				*src = s
			}
			return *src, nil
		},
		Forget: func() { w.cache().Forget() },
	})
}

// installedVersion returns the installed root that is version v ("1.20.0"
// finds go1.20).
func installedVersion(in *install.Installer, v goversion.Version) (install.Installed, bool) {
	return in.Find(v)
}

// Package registry knows which Go releases exist and where to get them: the
// go.dev/dl JSON listing ("dl") and the golang.org/toolchain module on the
// user's GOPROXY ("proxy").
package registry

import (
	"context"
	"io"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// Format is the archive format of an Artifact.
type Format string

const (
	TarGz Format = "tar.gz"
	Zip   Format = "zip"
	// ModuleZip is a golang.org/toolchain module zip: files under
	// "golang.org/toolchain@<version>/", no file modes, verified by its h1:
	// hash against the checksum database.
	ModuleZip Format = "modzip"
)

// Platform is a GOOS/GOARCH pair.
type Platform struct {
	OS, Arch string
}

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Artifact is one installable archive of one Go version for one platform.
type Artifact struct {
	Version  goversion.Version
	Platform Platform
	Source   string // "dl", "proxy" or SourceModCache
	Format   Format
	Filename string // "go1.22.6.linux-amd64.tar.gz" or "v0.0.1-go1.22.6.linux-amd64.zip"
	URL      string
	SHA256   string // hex, from the dl listing; empty for module zips
	Size     int64  // from the dl listing; 0 when unknown

	// For ModuleZip: the module path and version to check against the
	// checksum database ("golang.org/toolchain", "v0.0.1-go1.22.6.linux-amd64").
	ModPath, ModVersion string

	// SumDBOnly marks a go.dev/dl-style archive that no listing vouches
	// for (a files-only mirror, with the version list from the module
	// proxy): it has no SHA-256, and only the checksum database's h1: of
	// its files may let it install.
	SumDBOnly bool
}

// Release is one Go version as a source lists it.
type Release struct {
	Version   goversion.Version
	Stable    bool
	Artifacts []Artifact // installable ones only (with a checksum to verify)
	// Unverified lists the platforms that have an archive the listing gives
	// no SHA-256 for (releases before Go 1.5 had only SHA-1): gvx does not
	// install those, and says why.
	Unverified []Platform
}

// Source lists releases and fetches their archives.
type Source interface {
	// Name is "dl" or "proxy".
	Name() string
	// List returns the releases the source knows, newest first.
	List(ctx context.Context) ([]Release, error)
	// Fetch opens the archive's body. The caller verifies it.
	Fetch(ctx context.Context, a Artifact) (io.ReadCloser, error)
}

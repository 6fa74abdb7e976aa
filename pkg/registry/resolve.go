package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// ErrSystemSpec is returned by Resolve for the spec "system": it names a go
// outside gvx, which gvx does not install.
var ErrSystemSpec = errors.New(`"system" means the go on PATH outside gvx; it cannot be installed: name a version such as 1.22.6`)

// firstDarwinARM64 is the first Go release with a darwin/arm64 build.
var firstDarwinARM64 = goversion.MustParse("1.16")

// NoMatchError says no release matches a spec.
type NoMatchError struct {
	Spec     string // as the spec prints: "1.99", "latest"
	Platform Platform
	Newest   goversion.Version // the newest stable release for Platform; zero if none
}

func (e *NoMatchError) Error() string {
	if e.Newest.IsZero() {
		return fmt.Sprintf("no Go release matches %q for %s; see 'gvx list-remote'", e.Spec, e.Platform)
	}
	return fmt.Sprintf("no Go release matches %q for %s (newest: %s); see 'gvx list-remote'", e.Spec, e.Platform, e.Newest)
}

// noBuildError says the release a spec matches has no installable archive
// for the platform.
type noBuildError struct {
	Version  goversion.Version // the newest release the spec matches
	Platform Platform
	// Unverified is set when the release has an archive for Platform but
	// the listing gives no SHA-256 for it (Go before 1.5).
	Unverified bool
	// First is the oldest release with a build for Platform; zero if none.
	First goversion.Version
}

func (e *noBuildError) Error() string {
	name, plat := e.Version.GoName(), e.Platform
	switch {
	case e.Unverified:
		return fmt.Sprintf("%s for %s has no SHA-256 in the listing (only SHA-1 was published then), and gvx installs only archives it can verify; pick a newer version", name, plat)
	case plat == Platform{OS: "darwin", Arch: "arm64"} && goversion.Compare(e.Version, firstDarwinARM64) < 0:
		return fmt.Sprintf("%s has no build for darwin/arm64; darwin/arm64 builds exist from Go %s on: use --arch amd64", name, firstDarwinARM64)
	case e.First.IsZero():
		return fmt.Sprintf("%s has no build for %s, and no listed release has one; see 'gvx list-remote'", name, plat)
	case goversion.Compare(e.Version, e.First) < 0:
		return fmt.Sprintf("%s has no build for %s; %s builds exist from %s on", name, plat, plat, e.First.GoName())
	}
	return fmt.Sprintf("%s has no build for %s; pick another version (see 'gvx list-remote')", name, plat)
}

// Resolve returns the artifact of the newest release that spec matches and
// that has a build for plat. For an exact version that the listing lacks,
// a source that can look versions up (a module proxy) is asked directly.
// Failures are *NoMatchError, *noBuildError or ErrSystemSpec.
func Resolve(ctx context.Context, src Source, spec goversion.Spec, plat Platform) (Artifact, error) {
	if spec.Kind() == goversion.System {
		return Artifact{}, ErrSystemSpec
	}
	rels, err := src.List(ctx)
	if err != nil {
		return Artifact{}, fmt.Errorf("list Go releases: %w", err)
	}
	var matched []Release
	for _, r := range rels {
		if !spec.Matches(r.Version) {
			continue
		}
		if a, ok := r.artifact(plat); ok {
			return a, nil
		}
		matched = append(matched, r)
	}
	if l, ok := src.(Lookuper); ok && spec.Kind() == goversion.Exact {
		a, found, err := l.Lookup(ctx, spec.Version(), plat)
		if err != nil {
			return Artifact{}, err
		}
		if found {
			return a, nil
		}
	}
	if len(matched) == 0 {
		e := &NoMatchError{Spec: spec.String(), Platform: plat}
		for _, r := range rels {
			if _, ok := r.artifact(plat); ok && r.Stable {
				e.Newest = r.Version
				break
			}
		}
		return Artifact{}, e
	}
	e := &noBuildError{Version: matched[0].Version, Platform: plat, Unverified: slices.Contains(matched[0].Unverified, plat)}
	for _, r := range rels {
		if _, ok := r.artifact(plat); ok && (e.First.IsZero() || goversion.Compare(r.Version, e.First) < 0) {
			e.First = r.Version
		}
	}
	return Artifact{}, e
}

// artifact returns r's archive for plat.
func (r Release) artifact(plat Platform) (Artifact, bool) {
	for _, a := range r.Artifacts {
		if a.Platform == plat {
			return a, true
		}
	}
	return Artifact{}, false
}

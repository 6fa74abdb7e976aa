package install

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// TestEnsure: an exact version that is installed needs no source at all
// and is said once; another architecture of it is refused, naming how to
// replace it; a local copy comes before the release source.
func TestEnsure(t *testing.T) {
	in, _ := testInstaller(t)
	var out bytes.Buffer
	in.Reporter = NewReporter(&out, false, false)
	data := tarGz(t, "go/", goroot())
	a := tarArtifact(testVersion, data)
	if _, err := in.Install(context.Background(), newSource(a, data), a); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	noRemote := Sources{Remote: func() (registry.Source, error) {
		t.Fatal("Ensure asked for the release source of an installed version")
		return nil, nil
	}}
	sp := goversion.MustParseSpec(testVersion)
	res, err := in.Ensure(context.Background(), sp, a.Platform, noRemote)
	if err != nil || !res.AlreadyInstalled || res.Root != in.Dirs.Version(testVersion) {
		t.Fatalf("Ensure(installed) = %+v, %v", res, err)
	}
	if n := strings.Count(out.String(), "already installed"); n != 1 {
		t.Errorf("Ensure said 'already installed' %d times: %q", n, out.String())
	}

	// Another architecture of an installed version is refused.
	in.ArchChosen = true
	other := a.Platform
	other.Arch = "arm64"
	src := &listingSource{fakeSource: newSource(a, data), rels: []registry.Release{{Version: goversion.MustParse(testVersion), Stable: true, Artifacts: []registry.Artifact{func() registry.Artifact { b := a; b.Platform = other; return b }()}}}}
	_, err = in.Ensure(context.Background(), sp, other, Sources{Remote: func() (registry.Source, error) { return src, nil }})
	if err == nil || !strings.Contains(err.Error(), "a version has one root, so replace it: gvx uninstall "+testVersion) {
		t.Errorf("Ensure(other arch) = %v, want the one-root refusal", err)
	}

	// A local copy is used before the release source is asked.
	in2, _ := testInstaller(t)
	used := false
	_, err = in2.Ensure(context.Background(), sp, a.Platform, Sources{
		Local: func(ctx context.Context, v goversion.Version) (Result, bool, error) {
			used = true
			return Result{Version: v.String()}, true, nil
		},
		Remote: noRemote.Remote,
	})
	if err != nil || !used {
		t.Errorf("Ensure with a local copy = %v, used %v; want it used without the source", err, used)
	}
}

// listingSource is a fakeSource that also lists releases.
type listingSource struct {
	*fakeSource
	rels []registry.Release
}

func (s *listingSource) List(context.Context) ([]registry.Release, error) { return s.rels, nil }

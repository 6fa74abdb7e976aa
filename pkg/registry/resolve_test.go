package registry

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// staticSource lists fixed releases; lookup, when set, makes it a Lookuper.
type staticSource struct {
	rels []Release
	err  error
}

func (s staticSource) Name() string                            { return "static" }
func (s staticSource) List(context.Context) ([]Release, error) { return s.rels, s.err }
func (s staticSource) Fetch(context.Context, Artifact) (io.ReadCloser, error) {
	return nil, errors.New("no")
}

type lookupSource struct {
	staticSource
	found map[string]Artifact
}

func (s lookupSource) Lookup(_ context.Context, v goversion.Version, plat Platform) (Artifact, bool, error) {
	a, ok := s.found[ModVersion(v, plat)]
	return a, ok, nil
}

func TestResolve(t *testing.T) {
	corpusRels, err := decodeListing(corpus(t), "L", testBase)
	if err != nil {
		t.Fatal(err)
	}
	modern := staticSource{rels: parseToolchainList([]byte(
		"v0.0.1-go1.26.8.linux-amd64\nv0.0.1-go1.26.8.darwin-arm64\nv0.0.1-go1.27rc1.linux-amd64\n"+
			"v0.0.1-go1.22.6.linux-amd64\nv0.0.1-go1.22.5.linux-amd64\nv0.0.1-go1.22.6.darwin-arm64\n"+
			"v0.0.1-go1.15.15.linux-amd64\nv0.0.1-go1.15.15.darwin-amd64\nv0.0.1-go1.20.linux-amd64\n"+
			"v0.0.1-go1.24.0.plan9-arm\n"), "https://p.test")}
	linux, darwinARM := Platform{"linux", "amd64"}, Platform{"darwin", "arm64"}
	for _, tc := range []struct {
		name string
		src  Source
		spec string
		plat Platform
		want string // the artifact's file name, or the error text
	}{
		{"corpus exact", staticSource{rels: corpusRels}, "1.13.8", linux, "go1.13.8.linux-amd64.tar.gz"},
		{"corpus line", staticSource{rels: corpusRels}, "1.12", linux, "go1.12.17.linux-amd64.tar.gz"},
		{"corpus latest", staticSource{rels: corpusRels}, "latest", linux, "go1.14.linux-amd64.tar.gz"},
		{"corpus constraint", staticSource{rels: corpusRels}, ">=1.10, <1.11", linux, "go1.10.8.linux-amd64.tar.gz"},
		{"corpus arm", staticSource{rels: corpusRels}, "1.14", Platform{"linux", "arm"}, "go1.14.linux-armv6l.tar.gz"},
		{"corpus windows", staticSource{rels: corpusRels}, "1.13", Platform{"windows", "386"}, "go1.13.8.windows-386.zip"},
		{"corpus no match", staticSource{rels: corpusRels}, "1.99", linux,
			`no Go release matches "1.99" for linux/amd64 (newest: 1.14); see 'gvx list-remote'`},
		{"corpus darwin arm64", staticSource{rels: corpusRels}, "1.14", darwinARM,
			"go1.14 has no build for darwin/arm64; darwin/arm64 builds exist from Go 1.16 on: use --arch amd64"},
		{"corpus sha-1 only", staticSource{rels: corpusRels}, "1.4.2", linux,
			"go1.4.2 for linux/amd64 has no SHA-256 in the listing (only SHA-1 was published then), and gvx installs only archives it can verify; pick a newer version"},
		{"corpus no platform", staticSource{rels: corpusRels}, "1.14", Platform{"plan9", "amd64"},
			"go1.14 has no build for plan9/amd64, and no listed release has one; see 'gvx list-remote'"},
		{"no match", modern, "1.99", linux, `no Go release matches "1.99" for linux/amd64 (newest: 1.26.8); see 'gvx list-remote'`},
		{"latest skips rc", modern, "latest", linux, "v0.0.1-go1.26.8.linux-amd64.zip"},
		{"exact rc", modern, "1.27rc1", linux, "v0.0.1-go1.27rc1.linux-amd64.zip"},
		{"line", modern, "1.22", linux, "v0.0.1-go1.22.6.linux-amd64.zip"},
		{"go1.20 is in its line", modern, "1.20", linux, "v0.0.1-go1.20.linux-amd64.zip"},
		{"darwin arm64 too old", modern, "1.15", darwinARM,
			"go1.15.15 has no build for darwin/arm64; darwin/arm64 builds exist from Go 1.16 on: use --arch amd64"},
		{"constraint skips versions without a build", modern, ">=1.15", darwinARM, "v0.0.1-go1.26.8.darwin-arm64.zip"},
		{"generic platform", modern, "1.22", Platform{"plan9", "arm"},
			"go1.22.6 has no build for plan9/arm; plan9/arm builds exist from go1.24.0 on"},
		{"generic gap", modern, "1.26.8", Platform{"plan9", "arm"},
			"go1.26.8 has no build for plan9/arm; pick another version (see 'gvx list-remote')"},
		{"lookup finds unlisted", lookupSource{staticSource: modern, found: map[string]Artifact{
			"v0.0.1-go1.22.7.linux-amd64": {Filename: "v0.0.1-go1.22.7.linux-amd64.zip"}}}, "1.22.7", linux,
			"v0.0.1-go1.22.7.linux-amd64.zip"},
		{"lookup misses", lookupSource{staticSource: modern}, "1.22.7", linux,
			`no Go release matches "1.22.7" for linux/amd64 (newest: 1.26.8); see 'gvx list-remote'`},
		{"system", modern, "system", linux, ErrSystemSpec.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Resolve(context.Background(), tc.src, goversion.MustParseSpec(tc.spec), tc.plat)
			got := a.Filename
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Resolve(%q, %s) = %s\nwant %s", tc.spec, tc.plat, got, tc.want)
			}
		})
	}
}

func TestResolveErrorTypes(t *testing.T) {
	src := staticSource{rels: parseToolchainList([]byte("v0.0.1-go1.15.15.linux-amd64\n"), "https://p.test")}
	_, err := Resolve(context.Background(), src, goversion.MustParseSpec("1.99"), Platform{"linux", "amd64"})
	var nm *NoMatchError
	if !errors.As(err, &nm) || nm.Newest.String() != "1.15.15" {
		t.Errorf("Resolve(1.99) = %v; want a NoMatchError", err)
	}
	_, err = Resolve(context.Background(), src, goversion.MustParseSpec("1.15"), Platform{"darwin", "arm64"})
	var nb *noBuildError
	if !errors.As(err, &nb) || nb.Version.String() != "1.15.15" {
		t.Errorf("Resolve(1.15, darwin/arm64) = %v; want a noBuildError", err)
	}
	_, err = Resolve(context.Background(), src, goversion.MustParseSpec("system"), Platform{"linux", "amd64"})
	if !errors.Is(err, ErrSystemSpec) {
		t.Errorf("Resolve(system) = %v; want ErrSystemSpec", err)
	}
	boom := errors.New("boom")
	if _, err := Resolve(context.Background(), staticSource{err: boom}, goversion.MustParseSpec("1.22"), Platform{"linux", "amd64"}); !errors.Is(err, boom) {
		t.Errorf("Resolve with a failing source = %v; want it wrapped", err)
	}
}

package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gvx-dev/gvx/internal/fake"
)

// listingRelease and listingFile are the go.dev/dl JSON a crafted listing is
// written in.
type (
	listingRelease = fake.ListingRelease
	listingFile    = fake.ListingFile
)

// TestInstallRefusesTamperedListing runs gvx install against a dl server
// whose listing has been tampered with. Each listing is refused with a
// message that says what is wrong and where it came from; nothing is
// installed, nothing is left in staging, and the refused listing is not
// cached: once the server is honest again, the same install succeeds.
func TestInstallRefusesTamperedListing(t *testing.T) {
	name := "go1.999.0." + runtime.GOOS + "-" + runtime.GOARCH + ".tar.gz"
	honest := func(archive []byte) listingFile {
		sum := sha256.Sum256(archive)
		return listingFile{Filename: name, OS: runtime.GOOS, Arch: runtime.GOARCH, Version: "go1.999.0",
			SHA256: hex.EncodeToString(sum[:]), Size: len(archive), Kind: "archive"}
	}
	liarSum := sha256.Sum256([]byte("not the archive"))
	liar := hex.EncodeToString(liarSum[:])
	marshal := func(rels ...listingRelease) []byte {
		b, err := json.Marshal(rels)
		require.NoError(t, err)
		return b
	}
	for _, tc := range []struct {
		name    string
		listing func(archive []byte) []byte
		code    int
		want    []string // each must appear in stderr
	}{
		{
			name: "sha256 of another file",
			listing: func(archive []byte) []byte {
				f := honest(archive)
				f.SHA256 = liar
				return marshal(listingRelease{Version: "go1.999.0", Stable: true, Files: []listingFile{f}})
			},
			code: exitSecurity,
			want: []string{"SECURITY ERROR: SHA-256 mismatch", "expected: " + liar, "/dl/" + name},
		},
		{
			name: "100k releases",
			listing: func(archive []byte) []byte {
				var b strings.Builder
				b.WriteString("[")
				for i := range 100_000 {
					if i > 0 {
						b.WriteString(",")
					}
					fmt.Fprintf(&b, `{"version":"go1.%d.0","stable":true,"files":[]}`, 1000+i)
				}
				b.WriteString("]")
				return []byte(b.String())
			},
			code: exitFailure,
			want: []string{"refusing the release listing: more than 5000 releases", "/dl/?mode=json&include=all"},
		},
		{
			name: "100k files",
			listing: func(archive []byte) []byte {
				files := make([]listingFile, 100_000)
				for i := range files {
					files[i] = honest(archive)
				}
				return marshal(listingRelease{Version: "go1.999.0", Stable: true, Files: files})
			},
			code: exitFailure,
			want: []string{"refusing the release listing: more than 50000 files"},
		},
		{
			name: "malformed json",
			listing: func(archive []byte) []byte {
				b := marshal(listingRelease{Version: "go1.999.0", Stable: true, Files: []listingFile{honest(archive)}})
				return b[:len(b)/2]
			},
			code: exitFailure,
			want: []string{"malformed release listing", "/dl/?mode=json&include=all"},
		},
		{
			name:    "not json",
			listing: func([]byte) []byte { return []byte("Sign in to the hotel Wi-Fi") },
			code:    exitFailure,
			want:    []string{"malformed release listing: not a JSON array; is GVX_DL_BASE a go.dev/dl mirror?"},
		},
		{
			name: "version with ../",
			listing: func(archive []byte) []byte {
				f := honest(archive)
				f.Version = "go1.999.0/../../../x"
				return marshal(listingRelease{Version: "go1.999.0/../../../x", Stable: true, Files: []listingFile{f}})
			},
			code: exitFailure,
			want: []string{`refusing the release listing: entry 0 has the version "go1.999.0/../../../x", which is not a Go version`},
		},
		{
			name: "version ..",
			listing: func(archive []byte) []byte {
				return marshal(listingRelease{Version: "..", Stable: true, Files: []listingFile{honest(archive)}})
			},
			code: exitFailure,
			want: []string{`entry 0 has the version "..", which is not a Go version`},
		},
		{
			name: "file name with ../",
			listing: func(archive []byte) []byte {
				f := honest(archive)
				f.Filename = "../../" + name
				return marshal(listingRelease{Version: "go1.999.0", Stable: true, Files: []listingFile{f}})
			},
			code: exitFailure,
			want: []string{`lists the file name "../../` + name + `"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := gvxEnv(t)
			home := os.Getenv("GVX_HOME")
			listing := tc.listing(srv.Archive(name))
			srv.Handle("/dl/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(listing)
			})

			code, stdout, stderr := run("install", "1.999.0")
			assert.Equal(t, tc.code, code, "stderr:\n%s", stderr)
			assert.Empty(t, stdout)
			assert.Regexp(t, `(?m)^gvx: `, stderr)
			for _, want := range tc.want {
				assert.Contains(t, stderr, want)
			}
			assert.NoDirExists(t, filepath.Join(home, "versions", "1.999.0"))
			if staged, err := os.ReadDir(filepath.Join(home, "staging")); err == nil {
				assert.Empty(t, staged, "staging")
			}
			code, stdout, _ = run("list")
			assert.Equal(t, 0, code)
			assert.Empty(t, stdout, "gvx list")

			// The server is honest again. A refused listing was not
			// cached, and one whose hash did not match the download was
			// forgotten, so a plain retry works.
			srv.Handle("/dl/", nil)
			code, _, stderr = run("install", "1.999.0")
			require.Equal(t, 0, code, "install after the listing is fixed; stderr:\n%s", stderr)
			assert.FileExists(t, filepath.Join(home, "versions", "1.999.0", "bin", "go"))
		})
	}
}

//go:build unix

package install

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gvx-dev/gvx/pkg/registry"
)

// TestInstallModesUnderUmask installs under umask 022 and 077. Module and
// windows zips carry no modes: files get 0666 and binaries 0777, less the
// umask; tar.gz modes are the archive's, less the umask.
func TestInstallModesUnderUmask(t *testing.T) {
	for _, tc := range []struct {
		umask                int
		exec, plain, dirPerm fs.FileMode
	}{
		{0o022, 0o755, 0o644, 0o755},
		{0o077, 0o700, 0o600, 0o700},
	} {
		for _, format := range []registry.Format{registry.TarGz, registry.Zip, registry.ModuleZip} {
			t.Run(string(format)+"/"+fs.FileMode(tc.umask).String(), func(t *testing.T) {
				old := syscall.Umask(tc.umask)
				defer syscall.Umask(old)
				in, _ := testInstaller(t)
				in.Checker = &fakeChecker{}
				a, data := toolchainArtifact(t, format)
				res, err := in.Install(context.Background(), newSource(a, data), a)
				if err != nil {
					t.Fatal(err)
				}
				for name, want := range map[string]fs.FileMode{
					"bin/go":                       tc.exec,
					"bin/gofmt":                    tc.exec,
					"pkg/tool/linux_amd64/compile": tc.exec,
					"src/fmt/print.go":             tc.plain,
					"VERSION":                      tc.plain,
					"src/fmt":                      tc.dirPerm | fs.ModeDir,
					"pkg/tool/linux_amd64":         tc.dirPerm | fs.ModeDir,
				} {
					st, err := os.Lstat(filepath.Join(res.Root, name))
					if err != nil {
						t.Fatal(err)
					}
					if st.Mode() != want {
						t.Errorf("%s mode = %v, want %v", name, st.Mode(), want)
					}
				}
				if _, err := os.Lstat(filepath.Join(res.Root, umaskProbe)); err == nil {
					t.Errorf("the umask probe was left in the root")
				}
			})
		}
	}
}

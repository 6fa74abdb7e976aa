package shim

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
)

// BenchmarkSelect measures the shim's own work (no process start-up) for a
// .go-version 8 directories up, with 1 and 100 installed versions, for an
// exact spec (one stat) and a line spec (one directory listing).
func BenchmarkSelect(b *testing.B) {
	for _, n := range []int{1, 100} {
		for _, spec := range []string{"1.999.0", "1.999"} {
			b.Run(fmt.Sprintf("installed=%d/spec=%s", n, spec), func(b *testing.B) {
				vs := []string{"1.999.0"}
				for i := 1; i < n; i++ {
					vs = append(vs, fmt.Sprintf("1.%d.0", 900+i))
				}
				dirs := fakeHome(b, vs...)
				root := b.TempDir()
				if err := os.WriteFile(filepath.Join(root, ".go-version"), []byte(spec+"\n"), 0o644); err != nil {
					b.Fatal(err)
				}
				cwd := filepath.Join(root, "1", "2", "3", "4", "5", "6", "7", "8")
				if err := os.MkdirAll(cwd, 0o755); err != nil {
					b.Fatal(err)
				}
				getenv := envFunc()
				b.ResetTimer()
				for b.Loop() {
					sel, err := selectVersion(dirs, cwd, getenv, false)
					if err != nil || !goversion.Equal(sel.Version, goversion.MustParse("1.999.0")) {
						b.Fatalf("Select = %s, %v", sel.Version, err)
					}
				}
			})
		}
	}
}

// BenchmarkSelectFloor measures what the go command's toolchain switching
// adds to the shim's work: 100 installed roots with the go.env of Go 1.21+
// (GOTOOLCHAIN=auto), a go.mod at the project's top and a .go-version 8
// directories up pinning the newest installed version (nothing can be
// raised: go.mod is not read) or an older one (go.work and go.mod are read).
func BenchmarkSelectFloor(b *testing.B) {
	for _, pin := range []string{"1.999.0", "1.998.0"} {
		b.Run("pin="+pin, func(b *testing.B) {
			vs := []string{"1.999.0"}
			for i := 900; i < 999; i++ {
				vs = append(vs, fmt.Sprintf("1.%d.0", i))
			}
			dirs := fakeHome(b, vs...)
			for _, v := range vs {
				writeFile(b, filepath.Join(dirs.Version(v), "go.env"), "GOPROXY=off\nGOTOOLCHAIN=auto\n")
			}
			root := b.TempDir()
			writeFile(b, filepath.Join(root, ".go-version"), pin+"\n")
			writeFile(b, filepath.Join(root, "go.mod"), "module m\n\ngo 1.21\n")
			cwd := filepath.Join(root, "1", "2", "3", "4", "5", "6", "7", "8")
			if err := os.MkdirAll(cwd, 0o755); err != nil {
				b.Fatal(err)
			}
			getenv := envFunc("HOME", b.TempDir())
			for b.Loop() {
				sel, err := selectVersion(dirs, cwd, getenv, false)
				if err != nil || sel.Version.String() != pin {
					b.Fatalf("Select = %s, %v", sel.Version, err)
				}
			}
		})
	}
}

// Command machoheads writes the first 16 KiB of bin/go of darwin toolchain
// zips (the Mach-O header and load commands, minimum macOS included) into
// pkg/install/testdata/macho, so that the minimum-macOS tests read real
// headers. Fetch the zips through GOPROXY with the go command:
//
//	go mod download -json golang.org/toolchain@v0.0.1-go1.25.0.darwin-arm64
//	go run ./scripts/machoheads ZIP...
package main

import (
	"archive/zip"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// headSize holds the header and load commands of every Go bin/go.
const headSize = 16 << 10

func main() {
	out := filepath.Join("pkg", "install", "testdata", "macho")
	if err := os.MkdirAll(out, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, name := range os.Args[1:] {
		zr, err := zip.OpenReader(name)
		if err != nil {
			log.Fatal(err)
		}
		for _, f := range zr.File {
			if !strings.HasSuffix(f.Name, "/bin/go") {
				continue
			}
			// golang.org/toolchain@v0.0.1-go1.25.0.darwin-arm64/bin/go
			mod := strings.TrimSuffix(f.Name, "/bin/go")
			v := mod[strings.Index(mod, "-go")+1:]
			rc, err := f.Open()
			if err != nil {
				log.Fatal(err)
			}
			head := make([]byte, headSize)
			if _, err := io.ReadFull(rc, head); err != nil {
				log.Fatal(err)
			}
			rc.Close()
			dst := filepath.Join(out, v+".bin-go.head")
			if err := os.WriteFile(dst, head, 0o644); err != nil {
				log.Fatal(err)
			}
			log.Printf("wrote %s", dst)
		}
		zr.Close()
	}
}

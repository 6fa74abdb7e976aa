package verify

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
)

// distpackDropped are the top directories of a binary distribution that
// cmd/distpack leaves out of the toolchain module zip (pack.go:
// modArch.Remove("api/**", "doc/**", "misc/**", "test/**")).
var distpackDropped = []string{"api", "doc", "misc", "test"}

// ModuleFileName maps a file of an unpacked Go distribution (a
// slash-separated path relative to GOROOT, "src/cmd/go.mod") to its name in
// the toolchain module zip, as cmd/distpack builds that zip from the same
// distribution: the files under api/, doc/, misc/ and test/ are not in it
// (ok is false), and every go.mod is renamed _go.mod (RenameGoMod), so that
// the module holds no nested modules. The name has no module prefix. A root
// unpacked from a module zip maps onto itself: it has neither those
// directories nor a go.mod.
func ModuleFileName(rel string) (name string, ok bool) {
	top, _, _ := strings.Cut(rel, "/")
	if slices.Contains(distpackDropped, top) {
		return "", false
	}
	if rel == "go.mod" || strings.HasSuffix(rel, "/go.mod") {
		rel = strings.TrimSuffix(rel, "go.mod") + "_go.mod"
	}
	return rel, true
}

// TreeH1 returns the h1: hash of a tree of files given as name → hex
// SHA-256 of the contents, each name prefixed with prefix: exactly what
// dirhash.Hash1 computes from the same files (a sorted list of
// "<sha256>  <name>\n" lines, hashed again). With prefix
// "golang.org/toolchain@<version>/" and the names of ModuleFileName it is
// the hash the checksum database records for the toolchain module.
func TreeH1(prefix string, sums map[string]string) (string, error) {
	h := sha256.New()
	if err := WriteTreeSummary(h, prefix, sums); err != nil {
		return "", err
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// WriteTreeSummary writes the summary TreeH1 hashes: one
// "<sha256>  <prefix><name>\n" line per file, sorted by name.
func WriteTreeSummary(w io.Writer, prefix string, sums map[string]string) error {
	names := make([]string, 0, len(sums))
	for name := range sums {
		if strings.Contains(name, "\n") {
			return fmt.Errorf("file name %q contains a newline", name)
		}
		names = append(names, prefix+name)
	}
	slices.Sort(names)
	for _, name := range names {
		sum := sums[name[len(prefix):]]
		if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
			return fmt.Errorf("file %q: %q is not a hex SHA-256", name, sum)
		}
		if _, err := fmt.Fprintf(w, "%s  %s\n", sum, name); err != nil {
			return err
		}
	}
	return nil
}

// ToolchainTreeH1 returns the checksum database's h1: for the toolchain
// module modPath@modVersion ("golang.org/toolchain",
// "v0.0.1-go1.22.6.linux-amd64"), computed from the files of an unpacked
// distribution (GOROOT-relative slash paths → hex SHA-256). The files
// ModuleFileName leaves out are skipped.
func ToolchainTreeH1(modPath, modVersion string, files map[string]string) (string, error) {
	mod := make(map[string]string, len(files))
	for rel, sum := range files {
		if name, ok := ModuleFileName(rel); ok {
			if _, dup := mod[name]; dup {
				// A tree holding both go.mod and _go.mod in one
				// directory is no distribution distpack made.
				return "", fmt.Errorf("both %s and its _go.mod form are in the tree", rel)
			}
			mod[name] = sum
		}
	}
	return TreeH1(modPath+"@"+modVersion+"/", mod)
}

package install

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gvx-dev/gvx/pkg/layout"
)

// Receipt records where an installed root came from. It is written into the
// root (layout.ReceiptName) before the root is renamed into place, so a root
// with a receipt is a complete one.
type Receipt struct {
	Version  string `json:"version"` // "1.22.6", the directory name
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Source   string `json:"source"` // "dl", "proxy" or "modcache" (Go's module cache)
	URL      string `json:"url"`
	Filename string `json:"filename"`
	SHA256   string `json:"sha256"` // of the archive as downloaded
	// H1 is the toolchain module's h1: (Go 1.21 and later): of the zip
	// for module zips, of the tree's module part for dl archives.
	H1 string `json:"h1,omitempty"`
	// Tree is the h1: of every file the install wrote, as manifestName
	// lists them; 'gvx verify' checks the root against it.
	Tree string `json:"tree,omitempty"`
	// Checked says what vouched for the files (Checked* constants).
	Checked []string `json:"checked,omitempty"`
	// ArchChosen records an install for another architecture on purpose
	// (gvx install --arch): gvx doctor --fix leaves such a root alone.
	ArchChosen  bool      `json:"arch_chosen,omitempty"`
	Size        int64     `json:"size"` // bytes downloaded
	InstalledAt time.Time `json:"installed_at"`
	GvxVersion  string    `json:"gvx_version,omitempty"`
}

// readReceipt reads the receipt of the installed root at root.
func readReceipt(root string) (Receipt, error) {
	name := filepath.Join(root, layout.ReceiptName)
	b, err := os.ReadFile(name)
	if err != nil {
		return Receipt{}, err
	}
	var r Receipt
	if err := json.Unmarshal(b, &r); err != nil {
		return Receipt{}, fmt.Errorf("read receipt %s: %w", name, err)
	}
	if r.Version == "" {
		return Receipt{}, fmt.Errorf("read receipt %s: no version in it", name)
	}
	return r, nil
}

// writeReceipt writes r into root and syncs it to disk.
func writeReceipt(fsys fileSystem, root string, r Receipt) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	f, err := fsys.Create(filepath.Join(root, layout.ReceiptName), 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

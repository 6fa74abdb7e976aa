package install

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// RootCheck is what Check found in one installed root.
type RootCheck struct {
	Version string `json:"version"`
	Root    string `json:"root"`
	// Files is the number of files hashed.
	Files int `json:"files"`
	// Changed, Missing and Extra name files (root-relative slash paths)
	// that differ from the list the install wrote.
	Changed []string `json:"changed,omitempty"`
	Missing []string `json:"missing,omitempty"`
	Extra   []string `json:"extra,omitempty"`
	// List says what is wrong with the file list itself: "" when it is
	// the one the receipt vouches for.
	List string `json:"list_problem,omitempty"`
	// NoList reports a root installed by a gvx that wrote no file list:
	// only the checksum database can say anything about it.
	NoList bool `json:"no_list,omitempty"`
	// H1 is the toolchain module's h1: computed from the files (Go 1.21+).
	H1 string `json:"h1,omitempty"`
	// SumDB is the checksum database's verdict on H1: "ok", "mismatch"
	// (Expected holds its hash), "not checked: <why>", or "" for releases
	// before Go 1.21.
	SumDB    string `json:"sumdb,omitempty"`
	Expected string `json:"sumdb_h1,omitempty"`
}

// Intact reports whether the root is exactly what was installed and, where
// asked, what the checksum database vouches for.
func (c RootCheck) Intact() bool {
	return c.List == "" && len(c.Changed)+len(c.Missing)+len(c.Extra) == 0 && c.SumDB != "mismatch"
}

// Check re-hashes every file of the installed root of version ("1.22.6")
// and compares them with the file list its install wrote (which the
// receipt's tree hash vouches for) and, for Go 1.21 and later when sums is
// not nil, the module part with the checksum database. It returns an error
// only when the root cannot be read at all; what differs is in RootCheck.
func (in *Installer) Check(ctx context.Context, version string, sums SumLookup) (RootCheck, error) {
	root := in.Dirs.Version(version)
	rec, err := readReceipt(root)
	if err != nil {
		return RootCheck{}, fmt.Errorf("check go%s: %w", version, err)
	}
	rc := RootCheck{Version: rec.Version, Root: root}
	got, err := hashRoot(ctx, root)
	if err != nil {
		return RootCheck{}, fmt.Errorf("check go%s: %w", version, err)
	}
	rc.Files = len(got)

	want, problem := readManifest(root, rec.Tree)
	if problem == errNoList {
		rc.NoList = true
	} else {
		rc.List = problem
	}
	if want != nil {
		for name, sum := range got {
			switch w, ok := want[name]; {
			case !ok:
				rc.Extra = append(rc.Extra, name)
			case w != sum:
				rc.Changed = append(rc.Changed, name)
			}
		}
		for name := range want {
			if _, ok := got[name]; !ok {
				rc.Missing = append(rc.Missing, name)
			}
		}
		slices.Sort(rc.Extra)
		slices.Sort(rc.Changed)
		slices.Sort(rc.Missing)
	}

	plat := registry.Platform{OS: rec.OS, Arch: rec.Arch}
	if v, err := goversion.Parse(rec.Version); err == nil && hasToolchainModule(v) {
		modVersion := registry.ModVersion(v, plat)
		if rc.H1, err = verify.ToolchainTreeH1(registry.ToolchainModule, modVersion, got); err != nil {
			rc.H1 = "(" + err.Error() + ")"
		}
		switch {
		case sums == nil:
			rc.SumDB = "not checked: offline"
		default:
			want, err := sums.Lookup(ctx, registry.ToolchainModule, modVersion)
			switch {
			case err == nil && want == rc.H1:
				rc.SumDB = "ok"
			case err == nil:
				rc.SumDB, rc.Expected = "mismatch", want
			case verify.IsSecurity(err), ctx.Err() != nil:
				return RootCheck{}, err
			default:
				rc.SumDB = "not checked: " + err.Error()
			}
		}
	}
	return rc, nil
}

// hashRoot returns the hex SHA-256 of every file under root by
// root-relative slash path, leaving out what gvx itself keeps there. A
// symlink counts as a file whose contents are its target, so that one
// planted in a root is named.
func hashRoot(ctx context.Context, root string) (map[string]string, error) {
	sums := map[string]string{}
	h := sha256.New()
	buf := make([]byte, 256<<10)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == layout.ReceiptName || rel == manifestName {
			return nil
		}
		h.Reset()
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			io.WriteString(h, "symlink "+target)
		} else {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = io.CopyBuffer(h, f, buf)
			f.Close()
			if err != nil {
				return err
			}
		}
		sums[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return sums, err
}

// errNoList is readManifest's problem for a root installed before gvx
// wrote file lists.
const errNoList = "no file list: installed by a gvx that kept none; reinstall to get one"

// readManifest reads the file list of root and checks it against tree, the
// receipt's hash of it. It returns the list, and what is wrong with it.
func readManifest(root, tree string) (map[string]string, string) {
	data, err := os.ReadFile(filepath.Join(root, manifestName))
	switch {
	case errors.Is(err, fs.ErrNotExist) && tree == "":
		return nil, errNoList
	case err != nil:
		return nil, fmt.Sprintf("file list %s: %v", manifestName, err)
	}
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 || name == "" {
			return nil, fmt.Sprintf("file list %s: malformed line %q", manifestName, sc.Text())
		}
		sums[name] = sum
	}
	got, err := verify.TreeH1("", sums)
	if err != nil {
		return nil, fmt.Sprintf("file list %s: %v", manifestName, err)
	}
	if got != tree {
		return sums, fmt.Sprintf("file list %s hashes to %s, but the receipt says %s", manifestName, got, tree)
	}
	return sums, ""
}

package install

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// SumLookup returns the h1: hash the checksum database holds for a module
// zip (verify.Checker implements it).
type SumLookup interface {
	Lookup(ctx context.Context, modPath, modVersion string) (string, error)
}

// manifestName is the file in each installed root that lists every file
// the install wrote with its SHA-256, in dirhash's summary form
// ("<sha256>  <path>\n", sorted). The receipt's Tree is the h1: of exactly
// these lines, so 'gvx verify' can name each changed, missing or extra file.
const manifestName = ".gvx-files"

// firstToolchainModule is the first release published as a
// golang.org/toolchain module: cmd/distpack, which makes the module zips,
// came with Go 1.21, whose first such module is go1.21rc2.
var firstToolchainModule = goversion.MustParse("1.21rc2")

// hasToolchainModule reports whether Go version v is published as a
// golang.org/toolchain module, so that the checksum database vouches for
// its files.
func hasToolchainModule(v goversion.Version) bool {
	return goversion.Compare(v, firstToolchainModule) >= 0
}

// What receipts say was checked.
const (
	CheckedSHA256    = "sha256 (listing)"
	CheckedSumDB     = "h1 (checksum database)"
	CheckedNoModule  = "no checksum database record: Go before 1.21 has no toolchain module"
	CheckedUnreached = "checksum database not reached: sha256 only"
	CheckedOptOut    = "GVX_VERIFY=sha256: sha256 only"
)

// treeLookup is the checksum database lookup for one dl archive. It starts
// as the download begins and runs beside it.
type treeLookup struct {
	modPath, modVersion string
	cancel              context.CancelFunc
	done                chan struct{}
	h1                  string
	err                 error
}

// startTreeLookup starts looking up the toolchain module of a, a dl
// archive, or returns nil when there is nothing to look up: another source,
// a release before Go 1.21, or no lookup configured.
//
// A module zip from a proxy is looked up too, so that it is checked from
// the hashes its extraction takes (checkModuleTree) rather than read
// twice; one from Go's module cache goes through Checker, which can check
// it offline.
func (in *Installer) startTreeLookup(ctx context.Context, a registry.Artifact) *treeLookup {
	if in.Sums == nil || a.Source == registry.SourceModCache {
		return nil
	}
	modPath, modVersion := a.ModPath, a.ModVersion
	if a.Format != registry.ModuleZip {
		if !hasToolchainModule(a.Version) {
			return nil
		}
		modPath, modVersion = registry.ToolchainModule, registry.ModVersion(a.Version, a.Platform)
	}
	ctx, cancel := context.WithCancel(ctx)
	t := &treeLookup{
		modPath:    modPath,
		modVersion: modVersion,
		cancel:     cancel,
		done:       make(chan struct{}),
	}
	go func() {
		defer close(t.done)
		t.h1, t.err = in.Sums.Lookup(ctx, t.modPath, t.modVersion)
	}()
	return t
}

// stop ends the lookup and waits for it, so that nothing writes to the
// state directory after the install returns.
func (t *treeLookup) stop() {
	if t != nil {
		t.cancel()
		<-t.done
	}
}

// checkTree compares the tree x unpacked from a with the checksum
// database's h1: for the toolchain module of that release. It returns the
// tree's module h1: and what was checked. A tree that differs is a
// *verify.MismatchError; a database that cannot be reached fails the
// install unless the archive came from go.dev over https or the user opted
// out with GVX_VERIFY=sha256, and either is said.
//
// listed is the archive's URL in its listing (a.URL may be a mirror's);
// insecure says some of it came over plain http from another host, so
// only a match with the database will do.
func (in *Installer) checkTree(ctx context.Context, a registry.Artifact, listed string, insecure bool, t *treeLookup, x *extractor) (string, []string, error) {
	if t == nil {
		if a.Format != registry.ModuleZip && !hasToolchainModule(a.Version) {
			return "", []string{CheckedSHA256, CheckedNoModule}, nil
		}
		return "", []string{CheckedSHA256}, nil
	}
	got, err := verify.ToolchainTreeH1(t.modPath, t.modVersion, x.sums)
	if err != nil {
		got = "(" + err.Error() + ")"
	}
	for _, l := range x.links {
		if _, ok := verify.ModuleFileName(l); ok {
			// A module zip holds no symlinks, so no tree with one inside
			// the module's part is the one the database vouches for.
			got = fmt.Sprintf("(a tree with the symlink %s, which no toolchain module holds)", l)
			break
		}
	}
	rep := in.reporter()
	rep.Step("verifying h1 against the checksum database")
	select {
	case <-t.done:
	case <-ctx.Done():
		return "", nil, ctx.Err()
	}
	switch {
	case t.err == nil:
		if got != t.h1 {
			return "", nil, &verify.MismatchError{What: "h1 (checksum database)", Subject: a.Filename + " (" + t.modPath + "@" + t.modVersion + ")",
				URL: a.URL, Expected: t.h1, Got: got}
		}
		if a.SumDBOnly {
			return got, []string{CheckedSumDB}, nil
		}
		return got, []string{CheckedSHA256, CheckedSumDB}, nil
	case verify.IsSecurity(t.err):
		return "", nil, t.err
	case ctx.Err() != nil:
		return "", nil, ctx.Err()
	case insecure:
		return "", nil, fmt.Errorf("refusing %s: %s, so only the checksum database can vouch for it, and it cannot be reached (%v); retry when the database answers, or use an https base", a.URL, dbOnlyWhy(a), t.err)
	case officialDL(listed):
		rep.Step(fmt.Sprintf("note: %s is checked by its SHA-256 from go.dev over https only: %v", a.Filename, t.err))
		return got, []string{CheckedSHA256, CheckedUnreached}, nil
	case in.SHA256Only:
		rep.Step(fmt.Sprintf("note: GVX_VERIFY=sha256: %s from %s is checked only by the SHA-256 its own listing gives: %v", a.Filename, a.URL, t.err))
		return got, []string{CheckedSHA256, CheckedOptOut}, nil
	}
	return "", nil, &uncheckedError{Filename: a.Filename, URL: a.URL, Err: t.err}
}

// checkModuleTree compares the module zip x unpacked, hashed entry by entry
// as it was written, with the checksum database's h1: for it, exactly as
// dirhash.HashZip would hash the zip: every entry under prefix, directories
// included. A difference is a *verify.MismatchError; a database that
// cannot be reached fails the install, as ever for module zips.
func (in *Installer) checkModuleTree(ctx context.Context, a registry.Artifact, prefix string, t *treeLookup, x *extractor) (string, error) {
	all := make(map[string]string, len(x.sums)+len(x.zipDirs))
	for name, sum := range x.sums {
		all[name] = sum
	}
	for name, sum := range x.zipDirs {
		all[name] = sum
	}
	got, err := verify.TreeH1(prefix, all)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", a.Filename, err)
	}
	in.reporter().Step("verifying h1 against the checksum database")
	select {
	case <-t.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	switch {
	case t.err == nil && got == t.h1:
		return got, nil
	case t.err == nil:
		return "", &verify.MismatchError{What: "h1 (checksum database)", Subject: t.modPath + "@" + t.modVersion, URL: a.URL, Expected: t.h1, Got: got}
	case verify.IsSecurity(t.err), ctx.Err() != nil:
		return "", t.err
	}
	return "", fmt.Errorf("check %s against the checksum database: %w", a.Filename, t.err)
}

// uncheckedError is a dl archive of Go 1.21+ from a base other than
// go.dev whose tree could not be checked against the checksum database.
// Its listing vouches for its own SHA-256, so it is not installed on that
// alone.
type uncheckedError struct {
	Filename, URL string
	Err           error
}

func (e *uncheckedError) Error() string {
	return fmt.Sprintf("%s from %s cannot be checked against the checksum database (%v), and its SHA-256 comes from the same mirror as the file; retry when the database answers, or set GVX_VERIFY=sha256 to accept the SHA-256 alone", e.Filename, e.URL, e.Err)
}

func (e *uncheckedError) Unwrap() error { return e.Err }

// dbOnlyWhy says why only the checksum database can vouch for a.
func dbOnlyWhy(a registry.Artifact) string {
	if a.SumDBOnly {
		return "no listing vouches for it (a files-only mirror, with the versions from the module proxy)"
	}
	return "it comes over http from a host other than this machine"
}

// moduleOnly returns, for an archive that came over insecure http, the
// filter that leaves out what the toolchain module does not hold (api/,
// doc/, misc/, test/), so that the checksum database vouches for every
// byte installed, as for a proxy install; nil otherwise.
func moduleOnly(insecure bool) func(string) bool {
	if !insecure {
		return nil
	}
	return func(rel string) bool {
		_, ok := verify.ModuleFileName(rel)
		return !ok
	}
}

// officialDL reports whether url is a file of go.dev/dl itself, over
// https: a listing from there is the one the releases are published in.
func officialDL(url string) bool {
	return strings.HasPrefix(url, registry.DefaultDLBase) && strings.HasPrefix(registry.DefaultDLBase, "https://")
}

// writeManifest writes manifestName into root and returns the tree's h1:.
func writeManifest(fsys fileSystem, root string, sums map[string]string) (string, error) {
	var b bytes.Buffer
	if err := verify.WriteTreeSummary(&b, "", sums); err != nil {
		return "", err
	}
	f, err := fsys.Create(filepath.Join(root, manifestName), 0o666)
	if err != nil {
		return "", err
	}
	_, err = f.Write(b.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return verify.TreeH1("", sums)
}

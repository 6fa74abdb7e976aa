// Package install puts verified Go toolchains into versioned roots under a
// gvx home: it streams a download through its hash into a staging
// directory, unpacks it with every entry checked, fixes modes, writes a
// receipt and renames the finished root into place. A failure at any point
// leaves versions/ exactly as it was.
package install

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gvx-dev/gvx/internal/lock"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// ZipChecker checks a module zip's h1: hash against the checksum database
// (verify.Checker implements it). A mismatch is a *verify.MismatchError.
type ZipChecker interface {
	CheckZip(ctx context.Context, zipFile, modPath, modVersion, url string) error
}

// h1ZipChecker is a ZipChecker that also returns the h1 it checked (as
// verify.Checker does), which spares hashing the zip a second time for the
// receipt: a second pass over a Go release's 67 MB zip costs about a second.
type h1ZipChecker interface {
	CheckZipH1(ctx context.Context, zipFile, modPath, modVersion, url string) (string, error)
}

// errNotInstalled is wrapped by errors about a version that is not installed.
var errNotInstalled = errors.New("not installed")

// stagingSep is layout.StagingSep, the one rule for staging names.
const stagingSep = layout.StagingSep

// Installer installs Go toolchains into one gvx home. Its methods are safe
// for concurrent use, also from several processes: each version has its own
// lock file.
type Installer struct {
	Dirs          layout.Dirs
	CacheDir      string     // kept downloads go under CacheDir/downloads
	KeepDownloads bool       // keep verified archives; reuse them with no network
	Checker       ZipChecker // required for registry.ModuleZip artifacts
	// Sums checks dl archives of Go 1.21 and later against the checksum
	// database: the h1: of their files, as the toolchain module holds
	// them. Nil checks them by SHA-256 only; the CLI always sets it.
	Sums SumLookup
	// SHA256Only (GVX_VERIFY=sha256) accepts a dl archive from a base
	// other than go.dev by its listing's SHA-256 alone when the checksum
	// database cannot be reached. A mismatch is refused all the same.
	SHA256Only bool
	Reporter   Reporter // progress for humans; nil is silent
	Limits     Limits   // what one archive may unpack to; zero fields take defaults
	GvxVersion string   // recorded in receipts
	// CanRun, when set, is asked before the rename whether this machine
	// can run the unpacked root (MacOSCheck: its minimum macOS).
	CanRun func(root string) error
	// ArchChosen is recorded in receipts: the installs are for an
	// architecture the user chose (gvx install --arch).
	ArchChosen bool
	// Waiting, when set, is told once that another process holds the lock
	// of a version this one must wait for, with a message that says who.
	Waiting func(msg string)
	Now     func() time.Time

	fs fileSystem // nil is the real file system; tests fake disk faults
}

// Result is what Install did.
type Result struct {
	Version          string // the root's directory name: "1.22.6"
	Root             string // the installed GOROOT
	AlreadyInstalled bool   // a complete root was there; nothing was downloaded
	Receipt          Receipt
}

// Install makes artifact a of src an installed root, versions/<version>,
// unless a complete one is there already. Concurrent installs of one version
// download once and all succeed. A verification failure is returned as a
// *verify.MismatchError, unwrapped, so that its loud message leads; an unsafe
// archive as an *archiveError naming the entry.
func (in *Installer) Install(ctx context.Context, src registry.Source, a registry.Artifact) (Result, error) {
	res, err := in.install(ctx, src, a)
	return res, in.explain(a, err)
}

// explain returns the error of an install of a: a mismatch as it is (a
// security error), any other named and with what to do.
func (in *Installer) explain(a registry.Artifact, err error) error {
	if err == nil {
		return nil
	}
	var mm *verify.MismatchError
	if errors.As(err, &mm) {
		return err
	}
	return fmt.Errorf("install %s: %w", a.Version.GoName(), in.hint(err))
}

// Replace installs a again over the installed version of the same name (for
// another architecture, say): the new root is fetched, checked and staged
// completely, then swapped in for the old one in one step where the system
// can (renameat2 RENAME_EXCHANGE, renamex_np RENAME_SWAP), else by two
// renames; only then is the old one removed. Any failure before the swap
// leaves the installed version as it was.
func (in *Installer) Replace(ctx context.Context, src registry.Source, a registry.Artifact) (Result, error) {
	res, err := in.installMode(ctx, src, a, true)
	return res, in.explain(a, err)
}

func (in *Installer) install(ctx context.Context, src registry.Source, a registry.Artifact) (Result, error) {
	return in.installMode(ctx, src, a, false)
}

func (in *Installer) installMode(ctx context.Context, src registry.Source, a registry.Artifact, replace bool) (Result, error) {
	v, err := checkArtifact(a, in.Checker)
	if err != nil {
		return Result{}, err
	}
	if in.KeepDownloads && in.CacheDir == "" {
		return Result{}, errors.New("keeping downloads needs a cache directory")
	}
	if res, ok := in.already(v); ok && !replace {
		in.Tidy(v)
		return res, nil
	}
	fsys := in.fsys()
	if err := fsys.MkdirAll(in.Dirs.Locks(), 0o777); err != nil {
		return Result{}, err
	}
	unlock, err := in.lock(ctx, v)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	// Another install may have finished while this one waited.
	if res, ok := in.already(v); ok && !replace {
		in.cleanStale(v, a) // best effort, as in Tidy
		return res, nil
	}
	if err := in.cleanStale(v, a); err != nil {
		return Result{}, err
	}
	work, root, err := in.newWork(v)
	if err != nil {
		return Result{}, err
	}
	// After a success the root has been renamed out of work; after a
	// failure this removes all of it. What a crash leaves, the next
	// install of v removes (cleanStale).
	defer fsys.RemoveAll(work)

	rec, err := in.fill(ctx, src, a, work, root)
	if err != nil {
		return Result{}, err
	}
	in.stamp(&rec, v, a)
	if in.CanRun != nil {
		if err := in.CanRun(root); err != nil {
			return Result{}, err
		}
	}
	if err := writeReceipt(fsys, root, rec); err != nil {
		return Result{}, err
	}
	// Every file reaches the disk before the root is published: a power
	// cut must not leave a root with its receipt but torn files.
	if err := syncTree(root); err != nil {
		return Result{}, fmt.Errorf("sync %s to disk: %w", root, err)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if replace {
		if err := in.swapIn(v, root, work); err != nil {
			return Result{}, err
		}
	} else if res, ok, err := in.publish(v, root, work); err != nil || ok {
		return res, err
	}
	dest := in.Dirs.Version(v)
	in.reporter().Done(fmt.Sprintf("installed %s in %s", a.Version.GoName(), dest))
	return Result{Version: v, Root: dest, Receipt: rec}, nil
}

// newWork makes a fresh staging directory for v, with the empty root the
// archive unpacks into, and the versions directory it is renamed into.
func (in *Installer) newWork(v string) (work, root string, err error) {
	fsys := in.fsys()
	for _, dir := range []string{in.Dirs.Staging(), in.Dirs.Versions()} {
		if err := fsys.MkdirAll(dir, 0o777); err != nil {
			return "", "", err
		}
	}
	if work, err = fsys.MkdirTemp(in.Dirs.Staging(), v+stagingSep+"*"); err != nil {
		return "", "", err
	}
	root = filepath.Join(work, "go")
	if err := fsys.Mkdir(root, 0o777); err != nil {
		fsys.RemoveAll(work)
		return "", "", err
	}
	return work, root, nil
}

// stamp fills in what the receipt says of the install itself, beside what
// the unpacking recorded.
func (in *Installer) stamp(rec *Receipt, v string, a registry.Artifact) {
	rec.Version = v
	rec.OS, rec.Arch = a.Platform.OS, a.Platform.Arch
	rec.Source, rec.Filename = a.Source, a.Filename
	if rec.URL == "" {
		rec.URL = a.URL
	}
	rec.InstalledAt = in.now().UTC()
	rec.GvxVersion = in.GvxVersion
	rec.ArchChosen = in.ArchChosen
}

// already reports whether v is installed completely, and if so says so.
func (in *Installer) already(v string) (Result, bool) {
	root := in.Dirs.Version(v)
	rec, err := readReceipt(root)
	if err != nil {
		return Result{}, false
	}
	in.reporter().Done(fmt.Sprintf("go%s is already installed in %s", v, root))
	return Result{Version: v, Root: root, AlreadyInstalled: true, Receipt: rec}, true
}

// Tidy removes what a killed install or uninstall of version ("1.22.6")
// left in staging: a kill right after an install's rename leaves its
// staging directory (with the whole download, for zips) behind a complete
// root, and one early in an uninstall leaves an empty one, and in both
// cases the next install finds the version installed and does no work.
// Callers that find a version installed call it; it costs one directory
// read when there is nothing to remove. It is best effort (a read-only home
// keeps its leftovers, which 'gvx doctor' reports) and returns the first
// error only for callers that want to say so.
func (in *Installer) Tidy(version string) error {
	if p, err := goversion.Parse(version); err != nil || p.String() != version {
		return fmt.Errorf("tidy %q: not a version such as 1.22.6", version)
	}
	stale, err := filepath.Glob(filepath.Join(in.Dirs.Staging(), version+stagingSep+"*"))
	if err != nil || len(stale) == 0 {
		return err
	}
	// Under the lock no live install or uninstall of version has a
	// staging directory: each removes its own before unlocking.
	unlock, err := in.lock(context.Background(), version)
	if err != nil {
		return err
	}
	defer unlock()
	return in.cleanStale(version, registry.Artifact{})
}

// lock takes version v's lock, telling Waiting when another process holds
// it; a done ctx (Ctrl-C, SIGTERM) ends the wait with nothing done.
func (in *Installer) lock(ctx context.Context, v string) (func(), error) {
	var waiting func(pid int)
	if in.Waiting != nil {
		waiting = func(pid int) {
			who := "another gvx"
			if pid > 0 {
				who += " (pid " + strconv.Itoa(pid) + ")"
			}
			in.Waiting(fmt.Sprintf("waiting for %s installing or removing go%s; Ctrl-C stops", who, v))
		}
	}
	return lock.Take(ctx, in.Dirs.Lock(v), waiting)
}

// cleanStale removes what killed installs of v left: staging directories
// and temporary kept downloads. The caller holds v's lock, so no live
// install is using them.
func (in *Installer) cleanStale(v string, a registry.Artifact) error {
	stale, err := filepath.Glob(filepath.Join(in.Dirs.Staging(), v+stagingSep+"*"))
	if err != nil {
		return err
	}
	if in.KeepDownloads && a.Filename != "" {
		tmp, err := filepath.Glob(filepath.Join(in.downloads(), "."+a.Filename+stagingSep+"*"))
		if err != nil {
			return err
		}
		stale = append(stale, tmp...)
	}
	for _, p := range stale {
		if err := in.fsys().RemoveAll(p); err != nil {
			return fmt.Errorf("remove what an interrupted install left: %w", err)
		}
	}
	return nil
}

// fill puts the verified contents of a into root, reusing a kept download
// when there is one, and returns the receipt's hashes and size.
func (in *Installer) fill(ctx context.Context, src registry.Source, a registry.Artifact, work, root string) (Receipt, error) {
	rep := in.reporter()
	if in.keeps(a) {
		kept := filepath.Join(in.downloads(), a.Filename)
		if f, err := os.Open(kept); err == nil {
			rep.Step("using kept download " + kept)
			rec, err := in.unpack(ctx, a, f, kept, work, root)
			f.Close()
			if !keptDamaged(ctx, err) {
				return rec, err
			}
			// The kept copy is damaged or the listing changed: start over
			// from the network, which is verified the same way.
			fsys := in.fsys()
			if err := fsys.Remove(kept); err != nil {
				return Receipt{}, err
			}
			if err := fsys.RemoveAll(root); err != nil {
				return Receipt{}, err
			}
			if err := fsys.Mkdir(root, 0o777); err != nil {
				return Receipt{}, err
			}
			rep.Step("kept download " + kept + " does not verify; downloading it again")
		}
	}
	body, err := src.Fetch(ctx, a)
	if err != nil {
		return Receipt{}, err // the source names the download and its URL
	}
	defer body.Close()
	return in.unpack(ctx, a, body, "", work, root)
}

// unpack verifies body, the archive of a, and unpacks it into root. kept is
// the path body was opened from when it is a kept download, else "". The
// tar.gz path and the zip path (dl zips and module zips) share the set-up
// and the finish: the tree check, the manifest and the kept download.
func (in *Installer) unpack(ctx context.Context, a registry.Artifact, body io.Reader, kept, work, root string) (Receipt, error) {
	u, err := in.startUnpack(ctx, a, body, kept, work, root)
	if err != nil {
		return Receipt{}, err
	}
	defer u.cleanup()
	var x *extractor
	var h1 string
	switch a.Format {
	case registry.TarGz:
		x, err = u.tarGz()
	case registry.Zip, registry.ModuleZip:
		x, h1, err = u.zip()
	default:
		err = fmt.Errorf("%s: no way to unpack the %q format", a.Filename, a.Format)
	}
	if err != nil {
		return Receipt{}, err
	}
	return u.finish(x, h1)
}

// unpacking is one unpack under way.
type unpacking struct {
	in               *Installer
	ctx              context.Context
	a                registry.Artifact
	listed           string // the listing's URL, whose SHA-256 it is; a.URL may be a mirror's
	insecure         bool   // only the checksum database can vouch for these bytes
	lookup           *treeLookup
	d                *download
	keep             writeFile // the kept download in the making, or nil
	kept, work, root string
	fsys             fileSystem
	rep              Reporter
	limits           Limits
}

func (in *Installer) startUnpack(ctx context.Context, a registry.Artifact, body io.Reader, kept, work, root string) (*unpacking, error) {
	u := &unpacking{in: in, ctx: ctx, kept: kept, work: work, root: root,
		fsys: in.fsys(), rep: in.reporter(), limits: in.Limits.withDefaults()}
	// The listing's URL decides whose SHA-256 it is; the bytes may come
	// from a mirror, which messages and the receipt name.
	u.listed = a.URL
	if fu := registry.FetchedURL(body); fu != "" {
		a.URL = fu
	}
	u.a = a
	u.insecure = a.Format != registry.ModuleZip && (registry.Insecure(u.listed) || registry.Insecure(a.URL) || a.SumDBOnly)
	// The database is asked while the archive downloads.
	u.lookup = in.startTreeLookup(ctx, a)
	if u.insecure && u.lookup == nil {
		u.cleanup()
		return nil, fmt.Errorf("refusing %s: %s, and only the checksum database could vouch for every byte, which it does not for Go before 1.21; use an https base or mirror", a.URL, dbOnlyWhy(a))
	}
	u.d = &download{ctx: ctx, a: a, r: body, h: sha256.New(), max: u.limits.MaxBytes, progress: nopWriteCloser{}}
	if a.Size > 0 {
		u.d.max = a.Size
	}
	// keep is the temporary copy that becomes the kept download once
	// everything has succeeded.
	if in.keeps(a) && kept == "" {
		if err := u.fsys.MkdirAll(in.downloads(), 0o777); err != nil {
			u.cleanup()
			return nil, err
		}
		f, err := u.fsys.CreateTemp(in.downloads(), "."+a.Filename+stagingSep+"*")
		if err != nil {
			u.cleanup()
			return nil, err
		}
		u.keep = f
	}
	switch {
	case a.Source == registry.SourceModCache:
		u.rep.Step("reading " + a.Filename + " from Go's module cache (no download)")
	case kept == "":
		// From here on, every path closes it exactly once.
		u.d.progress = u.rep.Download(a.Filename, a.Size)
	}
	return u, nil
}

// cleanup stops the database lookup and removes a kept download that did
// not make it.
func (u *unpacking) cleanup() {
	u.lookup.stop()
	if u.keep != nil {
		u.keep.Close()
		u.fsys.Remove(u.keep.Name())
		u.keep = nil
	}
}

// tarGz unpacks a tar.gz as it streams in, hashing every byte.
func (u *unpacking) tarGz() (*extractor, error) {
	a := u.a
	u.d.tee = u.keep
	x := newExtractor(u.fsys, u.root, "go/", u.limits)
	x.skip = moduleOnly(u.insecure)
	err := unpackTarGz(u.ctx, u.d, x)
	if err != nil {
		err = fmt.Errorf("unpack %s: %w", a.Filename, err)
	}
	u.d.progress.Close()
	// The hash covers every byte, read to the end, and a download that
	// does not verify is reported as such before anything else.
	if ferr := u.d.finish(); ferr != nil {
		return nil, ferr
	}
	if err != nil {
		return nil, err
	}
	u.rep.Step("verifying sha256") // done, as the stream ended
	return x, nil
}

// zip writes a zip (a dl zip or a module zip) to disk while hashing it,
// checks it, unpacks it and sets the exec bits. It returns the module
// zip's h1, "" for a dl zip.
func (u *unpacking) zip() (*extractor, string, error) {
	a := u.a
	zipPath, err := u.saveZip()
	if err != nil {
		return nil, "", err
	}
	var h1 string
	singlePass := a.Format == registry.ModuleZip && u.lookup != nil
	switch {
	case singlePass:
		// Checked below, from the hashes taken as it unpacks.
	case a.Format == registry.ModuleZip:
		if h1, err = u.checkModuleZip(zipPath); err != nil {
			return nil, "", err
		}
	default:
		u.rep.Step("verifying sha256")
	}
	u.rep.Step("unpacking")
	prefix := "go/"
	if a.Format == registry.ModuleZip {
		prefix = a.ModPath + "@" + a.ModVersion + "/"
	}
	x := newExtractor(u.fsys, u.root, prefix, u.limits)
	x.skip = moduleOnly(u.insecure)
	if singlePass {
		x.zipDirs = map[string]string{}
	}
	if err := unpackZip(u.ctx, zipPath, x); err != nil {
		return nil, "", fmt.Errorf("unpack %s: %w", a.Filename, err)
	}
	if singlePass {
		if h1, err = u.in.checkModuleTree(u.ctx, a, prefix, u.lookup, x); err != nil {
			return nil, "", err
		}
	}
	// Zip modes are not trusted (module zips carry none at all).
	perm, err := execPerm(u.fsys, u.work)
	if err != nil {
		return nil, "", err
	}
	if err := setExecBits(u.fsys, u.root, perm); err != nil {
		return nil, "", fmt.Errorf("set exec bits: %w", err)
	}
	return x, h1, nil
}

// saveZip writes the download to disk (the kept download in the making, or
// work/archive.zip; a kept download is read where it is), hashing it, and
// checks its size and SHA-256. It returns the zip's path.
func (u *unpacking) saveZip() (string, error) {
	if u.kept != "" {
		u.d.progress.Close()
		return u.kept, u.d.finish()
	}
	f := u.keep
	if f == nil {
		var err error
		if f, err = u.fsys.Create(filepath.Join(u.work, "archive.zip"), 0o666); err != nil {
			u.d.progress.Close()
			return "", err
		}
	}
	_, werr := io.Copy(f, u.d)
	if werr == nil && f == u.keep {
		werr = f.Sync()
	}
	if f != u.keep {
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
	}
	u.d.progress.Close()
	if err := u.d.finish(); err != nil {
		return "", err
	}
	return f.Name(), werr
}

// checkModuleZip checks a module zip on disk against the checksum database
// (or, from Go's module cache, as its checker says) and returns its h1.
func (u *unpacking) checkModuleZip(zipPath string) (string, error) {
	a := u.a
	if a.Source == registry.SourceModCache {
		u.rep.Step("verifying h1") // the checker says against what
	} else {
		u.rep.Step("verifying h1 against the checksum database")
	}
	var h1 string
	var err error
	if c, ok := u.in.Checker.(h1ZipChecker); ok {
		h1, err = c.CheckZipH1(u.ctx, zipPath, a.ModPath, a.ModVersion, a.URL)
	} else {
		err = u.in.Checker.CheckZip(u.ctx, zipPath, a.ModPath, a.ModVersion, a.URL)
	}
	if err != nil {
		var mm *verify.MismatchError
		if errors.As(err, &mm) {
			return "", err
		}
		return "", fmt.Errorf("check %s against the checksum database: %w", a.Filename, err)
	}
	if h1 != "" {
		return h1, nil
	}
	if h1, err = dirhash.HashZip(zipPath, dirhash.Hash1); err != nil {
		return "", fmt.Errorf("hash %s: %w", a.Filename, err)
	}
	return h1, nil
}

// finish checks the unpacked root and its tree, writes the manifest, and
// keeps the download when asked to.
func (u *unpacking) finish(x *extractor, h1 string) (Receipt, error) {
	a := u.a
	if err := checkGoroot(u.root, a); err != nil {
		return Receipt{}, err
	}
	checked := []string{CheckedSumDB}
	if a.Format != registry.ModuleZip {
		var err error
		if h1, checked, err = u.in.checkTree(u.ctx, a, u.listed, u.insecure, u.lookup, x); err != nil {
			return Receipt{}, err
		}
	}
	tree, err := writeManifest(u.fsys, u.root, x.sums)
	if err != nil {
		return Receipt{}, err
	}
	if u.keep != nil {
		if a.Format == registry.TarGz {
			if err := u.keep.Sync(); err != nil {
				return Receipt{}, err
			}
		}
		if err := u.keep.Close(); err != nil {
			return Receipt{}, err
		}
		if err := u.fsys.Rename(u.keep.Name(), filepath.Join(u.in.downloads(), a.Filename)); err != nil {
			return Receipt{}, err
		}
		u.keep = nil
	}
	return Receipt{URL: a.URL, SHA256: u.d.sum(), H1: h1, Tree: tree, Checked: checked, Size: u.d.n}, nil
}

// keptDamaged reports whether err, from installing a kept download, may go
// away with a fresh download: a verification failure or a damaged file, but
// not a cancellation, a disk fault, or an unsafe archive that verified.
func keptDamaged(ctx context.Context, err error) bool {
	var ae *archiveError
	switch {
	case err == nil, ctx.Err() != nil, errors.As(err, &ae),
		errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EROFS), errors.Is(err, os.ErrPermission):
		return false
	}
	return true
}

// checkGoroot reports an archive that verified and unpacked but holds no Go.
func checkGoroot(root string, a registry.Artifact) error {
	exe := layout.ExeName(a.Platform.OS, "go")
	st, err := os.Lstat(filepath.Join(root, "bin", exe))
	if err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("%s holds no bin/%s: it is not a Go toolchain", a.Filename, exe)
	}
	return nil
}

// publish renames the finished root into versions/v. If a complete root is
// there already (a race lost), that is success (ok). An incomplete leftover
// is moved into work, to be removed with it, and put back if the rename
// fails.
func (in *Installer) publish(v, root, work string) (res Result, ok bool, err error) {
	fsys, dest := in.fsys(), in.Dirs.Version(v)
	err = fsys.Rename(root, dest)
	if err != nil {
		if _, serr := os.Lstat(dest); serr != nil {
			return Result{}, false, err
		}
		if res, ok := in.already(v); ok {
			return res, true, nil
		}
		aside := filepath.Join(work, "leftover")
		if err := fsys.Rename(dest, aside); err != nil {
			return Result{}, false, fmt.Errorf("move aside the incomplete %s: %w", dest, err)
		}
		if err = fsys.Rename(root, dest); err != nil {
			if rerr := fsys.Rename(aside, dest); rerr != nil {
				err = errors.Join(err, rerr)
			}
			return Result{}, false, err
		}
	}
	// A crash right after the rename must not lose it.
	if err := syncDir(in.Dirs.Versions()); err != nil {
		return Result{}, false, err
	}
	return Result{}, false, nil
}

// swapIn puts the staged root in the place of the installed version v; the
// old root ends where root was, inside work, which the caller removes. When
// v is not installed (any more) it is a plain publish.
func (in *Installer) swapIn(v, root, work string) error {
	fsys, dest := in.fsys(), in.Dirs.Version(v)
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		if err := fsys.Rename(root, dest); err != nil {
			return err
		}
		return syncDir(in.Dirs.Versions())
	}
	ex, ok := fsys.(interface{ exchange(a, b string) error })
	if !ok || ex.exchange(root, dest) != nil {
		// Two renames: the old root aside, the new one in, the old one
		// back if that fails.
		old := filepath.Join(work, "old")
		if err := fsys.Rename(dest, old); err != nil {
			return fmt.Errorf("move aside %s: %w", dest, err)
		}
		if err := fsys.Rename(root, dest); err != nil {
			if rerr := fsys.Rename(old, dest); rerr != nil {
				err = errors.Join(err, rerr)
			}
			return err
		}
	}
	return syncDir(in.Dirs.Versions())
}

// checkArtifact checks what a listing said about a before any of it is
// used in a path or trusted, and returns the version's directory name.
func checkArtifact(a registry.Artifact, checker ZipChecker) (string, error) {
	if a.Version.IsZero() {
		return "", errors.New("the artifact has no version")
	}
	v := a.Version.String()
	if !oneElement(v) {
		return "", fmt.Errorf("version %q is not a directory name", v)
	}
	if p, err := goversion.Parse(v); err != nil || p.String() != v {
		return "", fmt.Errorf("version %q does not parse back to itself", v)
	}
	if !oneElement(a.Filename) {
		return "", fmt.Errorf("archive name %q is not a plain file name", a.Filename)
	}
	switch a.Format {
	case registry.TarGz, registry.Zip:
		if a.SumDBOnly && a.SHA256 == "" {
			break // the checksum database alone vouches for it
		}
		if !verify.IsSHA256(a.SHA256) {
			return "", fmt.Errorf("%s has no SHA-256 to verify it against (got %q); pick another source or release", a.Filename, a.SHA256)
		}
	case registry.ModuleZip:
		if checker == nil {
			return "", fmt.Errorf("%s is a module zip and no checksum database checker was given", a.Filename)
		}
		if a.ModPath == "" || a.ModVersion == "" || checkName(a.ModPath+"@"+a.ModVersion) != "" {
			return "", fmt.Errorf("%s: bad module path or version %q", a.Filename, a.ModPath+"@"+a.ModVersion)
		}
		if a.ModPath == "golang.org/toolchain" && !strings.HasPrefix(a.ModVersion, "v0.0.1-go"+v+".") {
			return "", fmt.Errorf("%s: module version %q is not a toolchain for go%s", a.Filename, a.ModVersion, v)
		}
		if a.SHA256 != "" && !verify.IsSHA256(a.SHA256) {
			return "", fmt.Errorf("%s: malformed SHA-256 %q", a.Filename, a.SHA256)
		}
	default:
		return "", fmt.Errorf("%s: unsupported archive format %q", a.Filename, a.Format)
	}
	return v, nil
}

// oneElement reports whether s is one plain path element on every system.
func oneElement(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\:\x00") && filepath.Base(s) == s
}

// hint adds what to do to a disk error.
func (in *Installer) hint(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("%w; free some space on the disk holding %s and retry", err, in.Dirs.Home)
	case errors.Is(err, syscall.EROFS), errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w; the gvx home %s is not writable: fix its permissions or set GVX_HOME to a writable directory", err, in.Dirs.Home)
	}
	return err
}

func (in *Installer) downloads() string { return filepath.Join(in.CacheDir, "downloads") }

// keeps reports whether a's archive is kept after the install: not when it
// comes from Go's module cache, which keeps it already.
func (in *Installer) keeps(a registry.Artifact) bool {
	return in.KeepDownloads && a.Source != registry.SourceModCache
}

func (in *Installer) fsys() fileSystem {
	if in.fs == nil {
		return osFS{}
	}
	return in.fs
}

func (in *Installer) reporter() Reporter {
	if in.Reporter == nil {
		return silent{}
	}
	return in.Reporter
}

func (in *Installer) now() time.Time {
	if in.Now == nil {
		return time.Now()
	}
	return in.Now()
}

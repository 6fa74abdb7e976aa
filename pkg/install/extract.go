package install

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode"
)

// Default limits on what one archive may unpack to. A Go release unpacks to
// about 15,000 entries and 250 MB; the limits leave room for growth while
// stopping a bomb long before it fills the disk.
const (
	defaultMaxEntries = 100_000
	defaultMaxBytes   = 2 << 30
)

// Limits bound what an archive may unpack to. A zero field takes its default.
type Limits struct {
	MaxEntries int   // entries of any kind, directories included
	MaxBytes   int64 // bytes written to regular files, counted as written
}

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = defaultMaxEntries
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = defaultMaxBytes
	}
	return l
}

// archiveError is an archive entry refused as unsafe or malformed. Nothing of
// the archive is installed when one is returned.
type archiveError struct {
	Entry   string // the entry's name as the archive spells it
	Problem string // what is wrong with it
}

func (e *archiveError) Error() string {
	return fmt.Sprintf("archive entry %q: %s", e.Entry, e.Problem)
}

// nodeKind is what the extractor made at one path.
type nodeKind uint8

const (
	impliedDir nodeKind = iota + 1 // a parent made for a later entry
	explicitDir
	regularFile
	symlink
)

func (k nodeKind) isDir() bool { return k == impliedDir || k == explicitDir }

// entryKind is the kind of an archive entry, across formats.
type entryKind uint8

const (
	entryDir entryKind = iota + 1
	entryFile
	entrySymlink
	entryHardlink
)

// extractor writes the entries of one untrusted archive under root. Every
// entry is checked before anything is written for it: its name must be a
// clean relative path under prefix, and every parent of it must be a
// directory the extractor itself made. Nothing is ever written outside root.
type extractor struct {
	fs      fileSystem
	root    string // an empty directory made by the caller
	prefix  string // the archive's top directory, stripped: "go/"
	limits  Limits
	entries int
	written int64
	nodes   map[string]nodeKind // by root-relative slash path
	folded  map[string]string   // case-folded path → the path that has it
	buf     []byte

	// sums holds the hex SHA-256 of every regular file written, by
	// root-relative slash path, hashed from the bytes as they are written:
	// the tree the checksum database and the receipt vouch for.
	sums  map[string]string
	links []string // the symlinks made, which no tree hash covers
	h     hash.Hash
	// skip, when set, leaves out the entries it reports true for (by
	// root-relative path), after checking their names.
	skip func(rel string) bool
	// zipDirs, when set, records each directory entry ("src/", and "" for
	// the top) with the SHA-256 of nothing, as dirhash.HashZip hashes one.
	zipDirs map[string]string
}

// emptySHA256 is the SHA-256 of no bytes.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func newExtractor(fsys fileSystem, root, prefix string, limits Limits) *extractor {
	return &extractor{
		fs:     fsys,
		root:   root,
		prefix: prefix,
		limits: limits.withDefaults(),
		nodes:  make(map[string]nodeKind),
		folded: make(map[string]string),
		sums:   make(map[string]string),
		h:      sha256.New(),
	}
}

// entry checks and writes one archive entry. For a file, body holds its
// contents and perm its mode bits; for a symlink, link is its target; for a
// hard link, link is the archive name of the file it repeats.
func (x *extractor) entry(name string, kind entryKind, perm fs.FileMode, link string, body io.Reader) error {
	x.entries++
	if x.entries > x.limits.MaxEntries {
		return &archiveError{name, fmt.Sprintf("the archive has more than %d entries", x.limits.MaxEntries)}
	}
	rel, err := x.relative(name)
	if err != nil {
		return err
	}
	if kind == entryDir && x.zipDirs != nil {
		if rel == "" {
			x.zipDirs[""] = emptySHA256 // the prefix itself
		} else {
			x.zipDirs[rel+"/"] = emptySHA256
		}
	}
	if kind != entryDir && strings.HasSuffix(name, "/") {
		return &archiveError{name, "a name ending in \"/\" on an entry that is not a directory"}
	}
	if rel == "" {
		if kind != entryDir {
			return &archiveError{name, "replaces the install root"}
		}
		return nil
	}
	if x.skip != nil && x.skip(rel) {
		return nil // the tar reader skips the body; a zip entry is never opened
	}
	if err := x.parents(name, rel); err != nil {
		return err
	}
	if prev, ok := x.nodes[rel]; ok {
		if kind == entryDir && prev == impliedDir {
			x.nodes[rel] = explicitDir
			return nil
		}
		return &archiveError{name, "duplicate entry"}
	}
	if err := x.claim(name, rel); err != nil {
		return err
	}
	dst := filepath.Join(x.root, filepath.FromSlash(rel))
	switch kind {
	case entryDir:
		if err := x.fs.Mkdir(dst, 0o777); err != nil {
			return err
		}
		x.nodes[rel] = explicitDir
	case entryFile:
		x.nodes[rel] = regularFile
		return x.writeFile(name, rel, dst, perm&0o777, body)
	case entrySymlink:
		if problem := checkLinkTarget(rel, link); problem != "" {
			return &archiveError{name, problem}
		}
		if err := x.fs.Symlink(link, dst); err != nil {
			return err
		}
		x.nodes[rel] = symlink
		x.links = append(x.links, rel)
	case entryHardlink:
		return x.hardlink(name, rel, dst, link)
	default:
		return &archiveError{name, "unsupported entry type"}
	}
	return nil
}

// hardlink makes the entry name (rel, at dst) a hard link to link, which
// must name a regular file extracted before it.
func (x *extractor) hardlink(name, rel, dst, link string) error {
	target, err := x.relative(link)
	if err != nil {
		var ae *archiveError
		if errors.As(err, &ae) {
			return &archiveError{name, fmt.Sprintf("hard link to %q: %s", link, ae.Problem)}
		}
		return err
	}
	switch k, ok := x.nodes[target]; {
	case !ok:
		return &archiveError{name, fmt.Sprintf("hard link to %q, which is not extracted before it", link)}
	case k != regularFile:
		return &archiveError{name, fmt.Sprintf("hard link to %q, which is not a regular file", link)}
	}
	if err := x.fs.Link(filepath.Join(x.root, filepath.FromSlash(target)), dst); err != nil {
		return err
	}
	x.nodes[rel] = regularFile
	x.sums[rel] = x.sums[target]
	return nil
}

// relative checks an archive name and returns it relative to the root,
// without the prefix and without a trailing slash ("" for the root itself).
func (x *extractor) relative(name string) (string, error) {
	if problem := checkName(name); problem != "" {
		return "", &archiveError{name, problem}
	}
	clean := strings.TrimSuffix(name, "/")
	top := strings.TrimSuffix(x.prefix, "/")
	switch {
	case clean == top:
		return "", nil
	case strings.HasPrefix(clean, x.prefix):
		return clean[len(x.prefix):], nil
	}
	return "", &archiveError{name, fmt.Sprintf("outside the archive's top directory %q", x.prefix)}
}

// checkName returns what makes an archive name unsafe, or "".
func checkName(name string) string {
	switch {
	case name == "":
		return "empty name"
	case strings.ContainsRune(name, 0):
		return "NUL byte in path"
	case strings.ContainsRune(name, '\\'):
		return "backslash in path (a Windows path trick)"
	case strings.ContainsRune(name, ':'):
		return "colon in path (a Windows drive or stream trick)"
	case strings.HasPrefix(name, "/"):
		return "absolute path"
	}
	for _, elem := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		switch elem {
		case "..":
			return "path escapes the install root"
		case "", ".":
			return "path is not clean (empty or \".\" element)"
		}
	}
	return ""
}

// checkLinkTarget returns what makes a symlink at rel pointing to target
// unsafe, or "". A safe target is relative, climbs with ".." only at its
// start (a ".." after a name could climb back out through another symlink)
// and never above the root.
func checkLinkTarget(rel, target string) string {
	switch {
	case target == "":
		return "symlink with an empty target"
	case strings.ContainsRune(target, 0), strings.ContainsRune(target, '\\'), strings.ContainsRune(target, ':'):
		return fmt.Sprintf("symlink target %q has a NUL, backslash or colon", target)
	case strings.HasPrefix(target, "/"):
		return fmt.Sprintf("symlink to an absolute path %q", target)
	}
	depth := strings.Count(rel, "/") // directories between the root and the link
	ups, named := 0, false
	for _, elem := range strings.Split(target, "/") {
		switch elem {
		case "", ".":
		case "..":
			if named {
				return fmt.Sprintf("symlink target %q climbs with \"..\" after a name", target)
			}
			ups++
			if ups > depth {
				return fmt.Sprintf("symlink to %q escapes the install root", target)
			}
		default:
			named = true
		}
	}
	return ""
}

// parents makes the parent directories of rel that do not exist yet, after
// checking that every existing one is a directory made here: never a symlink
// (a file written through it could land anywhere) and never a file.
func (x *extractor) parents(name, rel string) error {
	for i := 0; i < len(rel); i++ {
		if rel[i] != '/' {
			continue
		}
		dir := rel[:i]
		kind, ok := x.nodes[dir]
		if ok {
			if !kind.isDir() {
				what := "a file"
				if kind == symlink {
					what = "a symlink"
				}
				return &archiveError{name, fmt.Sprintf("path goes through %s (%q)", what, dir)}
			}
			continue
		}
		if err := x.claim(name, dir); err != nil {
			return err
		}
		if err := x.fs.Mkdir(filepath.Join(x.root, filepath.FromSlash(dir)), 0o777); err != nil {
			return err
		}
		x.nodes[dir] = impliedDir
	}
	return nil
}

// claim records rel under its case-folded form, refusing a second path that
// differs only in case: on macOS and Windows file systems both would be one
// file, and the second would overwrite the first.
func (x *extractor) claim(name, rel string) error {
	f := foldPath(rel)
	if prev, ok := x.folded[f]; ok && prev != rel {
		return &archiveError{name, fmt.Sprintf("collides with %q on case-insensitive file systems", x.prefix+prev)}
	}
	x.folded[f] = rel
	return nil
}

// foldPath maps s to one spelling per case-insensitive equivalence class, so
// that strings.EqualFold(s, t) iff foldPath(s) == foldPath(t).
func foldPath(s string) string {
	return strings.Map(func(r rune) rune {
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}
		return low
	}, s)
}

// writeFile creates dst, which must not exist, and copies body into it,
// counting every byte against the archive's limit and hashing it into
// x.sums[rel].
func (x *extractor) writeFile(name, rel, dst string, perm fs.FileMode, body io.Reader) error {
	f, err := x.fs.Create(dst, perm)
	if err != nil {
		return err
	}
	if x.buf == nil {
		x.buf = make([]byte, 256<<10)
	}
	room := x.limits.MaxBytes - x.written
	x.h.Reset()
	n, err := io.CopyBuffer(hashedWriter{f, x.h}, io.LimitReader(entryReader{body, name}, room+1), x.buf)
	x.written += n
	x.sums[rel] = hex.EncodeToString(x.h.Sum(nil))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err // an *fs.PathError naming the file
	}
	if n > room {
		return &archiveError{name, fmt.Sprintf("the archive unpacks to more than %d bytes", x.limits.MaxBytes)}
	}
	return nil
}

// hashedWriter writes to w and hashes what w accepted. It offers only
// Write: an *os.File's ReadFrom would copy through a fresh 32 KB buffer of
// its own for every file.
type hashedWriter struct {
	w io.Writer
	h hash.Hash
}

func (hw hashedWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	return n, err
}

// entryReader names the archive entry in read errors (a bad checksum, a
// truncated stream), which would otherwise not say where they happened.
type entryReader struct {
	r    io.Reader
	name string
}

func (e entryReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("read archive entry %q: %w", e.name, err)
	}
	return n, err
}

package shim

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
)

// maxVersionFile bounds what is read of a .go-version, .tool-versions or the
// global default file: each names one version, and a huge file is a mistake
// (or an attack) that must not slow every go call.
const maxVersionFile = 64 << 10

// maxModFile bounds what is read of a go.mod or go.work. Real ones are far
// smaller; the go line may come last, so the whole file is scanned.
const maxModFile = 1 << 20

// FileError is a problem in a version file, go.mod or go.work. Line is 1-based,
// 0 when the problem is the file as a whole.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// errMergeConflict is wrapped by the FileError for a file holding git
// merge-conflict markers.
var errMergeConflict = errors.New("unresolved merge conflict; resolve it and keep one version")

// errNotDir is what opening a file below a non-directory returns, and
// errNameTooLong what opening one in a directory deeper than PATH_MAX
// returns; for both there is no such file (as for the go command, which
// finds no go.mod there either).
var (
	errNotDir      = syscall.ENOTDIR
	errNameTooLong = syscall.ENAMETOOLONG
)

// notRegularError is readLimit's refusal of a file that is not a regular
// one: reading a FIFO would hang every go call, a device or /dev/stdin would
// read something that is not the file's.
type notRegularError struct{ kind string }

func (e *notRegularError) Error() string {
	return e.kind + ", not a regular file; gvx reads only regular files here: remove it or replace it with a file"
}

// readBounded reads at most limit bytes of path; tooBig says what the file
// should hold, for the error when it holds more. A missing file is reported
// as exists == false with no error.
func readBounded(path string, limit int64, tooBig string) (data []byte, exists bool, err error) {
	data, err = readLimit(path, limit+1)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir) || errors.Is(err, errNameTooLong) {
			return nil, false, nil
		}
		return nil, true, &FileError{Path: path, Err: unwrapPath(err)}
	}
	if int64(len(data)) > limit {
		return nil, true, &FileError{Path: path, Err: fmt.Errorf("larger than %s; %s", sizeString(limit), tooBig)}
	}
	return data, true, nil
}

// unwrapPath drops a *fs.PathError's path: the FileError names it once.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// What each kind of file should hold, for readBounded's size error.
const (
	versionFileHolds = "it should hold one Go version"
	modFileHolds     = "a go.mod or go.work this large is not one the go command would read either"
)

// maxExcerpt bounds how much of a bad file an error quotes.
const maxExcerpt = 40

// excerpt returns how an error shows text from a version file or go.mod
// line: quoted when it looks like a mistyped version (short, made of the
// characters specs use, starting as a version or an operator does), else a
// description that shows none of it. A file may be a link to something
// secret (/proc/self/environ, ~/.git-credentials) in a repository someone
// else controls, and errors end up in CI logs and editor panes; the go
// command, too, reports a position rather than such content.
func excerpt(text string) (string, bool) {
	switch {
	case binary(text):
		return "binary data, not shown", false
	case len(text) > maxExcerpt:
		return fmt.Sprintf("a %d-byte line, not shown", len(text)), false
	case looksLikeSpec(text):
		return strconv.Quote(text), true
	}
	return fmt.Sprintf("%d bytes, not shown", len(text)), false
}

// binary reports whether text is not UTF-8 or holds control characters.
func binary(text string) bool {
	return !utf8.ValidString(text) || strings.ContainsFunc(text, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// looksLikeSpec reports whether text is made of the characters specs use
// and starts the way a version ("1.22", "go1.22", "v1.22") or a constraint
// (">=1.21") does.
func looksLikeSpec(text string) bool {
	const specChars = "abcdefghijklmnopqrstuvwxyz0123456789.-+<>=!~, "
	if text == "" || strings.ContainsFunc(strings.ToLower(text), func(r rune) bool { return !strings.ContainsRune(specChars, r) }) {
		return false
	}
	rest := strings.TrimLeft(text, "<>=!~ ")
	if len(rest) < len(text) {
		return rest != "" && '0' <= rest[0] && rest[0] <= '9'
	}
	rest = strings.TrimPrefix(strings.TrimPrefix(text, "go"), "v")
	return rest != "" && '0' <= rest[0] && rest[0] <= '9'
}

// notVersion is the error for version-file text that is not a spec:
// ParseSpec's own when the text may be quoted, else one that shows none of
// it.
func notVersion(text string, err error) error {
	if what, ok := excerpt(text); !ok {
		return fmt.Errorf("not a Go version (%s); write one such as 1.22.6", what)
	}
	return err
}

// badModLine is the error for the value of a go or toolchain line that the
// go command refuses: the go command quotes it, and so does gvx, unless it
// is long or binary (the line may come from a file that is not a go.mod at
// all).
func badModLine(directive, value string, err error) error {
	if binary(value) || len(value) > maxExcerpt {
		what, _ := excerpt(value)
		return fmt.Errorf("invalid %s line (%s)", directive, what)
	}
	return err
}

// decodeText turns file bytes into text: a UTF-8 BOM is dropped and UTF-16
// with a BOM (what PowerShell's echo writes) is converted.
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], func(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 })
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], func(b []byte) uint16 { return uint16(b[1]) | uint16(b[0])<<8 })
	}
	return string(data)
}

func decodeUTF16(data []byte, word func([]byte) uint16) string {
	u := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		u = append(u, word(data[i:i+2]))
	}
	return string(utf16.Decode(u))
}

// lines splits text into lines, dropping a trailing \r from each.
func lines(text string) []string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// isConflictMarker reports whether line is a git merge-conflict marker.
func isConflictMarker(line string) bool {
	for _, m := range []string{"<<<<<<<", "=======", ">>>>>>>", "|||||||"} {
		if strings.HasPrefix(line, m) {
			return true
		}
	}
	return false
}

// parseFileSpec parses one spec found in a file, naming the file and line on
// error. The text is data: it is never run, expanded or interpolated.
func parseFileSpec(path string, line int, text string) (goversion.Spec, error) {
	sp, err := goversion.ParseSpec(text)
	if err != nil {
		return goversion.Spec{}, &FileError{Path: path, Line: line, Err: notVersion(text, err)}
	}
	return sp, nil
}

// ParseGoVersion parses the content of a .go-version file, or of the global
// default file, which has the same form. It returns the spec and its line.
//
// Tolerated: a UTF-8 BOM, UTF-16 with a BOM, CRLF, blank lines, surrounding
// spaces, "#" and "//" comment lines, a leading "go" or "golang" word
// ("golang 1.20.6"), the go/v prefixes and ".x" suffix that specs allow, and
// the same version repeated. Errors, each a *FileError naming the line: two
// different versions, merge-conflict markers, anything that is not a spec,
// and a file with no version at all.
func ParseGoVersion(path string, data []byte) (goversion.Spec, int, error) {
	var found goversion.Spec
	foundLine := 0
	for i, l := range lines(decodeText(data)) {
		n := i + 1
		if isConflictMarker(l) {
			return goversion.Spec{}, 0, &FileError{Path: path, Line: n, Err: errMergeConflict}
		}
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "//") {
			continue
		}
		if f := strings.Fields(l); len(f) == 2 && (f[0] == "go" || f[0] == "golang") {
			l = f[1]
		}
		sp, err := parseFileSpec(path, n, l)
		if err != nil {
			return goversion.Spec{}, 0, err
		}
		if foundLine == 0 {
			found, foundLine = sp, n
			continue
		}
		if sp.String() != found.String() {
			return goversion.Spec{}, 0, &FileError{Path: path, Line: n, Err: fmt.Errorf("two different versions, %q (line %d) and %q; keep one", found, foundLine, sp)}
		}
	}
	if foundLine == 0 {
		return goversion.Spec{}, 0, &FileError{Path: path, Err: errors.New("no Go version in the file; write one such as 1.22.6")}
	}
	return found, foundLine, nil
}

// ParseToolVersions parses an asdf/mise .tool-versions file and returns the
// specs of its golang (or go) line, in order, and that line's number. The
// specs after the first are asdf's fallbacks: the first one installed wins.
// A file without a golang/go line returns no specs and no error.
func ParseToolVersions(path string, data []byte) ([]goversion.Spec, int, error) {
	var specs []goversion.Spec
	var raw string
	foundLine := 0
	for i, l := range lines(decodeText(data)) {
		n := i + 1
		if isConflictMarker(l) {
			return nil, 0, &FileError{Path: path, Line: n, Err: errMergeConflict}
		}
		if c := strings.IndexByte(l, '#'); c >= 0 {
			l = l[:c]
		}
		f := strings.Fields(l)
		if len(f) == 0 || (f[0] != "golang" && f[0] != "go") {
			continue
		}
		if len(f) == 1 {
			return nil, 0, &FileError{Path: path, Line: n, Err: fmt.Errorf("%s line has no version; write one such as %q", f[0], f[0]+" 1.22.6")}
		}
		var these []goversion.Spec
		for _, s := range f[1:] {
			sp, err := parseFileSpec(path, n, s)
			if err != nil {
				return nil, 0, err
			}
			these = append(these, sp)
		}
		norm := specsString(these)
		if foundLine == 0 {
			specs, raw, foundLine = these, norm, n
			continue
		}
		if norm != raw {
			return nil, 0, &FileError{Path: path, Line: n, Err: fmt.Errorf("two different Go versions, %q (line %d) and %q; keep one", raw, foundLine, norm)}
		}
	}
	return specs, foundLine, nil
}

func specsString(specs []goversion.Spec) string {
	s := make([]string, len(specs))
	for i, sp := range specs {
		s[i] = sp.String()
	}
	return strings.Join(s, " ")
}

// Requirement is what a go.mod or go.work asks of the toolchain: its go line
// and its toolchain line, read as the go command reads them.
type Requirement struct {
	Path   string
	Go     goversion.Version // zero when there is no go line
	GoLine int
	// Toolchain is the version of the toolchain line and ToolchainName the
	// name as written ("go1.22.6-custom"); zero and "" when there is none
	// or it is "default" (then ToolchainDefault is set).
	Toolchain        goversion.Version
	ToolchainName    string
	ToolchainLine    int
	ToolchainDefault bool
	work             bool // a go.work (or GOWORK's file), not a go.mod
}

// What the go command assumes when a go.mod or go.work has no go line
// (modload: gover.DefaultGoModVersion, gover.DefaultGoWorkVersion).
var (
	defaultGoMod  = goversion.MustParse("1.16")
	defaultGoWork = goversion.MustParse("1.18")
)

// Module returns what the go command's toolchain selection reads of r.
func (r *Requirement) Module() *goenv.Module {
	return &goenv.Module{Go: r.Go, Toolchain: r.Toolchain, ToolchainName: r.ToolchainName, ToolchainDefault: r.ToolchainDefault}
}

// Minimum returns the oldest toolchain that satisfies r, as the go command
// computes it before switching (toolchain.Select): the toolchain line when
// it is newer than the go line as written ("go 1.23" with "toolchain
// go1.23rc2" asks for go1.23rc2), else the go line, a language version
// "1.22" meaning go1.22.0. A file without a go line asks for Go 1.16 (a
// go.work: 1.18). The line is the one that asks, 0 for the default.
func (r *Requirement) Minimum() (goversion.Version, int) {
	m := r.Module()
	m.ToolchainDefault = false // the minimum is the same; only switching is off
	v := goenv.Decide(goversion.Version{}, goenv.Toolchain{Mode: goenv.ModeAuto}, m, false)
	switch v.Reason {
	case goenv.ReasonToolchainLine:
		if !r.Go.IsZero() && goversion.Equal(goenv.FirstRelease(r.Go), v.Version) {
			return v.Version, r.GoLine // the go line asks for it as well
		}
		return v.Version, r.ToolchainLine
	case goenv.ReasonGoLine:
		return v.Version, r.GoLine
	}
	if r.work {
		return defaultGoWork, 0
	}
	return defaultGoMod, 0
}

// Least returns the oldest toolchain the go command runs in r's module
// without switching: at least the go line as written (go1.21rc1 runs a
// "go 1.21" module) and the toolchain line unless it is "default". A file
// without a go line has the go command's default (1.16, or 1.18 for a
// go.work).
func (r *Requirement) Least() goversion.Version {
	least := r.Go
	if least.IsZero() {
		least = defaultGoMod
		if r.work {
			least = defaultGoWork
		}
	}
	if r.ToolchainName != "" && goversion.Compare(r.Toolchain, least) > 0 {
		least = r.Toolchain
	}
	return least
}

// Spec returns the spec r amounts to: at least Least. A version installed
// for it is preferably a stable release.
func (r *Requirement) Spec() goversion.Spec {
	return goversion.AtLeastSpec(r.Least())
}

// parseGoMod reads the go and toolchain lines of a go.mod or go.work the way
// the go command does (gover.GoModLookup, then modfile's checks): a line
// whose first word is go or toolchain, a "//" comment stripped. A line the
// go command refuses (a go version not of the form 1.23.0, a toolchain not
// of the form go1.23.0 or default, a repeated directive) is a *FileError
// naming the file and line.
func parseGoMod(path string, data []byte) (*Requirement, error) {
	r := &Requirement{Path: path}
	for i, l := range lines(decodeText(data)) {
		n := i + 1
		if c := strings.Index(l, "//"); c >= 0 {
			l = l[:c]
		}
		f := strings.Fields(l)
		if len(f) == 0 || (f[0] != "go" && f[0] != "toolchain") {
			continue
		}
		if len(f) != 2 {
			return nil, &FileError{Path: path, Line: n, Err: fmt.Errorf("%s directive takes one version", f[0])}
		}
		if f[0] == "go" {
			if r.GoLine > 0 {
				return nil, &FileError{Path: path, Line: n, Err: fmt.Errorf("repeated go statement (first at line %d)", r.GoLine)}
			}
			v, err := goversion.ParseGoLine(f[1])
			if err != nil {
				return nil, &FileError{Path: path, Line: n, Err: badModLine("go", f[1], err)}
			}
			r.Go, r.GoLine = v, n
			continue
		}
		if r.ToolchainLine > 0 {
			return nil, &FileError{Path: path, Line: n, Err: fmt.Errorf("repeated toolchain statement (first at line %d)", r.ToolchainLine)}
		}
		r.ToolchainLine = n
		if f[1] == "default" {
			r.ToolchainDefault = true
			continue
		}
		v, err := goversion.ParseToolchainLine(f[1])
		if err != nil {
			return nil, &FileError{Path: path, Line: n, Err: badModLine("toolchain", f[1], err)}
		}
		r.Toolchain, r.ToolchainName = v, f[1]
	}
	return r, nil
}

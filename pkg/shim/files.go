package shim

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"unicode/utf16"
	"unicode/utf8"

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

// ErrMergeConflict is wrapped by the FileError for a file holding git
// merge-conflict markers.
var ErrMergeConflict = errors.New("unresolved merge conflict; resolve it and keep one version")

// errNotDir is what opening a file below a non-directory returns.
var errNotDir = syscall.ENOTDIR

// readBounded reads at most limit bytes of path. A missing file is reported
// as exists == false with no error.
func readBounded(path string, limit int64) (data []byte, exists bool, err error) {
	data, err = readLimit(path, limit+1)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir) {
			return nil, false, nil
		}
		return nil, true, err
	}
	if int64(len(data)) > limit {
		return nil, true, &FileError{Path: path, Err: fmt.Errorf("larger than %d KiB; it should hold one Go version", limit>>10)}
	}
	return data, true, nil
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
	if !utf8.ValidString(text) {
		return goversion.Spec{}, &FileError{Path: path, Line: line, Err: errors.New("not UTF-8 text; write a version such as 1.22.6")}
	}
	sp, err := goversion.ParseSpec(text)
	if err != nil {
		return goversion.Spec{}, &FileError{Path: path, Line: line, Err: err}
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
			return goversion.Spec{}, 0, &FileError{Path: path, Line: n, Err: ErrMergeConflict}
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
			return nil, 0, &FileError{Path: path, Line: n, Err: ErrMergeConflict}
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
// and its toolchain line. Go reads "go 1.22" as "at least go1.22.0".
type Requirement struct {
	Path          string
	Go            goversion.Version // zero when there is no go line (Go then assumes 1.16)
	GoLine        int
	Toolchain     goversion.Version // zero when there is none or it is "default"
	ToolchainLine int
	work          bool // a go.work (or GOWORK's file), not a go.mod
}

// defaultGoLine is what the go command assumes for a go.mod without a go line.
var defaultGoLine = goversion.MustParse("1.16")

// Minimum returns the oldest toolchain that satisfies r, max(go, toolchain),
// and the line that asks for it (0 when the go line is missing).
func (r *Requirement) Minimum() (goversion.Version, int) {
	g, line := r.Go, r.GoLine
	if g.IsZero() {
		g = defaultGoLine
	}
	g = releaseOf(g)
	if !r.Toolchain.IsZero() && goversion.Compare(r.Toolchain, g) > 0 {
		return r.Toolchain, r.ToolchainLine
	}
	return g, line
}

// Spec returns the spec r amounts to: at least its Minimum.
func (r *Requirement) Spec() goversion.Spec {
	v, _ := r.Minimum()
	return goversion.AtLeastSpec(v)
}

// releaseOf turns a language version ("1.22", Go 1.21 and later) into its
// first release ("1.22.0"); other versions are returned as they are.
func releaseOf(v goversion.Version) goversion.Version {
	if v.Stable() || v.Prerelease() {
		return v
	}
	if r, err := goversion.Parse(v.String() + ".0"); err == nil {
		return r
	}
	return v
}

// ParseGoMod scans a go.mod or go.work for its go and toolchain lines. It is a
// line scanner, not a full parser: "//" comments are stripped and only those
// two directives are read.
func ParseGoMod(path string, data []byte) (*Requirement, error) {
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
			v, err := goversion.Parse(f[1])
			if err != nil || strings.HasPrefix(f[1], "go") || strings.HasPrefix(f[1], "v") {
				return nil, &FileError{Path: path, Line: n, Err: fmt.Errorf("invalid go version %q; write it as go 1.22 or go 1.22.6", f[1])}
			}
			r.Go, r.GoLine = v, n
			continue
		}
		if f[1] == "default" {
			continue
		}
		// A toolchain may carry a custom suffix: "go1.22.6-custom", "go1.22.6+auto".
		name := f[1]
		if c := strings.IndexAny(name, "-+"); c >= 0 {
			name = name[:c]
		}
		v, err := goversion.Parse(name)
		if err != nil || !strings.HasPrefix(name, "go") {
			return nil, &FileError{Path: path, Line: n, Err: fmt.Errorf("invalid toolchain %q; write it as toolchain go1.22.6", f[1])}
		}
		r.Toolchain, r.ToolchainLine = v, n
	}
	return r, nil
}

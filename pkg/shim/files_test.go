package shim

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/gvx-dev/gvx/pkg/goenv"
	"github.com/gvx-dev/gvx/pkg/goversion"
)

func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestParseGoVersion(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		spec string // normal form; "" = error
		line int
		err  string // part of the error message
	}{
		{"plain", []byte("1.22.6\n"), "1.22.6", 1, ""},
		{"no newline", []byte("1.22.6"), "1.22.6", 1, ""},
		{"go prefix", []byte("go1.22.6\n"), "1.22.6", 1, ""},
		{"v prefix", []byte("v1.22.6\n"), "1.22.6", 1, ""},
		{"line", []byte("1.22\n"), "1.22", 1, ""},
		{"dot x", []byte("1.22.x\n"), "1.22", 1, ""},
		{"latest", []byte("latest\n"), "latest", 1, ""},
		{"system", []byte("system\n"), "system", 1, ""},
		{"constraint", []byte(">=1.21, <1.23\n"), ">=1.21, <1.23", 1, ""},
		{"rc", []byte("1.24rc2\n"), "1.24rc2", 1, ""},
		{"utf8 bom", []byte("\xEF\xBB\xBF1.22.6\n"), "1.22.6", 1, ""},
		{"utf16le bom", utf16Bytes("1.22.6\r\n", false), "1.22.6", 1, ""},
		{"utf16be bom", utf16Bytes("1.22.6\n", true), "1.22.6", 1, ""},
		{"crlf", []byte("1.22.6\r\n"), "1.22.6", 1, ""},
		{"blank lines and spaces", []byte("\n\n   1.22.6  \n\n"), "1.22.6", 3, ""},
		{"tab", []byte("\t1.22.6\t\n"), "1.22.6", 1, ""},
		{"hash comment", []byte("# pinned for CI\n1.22.6\n"), "1.22.6", 2, ""},
		{"slash comment", []byte("// go version to be used by goenv\n1.18.0\n"), "1.18.0", 2, ""},
		{"golang word", []byte("golang 1.20.6\n\n"), "1.20.6", 1, ""},
		{"go word", []byte("go 1.23.7"), "1.23.7", 1, ""},
		{"repeated", []byte("1.22.6\ngo1.22.6\n"), "1.22.6", 1, ""},
		{"two versions", []byte("1.22.6\n1.23.0\n"), "", 0, `f:2: two different versions, "1.22.6" (line 1) and "1.23.0"`},
		{"merge conflict", []byte("<<<<<<< HEAD\n1.18.1\n=======\n1.19.9\n>>>>>>> e214aac\n"), "", 0, "f:1: unresolved merge conflict"},
		{"merge conflict later", []byte("1.18.1\n=======\n"), "", 0, "f:2: unresolved merge conflict"},
		{"empty", []byte(""), "", 0, "f: no Go version in the file"},
		{"only comments", []byte("# nothing\n\n"), "", 0, "f: no Go version in the file"},
		{"shell command", []byte(`echo "1.23" > .go-version`), "", 0, "f:1: "},
		{"command substitution", []byte("$(touch /tmp/pwned)\n"), "", 0, "f:1: not a Go version (19 bytes, not shown)"},
		{"trailing dot", []byte("1.23."), "", 0, "f:1: "},
		{"docker tag", []byte("1.22.4--alpine3.20"), "", 0, "f:1: "},
		{"non-ascii", []byte("1.17.6\u00df\n"), "", 0, "f:1: "},
		{"invalid utf8", []byte("1.17.6\xff\n"), "", 0, "f:1: not a Go version (binary data, not shown)"},
		{"bare go on line 2", []byte("1.23.1\ngo"), "", 0, "f:2: "},
		{"path", []byte("build/images/deps/go-version"), "", 0, "f:1: "},
		{"three words", []byte("golang 1.20.6 extra\n"), "", 0, "f:1: "},
	}
	for _, tt := range tests {
		sp, line, err := ParseGoVersion("f", tt.data)
		if tt.spec == "" {
			if err == nil {
				t.Errorf("%s: ParseGoVersion(%q) = %q, want error %q", tt.name, tt.data, sp, tt.err)
				continue
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != "f" || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: ParseGoVersion(%q) error = %v, want a *FileError containing %q", tt.name, tt.data, err, tt.err)
			}
			continue
		}
		if err != nil || sp.String() != tt.spec || line != tt.line {
			t.Errorf("%s: ParseGoVersion(%q) = %q, %d, %v; want %q, %d", tt.name, tt.data, sp, line, err, tt.spec, tt.line)
		}
	}
}

func TestParseToolVersions(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		specs string // space-separated normal forms; "" = no golang line
		line  int
		err   string
	}{
		{"golang", "nodejs 18.0.0\ngolang 1.20.6\n", "1.20.6", 2, ""},
		{"go (mise)", "go 1.25.0\nnode 22\n", "1.25.0", 1, ""},
		{"fallbacks", "golang 1.22.6 1.21.13 system\n", "1.22.6 1.21.13 system", 1, ""},
		{"inline comment", "golang 1.22.6 # pinned\n", "1.22.6", 1, ""},
		{"comment line", "# golang 1.19\ngolang 1.22.6\n", "1.22.6", 2, ""},
		{"golangci-lint is not go", "golangci-lint 1.52.2\n", "", 0, ""},
		{"no go", "nodejs 18\n", "", 0, ""},
		{"trailing space no newline", "golang 1.22.0 ", "1.22.0", 1, ""},
		{"crlf", "golang 1.22.0\r\n", "1.22.0", 1, ""},
		{"bom", "\uFEFFgolang 1.22.0\n", "1.22.0", 1, ""},
		{"repeated", "golang 1.22.0\ngo 1.22.0\n", "1.22.0", 1, ""},
		{"two versions", "golang 1.22.0\ngolang 1.23.0\n", "", 0, `f:2: two different Go versions, "1.22.0" (line 1) and "1.23.0"`},
		{"no version", "golang\n", "", 0, "f:1: golang line has no version"},
		{"bad spec", "golang ref:master\n", "", 0, "f:1: not a Go version (10 bytes, not shown)"},
		{"path spec", "golang path:/opt/go\n", "", 0, "f:1: "},
		{"merge conflict", "<<<<<<< HEAD\ngolang 1.20\n", "", 0, "f:1: unresolved merge conflict"},
	}
	for _, tt := range tests {
		specs, line, err := ParseToolVersions("f", []byte(tt.data))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: ParseToolVersions(%q) = %q, %v; want error %q", tt.name, tt.data, specsString(specs), err, tt.err)
			}
			continue
		}
		if err != nil || specsString(specs) != tt.specs || line != tt.line {
			t.Errorf("%s: ParseToolVersions(%q) = %q, %d, %v; want %q, %d", tt.name, tt.data, specsString(specs), line, err, tt.specs, tt.line)
		}
	}
}

func TestParseGoModLines(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		min       string
		minLine   int
		goLine    string
		toolchain string
		err       string
	}{
		{"go line", "module m\n\ngo 1.22\n", "1.22.0", 3, "1.22", "", ""},
		{"go patch", "module m\ngo 1.22.5\n", "1.22.5", 2, "1.22.5", "", ""},
		{"toolchain newer", "module m\ngo 1.22.5\ntoolchain go1.22.6\n", "1.22.6", 3, "1.22.5", "1.22.6", ""},
		{"toolchain equal", "module m\ngo 1.24.0\ntoolchain go1.24.0\n", "1.24.0", 2, "1.24.0", "1.24.0", ""},
		{"toolchain default", "module m\ngo 1.21\ntoolchain default\n", "1.21.0", 2, "1.21", "", ""},
		{"toolchain suffix", "module m\ngo 1.21\ntoolchain go1.22.1-custom\n", "1.22.1", 3, "1.21", "1.22.1", ""},
		{"old go line", "module m\ngo 1.20\n", "1.20", 2, "1.20", "", ""},
		{"go rc", "module m\ngo 1.21rc1\n", "1.21rc1", 2, "1.21rc1", "", ""},
		{"crlf", "module m\r\ngo 1.12\r\n", "1.12", 2, "1.12", "", ""},
		{"comment", "module m // the module\ngo 1.22 // needs range funcs\n// go 1.99\n", "1.22.0", 2, "1.22", "", ""},
		{"go line last", "module m\nrequire (\n\tgo.uber.org/zap v1.27.0\n)\ngo 1.20\n", "1.20", 5, "1.20", "", ""},
		{"no go line", "module m\n", "1.16", 0, "", "", ""},
		{"bad go", "module m\ngo banana\n", "", 0, "", "", `f:2: invalid go version "banana"`},
		{"go with prefix", "module m\ngo go1.22\n", "", 0, "", "", `f:2: invalid go version "go1.22"`},
		{"bad toolchain", "module m\ngo 1.22\ntoolchain 1.22.6\n", "", 0, "", "", `f:3: invalid toolchain "1.22.6"`},
		{"two words", "module m\ngo 1.22 1.23\n", "", 0, "", "", "f:2: go directive takes one version"},
		// Lines the go command refuses (cmd/go/testdata/script/mod_toolchain_slash.txt, modfile).
		{"toolchain with a path", "module m\ngo 1.21\ntoolchain go1.999999-/run.sh\n", "", 0, "", "", `f:3: invalid toolchain "go1.999999-/run.sh"`},
		{"toolchain with +auto", "module m\ngo 1.21\ntoolchain go1.22.6+auto\n", "", 0, "", "", `f:3: invalid toolchain "go1.22.6+auto"`},
		{"go 1", "module m\ngo 1\n", "", 0, "", "", `f:2: invalid go version "1"`},
		{"repeated go", "module m\ngo 1.21\ngo 1.22\n", "", 0, "", "", "f:3: repeated go statement (first at line 2)"},
		{"repeated toolchain", "module m\ngo 1.21\ntoolchain go1.22.0\ntoolchain default\n", "", 0, "", "", "f:4: repeated toolchain statement (first at line 3)"},
		// The toolchain line is compared with the go line as written.
		{"toolchain rc over language", "module m\ngo 1.23\ntoolchain go1.23rc2\n", "1.23rc2", 3, "1.23", "1.23rc2", ""},
		{"go release over toolchain rc", "module m\ngo 1.23.0\ntoolchain go1.23rc2\n", "1.23.0", 2, "1.23.0", "1.23rc2", ""},
		{"go prerelease", "module m\ngo 1.23rc1\n", "1.23rc1", 2, "1.23rc1", "", ""},
	}
	for _, tt := range tests {
		r, err := parseGoMod("f", []byte(tt.data))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: parseGoMod(%q) error = %v, want %q", tt.name, tt.data, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: parseGoMod(%q) error: %v", tt.name, tt.data, err)
			continue
		}
		min, line := r.Minimum()
		if min.String() != tt.min || line != tt.minLine || r.Go.String() != tt.goLine || r.Toolchain.String() != tt.toolchain {
			t.Errorf("%s: parseGoMod(%q) = go %q toolchain %q, minimum %q at line %d; want go %q toolchain %q, minimum %q at line %d",
				tt.name, tt.data, r.Go, r.Toolchain, min, line, tt.goLine, tt.toolchain, tt.min, tt.minLine)
		}
		// The spec accepts what the go command runs without switching: the
		// go line as written ("1.22" also lets go1.22rc1 run); its first
		// release is the minimum.
		if sp := r.Spec(); sp.Kind() != goversion.AtLeast || goenv.FirstRelease(sp.Version()).String() != tt.min {
			t.Errorf("%s: Spec() = %q, want at least %s", tt.name, sp, tt.min)
		}
	}
}

type corpusEntry struct {
	Repo      string   `json:"repo"`
	Path      string   `json:"path"`
	Raw       *string  `json:"raw"`
	RawBase64 string   `json:"raw_base64"`
	GoLines   []string `json:"go_lines"`
	GoLine    *string  `json:"go_line"`
	Toolchain *string  `json:"toolchain_line"`
	FileKind  string   `json:"file_kind"`
}

func loadCorpus(t *testing.T, name string) []corpusEntry {
	t.Helper()
	data, err := os.ReadFile("testdata/corpus/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var es []corpusEntry
	if err := json.Unmarshal(data, &es); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(es) == 0 {
		t.Fatalf("%s: no entries", name)
	}
	return es
}

func (e corpusEntry) bytes(t *testing.T) []byte {
	if e.RawBase64 != "" {
		b, err := base64.StdEncoding.DecodeString(e.RawBase64)
		if err != nil {
			t.Fatalf("%s %s: raw_base64: %v", e.Repo, e.Path, err)
		}
		return b
	}
	if e.Raw == nil {
		t.Fatalf("%s %s: no raw content", e.Repo, e.Path)
	}
	return []byte(*e.Raw)
}

// TestCorpusGoVersion runs every real .go-version of the corpus: each gives a
// spec or a *FileError naming the file (and a line).
func TestCorpusGoVersion(t *testing.T) {
	want := map[string]string{ // repo + raw prefix -> spec, or "error: text"
		"kubernetes/kubernetes":                "1.24rc2",
		"GoogleCloudPlatform/gcsfuse":          "1.26.5",
		"Lorioux/google-provider":              "error: :1: unresolved merge conflict",
		"elastic/golang-crossbuild":            "error: :1: unresolved merge conflict",
		"Roman2K/bankmon":                      "1.8beta1",
		"bluet/syspkg":                         "1.20.6",
		"elastic/elastic-agent-system-metrics": "1.23.7",
		"lacework/go-sdk":                      "1.18.0",
		"rajatjindal/krew-release-bot":         "1.26",
		"felixdotgo/go-project-boilerplate":    "1.21",
		"esonnino/dirtydishes":                 "1.19.0",
		"kristiyan-kiryakov/fileman":           "1.22.1",
		"tooforg/public-test-repo":             "error: :1: ",
		"448267450/food-delivery-platform":     "error: :1: ",
		"cockroachdb/cockroach":                "error: :1: ",
		"spiffe/spire":                         "error: :1: ",
		"hashicorp/terraform-provider-awscc":   "error: :1: ",
		"ivancorrales/go-template":             "error: :1: ",
		"bschaatsbergen/hclfmt":                "error: :1: ",
		"mk23mk/example-github-cicd-study":     "error: :1: ",
		"antrea-io/antrea":                     "error: :1: ",
		"javor454/newsletter-assignment":       "error: :2: ",
		"naoto243/go-excel-playground":         "error: :3: ",
		"nattokin/go-backlog":                  "1.23.0",
	}
	checked := map[string]bool{}
	for i, e := range loadCorpus(t, "go-version.json") {
		path := "/src/" + e.Repo + "/" + e.Path
		sp, line, err := ParseGoVersion(path, e.bytes(t))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != path || !strings.HasPrefix(err.Error(), path) {
				t.Errorf("corpus %d %s: error %v does not name the file", i, e.Repo, err)
			}
		} else if line < 1 || sp.Kind() == 0 {
			t.Errorf("corpus %d %s: spec %q at line %d", i, e.Repo, sp, line)
		}
		w, ok := want[e.Repo]
		if !ok {
			continue
		}
		checked[e.Repo] = true
		switch {
		case strings.HasPrefix(w, "error: "):
			if err == nil || !strings.Contains(err.Error(), path+strings.TrimPrefix(w, "error: ")) {
				t.Errorf("corpus %s: ParseGoVersion(%q) = %q, %v; want error %q", e.Repo, e.bytes(t), sp, err, w)
			}
		case err != nil || sp.String() != w:
			t.Errorf("corpus %s: ParseGoVersion(%q) = %q, %v; want %q", e.Repo, e.bytes(t), sp, err, w)
		}
	}
	for repo := range want {
		if !checked[repo] {
			t.Errorf("corpus entry %s missing", repo)
		}
	}
}

func TestCorpusToolVersions(t *testing.T) {
	for i, e := range loadCorpus(t, "tool-versions.json") {
		path := "/src/" + e.Repo + "/" + e.Path
		specs, line, err := ParseToolVersions(path, e.bytes(t))
		if err != nil {
			t.Errorf("corpus %d %s: ParseToolVersions: %v", i, e.Repo, err)
			continue
		}
		wantLines := e.GoLines
		if len(wantLines) == 0 {
			if len(specs) != 0 {
				t.Errorf("corpus %d %s: specs %q, want none (no golang line)", i, e.Repo, specsString(specs))
			}
			continue
		}
		f := strings.Fields(wantLines[0])
		if got, want := specsString(specs), normSpecs(t, f[1:]); got != want || line < 1 {
			t.Errorf("corpus %d %s: ParseToolVersions = %q at line %d, want %q", i, e.Repo, got, line, want)
		}
	}
}

func normSpecs(t *testing.T, fields []string) string {
	var specs []goversion.Spec
	for _, f := range fields {
		specs = append(specs, goversion.MustParseSpec(f))
	}
	return specsString(specs)
}

func TestCorpusGoModLines(t *testing.T) {
	for i, e := range loadCorpus(t, "gomod-lines.json") {
		var b strings.Builder
		b.WriteString("module example.com/m\n\n")
		goLine, tcLine := 0, 0
		if e.GoLine != nil {
			b.WriteString(*e.GoLine + "\n")
			goLine = 3
		}
		if e.Toolchain != nil {
			b.WriteString(*e.Toolchain + "\n")
			tcLine = goLine + 1
		}
		path := "/src/" + e.Repo + "/" + e.FileKind
		r, err := parseGoMod(path, []byte(b.String()))
		if err != nil {
			t.Errorf("corpus %d %s: parseGoMod(%q): %v", i, e.Repo, b.String(), err)
			continue
		}
		want := goenv.FirstRelease(goversion.MustParse(strings.TrimSpace(strings.TrimPrefix(*e.GoLine, "go "))))
		wantLine := goLine
		if e.Toolchain != nil {
			tc := goversion.MustParse(strings.TrimPrefix(*e.Toolchain, "toolchain "))
			if goversion.Compare(tc, want) > 0 {
				want, wantLine = tc, tcLine
			}
		}
		if min, line := r.Minimum(); !goversion.Equal(min, want) || line != wantLine {
			t.Errorf("corpus %d %s: parseGoMod(%q).Minimum() = %s line %d, want %s line %d", i, e.Repo, b.String(), min, line, want, wantLine)
		}
	}
	// Spot checks against Go's rule: "go 1.22" is at least go1.22.0.
	for data, want := range map[string]string{
		"go 1.24\ntoolchain go1.24.0\n":    "1.24.0",
		"go 1.25.0\ntoolchain go1.26.7\n":  "1.26.7",
		"go 1.12\r\n":                      "1.12",
		"go 1.22.1\ntoolchain go1.23.1\n":  "1.23.1",
		"go 1.24.2\ntoolchain go1.24.4\n":  "1.24.4",
		"go 1.21\n":                        "1.21.0",
		"go 1.22.0\ntoolchain go1.24.1\n":  "1.24.1",
		"go 1.25\ntoolchain go1.25.11\n":   "1.25.11",
		"go 1.26.0\n":                      "1.26.0",
		"go 1.20\n":                        "1.20",
		"go 1.23\ntoolchain go1.23.6\n":    "1.23.6",
		"go 1.15\n":                        "1.15",
		"go 1.24.0\ntoolchain go1.24.3\n":  "1.24.3",
		"go 1.22\ntoolchain go1.22.2\n":    "1.22.2",
		"go 1.23.0\ntoolchain go1.23.4\n":  "1.23.4",
		"go 1.22.5\ntoolchain go1.22.6\n":  "1.22.6",
		"go 1.21\ntoolchain go1.21.0\n":    "1.21.0",
		"go 1.24.3\n":                      "1.24.3",
		"go 1.22\ntoolchain go1.23.4\n":    "1.23.4",
		"go 1.25.0\ntoolchain go1.25.11\n": "1.25.11",
	} {
		r, err := parseGoMod("go.mod", []byte(data))
		if err != nil {
			t.Errorf("parseGoMod(%q): %v", data, err)
			continue
		}
		if min, _ := r.Minimum(); min.String() != want {
			t.Errorf("parseGoMod(%q).Minimum() = %s, want %s", data, min, want)
		}
	}
}

func FuzzParseVersionFiles(f *testing.F) {
	for _, s := range []string{"1.22.6\n", "golang 1.20.6 system\n", "module m\ngo 1.22\ntoolchain go1.22.6\n", "<<<<<<< HEAD\n", "\xFF\xFE1\x00.\x002\x002\x00", "# c\n// c\n1.22.x\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if sp, line, err := ParseGoVersion("f", data); err == nil && (line < 1 || sp.Kind() == 0) {
			t.Fatalf("ParseGoVersion(%q) = %q at line %d without error", data, sp, line)
		}
		if specs, line, err := ParseToolVersions("f", data); err == nil && len(specs) > 0 && line < 1 {
			t.Fatalf("ParseToolVersions(%q) = %q at line %d", data, specsString(specs), line)
		}
		if r, err := parseGoMod("f", data); err == nil {
			r.Minimum()
		}
	})
}

func TestReadBounded(t *testing.T) {
	dir := t.TempDir()
	content := strings.Repeat("# comment line\n", 400) + "1.22.6\n" // 6 KiB: several reads
	path := filepath.Join(dir, ".go-version")
	writeFile(t, path, content)
	data, ok, err := readBounded(path, maxVersionFile, versionFileHolds)
	if err != nil || !ok || string(data) != content {
		t.Errorf("readBounded(%d bytes) = %d bytes, %v, %v", len(content), len(data), ok, err)
	}
	if _, ok, err := readBounded(filepath.Join(dir, "missing"), maxVersionFile, versionFileHolds); ok || err != nil {
		t.Errorf("readBounded(missing) = %v, %v; want not there, no error", ok, err)
	}
	if _, ok, err := readBounded(filepath.Join(path, "below-a-file"), maxVersionFile, versionFileHolds); ok || err != nil {
		t.Errorf("readBounded(below a file) = %v, %v; want not there, no error", ok, err)
	}
	if _, ok, err := readBounded(dir, maxVersionFile, versionFileHolds); !ok || err == nil {
		t.Errorf("readBounded(directory) = %v, %v; want an error", ok, err)
	}
	if _, _, err := readBounded(path, 100, versionFileHolds); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("readBounded over the limit: %v, want a size error", err)
	}
}

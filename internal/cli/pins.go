package cli

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/shim"
)

// pin is one version file line that selects a Go version.
type pin struct {
	Origin shim.Origin // a .go-version, .tool-versions or the global file, with its line
	Spec   goversion.Spec
}

// pinOf returns the pin sel came from, if a version file selected it.
func pinOf(sel shim.Selection) (pin, bool) {
	switch sel.Origin.Kind {
	case shim.OriginGoVersion, shim.OriginToolVersions, shim.OriginGlobal:
		return pin{Origin: sel.Origin, Spec: sel.Spec}, sel.Origin.Path != "" && sel.Spec.Kind() != 0
	}
	return pin{}, false
}

// pinsInEffect returns the pins that decide here, in the known projects and
// in the global default, each file line once.
func (e *env) pinsInEffect(dirs layout.Dirs) []pin {
	var out []pin
	add := func(sel shim.Selection) {
		p, ok := pinOf(sel)
		if !ok {
			return
		}
		if slices.ContainsFunc(out, func(q pin) bool { return q.Origin == p.Origin }) {
			return
		}
		out = append(out, p)
	}
	sels := e.selected(dirs)
	add(sels.here)
	if ps, err := e.knownProjects(dirs); err == nil {
		for _, p := range ps {
			add(p.Sel)
		}
	}
	add(sels.global)
	return out
}

// newestPatches returns, for each Go line ("1.22"), its newest stable
// release with a build for plat.
func newestPatches(rels []registry.Release, plat registry.Platform) map[string]goversion.Version {
	out := map[string]goversion.Version{}
	for _, r := range rels {
		if !r.Stable || !hasBuild(r, plat) {
			continue
		}
		l := r.Version.Lang()
		if cur, ok := out[l]; !ok || goversion.Compare(r.Version, cur) > 0 {
			out[l] = r.Version
		}
	}
	return out
}

// versionToken matches a Go version in a version file line, with the
// prefix or word before it kept by the caller.
var versionToken = regexp.MustCompile(`\d+\.\d+(\.\d+)?((rc|beta)\d+)?`)

// rewritePin changes the version on the pin's line from old to new and
// leaves every other byte of the file as it was: comments, other lines, the
// "go" or "golang" word, CRLF, a BOM. The file is replaced atomically,
// through a symbolic link if it is one, keeping its permissions.
func rewritePin(p pin, old, new goversion.Version) error {
	path := p.Origin.Path
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := p.Origin.Line - 1
	if i < 0 || i >= len(lines) {
		return fmt.Errorf("%s: no line %d to rewrite; edit it by hand", path, p.Origin.Line)
	}
	line := lines[i]
	done := false
	line = versionToken.ReplaceAllFunc(line, func(tok []byte) []byte {
		if v, err := goversion.Parse(string(tok)); !done && err == nil && goversion.Equal(v, old) {
			done = true
			return []byte(new.String())
		}
		return tok
	})
	if !done {
		return fmt.Errorf("%s:%d does not spell %s as gvx can rewrite; edit it by hand", path, p.Origin.Line, old)
	}
	lines[i] = line
	return writeFileAtomic(path, bytes.Join(lines, nil), 0o644)
}

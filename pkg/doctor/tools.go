package doctor

import (
	"context"
	"fmt"

	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/tools"
)

// checkTools warns when a known linter, debugger or language server on PATH
// was built with an older Go than the go.mod or go.work here requires:
// such tools refuse the module, or misread it.
func checkTools(ctx context.Context, s *state) []Result {
	req := s.sel.Requirement
	if req == nil {
		return nil
	}
	min, line := req.Minimum()
	where := req.Path
	if line > 0 {
		where = fmt.Sprintf("%s:%d", req.Path, line)
	}
	var out []Result
	for _, name := range tools.Known {
		p, err := s.LookPath(layout.ExeName(s.GOOS, name))
		if err != nil {
			continue
		}
		t, ok := tools.Read(p)
		if !ok || !t.Older(min) {
			continue
		}
		out = append(out, warn("tools", "gvx tools upgrade "+name,
			"%s (%s) was built with %s, older than the %s that %s requires; it may refuse this module",
			name, p, t.GoRaw, min.GoName(), where))
	}
	return out
}

package shim

import (
	"slices"
	"testing"
)

// The Windows rule for environment keys, run on every platform: Windows
// spells PATH "Path" and compares keys without case, so a lookup of PATH
// finds Path and setting GOROOT replaces goroot; elsewhere keys are exact.
func TestEnvKeysByPlatform(t *testing.T) {
	env := []string{`Path=C:\Go\bin`, `GOROOT=C:\old`, `goroot=C:\older`}
	if got := envValueOn("windows", env, "PATH"); got != `C:\Go\bin` {
		t.Errorf(`envValueOn(windows, PATH) = %q, want Path's value`, got)
	}
	if got := envValueOn("linux", env, "PATH"); got != "" {
		t.Errorf(`envValueOn(linux, PATH) = %q, want "" (Path is another key)`, got)
	}
	if got, want := setEnvOn("windows", env, "GOROOT", `C:\new`), []string{`Path=C:\Go\bin`, `GOROOT=C:\new`}; !slices.Equal(got, want) {
		t.Errorf("setEnvOn(windows, GOROOT) = %q, want %q", got, want)
	}
	if got, want := setEnvOn("darwin", env, "GOROOT", "/new"), []string{`Path=C:\Go\bin`, `goroot=C:\older`, "GOROOT=/new"}; !slices.Equal(got, want) {
		t.Errorf("setEnvOn(darwin, GOROOT) = %q, want %q", got, want)
	}
}

package shim

import (
	"strings"
	"testing"
)

// Windows spells PATH "Path" and compares keys without case.
func TestEnvKeysWithoutCase(t *testing.T) {
	env := []string{"Path=C:\\Go\\bin", "GOROOT=C:\\old", "goroot=C:\\older"}
	if got := EnvValue(env, "PATH"); got != "C:\\Go\\bin" {
		t.Errorf("EnvValue(PATH) = %q, want Path's value", got)
	}
	out := SetEnv(env, "GOROOT", "C:\\new")
	if n := strings.Count(strings.ToUpper(strings.Join(out, "\n")), "GOROOT="); n != 1 {
		t.Errorf("SetEnv(GOROOT) = %q, want one GOROOT", out)
	}
	if !strings.HasSuffix(ShimBinary, ".exe") || strings.HasSuffix(ShimBinary, ".exe.exe") {
		t.Errorf("ShimBinary = %q, want one .exe", ShimBinary)
	}
}

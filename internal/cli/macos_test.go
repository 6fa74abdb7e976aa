package cli

import (
	"strings"
	"testing"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
)

func TestNarrowForMacOS(t *testing.T) {
	releases := []goversion.Version{
		goversion.MustParse("1.24.5"), goversion.MustParse("1.25.0"), goversion.MustParse("1.26.3"),
		goversion.MustParse("1.27rc1"), goversion.MustParse("1.27.0"), goversion.MustParse("1.27.4"),
	}
	tests := []struct {
		spec, os, want, err string
	}{
		{"latest", "14.5", "1.27.4", ""},
		{"latest", "12.7", "1.26.3", ""},
		{"latest", "11.7", "1.24.5", ""},
		{"1", "12.7", "1.26.3", ""},
		{"1.27", "12.7", "", "1.27: go1.27 needs macOS 13.0 or later, and this Mac runs macOS 12.7; the newest Go that runs here is 1.26: gvx install 1.26"},
		{"1.27.0", "12.0", "", "go1.27.0 needs macOS 13.0 or later"},
		{"1.26", "12.0", "1.26.3", ""},
		{"1.10.8", "12.0", "", "Go 1.10 and older crash on macOS 12 and later"},
	}
	for _, tt := range tests {
		host, err := install.ParseMacOSVersion(tt.os)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := narrowForMacOS(goversion.MustParseSpec(tt.spec), host)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("narrowForMacOS(%s, macOS %s) error %v, want %q", tt.spec, tt.os, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("narrowForMacOS(%s, macOS %s) error %v", tt.spec, tt.os, err)
			continue
		}
		if got, ok := sp.Best(releases); !ok || got.String() != tt.want {
			t.Errorf("narrowForMacOS(%s, macOS %s) = %s, which picks %v (%v); want %s", tt.spec, tt.os, sp, got, ok, tt.want)
		}
	}
}

// TestCannotRunNote: gvx list marks a root whose bin/go needs a newer macOS
// than this Mac runs (the check reads the real headers, see pkg/install).
func TestCannotRunNote(t *testing.T) {
	tooNew := func(string) error {
		return &install.MacOSError{Needs: install.MacOSVersion{Major: 13}, Host: install.MacOSVersion{Major: 12, Minor: 7}}
	}
	if got := cannotRunNote(tooNew, "/root"); got != "(needs macOS 13.0; this Mac runs 12.7)" {
		t.Errorf("cannotRunNote = %q", got)
	}
	if got := cannotRunNote(func(string) error { return nil }, "/root"); got != "" {
		t.Errorf("cannotRunNote of a root that runs = %q, want none", got)
	}
	if got := cannotRunNote(nil, "/root"); got != "" {
		t.Errorf("cannotRunNote off macOS = %q, want none", got)
	}
}

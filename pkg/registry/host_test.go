package registry

import (
	"errors"
	"reflect"
	"testing"
)

type fakeProbe struct {
	goos, goarch  string
	arm, trans    bool
	armErr, trErr error
}

func (p fakeProbe) GOOS() string                { return p.goos }
func (p fakeProbe) GOARCH() string              { return p.goarch }
func (p fakeProbe) AppleSilicon() (bool, error) { return p.arm, p.armErr }
func (p fakeProbe) Translated() (bool, error)   { return p.trans, p.trErr }

func TestHost(t *testing.T) {
	boom := errors.New("sysctl: operation not permitted")
	for _, tc := range []struct {
		name  string
		probe fakeProbe
		want  Platform
		warns []string
	}{
		{"linux", fakeProbe{goos: "linux", goarch: "amd64", arm: true}, Platform{"linux", "amd64"}, nil},
		{"windows", fakeProbe{goos: "windows", goarch: "arm64"}, Platform{"windows", "arm64"}, nil},
		{"native arm64 mac", fakeProbe{goos: "darwin", goarch: "arm64", arm: true}, Platform{"darwin", "arm64"}, nil},
		{"intel mac", fakeProbe{goos: "darwin", goarch: "amd64"}, Platform{"darwin", "amd64"}, nil},
		{"rosetta", fakeProbe{goos: "darwin", goarch: "amd64", arm: true, trans: true}, Platform{"darwin", "arm64"},
			[]string{"gvx is running under Rosetta 2; installing native darwin/arm64 Go"}},
		{"apple silicon, not translated", fakeProbe{goos: "darwin", goarch: "amd64", arm: true}, Platform{"darwin", "arm64"},
			[]string{"gvx is a darwin/amd64 program on Apple Silicon; installing native darwin/arm64 Go"}},
		{"translated unknown", fakeProbe{goos: "darwin", goarch: "amd64", arm: true, trErr: boom}, Platform{"darwin", "arm64"},
			[]string{"gvx is a darwin/amd64 program on Apple Silicon (sysctl: operation not permitted); installing native darwin/arm64 Go"}},
		{"hardware unknown", fakeProbe{goos: "darwin", goarch: "amd64", armErr: boom}, Platform{"darwin", "amd64"},
			[]string{"cannot tell whether this Mac has Apple Silicon (sysctl: operation not permitted); installing darwin/amd64 Go, use --arch arm64 to change that"}},
	} {
		got, warns, err := Host(tc.probe)
		if err != nil || got != tc.want || !reflect.DeepEqual(warns, tc.warns) {
			t.Errorf("%s: Host = %v, %q, %v; want %v, %q", tc.name, got, warns, err, tc.want, tc.warns)
		}
	}
	if _, _, err := Host(fakeProbe{}); err == nil {
		t.Errorf("Host with no GOOS: want an error")
	}
}

func TestNativeHost(t *testing.T) {
	p := NativeProbe()
	got, _, err := Host(p)
	if err != nil || got.OS != p.GOOS() {
		t.Errorf("Host(NativeProbe()) = %v, %v", got, err)
	}
}

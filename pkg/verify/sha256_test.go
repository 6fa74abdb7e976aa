package verify

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/mod/sumdb/dirhash"
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestHashingReader(t *testing.T) {
	data := bytes.Repeat([]byte("go1.999.0 "), 10000)
	// OneByteReader makes every Read short, as a network body does.
	hr := NewHashingReader(iotest.OneByteReader(bytes.NewReader(data)))
	var out bytes.Buffer
	if _, err := io.Copy(&out, hr); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), data) {
		t.Fatal("HashingReader changed the bytes passing through")
	}
	if got, want := hr.Sum(), sha256Hex(data); got != want {
		t.Errorf("Sum() = %s, want %s", got, want)
	}
	if got, want := hr.N(), int64(len(data)); got != want {
		t.Errorf("N() = %d, want %d", got, want)
	}
}

func TestHashingReaderCountsOnlyWhatWasRead(t *testing.T) {
	data := []byte("0123456789")
	hr := NewHashingReader(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(io.ErrUnexpectedEOF)))
	_, err := io.ReadAll(hr)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("ReadAll error = %v, want %v passed through", err, io.ErrUnexpectedEOF)
	}
	if hr.N() != int64(len(data)) || hr.Sum() != sha256Hex(data) {
		t.Errorf("after a truncated body: N() = %d, Sum() = %s; want %d, %s", hr.N(), hr.Sum(), len(data), sha256Hex(data))
	}
}

func TestHashingReaderEmpty(t *testing.T) {
	hr := NewHashingReader(strings.NewReader(""))
	if _, err := io.ReadAll(hr); err != nil {
		t.Fatal(err)
	}
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if hr.Sum() != emptySHA256 || hr.N() != 0 {
		t.Errorf("empty input: Sum() = %s, N() = %d; want %s, 0", hr.Sum(), hr.N(), emptySHA256)
	}
}

// shortWriter accepts at most n bytes in all.
type shortWriter struct{ n int }

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, io.ErrShortWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestHashingWriter(t *testing.T) {
	data := []byte("the archive body")
	var out bytes.Buffer
	hw := NewHashingWriter(&out)
	if _, err := io.Copy(hw, iotest.HalfReader(bytes.NewReader(data))); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(data) || hw.Sum() != sha256Hex(data) || hw.N() != int64(len(data)) {
		t.Errorf("HashingWriter: wrote %q, Sum() = %s, N() = %d; want %q, %s, %d", out.String(), hw.Sum(), hw.N(), data, sha256Hex(data), len(data))
	}

	// Only the bytes the underlying writer took are hashed.
	hw = NewHashingWriter(&shortWriter{n: 4})
	n, err := hw.Write(data)
	if n != 4 || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("Write to a short writer = %d, %v; want 4, %v", n, err, io.ErrShortWrite)
	}
	if hw.N() != 4 || hw.Sum() != sha256Hex(data[:4]) {
		t.Errorf("after a short write: N() = %d, Sum() = %s; want 4, %s", hw.N(), hw.Sum(), sha256Hex(data[:4]))
	}

	// A nil writer only hashes.
	hw = NewHashingWriter(nil)
	if _, err := hw.Write(data); err != nil || hw.Sum() != sha256Hex(data) {
		t.Errorf("NewHashingWriter(nil).Write: err %v, Sum() = %s; want nil, %s", err, hw.Sum(), sha256Hex(data))
	}
}

func TestHashFile(t *testing.T) {
	data := bytes.Repeat([]byte{0, 1, 2, 3}, 50000)
	name := filepath.Join(t.TempDir(), "go1.999.0.linux-amd64.tar.gz")
	if err := os.WriteFile(name, data, 0o666); err != nil {
		t.Fatal(err)
	}
	sum, size, err := HashFile(name)
	if err != nil || sum != sha256Hex(data) || size != int64(len(data)) {
		t.Errorf("HashFile = %s, %d, %v; want %s, %d, nil", sum, size, err, sha256Hex(data), len(data))
	}
	if _, _, err := HashFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("HashFile(missing) error = %v, want one matching os.ErrNotExist", err)
	}
}

func TestCheckSHA256(t *testing.T) {
	good := sha256Hex([]byte("archive"))
	other := sha256Hex([]byte("tampered archive"))
	const subject, url = "go1.999.0.linux-amd64.tar.gz", "http://127.0.0.1/dl/go1.999.0.linux-amd64.tar.gz"
	tests := []struct {
		name      string
		want, got string
		mismatch  bool   // a *MismatchError
		errText   string // else, a plain error containing this
	}{
		{name: "equal", want: good, got: good},
		{name: "upper-case listing", want: strings.ToUpper(good), got: good},
		{name: "spaces around the listing's value", want: " " + good + "\n", got: good},
		{name: "different", want: good, got: other, mismatch: true},
		{name: "nothing downloaded", want: good, got: "", mismatch: true},
		{name: "no checksum in the listing", want: "", got: good, errText: "has no SHA-256"},
		{name: "sha1 in the listing", want: "da39a3ee5e6b4b0d3255bfef95601890afd80709", got: good, errText: "malformed SHA-256"},
		{name: "not hex", want: strings.Repeat("zz", 32), got: good, errText: "malformed SHA-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSHA256(subject, url, tt.want, tt.got)
			var m *MismatchError
			switch {
			case tt.mismatch:
				if !errors.As(err, &m) {
					t.Fatalf("CheckSHA256(%q, %q) = %v, want a *MismatchError", tt.want, tt.got, err)
				}
				if m.What != "SHA-256" || m.Subject != subject || m.URL != url || m.Expected != strings.ToLower(tt.want) || m.Got != tt.got {
					t.Errorf("CheckSHA256 mismatch = %+v, want What SHA-256, Subject %q, URL %q, Expected %q, Got %q", m, subject, url, tt.want, tt.got)
				}
			case tt.errText != "":
				if err == nil || errors.As(err, &m) || !strings.Contains(err.Error(), tt.errText) {
					t.Errorf("CheckSHA256(%q, %q) = %v, want a plain error containing %q", tt.want, tt.got, err, tt.errText)
				}
				if err != nil && !strings.Contains(err.Error(), subject) {
					t.Errorf("CheckSHA256 error %q does not name %s", err, subject)
				}
			default:
				if err != nil {
					t.Errorf("CheckSHA256(%q, %q) = %v, want nil", tt.want, tt.got, err)
				}
			}
		})
	}
}

func TestCheckSize(t *testing.T) {
	if err := CheckSize("f", "u", 10, 10); err != nil {
		t.Errorf("CheckSize(10, 10) = %v, want nil", err)
	}
	if err := CheckSize("f", "u", 0, 12345); err != nil {
		t.Errorf("CheckSize(unknown, 12345) = %v, want nil", err)
	}
	var m *MismatchError
	if err := CheckSize("f", "u", 10, 9); !errors.As(err, &m) || m.What != "size" || m.Expected != "10 bytes" || m.Got != "9 bytes" {
		t.Errorf("CheckSize(10, 9) = %v, want a size *MismatchError expecting 10 bytes, got 9 bytes", err)
	}
}

func TestMismatchErrorText(t *testing.T) {
	e := &MismatchError{
		What:     "SHA-256",
		Subject:  "go1.999.0.linux-amd64.tar.gz",
		URL:      "http://127.0.0.1:8080/dl/go1.999.0.linux-amd64.tar.gz",
		Expected: strings.Repeat("a", 64),
		Got:      strings.Repeat("b", 64),
	}
	msg := e.Error()
	for _, want := range []string{"SECURITY ERROR", "SHA-256", e.Subject, e.URL, e.Expected, e.Got} {
		if !strings.Contains(msg, want) {
			t.Errorf("MismatchError text lacks %q:\n%s", want, msg)
		}
	}
	if !IsSecurity(e) || !IsSecurity(errors.Join(errors.New("install go1.999.0"), e)) {
		t.Error("IsSecurity(*MismatchError) = false, want true, also when wrapped")
	}
	if IsSecurity(errors.New("network down")) || IsSecurity(nil) {
		t.Error("IsSecurity of an ordinary error or nil = true, want false")
	}
}

// TestHashZipMatchesDirhash checks gvx's windowed hashZip against x/mod's
// dirhash.HashZip on a zip with many entries, empty ones and a large one.
func TestHashZipMatchesDirhash(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		w, err := zw.Create(fmt.Sprintf("golang.org/toolchain@v0.0.1-go1.999.0.linux-amd64/src/p%03d/f.go", 299-i))
		if err != nil {
			t.Fatal(err)
		}
		data := make([]byte, rng.Intn(20000)*(i%3))
		rng.Read(data)
		w.Write(data)
	}
	w, _ := zw.Create("golang.org/toolchain@v0.0.1-go1.999.0.linux-amd64/bin/go")
	big := make([]byte, 3<<20)
	rng.Read(big)
	w.Write(big)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "t.zip")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := dirhash.HashZip(name, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := hashZip(name)
	if err != nil || got != want {
		t.Fatalf("hashZip = %q, %v; dirhash.HashZip = %q", got, err, want)
	}
}

package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
)

// HashingReader passes reads through from an underlying reader while it
// hashes them with SHA-256 and counts their bytes, so a download is hashed
// in the same pass that unpacks it.
type HashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

// NewHashingReader returns a HashingReader reading from r.
func NewHashingReader(r io.Reader) *HashingReader {
	return &HashingReader{r: r, h: sha256.New()}
}

func (hr *HashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	if n > 0 {
		hr.h.Write(p[:n]) // a hash.Hash never returns an error
		hr.n += int64(n)
	}
	return n, err
}

// Sum returns the lower-case hex SHA-256 of the bytes read so far.
func (hr *HashingReader) Sum() string { return hex.EncodeToString(hr.h.Sum(nil)) }

// N returns the number of bytes read so far.
func (hr *HashingReader) N() int64 { return hr.n }

// HashingWriter passes writes through to an underlying writer while it
// hashes them with SHA-256 and counts their bytes. Only bytes the underlying
// writer accepted are hashed.
type HashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

// NewHashingWriter returns a HashingWriter writing to w; a nil w only
// hashes and counts.
func NewHashingWriter(w io.Writer) *HashingWriter {
	if w == nil {
		w = io.Discard
	}
	return &HashingWriter{w: w, h: sha256.New()}
}

func (hw *HashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	if n > 0 {
		hw.h.Write(p[:n])
		hw.n += int64(n)
	}
	return n, err
}

// Sum returns the lower-case hex SHA-256 of the bytes written so far.
func (hw *HashingWriter) Sum() string { return hex.EncodeToString(hw.h.Sum(nil)) }

// N returns the number of bytes written so far.
func (hw *HashingWriter) N() int64 { return hw.n }

// HashFile returns the lower-case hex SHA-256 and the size of the named file,
// for an archive kept from an earlier download.
func HashFile(name string) (sum string, size int64, err error) {
	f, err := os.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	hw := NewHashingWriter(nil)
	if _, err := io.Copy(hw, f); err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", name, err)
	}
	return hw.Sum(), hw.N(), nil
}

// CheckSHA256 compares the SHA-256 the listing promises for subject (want)
// with the one computed while downloading it from url (got), ignoring the
// case of the hex digits. A difference is a *MismatchError. An empty want is
// an error too: a file without a SHA-256 cannot be verified, so it must not
// be installed.
func CheckSHA256(subject, url, want, got string) error {
	want = strings.TrimSpace(want)
	if want == "" {
		return fmt.Errorf("%s has no SHA-256 checksum in the listing, so it cannot be verified and gvx will not install it; choose another release", subject)
	}
	if !isHexSHA256(want) {
		return fmt.Errorf("the listing gives %s a malformed SHA-256 %q (want 64 hex digits); the listing is corrupt or tampered, retry later or use another source", subject, want)
	}
	if !strings.EqualFold(want, got) {
		return &MismatchError{What: "SHA-256", Subject: subject, URL: url, Expected: strings.ToLower(want), Got: got}
	}
	return nil
}

// CheckSize compares the size the listing promises for subject (want) with
// the number of bytes downloaded from url (got). A want of zero or less means
// the listing gave no size, and nothing is compared.
func CheckSize(subject, url string, want, got int64) error {
	if want > 0 && want != got {
		return &MismatchError{What: "size", Subject: subject, URL: url, Expected: fmt.Sprintf("%d bytes", want), Got: fmt.Sprintf("%d bytes", got)}
	}
	return nil
}

func isHexSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

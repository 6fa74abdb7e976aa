package install

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

// download reads an archive's bytes once, hashing and counting them, copying
// them to the progress writer and, when keeping downloads, to tee. It stops
// after max bytes: the listing's size, or the unpack limit when no size is
// known, so a server cannot fill the disk.
type download struct {
	ctx      context.Context
	a        registry.Artifact
	r        io.Reader
	h        hash.Hash
	n, max   int64
	tee      io.Writer // the copy being kept, or nil
	teeErr   error
	progress io.WriteCloser
	readErr  error // from r, other than io.EOF
}

// errTooLong stops the consumer of a download that outgrew its bound;
// finish says what it means.
var errTooLong = errors.New("download is longer than expected")

func (d *download) Read(p []byte) (int, error) {
	if err := d.ctx.Err(); err != nil {
		return 0, err
	}
	if d.readErr != nil {
		return 0, d.readErr
	}
	if d.n > d.max {
		return 0, errTooLong
	}
	n, err := d.r.Read(p)
	if n > 0 {
		d.h.Write(p[:n])
		d.n += int64(n)
		d.progress.Write(p[:n])
		if d.tee != nil {
			if _, werr := d.tee.Write(p[:n]); werr != nil {
				d.teeErr, d.tee = werr, nil
				return n, werr
			}
		}
		if d.n > d.max {
			return n, errTooLong
		}
	}
	if err != nil && err != io.EOF {
		d.readErr = err
	}
	return n, err
}

// finish reads what is left of the download, so that the hash covers every
// byte, and checks it against the listing. A download that is not what the
// listing says is a *verify.MismatchError.
func (d *download) finish() error {
	d.tee = nil
	if d.readErr == nil && d.n <= d.max {
		io.Copy(io.Discard, d) // errors are kept in d
	}
	if err := d.ctx.Err(); err != nil {
		return err
	}
	a := d.a
	if d.readErr != nil {
		var stall *registry.StallError
		if errors.As(d.readErr, &stall) {
			return d.readErr // it names the URL and what to do
		}
		return fmt.Errorf("download %s: %w; retry", a.URL, d.readErr)
	}
	switch {
	case a.Size > 0 && d.n > a.Size:
		return &verify.MismatchError{What: "size", Subject: a.Filename, URL: a.URL,
			Expected: strconv.FormatInt(a.Size, 10) + " bytes", Got: "more than " + strconv.FormatInt(a.Size, 10) + " bytes"}
	case d.n > d.max:
		return fmt.Errorf("download %s: longer than %d bytes, the most an install may unpack", a.URL, d.max)
	case a.Size > 0 && d.n < a.Size:
		return fmt.Errorf("download %s: the body ended after %d of %d bytes; retry", a.URL, d.n, a.Size)
	}
	if a.SHA256 != "" {
		if got := d.sum(); !strings.EqualFold(got, a.SHA256) {
			return &verify.MismatchError{What: "SHA-256", Subject: a.Filename, URL: a.URL,
				Expected: strings.ToLower(a.SHA256), Got: got}
		}
	}
	if d.teeErr != nil {
		return fmt.Errorf("keep a copy of %s: %w", a.Filename, d.teeErr)
	}
	return nil
}

func (d *download) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

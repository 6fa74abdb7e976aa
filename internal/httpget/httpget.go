// Package httpget is gvx's one HTTP GET with a status check, and its one
// error for an answer other than the one asked for. The release sources,
// the checksum database client and doctor's network checks all fetch
// through it, so a 404 reads the same from each, and no message shows the
// password of a URL such as a GOPROXY entry's.
package httpget

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
)

// drainLimit is how much of an unwanted body Get reads before closing it,
// so that a short error page leaves the connection reusable while a long
// one costs no more than this.
const drainLimit = 64 << 10

// StatusError is an HTTP answer other than the one asked for. It matches
// fs.ErrNotExist (errors.Is) for 404 and 410, which is what a server says
// of a file it does not have, a checksum database of a module version it
// does not know, and a proxy of a database it does not serve.
type StatusError struct {
	URL    string // without its password
	Code   int
	Status string // "404 Not Found"
}

func (e *StatusError) Error() string {
	if e.NotFound() {
		return fmt.Sprintf("%s: not found (%s)", e.URL, e.Status)
	}
	return fmt.Sprintf("%s: server answered %s", e.URL, e.Status)
}

// NotFound reports whether the server said the resource does not exist (404
// or 410), which is what lets a ',' GOPROXY list fall through.
func (e *StatusError) NotFound() bool {
	return e.Code == http.StatusNotFound || e.Code == http.StatusGone
}

// Is reports whether target is fs.ErrNotExist and the status says so.
func (e *StatusError) Is(target error) bool {
	return target == fs.ErrNotExist && e.NotFound()
}

// Get sends a GET for rawURL with the headers hdr through client and
// returns the response when its status is one of want (200 if want is
// empty). Any other status is a *StatusError, its body drained and closed.
// A URL that does not parse is an error naming it; a request that fails is
// client.Do's error (a *url.Error) as it is, for the caller to classify.
func Get(ctx context.Context, client *http.Client, rawURL string, hdr http.Header, want ...int) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", Redact(rawURL), err)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if len(want) == 0 {
		want = []int{http.StatusOK}
	}
	for _, code := range want {
		if resp.StatusCode == code {
			return resp, nil
		}
	}
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	resp.Body.Close()
	return nil, &StatusError{URL: Redact(rawURL), Code: resp.StatusCode, Status: resp.Status}
}

// ReadBody reads and closes resp's body, which must be at most max bytes;
// what names the body in the error for a larger one ("a checksum database
// answer").
func ReadBody(resp *http.Response, max int64, what string) ([]byte, error) {
	defer resp.Body.Close()
	u := Redact(resp.Request.URL.String())
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("GET %s: response is larger than %d bytes, too large for %s", u, max, what)
	}
	return data, nil
}

// Redact hides the password in a URL, as url.URL.Redacted does; a string
// that does not parse as a URL is returned as it is.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Redacted()
}

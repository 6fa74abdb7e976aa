package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gvx-dev/gvx/pkg/verify"

	"github.com/gvx-dev/gvx/internal/httpget"
)

// defaultHTTPTimeout is how long gvx waits for a connection and response
// headers, and for the next byte of a body, unless GVX_HTTP_TIMEOUT says
// otherwise. A Go archive is ~70 MB; only silence counts, never total time.
const defaultHTTPTimeout = 30 * time.Second

// minRate is the slowest a response body may arrive, averaged over each
// period of the idle timeout: without it a server that trickles a byte a
// second resets the idle timer forever. Real networks, mainland China's
// included, are far faster; with every body bounded in size (a listing by
// maxListingBytes, an archive by its listed size) it also bounds how long
// any download can take.
const minRate = 16 << 10 // bytes per second

// defaultAttempts bounds retries: a flaky connection gets two more chances,
// a dead server costs at most three round trips before the error shows.
const defaultAttempts = 3

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// HTTPOptions configure NewHTTPClient. The zero value is usable.
type HTTPOptions struct {
	// Timeout bounds connect plus response headers, and each silence while
	// reading a body. Zero means defaultHTTPTimeout.
	Timeout time.Duration
	// Attempts is the number of tries of a GET on a connection reset, an EOF
	// before headers or a 5xx answer. Zero means 3.
	Attempts int
	// Backoff returns the wait before try number attempt+1 (attempt starts at
	// 1). Nil means 200ms doubling to 1s, jittered. Tests return 0.
	Backoff func(attempt int) time.Duration
	// UserAgent is sent with every request; empty means "gvx".
	UserAgent string
	// Transport is the underlying transport; nil means a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
}

// HTTPTimeout reads GVX_HTTP_TIMEOUT: a Go duration ("45s", "2m") or a
// number of seconds. Unset means defaultHTTPTimeout.
func HTTPTimeout(getenv func(string) string) (time.Duration, error) {
	s := strings.TrimSpace(getenv("GVX_HTTP_TIMEOUT"))
	if s == "" {
		return defaultHTTPTimeout, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.Atoi(s)
		if nerr != nil {
			return 0, &SettingError{Var: "GVX_HTTP_TIMEOUT", Value: s, Want: "a duration such as 30s or 2m"}
		}
		d = time.Duration(n) * time.Second
	}
	if d <= 0 {
		return 0, &SettingError{Var: "GVX_HTTP_TIMEOUT", Value: s, Want: "a positive duration such as 30s or 2m"}
	}
	return d, nil
}

// NewHTTPClient returns the client for everything gvx downloads. It sends a
// User-Agent, bounds the wait for headers and every silence inside a body
// (StallError), retries idempotent requests on resets, early EOFs and 5xx
// answers before any body was handed out, and follows redirects only to the
// same scheme or from http to https (redirectError otherwise). Status codes
// are left to the caller.
func NewHTTPClient(opts HTTPOptions) *http.Client {
	t := &transport{
		base:      opts.Transport,
		timeout:   opts.Timeout,
		attempts:  opts.Attempts,
		backoff:   opts.Backoff,
		userAgent: opts.UserAgent,
	}
	if t.base == nil {
		t.base = http.DefaultTransport.(*http.Transport).Clone()
	}
	if t.timeout <= 0 {
		t.timeout = defaultHTTPTimeout
	}
	if t.attempts <= 0 {
		t.attempts = defaultAttempts
	}
	if t.backoff == nil {
		t.backoff = defaultBackoff
	}
	if t.userAgent == "" {
		t.userAgent = "gvx"
	}
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}
}

// defaultBackoff waits 200ms, 400ms, 800ms, then 1s, each jittered down by up
// to half so that many clients do not retry in step.
func defaultBackoff(attempt int) time.Duration {
	d := 200 * time.Millisecond << min(max(attempt-1, 0), 3)
	d = min(d, time.Second)
	return d/2 + rand.N(d/2+1)
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%s: stopped after %d redirects", via[0].URL, maxRedirects)
	}
	from := via[len(via)-1].URL
	switch to := req.URL.Scheme; {
	case to == from.Scheme, from.Scheme == "http" && to == "https":
		return nil
	}
	return &redirectError{From: from.String(), To: req.URL.String()}
}

// redirectError is a redirect gvx refuses to follow: one that leaves https
// (or changes to a scheme other than http or https).
type redirectError struct {
	From, To string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("refusing the redirect from %s to %s: downloads never leave https; use a mirror that serves https throughout", e.From, e.To)
}

// StatusError is an HTTP answer other than the one asked for: gvx's one
// such error, which the checksum database client returns too.
type StatusError = httpget.StatusError

// StallError is a request that went silent for longer than the timeout:
// before the response headers, or in the middle of the body; or a body that
// trickled in slower than minRate.
type StallError struct {
	URL           string
	After         time.Duration
	BeforeHeaders bool
	// Slow is set for a body that kept arriving, slower than minRate:
	// Bytes came in After.
	Slow  bool
	Bytes int64
}

func (e *StallError) Error() string {
	if e.Slow {
		return fmt.Sprintf("%s: download too slow: %d bytes in %s, less than the %d KiB/s gvx waits for; check the network, or use a closer mirror", e.URL, e.Bytes, e.After.Round(time.Millisecond), minRate>>10)
	}
	if e.BeforeHeaders {
		return fmt.Sprintf("%s: no answer within %s; check the network, or set GVX_HTTP_TIMEOUT (for example 2m) to wait longer", e.URL, e.After)
	}
	return fmt.Sprintf("%s: download stalled: no data for %s; check the network, or set GVX_HTTP_TIMEOUT (for example 2m) to wait longer", e.URL, e.After)
}

// Timeout reports true: a stall is a timeout, for callers that ask net.Error.
func (e *StallError) Timeout() bool { return true }

// UnreachableError says a server could not be reached or did not work: a
// network error, a timeout, or a 5xx answer. It is what makes the auto
// source fall back to the module proxy and the listing cache go offline.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	var se *StatusError
	var st *StallError
	if errors.As(e.Err, &se) || errors.As(e.Err, &st) {
		return e.Err.Error() // already names the URL
	}
	return fmt.Sprintf("cannot reach %s: %v", e.URL, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// transport adds gvx's user agent, timeouts and retries to a RoundTripper.
type transport struct {
	base      http.RoundTripper
	timeout   time.Duration
	attempts  int
	backoff   func(int) time.Duration
	userAgent string
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "file" {
		return fileRoundTrip(req) // a file:// GOPROXY entry: no network, nothing to retry
	}
	req = req.Clone(req.Context())
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	idempotent := (req.Method == http.MethodGet || req.Method == http.MethodHead) &&
		(req.Body == nil || req.Body == http.NoBody)
	for attempt := 1; ; attempt++ {
		resp, err := t.once(req)
		last := !idempotent || attempt >= t.attempts || req.Context().Err() != nil
		switch {
		case err != nil && (last || !retryable(err)):
			return nil, err
		case err == nil && (resp.StatusCode < 500 || last):
			return resp, nil
		case resp != nil:
			// A 5xx page is small; read a little so the connection can be reused.
			_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
			resp.Body.Close()
		}
		if err := wait(req.Context(), t.backoff(attempt)); err != nil {
			return nil, err
		}
	}
}

// once sends req one time, with a deadline for the headers, and wraps the
// body so that each silence longer than the timeout ends it.
func (t *transport) once(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	var stalled atomic.Bool
	timer := time.AfterFunc(t.timeout, func() {
		stalled.Store(true)
		cancel()
	})
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	timer.Stop()
	if err != nil {
		cancel()
		if stalled.Load() {
			return nil, &StallError{URL: req.URL.String(), After: t.timeout, BeforeHeaders: true}
		}
		return nil, err
	}
	if stalled.Load() {
		// The timer fired as the headers arrived; the body is already cancelled.
		resp.Body.Close()
		cancel()
		return nil, &StallError{URL: req.URL.String(), After: t.timeout, BeforeHeaders: true}
	}
	resp.Body = newIdleBody(resp.Body, t.timeout, cancel, req.URL.String())
	return resp, nil
}

func retryable(err error) bool {
	var se *StallError
	if errors.As(err, &se) {
		return false // waiting again as long would only double the wait
	}
	return errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// wait blocks for d or until ctx is done.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// idleBody ends a response body that sends nothing for timeout.
type idleBody struct {
	rc      io.ReadCloser
	timeout time.Duration
	cancel  context.CancelFunc
	url     string
	stalled atomic.Bool
	timer   *time.Timer
	once    sync.Once

	// The current rate window: when it began and what it brought.
	windowStart time.Time
	windowBytes int64
}

func newIdleBody(rc io.ReadCloser, timeout time.Duration, cancel context.CancelFunc, url string) *idleBody {
	b := &idleBody{rc: rc, timeout: timeout, cancel: cancel, url: url}
	b.timer = time.AfterFunc(timeout, func() {
		b.stalled.Store(true)
		cancel()
	})
	b.timer.Stop()
	return b
}

func (b *idleBody) Read(p []byte) (int, error) {
	if b.stalled.Load() {
		return 0, &StallError{URL: b.url, After: b.timeout}
	}
	b.timer.Reset(b.timeout)
	n, err := b.rc.Read(p)
	b.timer.Stop()
	if err != nil && b.stalled.Load() {
		return n, &StallError{URL: b.url, After: b.timeout}
	}
	if err == nil {
		now := time.Now()
		if b.windowStart.IsZero() {
			b.windowStart = now
		}
		b.windowBytes += int64(n)
		if in := now.Sub(b.windowStart); in >= b.timeout {
			if float64(b.windowBytes) < minRate*in.Seconds() {
				b.cancel()
				return n, &StallError{URL: b.url, After: in, Slow: true, Bytes: b.windowBytes}
			}
			b.windowStart, b.windowBytes = now, 0
		}
	}
	return n, err
}

func (b *idleBody) Close() error {
	err := b.rc.Close()
	b.once.Do(func() {
		b.timer.Stop()
		b.cancel()
	})
	return err
}

// get sends a GET and returns a response whose status is one of want
// (200 if want is empty). Network failures, stalls and 5xx answers come back
// as *UnreachableError, other statuses as *StatusError, and a refused
// redirect as *redirectError; the caller's own cancellation as ctx.Err().
func get(ctx context.Context, client *http.Client, rawURL string, hdr http.Header, want ...int) (*http.Response, error) {
	resp, err := httpget.Get(ctx, client, rawURL, hdr, want...)
	var se *StatusError
	var ue *url.Error
	switch {
	case err == nil:
		return resp, nil
	case errors.As(err, &se):
		if se.Code >= 500 {
			return nil, &UnreachableError{URL: se.URL, Err: se}
		}
		return nil, se
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case !errors.As(err, &ue):
		return nil, err // the URL does not parse
	}
	var re *redirectError
	if errors.As(ue.Err, &re) {
		return nil, re
	}
	return nil, &UnreachableError{URL: httpget.Redact(rawURL), Err: ue.Err}
}

// isHTML reports whether a response is a web page (a captive portal, a
// mirror's error page) rather than the file asked for.
func isHTML(resp *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// openArchive GETs an archive and checks what can be checked before the
// body is read: the status, that it is not an HTML page, and that its
// Content-Length agrees with the size the listing gives (a.Size > 0). The
// body it returns fails if it turns out longer or shorter than that size.
func openArchive(ctx context.Context, client *http.Client, a Artifact, rawURL string) (io.ReadCloser, error) {
	resp, err := get(ctx, client, rawURL, nil)
	if err != nil {
		return nil, err
	}
	if isHTML(resp) {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: got an HTML page instead of the archive %s (a captive portal or a mirror's error page?)", rawURL, a.Filename)
	}
	if a.Size > 0 && resp.ContentLength >= 0 && resp.ContentLength != a.Size {
		resp.Body.Close()
		return nil, &verify.MismatchError{
			What: "size", Subject: a.Filename, URL: rawURL,
			Expected: strconv.FormatInt(a.Size, 10) + " bytes (from the listing)",
			Got:      strconv.FormatInt(resp.ContentLength, 10) + " bytes (Content-Length)",
		}
	}
	if a.Size > 0 {
		return &sizedBody{rc: resp.Body, want: a.Size, a: a, url: rawURL}, nil
	}
	return resp.Body, nil
}

// sizedBody fails a body that is longer or shorter than the listing says.
type sizedBody struct {
	rc   io.ReadCloser
	want int64
	n    int64
	a    Artifact
	url  string
}

func (b *sizedBody) Read(p []byte) (int, error) {
	if rest := b.want - b.n + 1; int64(len(p)) > rest {
		p = p[:rest] // read at most one byte past the size, to notice it
	}
	n, err := b.rc.Read(p)
	b.n += int64(n)
	if b.n > b.want {
		return n, &verify.MismatchError{
			What: "size", Subject: b.a.Filename, URL: b.url,
			Expected: strconv.FormatInt(b.want, 10) + " bytes (from the listing)",
			Got:      "more",
		}
	}
	if errors.Is(err, io.EOF) && b.n < b.want {
		// The caller names the URL and says to retry.
		return n, fmt.Errorf("download truncated at %d of %d bytes: %w", b.n, b.want, io.ErrUnexpectedEOF)
	}
	return n, err
}

func (b *sizedBody) Close() error { return b.rc.Close() }

package install

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Reporter shows an install's progress to a human. Install calls it from
// one goroutine at a time.
type Reporter interface {
	// Step says that a step starts: "verifying sha256", "unpacking".
	Step(msg string)
	// Download says that a download of size bytes (0 when unknown) starts.
	// Every byte downloaded is then written to the returned writer, which
	// is closed when the download ends, complete or not.
	Download(filename string, size int64) io.WriteCloser
	// Done says how an install ended well: "installed go1.22.6 in /path".
	Done(msg string)
}

// NewReporter returns a Reporter writing to w: on a terminal (tty) a
// progress bar for the download, otherwise one plain line per step. Escape
// codes are written only when color is true; the caller passes false under
// NO_COLOR and when w is not a terminal.
func NewReporter(w io.Writer, tty, color bool) Reporter {
	return &textReporter{w: w, tty: tty, color: color}
}

type textReporter struct {
	w          io.Writer
	tty, color bool
}

func (r *textReporter) Step(msg string) { fmt.Fprintln(r.w, msg) }

func (r *textReporter) Done(msg string) {
	if r.color {
		msg = "\x1b[32m" + msg + "\x1b[0m"
	}
	fmt.Fprintln(r.w, msg)
}

func (r *textReporter) Download(filename string, size int64) io.WriteCloser {
	if !r.tty {
		if size > 0 {
			fmt.Fprintf(r.w, "downloading %s (%s)\n", filename, HumanBytes(size))
		} else {
			fmt.Fprintf(r.w, "downloading %s\n", filename)
		}
		return nopWriteCloser{}
	}
	max := size
	if max <= 0 {
		max = -1 // a spinner: the size is not known
	}
	bar := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(r.w),
		progressbar.OptionSetDescription("downloading "+filename),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionEnableColorCodes(r.color),
		progressbar.OptionUseANSICodes(r.color),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(r.w) }),
		// No spinner ticker: its goroutine keeps redrawing after Exit
		// (progressbar v3.19 stops it only on Finish), over the lines
		// that follow the download. The spinner turns as bytes arrive.
		progressbar.OptionSetSpinnerChangeInterval(0),
	)
	return &barWriter{bar: bar, size: size}
}

// barWriter feeds a progress bar and ends it: full when the download
// completed, where it stopped otherwise.
type barWriter struct {
	bar    *progressbar.ProgressBar
	size   int64
	n      int64
	closed bool
}

func (b *barWriter) Write(p []byte) (int, error) {
	b.n += int64(len(p))
	_ = b.bar.Add64(int64(len(p))) // a progress bar never stops a download
	return len(p), nil
}

func (b *barWriter) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if b.size > 0 && b.n == b.size {
		return b.bar.Finish()
	}
	return b.bar.Exit()
}

type nopWriteCloser struct{}

func (nopWriteCloser) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriteCloser) Close() error                { return nil }

// silent is the Reporter used when the Installer has none.
type silent struct{}

func (silent) Step(string)                           {}
func (silent) Done(string)                           {}
func (silent) Download(string, int64) io.WriteCloser { return nopWriteCloser{} }

// HumanBytes writes n in decimal units, as download pages and disk tools
// do: "68.9 MB".
func HumanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n)/unit, 0
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, "kMGTP"[i])
}

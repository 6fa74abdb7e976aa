// Package readerat buffers random-access reads of archives.
package readerat

import (
	"io"
	"sync"
)

// Size is how much of the underlying file a Window reads at once.
const Size = 1 << 20

// Window serves ReadAt from a window of an io.ReaderAt that it reads Size
// bytes at a time. Reading a zip archive's entries goes through flate's
// small bufio reads over a SectionReader: without a window each of them is
// one pread, about 100,000 for one pass over a Go toolchain zip.
type Window struct {
	r    io.ReaderAt
	size int64

	mu  sync.Mutex
	buf []byte
	off int64 // file offset of buf[0]
	n   int   // valid bytes in buf
}

// NewWindow returns a Window over r, whose length is size.
func NewWindow(r io.ReaderAt, size int64) *Window {
	return &Window{r: r, size: size, buf: make([]byte, Size)}
}

// ReadAt implements io.ReaderAt. Large reads bypass the window.
func (w *Window) ReadAt(p []byte, off int64) (int, error) {
	if len(p) >= len(w.buf)/2 || off < 0 {
		return w.r.ReadAt(p, off)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if off < w.off || off+int64(len(p)) > w.off+int64(w.n) {
		if off >= w.size {
			return 0, io.EOF
		}
		n, err := w.r.ReadAt(w.buf[:min(int64(len(w.buf)), w.size-off)], off)
		if n == 0 && err != nil {
			w.n = 0
			return 0, err
		}
		w.off, w.n = off, n
	}
	n := copy(p, w.buf[off-w.off:w.n])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

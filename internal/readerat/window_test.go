package readerat

import (
	"bytes"
	"io"
	"math/rand"
	"testing"
)

// countingReaderAt counts the reads that reach the file.
type countingReaderAt struct {
	r     *bytes.Reader
	calls int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.calls++
	return c.r.ReadAt(p, off)
}

func TestWindowReadsLikeTheFile(t *testing.T) {
	data := make([]byte, 3*Size+12345)
	rand.New(rand.NewSource(1)).Read(data)
	under := &countingReaderAt{r: bytes.NewReader(data)}
	w := NewWindow(under, int64(len(data)))
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		off := rng.Int63n(int64(len(data)) + 10)
		size := rng.Intn(8192)
		if i%50 == 0 {
			size = Size // a large read bypasses the window
		}
		got := make([]byte, size)
		want := make([]byte, size)
		gn, gerr := w.ReadAt(got, off)
		wn, werr := bytes.NewReader(data).ReadAt(want, off)
		if gn != wn || !bytes.Equal(got[:gn], want[:wn]) || (gerr == nil) != (werr == nil) {
			t.Fatalf("ReadAt(%d bytes, %d) = %d, %v; the file gives %d, %v", size, off, gn, gerr, wn, werr)
		}
		if werr != nil && werr != io.EOF {
			t.Fatalf("unexpected error %v", werr)
		}
	}
}

func TestWindowSequentialReadsAreFew(t *testing.T) {
	data := make([]byte, 4*Size)
	under := &countingReaderAt{r: bytes.NewReader(data)}
	w := NewWindow(under, int64(len(data)))
	buf := make([]byte, 4096)
	for off := int64(0); off < int64(len(data)); off += int64(len(buf)) {
		if _, err := w.ReadAt(buf, off); err != nil {
			t.Fatal(err)
		}
	}
	if under.calls > 5 {
		t.Errorf("%d reads of the file for %d sequential 4 KiB reads, want at most 5", under.calls, len(data)/len(buf))
	}
}

package install

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/mholt/archives"

	"github.com/gvx-dev/gvx/internal/readerat"
)

// gunzipInput is the buffer between a download and the gzip reader. pgzip
// wraps any reader without ReadByte in a 4 KB bufio.Reader, which made a Go
// release's 67 MB some 16,000 reads of the network or kept file, each
// parking on the network poller or entering the kernel; 1 MB reads take
// what the socket holds at once.
const gunzipInput = 1 << 20

// gunzip decompresses r on pgzip's read-ahead goroutine, so that inflating
// (and hashing, which happens as r is read) runs beside the extraction.
// It may read past the end of the gzip stream; the caller drains r.
func gunzip(r io.Reader) (io.ReadCloser, error) {
	return archives.Gz{Multithreaded: true}.OpenReader(bufio.NewReaderSize(r, gunzipInput))
}

// unpackTar extracts the tar stream r through x. It stops at the end of the
// archive; the caller drains what follows.
func unpackTar(ctx context.Context, r io.Reader, x *extractor) error {
	tr := tar.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		// With GODEBUG=tarinsecurepath=0 Next flags unsafe names itself;
		// the extractor refuses them with the entry named.
		if err != nil && (hdr == nil || !errors.Is(err, tar.ErrInsecurePath)) {
			return fmt.Errorf("read tar archive: %w", err)
		}
		if err := tarEntry(x, hdr, tr); err != nil {
			return err
		}
	}
}

func tarEntry(x *extractor, hdr *tar.Header, body io.Reader) error {
	switch hdr.Typeflag {
	case tar.TypeDir:
		return x.entry(hdr.Name, entryDir, 0, "", nil)
	case tar.TypeReg:
		return x.entry(hdr.Name, entryFile, fs.FileMode(hdr.Mode)&0o777, "", body)
	case tar.TypeSymlink:
		return x.entry(hdr.Name, entrySymlink, 0, hdr.Linkname, nil)
	case tar.TypeLink:
		return x.entry(hdr.Name, entryHardlink, 0, hdr.Linkname, nil)
	case tar.TypeXGlobalHeader:
		// PAX metadata for the whole archive: nothing to write, but it
		// still counts against the entry limit.
		x.entries++
		if x.entries > x.limits.MaxEntries {
			return &ArchiveError{hdr.Name, fmt.Sprintf("the archive has more than %d entries", x.limits.MaxEntries)}
		}
		return nil
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return &ArchiveError{hdr.Name, "device or fifo entry"}
	}
	return &ArchiveError{hdr.Name, fmt.Sprintf("unsupported tar entry type %q", hdr.Typeflag)}
}

// unpackZip extracts the zip file at name through x. Zip modes are ignored:
// files are made 0666 and directories 0777, less the umask, and the caller
// sets exec bits.
func unpackZip(ctx context.Context, name string, x *extractor) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	ra := readerat.NewWindow(f, st.Size())
	zr, err := zip.NewReader(ra, st.Size())
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return fmt.Errorf("read zip archive: %w", err)
	}
	if len(zr.File) > x.limits.MaxEntries {
		return &ArchiveError{zr.File[x.limits.MaxEntries].Name, fmt.Sprintf("the archive has more than %d entries", x.limits.MaxEntries)}
	}
	if err := checkLocalHeaders(ra, st.Size(), zr.File); err != nil {
		return err
	}
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := zipEntry(x, zf); err != nil {
			return err
		}
	}
	return nil
}

func zipEntry(x *extractor, zf *zip.File) error {
	mode := zf.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return &ArchiveError{zf.Name, "symlink in a zip archive"}
	case mode.IsDir():
		return x.entry(zf.Name, entryDir, 0, "", nil)
	case mode.Type() != 0:
		return &ArchiveError{zf.Name, "device, fifo or socket entry"}
	}
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("read archive entry %q: %w", zf.Name, err)
	}
	defer rc.Close()
	return x.entry(zf.Name, entryFile, 0o666, "", rc)
}

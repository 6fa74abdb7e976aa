package install

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/mholt/archives"

	"github.com/gvx-dev/gvx/internal/readerat"
	"github.com/gvx-dev/gvx/pkg/registry"
)

// gunzipInput is the buffer between a download and the gzip reader. pgzip
// wraps any reader without ReadByte in a 4 KB bufio.Reader, which made a Go
// release's 67 MB some 16,000 reads of the network or kept file, each
// parking on the network poller or entering the kernel; 1 MB reads take
// what the socket holds at once.
const gunzipInput = 1 << 20

// identifyPeek is how much of a tar.gz stream identification sees: the
// gzip header and, inflated, the first tar header fit in far less.
const identifyPeek = 64 << 10

// identify reads the archive's format from its first bytes, r, with
// archives.Identify, and refuses it unless it is want: the listing's
// format, which gvx unpacks with the checks of that format. Names are not
// consulted, since a name says only what a mirror claims.
func identify(ctx context.Context, r io.Reader, want registry.Format) error {
	format, _, err := archives.Identify(ctx, "", r)
	if err != nil && !errors.Is(err, archives.NoMatch) {
		return fmt.Errorf("identify the archive: %w", err)
	}
	var got registry.Format
	switch f := format.(type) {
	case archives.CompressedArchive:
		_, gz := f.Compression.(archives.Gz)
		_, tr := f.Extraction.(archives.Tar)
		if gz && tr {
			got = registry.TarGz
		}
	case archives.Zip:
		got = registry.Zip
	}
	if got != want {
		what := "in no format gvx knows"
		if format != nil {
			what = "a " + strings.TrimPrefix(format.Extension(), ".")
		}
		return fmt.Errorf("the archive's bytes are %s, not a %s", what, want)
	}
	return nil
}

// gunzip decompresses r on pgzip's read-ahead goroutine, so that inflating
// (and hashing, which happens as r is read) runs beside the extraction.
// It may read past the end of the gzip stream; the caller drains r.
func gunzip(r io.Reader) (io.ReadCloser, error) {
	return archives.Gz{Multithreaded: true}.OpenReader(bufio.NewReaderSize(r, gunzipInput))
}

// unpackTarGz identifies the tar.gz stream r and extracts it through x. It
// stops at the end of the tar archive; the caller drains r.
func unpackTarGz(ctx context.Context, r io.Reader, x *extractor) error {
	// Identification sees a peeked prefix, so the stream is still read in
	// gunzip's large reads, each one whole to the hash and a kept download.
	br := bufio.NewReaderSize(r, gunzipInput)
	head, err := br.Peek(identifyPeek)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	if err := identify(ctx, bytes.NewReader(head), registry.TarGz); err != nil {
		return err
	}
	gz, err := gunzip(br) // br is already buffered: gunzip reads it as it is
	if err != nil {
		return err
	}
	err = unpackTar(ctx, gz, x)
	// Close stops gz's read-ahead before the caller reads r again.
	if cerr := gz.Close(); err == nil {
		err = cerr
	}
	return err
}

// unpackTar extracts the tar stream r through x, walking it with archives'
// extraction. It stops at the end of the archive.
func unpackTar(ctx context.Context, r io.Reader, x *extractor) error {
	return walk(ctx, archives.Tar{}, r, "tar", func(f archives.FileInfo) error {
		hdr, ok := f.Header.(*tar.Header)
		if !ok {
			return fmt.Errorf("read tar archive: entry %q has no tar header", f.NameInArchive)
		}
		if hdr.Typeflag != tar.TypeReg {
			return tarEntry(x, hdr, nil)
		}
		body, err := f.Open()
		if err != nil {
			return fmt.Errorf("read archive entry %q: %w", hdr.Name, err)
		}
		return tarEntry(x, hdr, body)
	})
}

// walk runs ex's extraction of r, handing each entry to handle, and stops
// at the first error. handle's error comes back as it was: archives would
// wrap it in the entry's name, which gvx's own errors name already. A
// failure to read the archive is named for its kind.
func walk(ctx context.Context, ex archives.Extractor, r io.Reader, kind string, handle func(archives.FileInfo) error) error {
	var failed error
	err := ex.Extract(ctx, r, func(_ context.Context, f archives.FileInfo) error {
		if failed = handle(f); failed != nil {
			return fs.SkipAll
		}
		return nil
	})
	switch {
	case failed != nil:
		return failed
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		return fmt.Errorf("read %s archive: %w", kind, err)
	}
	return nil
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
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return &archiveError{hdr.Name, "device or fifo entry"}
	}
	return &archiveError{hdr.Name, fmt.Sprintf("unsupported tar entry type %q", hdr.Typeflag)}
}

// unpackZip identifies the zip file at name and extracts it through x.
// Zip modes are ignored: files are made 0666 and directories 0777, less the
// umask, and the caller sets exec bits.
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
	// One window for the checks and the walk: archive/zip's reads are
	// small and mostly in order.
	ra := readerat.NewWindow(f, st.Size())
	if err := identify(ctx, io.NewSectionReader(ra, 0, st.Size()), registry.Zip); err != nil {
		return err
	}
	// The whole-archive checks come first, on archive/zip's reading of the
	// central directory, which the walk reads again the same way.
	zr, err := zip.NewReader(ra, st.Size())
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return fmt.Errorf("read zip archive: %w", err)
	}
	if len(zr.File) > x.limits.MaxEntries {
		return &archiveError{zr.File[x.limits.MaxEntries].Name, fmt.Sprintf("the archive has more than %d entries", x.limits.MaxEntries)}
	}
	if err := checkLocalHeaders(ra, st.Size(), zr.File); err != nil {
		return err
	}
	// archives walks the entries with its own zip reader (a fork of
	// archive/zip): each entry it hands over must be the checked one.
	next := 0
	err = walk(ctx, archives.Zip{}, io.NewSectionReader(ra, 0, st.Size()), "zip", func(f archives.FileInfo) error {
		if next >= len(zr.File) || f.NameInArchive != zr.File[next].Name {
			return fmt.Errorf("read zip archive: %w", errZipDirectory)
		}
		next++
		return zipEntry(x, f)
	})
	if err == nil && next != len(zr.File) {
		err = fmt.Errorf("read zip archive: %w", errZipDirectory)
	}
	return err
}

func zipEntry(x *extractor, f archives.FileInfo) error {
	name, mode := f.NameInArchive, f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return &archiveError{name, "symlink in a zip archive"}
	case mode.IsDir():
		return x.entry(name, entryDir, 0, "", nil)
	case mode.Type() != 0:
		return &archiveError{name, "device, fifo or socket entry"}
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("read archive entry %q: %w", name, err)
	}
	defer rc.Close()
	return x.entry(name, entryFile, 0o666, "", rc)
}

package install

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Zip record signatures and fixed lengths (APPNOTE.TXT 4.3).
const (
	sigLocal       = 0x04034b50
	sigCentral     = 0x02014b50
	sigEnd         = 0x06054b50
	sigEnd64       = 0x06064b50
	sigEnd64Loc    = 0x07064b50
	localLen       = 30
	centralLen     = 46
	endLen         = 22
	end64LocLen    = 20
	end64Len       = 56
	zip64ExtraID   = 0x0001
	maxCommentSpan = 1<<16 - 1 + endLen
)

var errZipDirectory = errors.New("malformed zip central directory")

// checkLocalHeaders refuses a zip whose local file headers disagree with its
// central directory. archive/zip names files by the central directory, while
// other tools walk the local headers: an archive that says one name in one
// place and another name in the other shows different files to each, so a
// check made by one tool proves nothing about what another unpacks. Each
// local header must carry the central directory's name and be the one the
// file's data follows.
func checkLocalHeaders(r io.ReaderAt, size int64, files []*zip.File) error {
	names, offsets, err := centralDirectory(r, size, len(files))
	if err != nil {
		return fmt.Errorf("read zip archive: %w", err)
	}
	var hdr [localLen]byte
	for i, zf := range files {
		if names[i] != zf.Name {
			return fmt.Errorf("read zip archive: %w", errZipDirectory)
		}
		off := offsets[i]
		if off < 0 || off > size-localLen {
			return &archiveError{zf.Name, "local header is outside the archive"}
		}
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			return fmt.Errorf("read zip archive: %w", err)
		}
		if binary.LittleEndian.Uint32(hdr[0:]) != sigLocal {
			return &archiveError{zf.Name, "no local header where the central directory points"}
		}
		nameLen := int64(binary.LittleEndian.Uint16(hdr[26:]))
		extraLen := int64(binary.LittleEndian.Uint16(hdr[28:]))
		local := make([]byte, nameLen)
		if _, err := r.ReadAt(local, off+localLen); err != nil {
			return fmt.Errorf("read zip archive: %w", err)
		}
		if string(local) != zf.Name {
			return &archiveError{zf.Name, fmt.Sprintf("local header names %q, central directory names %q", local, zf.Name)}
		}
		data, err := zf.DataOffset()
		if err != nil {
			return fmt.Errorf("read zip archive: %w", err)
		}
		if data != off+localLen+nameLen+extraLen {
			return &archiveError{zf.Name, "file data does not follow its local header"}
		}
	}
	return nil
}

// centralDirectory returns the names and local header offsets of the central
// directory's records, which must number want.
func centralDirectory(r io.ReaderAt, size int64, want int) (names []string, offsets []int64, err error) {
	tail := min(size, maxCommentSpan)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil {
		return nil, nil, err
	}
	at := -1
	for i := len(buf) - endLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigEnd &&
			i+endLen+int(binary.LittleEndian.Uint16(buf[i+20:])) <= len(buf) {
			at = i
			break
		}
	}
	if at < 0 {
		return nil, nil, errZipDirectory
	}
	end := buf[at:]
	endOff := size - tail + int64(at)
	count := uint64(binary.LittleEndian.Uint16(end[10:]))
	dirOff := uint64(binary.LittleEndian.Uint32(end[16:]))
	if count == 0xffff || dirOff == 0xffffffff || binary.LittleEndian.Uint32(end[12:]) == 0xffffffff {
		if count, dirOff, err = zip64End(r, endOff); err != nil {
			return nil, nil, err
		}
	}
	if count != uint64(want) || dirOff >= uint64(size) {
		return nil, nil, errZipDirectory
	}
	br := bufio.NewReader(io.NewSectionReader(r, int64(dirOff), size-int64(dirOff)))
	var fixed [centralLen]byte
	for range want {
		if _, err := io.ReadFull(br, fixed[:]); err != nil {
			return nil, nil, errZipDirectory
		}
		if binary.LittleEndian.Uint32(fixed[0:]) != sigCentral {
			return nil, nil, errZipDirectory
		}
		nameLen := int(binary.LittleEndian.Uint16(fixed[28:]))
		extraLen := int(binary.LittleEndian.Uint16(fixed[30:]))
		commentLen := int(binary.LittleEndian.Uint16(fixed[32:]))
		vari := make([]byte, nameLen+extraLen+commentLen)
		if _, err := io.ReadFull(br, vari); err != nil {
			return nil, nil, errZipDirectory
		}
		off := uint64(binary.LittleEndian.Uint32(fixed[42:]))
		if off == 0xffffffff {
			off, err = zip64Offset(fixed[:], vari[nameLen:nameLen+extraLen])
			if err != nil {
				return nil, nil, err
			}
		}
		if off > uint64(size) {
			return nil, nil, errZipDirectory
		}
		names = append(names, string(vari[:nameLen]))
		offsets = append(offsets, int64(off))
	}
	return names, offsets, nil
}

// zip64End reads the record count and directory offset from the zip64 end
// of central directory record that the locator before endOff points to.
func zip64End(r io.ReaderAt, endOff int64) (count, dirOff uint64, err error) {
	if endOff < end64LocLen {
		return 0, 0, errZipDirectory
	}
	var loc [end64LocLen]byte
	if _, err := r.ReadAt(loc[:], endOff-end64LocLen); err != nil {
		return 0, 0, errZipDirectory
	}
	if binary.LittleEndian.Uint32(loc[0:]) != sigEnd64Loc {
		return 0, 0, errZipDirectory
	}
	recOff := binary.LittleEndian.Uint64(loc[8:])
	if recOff > uint64(endOff) {
		return 0, 0, errZipDirectory
	}
	var rec [end64Len]byte
	if _, err := r.ReadAt(rec[:], int64(recOff)); err != nil {
		return 0, 0, errZipDirectory
	}
	if binary.LittleEndian.Uint32(rec[0:]) != sigEnd64 {
		return 0, 0, errZipDirectory
	}
	return binary.LittleEndian.Uint64(rec[32:]), binary.LittleEndian.Uint64(rec[48:]), nil
}

// zip64Offset finds the local header offset in a central record's zip64
// extra field, after the sizes that are present there.
func zip64Offset(fixed, extra []byte) (uint64, error) {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra[0:])
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+n > len(extra) {
			break
		}
		field := extra[4 : 4+n]
		extra = extra[4+n:]
		if id != zip64ExtraID {
			continue
		}
		skip := 0
		if binary.LittleEndian.Uint32(fixed[24:]) == 0xffffffff {
			skip += 8
		}
		if binary.LittleEndian.Uint32(fixed[20:]) == 0xffffffff {
			skip += 8
		}
		if skip+8 > len(field) {
			break
		}
		return binary.LittleEndian.Uint64(field[skip:]), nil
	}
	return 0, errZipDirectory
}

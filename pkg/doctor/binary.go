package doctor

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadBinary reads the executable at path and says which format and CPU
// types it holds: Mach-O (universal files included), ELF or PE. A file that
// is none of these (a shell script) returns a zero Binary and no error.
func ReadBinary(path string) (Binary, error) {
	f, err := os.Open(path)
	if err != nil {
		return Binary{}, err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Binary{}, nil
		}
		return Binary{}, err
	}
	be := binary.BigEndian.Uint32(magic[:])
	le := binary.LittleEndian.Uint32(magic[:])
	switch {
	case be == macho.MagicFat:
		ff, err := macho.NewFatFile(f)
		if err != nil {
			return Binary{}, fmt.Errorf("read %s: %w", path, err)
		}
		defer ff.Close()
		b := Binary{Format: "Mach-O"}
		for _, a := range ff.Arches {
			b.Arches = append(b.Arches, machoArch(a.Cpu))
		}
		return b, nil
	case le == macho.Magic64 || le == macho.Magic32 || be == macho.Magic64 || be == macho.Magic32:
		mf, err := macho.NewFile(f)
		if err != nil {
			return Binary{}, fmt.Errorf("read %s: %w", path, err)
		}
		defer mf.Close()
		return Binary{Format: "Mach-O", Arches: []string{machoArch(mf.Cpu)}}, nil
	case string(magic[:]) == elf.ELFMAG:
		ef, err := elf.NewFile(f)
		if err != nil {
			return Binary{}, fmt.Errorf("read %s: %w", path, err)
		}
		defer ef.Close()
		return Binary{Format: "ELF", Arches: []string{elfArch(ef)}}, nil
	case magic[0] == 'M' && magic[1] == 'Z':
		pf, err := pe.NewFile(f)
		if err != nil {
			return Binary{}, fmt.Errorf("read %s: %w", path, err)
		}
		defer pf.Close()
		return Binary{Format: "PE", Arches: []string{peArch(pf.Machine)}}, nil
	}
	return Binary{}, nil
}

func machoArch(c macho.Cpu) string {
	switch c {
	case macho.CpuAmd64:
		return "amd64"
	case macho.CpuArm64:
		return "arm64"
	case macho.Cpu386:
		return "386"
	case macho.CpuArm:
		return "arm"
	case macho.CpuPpc64:
		return "ppc64"
	case macho.CpuPpc:
		return "ppc"
	}
	return fmt.Sprintf("cpu %#x", uint32(c))
}

func elfArch(f *elf.File) string {
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_386:
		return "386"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_LOONGARCH:
		return "loong64"
	case elf.EM_PPC64:
		if f.ByteOrder == binary.LittleEndian {
			return "ppc64le"
		}
		return "ppc64"
	case elf.EM_MIPS:
		if f.Class == elf.ELFCLASS64 {
			if f.ByteOrder == binary.LittleEndian {
				return "mips64le"
			}
			return "mips64"
		}
		if f.ByteOrder == binary.LittleEndian {
			return "mipsle"
		}
		return "mips"
	}
	return f.Machine.String()
}

func peArch(m uint16) string {
	switch m {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "amd64"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "arm64"
	case pe.IMAGE_FILE_MACHINE_I386:
		return "386"
	case pe.IMAGE_FILE_MACHINE_ARMNT:
		return "arm"
	}
	return fmt.Sprintf("machine %#x", m)
}

// archName is the name people know an architecture by in messages.
func archName(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	}
	return goarch
}

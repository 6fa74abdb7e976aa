package registry

import (
	"errors"

	"golang.org/x/sys/unix"
)

// sysctlFlag reads a 0/1 sysctl; one that does not exist (an Intel Mac has
// no sysctl.proc_translated) means "no".
func sysctlFlag(name string) (bool, error) {
	v, err := unix.SysctlUint32(name)
	if errors.Is(err, unix.ENOENT) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return v == 1, nil
}

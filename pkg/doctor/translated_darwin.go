package doctor

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// pTranslated is P_TRANSLATED in <sys/proc.h>: the process runs under
// Rosetta 2.
const pTranslated = 0x20000

func shellTranslated() (bool, error) {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", os.Getppid())
	if err != nil {
		return false, fmt.Errorf("sysctl kern.proc.pid.%d: %w", os.Getppid(), err)
	}
	return kp.Proc.P_flag&pTranslated != 0, nil
}

//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd)

package doctor

// lockHeld answers "not held" where doctor cannot ask without waiting;
// RemoveStale still takes each version's lock before removing anything.
func lockHeld(string) (bool, error) { return false, nil }

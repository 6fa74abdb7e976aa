//go:build !darwin

package doctor

// shellTranslated answers "no": Rosetta 2 exists only on macOS.
func shellTranslated() (bool, error) { return false, nil }

//go:build !darwin

package registry

// sysctlFlag answers "no": only macOS has the Apple Silicon sysctls.
func sysctlFlag(string) (bool, error) { return false, nil }

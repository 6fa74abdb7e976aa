//go:build !linux && !darwin

package install

import "errors"

// exchange is not offered here: replace falls back to two renames.
func (osFS) exchange(a, b string) error { return errors.ErrUnsupported }

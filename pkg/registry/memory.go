package registry

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/gvx-dev/gvx/internal/atomicfile"
)

// FailureMemory is how long a source that failed to answer is tried only
// after the others: long enough that a user behind a firewall does not wait
// for it on every command, short enough that it is back soon after the
// network is.
const FailureMemory = 10 * time.Minute

// Failure is a source that failed to answer, as remembered in the cache.
type Failure struct {
	Source string    `json:"source"` // "dl"
	URL    string    `json:"url"`    // the listing that did not answer
	At     time.Time `json:"at"`
	Error  string    `json:"error"`
}

// failuresFile is where the cache keeps Failures.
func (c Cache) failuresFile() string { return filepath.Join(c.Dir, "failed-sources.json") }

// Failures returns the remembered failures younger than FailureMemory.
// A missing or damaged file remembers nothing.
func (c Cache) Failures() []Failure {
	if c.Dir == "" {
		return nil
	}
	data, err := os.ReadFile(c.failuresFile())
	if err != nil {
		return nil
	}
	var all []Failure
	if json.Unmarshal(data, &all) != nil {
		return nil
	}
	now := c.now()
	var recent []Failure
	for _, f := range all {
		if age := now.Sub(f.At); age >= 0 && age < FailureMemory {
			recent = append(recent, f)
		}
	}
	return recent
}

// failed returns the remembered failure of url, if recent.
func (c Cache) failed(url string) (Failure, bool) {
	for _, f := range c.Failures() {
		if f.URL == url {
			return f, true
		}
	}
	return Failure{}, false
}

// rememberFailure records that source failed at url with err (or, with a
// nil err, forgets url). It is best effort: the cache is only an
// optimisation, and a failure to write it changes nothing else.
func (c Cache) rememberFailure(source, url string, err error) {
	if c.Dir == "" {
		return
	}
	fs := slices.DeleteFunc(c.Failures(), func(f Failure) bool { return f.URL == url })
	if err != nil {
		fs = append(fs, Failure{Source: source, URL: url, At: c.now().UTC(), Error: err.Error()})
	}
	c.writeFailures(fs)
}

// ForgetFailures forgets every remembered failure (gvx --refresh).
func (c Cache) ForgetFailures() error {
	if c.Dir == "" {
		return nil
	}
	if err := os.Remove(c.failuresFile()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (c Cache) writeFailures(fs []Failure) {
	if len(fs) == 0 {
		c.ForgetFailures()
		return
	}
	data, err := json.MarshalIndent(fs, "", "  ")
	if err != nil || os.MkdirAll(c.Dir, 0o755) != nil {
		return
	}
	// Best effort: a lost record only means a failure is not remembered.
	_ = atomicfile.Write(c.failuresFile(), append(data, '\n'), 0o600)
}

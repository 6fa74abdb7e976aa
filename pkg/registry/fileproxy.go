package registry

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// isFileURL reports whether rawURL is a file:// URL: a GOPROXY entry that is
// a directory in the module proxy layout.
func isFileURL(rawURL string) bool {
	return len(rawURL) >= 5 && strings.EqualFold(rawURL[:5], "file:")
}

// checkFileProxy checks a file:// GOPROXY entry as the go command's
// newProxyRepo does: nothing but a path (no host, user, query or
// fragment), and the path must be absolute.
func checkFileProxy(u *url.URL) error {
	if *u != (url.URL{Scheme: u.Scheme, Path: u.Path, RawPath: u.RawPath}) {
		return errors.New("a file:// proxy URL may hold nothing but an absolute path (file:///srv/goproxy)")
	}
	if _, err := fileURLPath(u); err != nil {
		return err
	}
	return nil
}

// fileURLPath is the local path a file:// URL names, as the go command's
// web.urlToFilePath reads it: an absolute path, on this machine.
func fileURLPath(u *url.URL) (string, error) {
	if u.Path == "" {
		return "", fmt.Errorf("%s: a file URL needs an absolute path", u.Redacted())
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("%s: a file URL cannot name another host", u.Redacted())
	}
	p := filepath.FromSlash(u.Path)
	if len(p) > 1 && filepath.VolumeName(p[1:]) != "" {
		p = p[1:] // file:///C:/proxy is C:\proxy
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("%s: the path of a file URL must be absolute", u.Redacted())
	}
	return p, nil
}

// fileRoundTrip answers a request for a file:// URL from the local disk, as
// the go command's web.Get does for file:// GOPROXY entries
// (cmd/go/internal/web/http.go, getFile): a file that does not exist is a
// 404 Not Found (so a ',' GOPROXY list falls through to the next entry), one
// that may not be read a 403 Forbidden, and any other file its bytes.
func fileRoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return nil, fmt.Errorf("%s %s: file URLs can only be read", req.Method, req.URL.Redacted())
	}
	p, err := fileURLPath(req.URL)
	if err != nil {
		return nil, err
	}
	resp := &http.Response{
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{},
		Request: req,
		Body:    http.NoBody,
	}
	f, err := os.Open(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		resp.StatusCode, resp.Status = http.StatusNotFound, "404 Not Found"
		return resp, nil
	case errors.Is(err, fs.ErrPermission):
		resp.StatusCode, resp.Status = http.StatusForbidden, "403 Forbidden"
		return resp, nil
	case err != nil:
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", p)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
	resp.ContentLength = fi.Size()
	if req.Method == http.MethodHead {
		f.Close()
		return resp, nil
	}
	resp.Body = f
	return resp, nil
}

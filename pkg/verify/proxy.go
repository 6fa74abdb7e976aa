package verify

// Proxy is one entry of a GOPROXY list: a proxy base URL, or the keywords
// "direct" or "off". FallBackOnError reports whether the entry was followed
// by '|' (try the next entry after any error) rather than ',' (only after
// 404 or 410), as the go command reads GOPROXY.
type Proxy struct {
	URL             string
	FallBackOnError bool
}

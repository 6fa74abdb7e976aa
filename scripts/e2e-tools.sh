#!/usr/bin/env bash
# e2e-tools.sh: gvx tools with real toolchains. Two Go versions are installed
# through the module proxy source (checked against the checksum database);
# a tiny tool module, served from a file:// module proxy made here, is built
# into a temp GOBIN with the older Go. gvx tools list must flag it as
# outgrown, and gvx tools upgrade must rebuild it with the newer Go (checked
# with 'go version -m'). A second tool whose module can no longer be fetched
# must fail with a clear error and stay byte-identical. Needs the network
# path to the user's GOPROXY (read from 'go env'); hosts are never named.
set -euo pipefail
cd "$(dirname "$0")/.."

new=${GVX_E2E_VERSION:-1.22.6}
old=${GVX_E2E_OTHER:-1.21.13}
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-e2e-tools.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

export GOPROXY=${GOPROXY:-$(go env GOPROXY)}
export GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}
# Go's env file on this machine must not leak in (it may set GOTOOLCHAIN).
export XDG_CONFIG_HOME=$work/config GOENV=off
export GVX_HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state
export GVX_SOURCE=proxy
echo "GOPROXY=$GOPROXY GOSUMDB=$GOSUMDB"
# gvx is built with the machine's caches, before they are replaced below.
go build -o "$work/bin/gvx" ./cmd/gvx
go build -o "$work/bin/gvx-shim" ./cmd/gvx-shim
export GOMODCACHE=$work/modcache GOCACHE=$work/gocache GOPATH=$work/gopath
export GOBIN=$work/gobin
unset GOFLAGS
gvx=$work/bin/gvx
"$gvx" install "$old" "$new"

# A file:// module proxy serving example.com/tinytool and example.com/gonetool
# v1.0.0. The checksum database does not know them: GONOSUMDB skips it for them.
mkzip() { # module dir
	local mod=$1 dir=$work/src/$1
	mkdir -p "$dir" "$work/modproxy/example.com/$mod/@v"
	printf 'module example.com/%s\n\ngo 1.21\n' "$mod" >"$dir/go.mod"
	printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("%s") }\n' "$mod" >"$dir/main.go"
	local v=$work/modproxy/example.com/$mod/@v
	echo v1.0.0 >"$v/list"
	echo '{"Version":"v1.0.0","Time":"2026-01-01T00:00:00Z"}' >"$v/v1.0.0.info"
	cp "$dir/go.mod" "$v/v1.0.0.mod"
	(cd "$work/zipper" && go run . "example.com/$mod@v1.0.0" "$dir" "$v/v1.0.0.zip")
}
mkdir -p "$work/zipper"
cat >"$work/zipper/go.mod" <<'MOD'
module zipper

go 1.21
MOD
cat >"$work/zipper/main.go" <<'SRC'
// zipper writes a module zip: every file of a directory under "path@version/".
package main

import (
	"archive/zip"
	"os"
	"path/filepath"
)

func main() {
	prefix, dir, out := os.Args[1], os.Args[2], os.Args[3]
	f, err := os.Create(out)
	if err != nil {
		panic(err)
	}
	zw := zip.NewWriter(f)
	entries, err := os.ReadDir(dir)
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			panic(err)
		}
		w, err := zw.Create(prefix + "/" + e.Name())
		if err != nil {
			panic(err)
		}
		if _, err := w.Write(data); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
SRC
GOTOOLCHAIN=local GOPROXY=off mkzip tinytool
GOTOOLCHAIN=local GOPROXY=off mkzip gonetool

export GOPROXY=file://$work/modproxy GONOSUMDB=example.com GOTOOLCHAIN=local
oldgo=$GVX_HOME/versions/$old/bin/go
"$oldgo" install example.com/tinytool@v1.0.0
"$oldgo" install example.com/gonetool@v1.0.0
"$oldgo" version "$GOBIN/tinytool"

echo "--- gvx tools list"
"$gvx" tools list | tee "$work/list.txt"
grep -q "^tinytool example.com/tinytool@v1.0.0 go$old (outgrown: older than go$new, the newest installed)$" "$work/list.txt" ||
	{ echo "e2e: tinytool is not listed as outgrown" >&2; exit 1; }

echo "--- gvx tools upgrade tinytool"
"$gvx" tools upgrade tinytool 2>&1 | tee "$work/upgrade.txt"
got=$("$oldgo" version "$GOBIN/tinytool")
echo "$got"
case "$got" in
*": go$new") ;;
*) echo "e2e: tinytool was not rebuilt with go$new: $got" >&2; exit 1 ;;
esac
"$GOBIN/tinytool" | grep -q '^tinytool$'
"$oldgo" version -m "$GOBIN/tinytool" >"$work/m.txt"
grep -q 'mod[[:space:]]*example.com/tinytool[[:space:]]*v1.0.0' "$work/m.txt"

echo "--- gvx tools upgrade gonetool (its module is gone)"
rm -rf "$work/modproxy/example.com/gonetool" "$GOMODCACHE/cache/download/example.com/gonetool"
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE/example.com/gonetool@v1.0.0"
before=$(sha256sum "$GOBIN/gonetool")
if "$gvx" tools upgrade gonetool 2>"$work/fail.txt"; then
	echo "e2e: upgrading gonetool succeeded without its module" >&2; exit 1
fi
cat "$work/fail.txt"
grep -q 'gvx: rebuild gonetool: go install example.com/gonetool@v1.0.0: exit status 1; .*gonetool is left as it was' "$work/fail.txt"
grep -q '^gvx: could not rebuild gonetool$' "$work/fail.txt"
[ "$(sha256sum "$GOBIN/gonetool")" = "$before" ] || { echo "e2e: gonetool changed" >&2; exit 1; }

echo "--- gvx tools list after"
"$gvx" tools list
echo "e2e-tools: ok"

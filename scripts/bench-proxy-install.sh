#!/usr/bin/env bash
# bench-proxy-install.sh: time a real install of one Go version through the
# module proxy source (download, checksum database check, unzip, exec bits)
# beside the go command fetching the same module into an empty module cache
# (download and checksum check only, no unpacked GOROOT), in one hyperfine run.
# GOPROXY and GOSUMDB come from `go env`, as gvx reads them.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-1.22.6}
runs=${RUNS:-5}
plat=$(go env GOOS)-$(go env GOARCH)
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-bench.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

if ! command -v hyperfine >/dev/null; then
	echo "installing hyperfine from Debian's packages" >&2
	apt-get update -qq >/dev/null && apt-get install -y -qq hyperfine >/dev/null
fi

export GOPROXY=${GOPROXY:-$(go env GOPROXY)} GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}
go build -o "$work/gvx" ./cmd/gvx
go build -o "$work/gvx-shim" ./cmd/gvx-shim
mkdir -p "$work/mod"
echo "module bench" >"$work/mod/go.mod"

hyperfine --runs "$runs" --export-markdown "$work/result.md" \
	--prepare "rm -rf $work/home $work/cache $work/state" \
	-n "gvx install $version (proxy)" \
	"GVX_SOURCE=proxy GVX_HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state $work/gvx install $version" \
	--prepare "chmod -R u+w $work/gomodcache 2>/dev/null || true; rm -rf $work/gomodcache" \
	-n "go mod download toolchain@v0.0.1-go$version.$plat" \
	"cd $work/mod && GOMODCACHE=$work/gomodcache GOFLAGS=-mod=mod go mod download golang.org/toolchain@v0.0.1-go$version.$plat"
cat "$work/result.md"

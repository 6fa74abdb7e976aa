#!/usr/bin/env bash
# e2e-real.sh: install a real Go toolchain through the module proxy source,
# checked against the checksum database, into a fresh GVX_HOME; then run it
# and build a program with it. Needs the network path to the user's GOPROXY
# (read from `go env`, as gvx itself does); hosts are never named here.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${GVX_E2E_VERSION:-1.22.6}
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-e2e.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

export GOPROXY=${GOPROXY:-$(go env GOPROXY)}
export GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}
export GVX_HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state
export GVX_SOURCE=proxy
echo "GOPROXY=$GOPROXY GOSUMDB=$GOSUMDB"

go build -o "$work/bin/gvx" ./cmd/gvx
go build -o "$work/bin/gvx-shim" ./cmd/gvx-shim

start=$(date +%s%N)
"$work/bin/gvx" install "$version"
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
printf 'installed go%s through the proxy source in %d.%03ds\n' "$version" $((ms / 1000)) $((ms % 1000))

"$work/bin/gvx" list
root=$GVX_HOME/versions/$version
got=$("$root/bin/go" version)
echo "$got"
case "$got" in
"go version go$version "*) ;;
*) echo "e2e: $root/bin/go version printed '$got', want go$version" >&2; exit 1 ;;
esac

# The receipt records where it came from and how it was checked.
grep -q '"source": *"proxy"' "$root/.gvx-receipt.json"

# Build and run a program with the installed toolchain (and only with it).
mkdir -p "$work/hello"
cat >"$work/hello/go.mod" <<MOD
module example.com/hello

go $version
MOD
cat >"$work/hello/main.go" <<'SRC'
package main

import (
	"fmt"
	"runtime"
)

func main() { fmt.Println("hello from", runtime.Version()) }
SRC
out=$(cd "$work/hello" && GOTOOLCHAIN=local GOFLAGS=-mod=mod GOCACHE=$work/gocache "$root/bin/go" run .)
echo "$out"
[ "$out" = "hello from go$version" ] || { echo "e2e: want 'hello from go$version'" >&2; exit 1; }

# A second install of the same version is a no-op that needs no download.
"$work/bin/gvx" install "$version" 2>&1 | tee "$work/again.txt"
grep -q "already installed" "$work/again.txt"
echo "e2e-real: ok"

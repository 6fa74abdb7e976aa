#!/usr/bin/env bash
# e2e-real.sh: install two real Go toolchains through the module proxy
# source, checked against the checksum database, into a fresh GVX_HOME; run
# them and build a program with each; then let the real shims pick them: a
# .go-version in a nested project selects one, GVX_GO_VERSION the other, and
# `go env GOROOT` agrees. Needs the network path to the user's GOPROXY (read
# from `go env`, as gvx itself does); hosts are never named here.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${GVX_E2E_VERSION:-1.22.6}
other=${GVX_E2E_OTHER:-1.21.13}
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

# A second version, then the real shims choose between them.
"$work/bin/gvx" install "$other"
export PATH="$GVX_HOME/shims:$PATH"
[ "$(command -v go)" = "$GVX_HOME/shims/go" ] || { echo "e2e: the shims are not first on PATH" >&2; exit 1; }
mkdir -p "$work/proj/nested/deeper"
cp "$work/hello/main.go" "$work/proj/nested/deeper/"
printf 'module example.com/proj\n\ngo 1.21\n' >"$work/proj/nested/deeper/go.mod"
(cd "$work/proj" && "$work/bin/gvx" use --no-install "$other")
check() { # check WANT DIR [ENV...]: the shim in DIR runs goWANT, with its GOROOT
	local want=$1 dir=$2; shift 2
	local v goroot out
	v=$(cd "$dir" && env "$@" go version)
	goroot=$(cd "$dir" && env "$@" go env GOROOT)
	out=$(cd "$dir" && env "$@" GOTOOLCHAIN=local GOCACHE=$work/gocache go run .)
	echo "$dir ${*:-}: $v; GOROOT=$goroot; $out"
	case "$v" in "go version go$want "*) ;; *) echo "e2e: want go$want" >&2; exit 1 ;; esac
	[ "$goroot" = "$GVX_HOME/versions/$want" ] || { echo "e2e: GOROOT $goroot, want $GVX_HOME/versions/$want" >&2; exit 1; }
	[ "$out" = "hello from go$want" ] || { echo "e2e: go run printed '$out'" >&2; exit 1; }
}
check "$other" "$work/proj/nested/deeper"
check "$version" "$work/proj/nested/deeper" GVX_GO_VERSION="$version"
(cd "$work/proj/nested/deeper" && "$work/bin/gvx" current)
echo "e2e-real: ok"

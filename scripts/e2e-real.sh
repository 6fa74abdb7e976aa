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
# An empty module cache from here on: gvx would take a toolchain already
# there from it (scripts/e2e-modcache.sh checks that); this script checks
# the proxy, and that Go downloads nothing gvx has.
export GOMODCACHE=$work/modcache GOFLAGS=-modcacherw

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

# Go's own toolchain switching, with the real toolchains: go.mod is a floor,
# Go's switch through the shims lands, and Go downloads nothing gvx has.
# Go's env file is the script's own (the machine's may say
# GOTOOLCHAIN=local); the real roots' go.env say GOTOOLCHAIN=auto.
echo "== toolchain switching"
export XDG_CONFIG_HOME=$work/config GOCACHE=$work/gocache
unset GOTOOLCHAIN GVX_GO_VERSION
mkdir -p "$work/needs" "$work/nomod" "$work/needs-line"
printf 'module example.com/needs\n\ngo %s\n' "$version" >"$work/needs/go.mod"
printf 'module example.com/needsline\n\ngo %s.0\n' "${version%.*}" >"$work/needs-line/go.mod"
cat >"$work/needs/main.go" <<'SRC'
package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	fmt.Print("hello from ", runtime.Version())
	// Go's switch variables must not leak into programs (gotoolchain_loop.txt).
	for _, k := range []string{"GOTOOLCHAIN_INTERNAL_SWITCH_VERSION", "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT"} {
		if v := os.Getenv(k); v != "" {
			fmt.Print(" leaked ", k, "=", v)
		}
	}
	fmt.Println()
}
SRC
cp "$work/needs/main.go" "$work/needs-line/"
runs() { # runs WANT DIR CMD...: CMD in DIR prints "hello from goWANT"
	local want=$1 dir=$2; shift 2
	local out
	out=$(cd "$dir" && "$@" 2>&1) || { echo "e2e: $* in $dir failed: $out" >&2; exit 1; }
	echo "$dir: $*: $out"
	[ "$out" = "hello from go$want" ] || { echo "e2e: want 'hello from go$want'" >&2; exit 1; }
}
# An older pin in a "go $version" module runs go$version, for each source.
runs "$version" "$work/needs" env GVX_GO_VERSION="$other" go run .
(cd "$work/needs" && "$work/bin/gvx" use --no-install "$other" >/dev/null 2>&1)
runs "$version" "$work/needs" go run .
(cd "$work/needs" && "$work/bin/gvx" current) | tee "$work/current.txt"
grep -q "^$version (.*go.mod:3 requires go$version; raised from $other set by .*\.go-version:1; GOTOOLCHAIN=auto)$" "$work/current.txt"
rm "$work/needs/.go-version"
"$work/bin/gvx" use --global "$other" >/dev/null 2>&1
runs "$version" "$work/needs" go run .
# Go's own switch through the shims: the real go$other, started directly,
# switches for the module, finds gvx's go$version shim on PATH and execs it
# as "go" with GOTOOLCHAIN_INTERNAL_SWITCH_VERSION set; it must land.
v=$(cd "$work/needs" && "$GVX_HOME/versions/$other/bin/go" version)
echo "go$other/bin/go version in the module: $v"
case "$v" in "go version go$version "*) ;; *) echo "e2e: Go's switch did not land on go$version" >&2; exit 1 ;; esac
runs "$version" "$work/needs" "$GVX_HOME/versions/$other/bin/go" run .
# GOTOOLCHAIN names the toolchain: through the shims, and through Go's switch.
v=$(cd "$work/nomod" && GOTOOLCHAIN=go$version go version)
echo "GOTOOLCHAIN=go$version go version: $v"
case "$v" in "go version go$version "*) ;; *) echo "e2e: want go$version" >&2; exit 1 ;; esac
v=$(cd "$work/nomod" && GOTOOLCHAIN=go$version "$GVX_HOME/versions/$other/bin/go" version)
case "$v" in "go version go$version "*) ;; *) echo "e2e: Go's switch to GOTOOLCHAIN=go$version did not land: $v" >&2; exit 1 ;; esac
# go install pkg@version of a module that needs a newer Go (the gopls case):
# go$other reads its go.mod, switches through the go$version shim, builds.
fp=$work/fileproxy/example.com/tool/@v
mkdir -p "$fp" "$work/tool-src/example.com/tool@v1.0.0" "$work/gobin"
printf 'module example.com/tool\n\ngo %s\n' "$version" >"$fp/v1.0.0.mod"
cp "$fp/v1.0.0.mod" "$work/tool-src/example.com/tool@v1.0.0/go.mod"
cp "$work/needs/main.go" "$work/tool-src/example.com/tool@v1.0.0/main.go"
(cd "$work/tool-src" && python3 -c 'import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1], "w")
for d, _, fs in os.walk("example.com"):
    for f in fs: z.write(os.path.join(d, f))' "$fp/v1.0.0.zip")
echo v1.0.0 >"$fp/list"
# For go install's switch Go lists golang.org/toolchain on GOPROXY and picks
# the newest release of the line; this proxy offers what gvx has.
mkdir -p "$work/fileproxy/golang.org/toolchain/@v"
plat=$(cd "$work/nomod" && go env GOHOSTOS)-$(cd "$work/nomod" && go env GOHOSTARCH)
echo "v0.0.1-go$version.$plat" >"$work/fileproxy/golang.org/toolchain/@v/list"
echo '{"Version":"v1.0.0","Time":"2026-01-01T00:00:00Z"}' >"$fp/v1.0.0.info"
(cd "$work/nomod" && GOPROXY=file://$work/fileproxy GONOSUMDB=example.com GOBIN=$work/gobin go install example.com/tool@v1.0.0)
runs "$version" "$work/nomod" "$work/gobin/tool"
# A "go $version.0"-style module with a newer patch installed: that patch
# runs, nothing is downloaded.
runs "$version" "$work/needs-line" go run .
if [ -e "$GOMODCACHE/cache/download/golang.org/toolchain" ]; then
	echo "e2e: the go command downloaded a toolchain gvx has:" >&2
	ls "$GOMODCACHE/cache/download/golang.org/toolchain/@v" >&2
	exit 1
fi
echo "GOMODCACHE has no golang.org/toolchain: nothing was downloaded"
# GOTOOLCHAIN=local forbids switching: the pin runs and Go refuses.
if out=$(cd "$work/needs" && GOTOOLCHAIN=local go list 2>&1); then
	echo "e2e: go list with GOTOOLCHAIN=local and an older pin succeeded: $out" >&2
	exit 1
fi
echo "GOTOOLCHAIN=local go list: $out"
case "$out" in *"requires go >= $version"*"running go $other"*) ;; *) echo "e2e: want Go's refusal" >&2; exit 1 ;; esac
"$work/bin/gvx" use --global "$version" >/dev/null 2>&1

echo "e2e-real: ok"

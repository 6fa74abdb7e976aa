#!/usr/bin/env bash
# e2e-modcache.sh: a toolchain the go command downloaded is reused. With a
# fresh GOMODCACHE, `go mod download` fetches the real golang.org/toolchain
# module of Go 1.22.6 through the user's GOPROXY (read from `go env`, as gvx
# itself does; hosts are never named here). Then, with GOPROXY and the
# release listing pointed at a loopback port nobody listens on (the network
# is off), `gvx install 1.22.6` must install it from the module cache,
# checked offline against the .ziphash and the go command's signed lookup
# record, and leave the module cache exactly as it was. A second install into
# another GVX_HOME with the network on checks it against the checksum
# database instead; `gvx doctor` lists it before and not after.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${GVX_E2E_VERSION:-1.22.6}
platform=$(go env GOHOSTOS)-$(go env GOHOSTARCH)
modver=v0.0.1-go$version.$platform
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-e2e-modcache.XXXXXX")
# The go command makes its module cache read-only.
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

fail() {
	echo "e2e-modcache: $*" >&2
	exit 1
}

goproxy=${GOPROXY:-$(go env GOPROXY)}
gosumdb=${GOSUMDB:-$(go env GOSUMDB)}
echo "GOPROXY=$goproxy GOSUMDB=$gosumdb"

go build -o "$work/bin/gvx" ./cmd/gvx
go build -o "$work/bin/gvx-shim" ./cmd/gvx-shim
gvx=$work/bin/gvx

# A fresh module cache and GOPATH (the go command keeps its checksum
# database tree head there), filled by the go command itself.
export GOPATH=$work/gopath GOMODCACHE=$work/gomodcache GOTOOLCHAIN=local GOFLAGS=
mkdir -p "$work/empty"
(cd "$work/empty" && GOPROXY=$goproxy GOSUMDB=$gosumdb go mod download -json "golang.org/toolchain@$modver") >"$work/download.json"
zip=$GOMODCACHE/cache/download/golang.org/toolchain/@v/$modver.zip
[ -f "$zip" ] || fail "go mod download left no $zip"
echo "go mod download: $(grep '"Sum"' "$work/download.json" | tr -d ' \t,')"

snapshot() {
	(cd "$GOMODCACHE" && find . -printf '%p %y %m %s %T@\n' | sort && sha256sum "$zip")
}
snapshot >"$work/before.txt"

export XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config

# Doctor sees a toolchain to adopt (it fails other checks here: no shims on PATH).
GVX_HOME=$work/home "$gvx" doctor --offline >"$work/doctor-before.txt" || true
grep "module cache" -A2 "$work/doctor-before.txt"
grep -q "gvx can adopt 1 toolchain with no download: go$version" "$work/doctor-before.txt" || fail "doctor lists nothing to adopt"

# The network off: a loopback port that refuses connections.
dead=
for port in $(seq 47000 47200); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		dead=$port
		break
	fi
done
[ -n "$dead" ] || fail "found no closed loopback port"
start=$(date +%s%N)
GVX_HOME=$work/home GOPROXY=http://127.0.0.1:$dead GOSUMDB=$gosumdb GVX_DL_BASE=http://127.0.0.1:$dead/dl/ \
	"$gvx" install "$version" 2>&1 | tee "$work/offline.txt"
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
printf 'installed go%s from the module cache with the network off in %d.%03ds\n' "$version" $((ms / 1000)) $((ms % 1000))
grep -q "^found go$version for .* in Go's module cache" "$work/offline.txt" || fail "the install did not use the module cache"
grep -q "^checked offline: " "$work/offline.txt" || fail "the install did not say it checked offline"
if grep -q "^downloading" "$work/offline.txt"; then fail "the install downloaded"; fi
echo "check used: $(grep '^checked' "$work/offline.txt")"

root=$work/home/versions/$version
got=$("$root/bin/go" version)
echo "$got"
case "$got" in
"go version go$version "*) ;;
*) fail "$root/bin/go version printed '$got', want go$version" ;;
esac
grep -q '"source": *"modcache"' "$root/.gvx-receipt.json" || fail "the receipt does not name the module cache"
grep -q "\"h1\": *\"$(sed -n 's/.*"Sum": "\(h1:[^"]*\)".*/\1/p' "$work/download.json")\"" "$root/.gvx-receipt.json" ||
	fail "the receipt's h1 is not the one the go command checked"

# Network on: the same zip checked against the checksum database itself.
GVX_HOME=$work/home2 GOPROXY=$goproxy GOSUMDB=$gosumdb "$gvx" install "$version" 2>&1 | tee "$work/online.txt"
grep -q "^checked against the checksum database " "$work/online.txt" || fail "the online install did not check against the database"
if grep -q "^downloading" "$work/online.txt"; then fail "the online install downloaded"; fi
echo "check used: $(grep '^checked' "$work/online.txt")"

GVX_HOME=$work/home "$gvx" doctor --offline >"$work/doctor-after.txt" || true
grep -q "installed in gvx already: go$version" "$work/doctor-after.txt" || fail "doctor does not see go$version as adopted"

snapshot >"$work/after.txt"
cmp -s "$work/before.txt" "$work/after.txt" || {
	diff "$work/before.txt" "$work/after.txt" >&2
	fail "the module cache changed"
}
echo "the module cache is unchanged ($(wc -l <"$work/before.txt") entries)"
echo "e2e-modcache: ok"

#!/usr/bin/env bash
# load-install.sh: 16 concurrent `gvx install` processes of one real Go
# version, against scripts/toolchain-server on loopback (the real toolchain,
# repacked in the go.dev/dl layout): one download, 16 successes, one
# installed root, nothing left in staging.
#
# Each install runs with --refresh, so every one of them fetches the listing
# and then competes for the version's lock while the one download is under
# way (the server sends the archive at RATE, default 50MB per second, so the
# download lasts long enough for all 16 to start).
#
# Usage: scripts/load-install.sh [version]   (default 1.22.6)
# Env:   N (default 16), RATE (default 50MB; "" for full speed)
# The first run fetches the toolchain once through GOPROXY (from `go env`)
# into ${TMPDIR:-/tmp}/gvx-toolchain-cache; later runs reuse it.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-1.22.6}
n=${N:-16}
rate=${RATE-50MB}
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-load-install.XXXXXX")
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

export GOPROXY=${GOPROXY:-$(go env GOPROXY)}
export GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}

echo "load-install: building gvx, gvx-shim and toolchain-server" >&2
go build -o "$work/bin/gvx" ./cmd/gvx
go build -o "$work/bin/gvx-shim" ./cmd/gvx-shim
go build -o "$work/bin/toolchain-server" ./scripts/toolchain-server

# The server lives at most 20 minutes, whatever happens to this script.
timeout 1200 "$work/bin/toolchain-server" -version "$version" -cache "${TMPDIR:-/tmp}/gvx-toolchain-cache" \
	-ready "$work/ready" -log "$work/requests.log" ${rate:+-rate "$rate"} >/dev/null &
server_pid=$!
for _ in $(seq 1 6000); do # up to 10 minutes: the first run downloads the toolchain
	[ -s "$work/ready" ] && break
	kill -0 "$server_pid" 2>/dev/null || { echo "load-install: FAIL: toolchain-server exited" >&2; exit 1; }
	sleep 0.1
done
[ -s "$work/ready" ] || { echo "load-install: FAIL: toolchain-server never became ready" >&2; exit 1; }
# shellcheck disable=SC2046
export $(cat "$work/ready") # GVX_DL_BASE=http://127.0.0.1:PORT/dl/
export GVX_SOURCE=dl GVX_HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state
export GVX_HTTP_TIMEOUT=120s
unset GVX_KEEP_DOWNLOADS GVX_GO_VERSION || true
: >"$work/requests.log"

echo "load-install: $n concurrent 'gvx install --refresh $version' from $GVX_DL_BASE (rate ${rate:-unlimited})" >&2
start=$(date +%s%N)
pids=()
for i in $(seq 1 "$n"); do
	"$work/bin/gvx" install --refresh "$version" >"$work/out.$i" 2>"$work/err.$i" &
	pids+=($!)
done
codes=()
for pid in "${pids[@]}"; do
	code=0
	wait "$pid" || code=$?
	codes+=("$code")
done
end=$(date +%s%N)
ms=$(((end - start) / 1000000))

failures=()
fail() { failures+=("$*"); }

ok=0 installed=0 already=0
for i in $(seq 1 "$n"); do
	code=${codes[$((i - 1))]}
	if [ "$code" = 0 ]; then ok=$((ok + 1)); else fail "install #$i exited $code: $(tr '\n' ' ' <"$work/err.$i")"; fi
	[ -s "$work/out.$i" ] && fail "install #$i wrote to stdout: $(cat "$work/out.$i")"
	if grep -q "^installed go$version in " "$work/err.$i"; then installed=$((installed + 1)); fi
	if grep -q "^go$version is already installed in " "$work/err.$i"; then already=$((already + 1)); fi
done
downloads=$(grep -c '^archive GET ' "$work/requests.log" || true)

[ "$ok" = "$n" ] || fail "$ok of $n installs succeeded, want $n"
[ "$downloads" = 1 ] || fail "the archive was downloaded $downloads times, want 1"
[ "$installed" = 1 ] || fail "$installed installs said they installed go$version, want 1"
[ "$already" = $((n - 1)) ] || fail "$already installs found go$version installed, want $((n - 1))"
roots=$(ls -A "$GVX_HOME/versions")
[ "$roots" = "$version" ] || fail "versions/ holds '$(echo $roots)', want only $version"
listed=$("$work/bin/gvx" list)
[ "$listed" = "$version" ] || fail "gvx list printed '$(echo $listed)', want $version"
staging=$(ls -A "$GVX_HOME/staging" 2>/dev/null || true)
[ -z "$staging" ] || fail "staging holds '$(echo $staging)', want nothing"
[ -f "$GVX_HOME/versions/$version/.gvx-receipt.json" ] || fail "the root has no receipt"
got=$("$GVX_HOME/versions/$version/bin/go" version 2>&1 || true)
case $got in
"go version go$version "*) ;;
*) fail "bin/go version printed '$got', want go version go$version" ;;
esac
got=$("$GVX_HOME/shims/go$version" version 2>&1 || true)
case $got in
"go version go$version "*) ;;
*) fail "shims/go$version version printed '$got', want go version go$version" ;;
esac

printf 'load-install: %d installs in %d.%03d s: %d succeeded, %d downloaded and installed, %d found it installed; archive requests: %d\n' \
	"$n" $((ms / 1000)) $((ms % 1000)) "$ok" "$installed" "$already" "$downloads"
if [ ${#failures[@]} -gt 0 ]; then
	for f in "${failures[@]}"; do echo "load-install: FAIL: $f" >&2; done
	echo "load-install: FAIL" >&2
	exit 1
fi
echo "load-install: PASS"

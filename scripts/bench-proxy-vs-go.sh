#!/usr/bin/env bash
# bench-proxy-vs-go.sh: `gvx install VERSION` through the module proxy
# (download, checksum database, unzip, exec bits, receipt) against the go
# command fetching the same module into an empty module cache (`go mod
# download golang.org/toolchain@v0.0.1-goVERSION.GOOS-GOARCH`: download,
# checksum database and unzip into the module cache, no exec bits or
# receipt), interleaved round by round with
# fresh state each time, so that both see the same network. GOPROXY and
# GOSUMDB come from `go env`, as gvx reads them. Prints each run, then the
# median wall and CPU (user+sys) times and the ratio gvx/go.
#
#	scripts/bench-proxy-vs-go.sh [version]     ROUNDS (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-1.22.6}
rounds=${ROUNDS:-5}
plat=$(go env GOOS)-$(go env GOARCH)
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-bench-proxy-vs-go.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

export XDG_CONFIG_HOME=$work/config GOTOOLCHAIN=local GOFLAGS=-mod=mod
export GOPROXY=${GOPROXY:-$(go env GOPROXY)} GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}
go build -o "$work/gvx" ./cmd/gvx
go build -o "$work/gvx-shim" ./cmd/gvx-shim
mkdir -p "$work/mod" "$work/aside"
echo "module bench" >"$work/mod/go.mod"

# timed NAME CMD...: run CMD, appending "NAME wall user sys" to results.
timed() {
	local name=$1
	shift
	/usr/bin/time -f "$name %e %U %S" -a -o "$work/results" "$@" >/dev/null 2>"$work/last.err" || {
		cat "$work/last.err" >&2
		echo "FAIL: $name" >&2
		exit 1
	}
}

# Earlier runs' trees are moved aside, not deleted, before each run (see
# bench-install.sh), and removed at the end.
fresh() {
	if [ -e "$work/run" ]; then
		chmod -R u+w "$work/run"
		mv "$work/run" "$(mktemp -d "$work/aside/XXXXXX")/"
	fi
	mkdir -p "$work/run"
}

for round in $(seq "$rounds"); do
	fresh
	timed gvx env GVX_SOURCE=proxy GOMODCACHE="$work/run/gomodcache" GVX_HOME="$work/run/home" \
		XDG_CACHE_HOME="$work/run/cache" XDG_STATE_HOME="$work/run/state" "$work/gvx" install "$version"
	"$work/run/home/versions/$version/bin/go" version | grep -q "go$version" || { echo "FAIL: installed go does not run" >&2; exit 1; }
	fresh
	(cd "$work/mod" && timed go env GOMODCACHE="$work/run/gomodcache" GOPATH="$work/run/gopath" \
		go mod download "golang.org/toolchain@v0.0.1-go$version.$plat")
	echo "round $round: $(tail -2 "$work/results" | tr '\n' ' ')"
done

python3 - "$work/results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_ = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_)))
med = {n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for n, r in runs.items()}
print("| | median wall | median CPU (user+sys) | runs |")
print("|---|---:|---:|---:|")
for n, label in (("gvx", "gvx install (proxy)"), ("go", "go mod download")):
    print(f"| {label} | {med[n][0]:.2f} s | {med[n][1]:.2f} s | {len(runs[n])} |")
print(f"gvx/go: {med['gvx'][0] / med['go'][0]:.2f} wall, {med['gvx'][1] / med['go'][1]:.2f} CPU")
PY

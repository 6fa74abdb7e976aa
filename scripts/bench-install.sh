#!/usr/bin/env bash
# bench-install.sh: how fast `gvx install` is, against the shell baseline.
#
# It serves a real Go release archive (scripts/toolchain-server: a toolchain
# fetched once through the module proxy, checked against the checksum
# database and repacked in the go.dev/dl tar.gz layout) on loopback, and
# compares in one hyperfine run:
#
#   gvx install (dl)   GVX_SOURCE=dl, a fresh GVX_HOME, cache and state each run
#   shell baseline     curl -fsSL URL | tee >(sha256sum) | tar -xz -C fresh_dir
#
# then, in runs of their own:
#
#   gvx install (proxy)  GVX_SOURCE=proxy through the GOPROXY and GOSUMDB of
#                        `go env`, fresh GVX_HOME and state each run: bound by
#                        the network, so reported apart
#   kept reinstall       GVX_KEEP_DOWNLOADS=1 reinstall with the server killed
#   module cache (zip)   the golang.org/toolchain zip the go command left in a
#                        GOMODCACHE, installed with the network off: the zip
#                        path (checks, unzip, exec bits) without the network
#
# It prints medians (wall, and user+sys CPU) and the ratio gvx/baseline, and
# checks each install with the installed bin/go. Exit status 1 on a failure,
# including a ratio above MAX_RATIO.
#
#	scripts/bench-install.sh [version]
#
# Environment: RUNS (default 6), PROXY_RUNS (3; 0 skips the proxy part),
# KEEP_RUNS (4), MODCACHE_RUNS (4; 0 skips the module cache part, which
# fetches the module through the proxy once), MAX_RATIO (1.0).
#
# Between runs the last run's files are renamed aside, not deleted: on ext4
# without a journal, new inodes skip those deleted in the last minutes one
# by one, so deleting 10,000 files just before a run makes the next run's
# file creation several times slower, for gvx and the baseline alike, and
# measures the deletion rather than the install. The renamed trees (about
# 230 MB a run for Go 1.22) are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-1.22.6}
runs=${RUNS:-6}
proxy_runs=${PROXY_RUNS:-3}
keep_runs=${KEEP_RUNS:-4}
modcache_runs=${MODCACHE_RUNS:-4}
max_ratio=${MAX_RATIO:-1.0}
goos=$(go env GOOS)
goarch=$(go env GOARCH)
cache=${TMPDIR:-/tmp}/gvx-toolchain-cache

work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-bench-install.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

failures=()
fail() {
	echo "FAIL: $*" >&2
	failures+=("$*")
}

if ! command -v hyperfine >/dev/null; then
	echo "installing hyperfine from Debian's packages" >&2
	apt-get update -qq >/dev/null && apt-get install -y -qq hyperfine >/dev/null
fi
for tool in curl sha256sum tar awk; do
	command -v "$tool" >/dev/null || { echo "bench-install: $tool is needed" >&2; exit 1; }
done

echo "building gvx, gvx-shim and toolchain-server" >&2
go build -o "$work/bin/gvx" ./cmd/gvx
go build -o "$work/bin/gvx-shim" ./cmd/gvx-shim
go build -o "$work/bin/toolchain-server" ./scripts/toolchain-server
gvx=$work/bin/gvx

# The server fetches and repacks the toolchain on its first run (about a
# minute), then reuses $cache. It is bounded in time and killed by the trap.
echo "starting toolchain-server for go$version ($goos/$goarch)" >&2
timeout 3600 "$work/bin/toolchain-server" -version "$version" -os "$goos" -arch "$goarch" \
	-cache "$cache" -addr 127.0.0.1:0 -ready "$work/ready" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
	[ -s "$work/ready" ] && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "bench-install: toolchain-server exited" >&2; exit 1; }
	sleep 0.5
done
[ -s "$work/ready" ] || { echo "bench-install: toolchain-server not ready after 300s" >&2; exit 1; }
base=$(sed -n 's/^GVX_DL_BASE=//p' "$work/ready")
url=${base}go$version.$goos-$goarch.tar.gz
archive=$cache/go$version.$goos-$goarch.tar.gz
echo "serving $url ($(du -h "$archive" | cut -f1))" >&2

# check_root ROOT LABEL: the installed go runs and is the right version.
check_root() {
	local got
	got=$("$1/bin/go" version 2>&1) || true
	case "$got" in
	"go version go$version "*) echo "ok: $2: $got" ;;
	*) fail "$2: $1/bin/go version printed '$got', want go$version" ;;
	esac
}

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max,...
# median_of FILE NAME, cpu_of FILE NAME (mean user+sys).
median_of() { awk -F, -v n="$2" '$1 == n { print $4 }' "$1"; }
cpu_of() { awk -F, -v n="$2" '$1 == n { printf "%.3f", $5 + $6 }' "$1"; }

# An empty GOMODCACHE throughout: toolchain-server's own 'go mod download'
# leaves the toolchain in the default module cache, and gvx would install
# it from there instead of downloading it.
export GOMODCACHE=$work/gomodcache
dl_env="GVX_SOURCE=dl GVX_DL_BASE=$base GVX_HOME=$work/dl/home XDG_CACHE_HOME=$work/dl/cache XDG_STATE_HOME=$work/dl/state"
gvx_dl="env $dl_env $gvx install $version"
shell_base="curl -fsSL $url | tee >(sha256sum >/dev/null) | tar -xz -C $work/base"

# aside DIR: a --prepare command that moves DIR out of the way, into a
# fresh name under $work/trash, without deleting it.
mkdir -p "$work/trash"
aside() { echo "if [ -e $1 ]; then mv $1 \$(mktemp -d $work/trash/XXXXXX)/; fi; mkdir -p $1"; }

# timed ID RUNS ENV HOME: hyperfine RUNS installs of $version with the
# variables ENV, HOME (the install's GVX_HOME, or a directory holding it)
# moved aside before each, exported as $work/ID.csv and $work/ID.md. It
# sets med to the median, or to "" when an install fails.
timed() {
	local id=$1 runs=$2 env=$3 home=$4
	med=
	if hyperfine --shell=bash --runs "$runs" --style basic \
		--export-csv "$work/$id.csv" --export-markdown "$work/$id.md" \
		--prepare "$(aside "$home")" -n "gvx install $version ($id)" \
		"env $env $gvx install $version >/dev/null 2>&1"; then
		med=$(median_of "$work/$id.csv" "gvx install $version ($id)")
	fi
}

# One install each first: both work, and the server's page cache is warm.
mkdir -p "$work/base"
bash -c "$gvx_dl" >/dev/null 2>"$work/first.log" || { cat "$work/first.log" >&2; fail "gvx install $version (dl)"; }
check_root "$work/dl/home/versions/$version" "gvx install (dl)"
bash -c "$shell_base" || fail "shell baseline"
[ -x "$work/base/go/bin/go" ] || fail "shell baseline: no go/bin/go"

echo
echo "== gvx install (dl) against the shell baseline, $runs runs each"
hyperfine --shell=bash --runs "$runs" --warmup 1 --style basic \
	--export-csv "$work/local.csv" --export-markdown "$work/local.md" \
	--prepare "$(aside "$work/dl")" -n "gvx install $version (dl)" "$gvx_dl >/dev/null 2>&1" \
	--prepare "$(aside "$work/base")" -n "curl | tee >(sha256sum) | tar -xz" "$shell_base" ||
	fail "hyperfine (dl against baseline)"
check_root "$work/dl/home/versions/$version" "gvx install (dl) after the runs"

gvx_med=$(median_of "$work/local.csv" "gvx install $version (dl)")
base_med=$(median_of "$work/local.csv" "curl | tee >(sha256sum) | tar -xz")
gvx_cpu=$(cpu_of "$work/local.csv" "gvx install $version (dl)")
base_cpu=$(cpu_of "$work/local.csv" "curl | tee >(sha256sum) | tar -xz")
ratio=$(awk -v a="$gvx_med" -v b="$base_med" 'BEGIN { printf "%.2f", a / b }')
cpu_ratio=$(awk -v a="$gvx_cpu" -v b="$base_cpu" 'BEGIN { printf "%.2f", a / b }')

proxy_med=
if [ "$proxy_runs" -gt 0 ]; then
	echo
	echo "== gvx install (proxy), $proxy_runs runs (network-bound: the real GOPROXY)"
	goproxy=${GOPROXY:-$(go env GOPROXY)}
	gosumdb=${GOSUMDB:-$(go env GOSUMDB)}
	proxy_env="GVX_SOURCE=proxy GOPROXY=$goproxy GOSUMDB=$gosumdb GVX_HOME=$work/px/home XDG_CACHE_HOME=$work/px/cache XDG_STATE_HOME=$work/px/state"
	timed proxy "$proxy_runs" "$proxy_env" "$work/px"
	if [ -n "$med" ]; then
		check_root "$work/px/home/versions/$version" "gvx install (proxy)"
		proxy_med=$med
	else
		fail "gvx install $version (proxy): rerun with PROXY_RUNS=0 where the proxy cannot be reached"
	fi
fi

echo
echo "== GVX_KEEP_DOWNLOADS=1 reinstall with the network off, $keep_runs runs"
keep_env="GVX_SOURCE=dl GVX_KEEP_DOWNLOADS=1 GVX_DL_BASE=$base GVX_HOME=$work/keep/home XDG_CACHE_HOME=$work/keep/cache XDG_STATE_HOME=$work/keep/state"
bash -c "env $keep_env $gvx install $version" >/dev/null 2>"$work/keep.log" || { cat "$work/keep.log" >&2; fail "keep: first install"; }
kept=$work/keep/cache/gvx/downloads/go$version.$goos-$goarch.tar.gz
[ -f "$kept" ] || fail "keep: no kept download at $kept"
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=
if curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; then
	fail "keep: the server still answers after it was killed"
fi
keep_med=
timed "kept offline" "$keep_runs" "$keep_env" "$work/keep/home"
if [ -n "$med" ]; then
	check_root "$work/keep/home/versions/$version" "kept reinstall, offline"
	keep_med=$med
	bash -c "$(aside "$work/keep/home")"
	bash -c "env $keep_env $gvx install $version" 2>"$work/keep2.log" >/dev/null || fail "keep: offline reinstall"
	grep -q "using kept download" "$work/keep2.log" || fail "keep: the offline reinstall did not say it used the kept download"
	sed 's/^/  gvx: /' "$work/keep2.log"
else
	fail "gvx install $version (kept offline)"
fi

modcache_med=
if [ "$modcache_runs" -gt 0 ]; then
	echo
	echo "== gvx install from Go's module cache (zip, network off), $modcache_runs runs"
	modver=v0.0.1-go$version.$goos-$goarch
	mkdir -p "$work/mcmod"
	(cd "$work/mcmod" && GOMODCACHE=$work/mc GOFLAGS= GOTOOLCHAIN=local \
		GOPROXY=${GOPROXY:-$(go env GOPROXY)} GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)} \
		go mod download "golang.org/toolchain@$modver") || fail "go mod download golang.org/toolchain@$modver"
	# The network off: GOPROXY and GVX_DL_BASE point at the killed server.
	mc_env="GOMODCACHE=$work/mc GOPROXY=${base%/}/off GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)} GVX_DL_BASE=$base GVX_HOME=$work/mch/home XDG_CACHE_HOME=$work/mch/cache XDG_STATE_HOME=$work/mch/state"
	timed "module cache zip" "$modcache_runs" "$mc_env" "$work/mch"
	if [ -n "$med" ]; then
		check_root "$work/mch/home/versions/$version" "module cache install, offline"
		modcache_med=$med
	else
		bash -c "$(aside "$work/mch")"
		env $mc_env $gvx install $version >&2 || true
		fail "gvx install $version (module cache zip)"
	fi
fi

echo
echo "== results ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"
cat "$work/local.md"
for id in proxy "kept offline" "module cache zip"; do
	[ -f "$work/$id.md" ] && tail -n +3 "$work/$id.md"
done
echo
printf '%-34s %10s %12s\n' "" "median s" "cpu s (u+s)"
printf '%-34s %10.3f %12s\n' "gvx install (dl)" "$gvx_med" "$gvx_cpu"
printf '%-34s %10.3f %12s\n' "curl | tee >(sha256sum) | tar -xz" "$base_med" "$base_cpu"
[ -n "$proxy_med" ] && printf '%-34s %10.3f\n' "gvx install (proxy, network)" "$proxy_med"
[ -n "$keep_med" ] && printf '%-34s %10.3f\n' "gvx install (kept offline)" "$keep_med"
[ -n "$modcache_med" ] && printf '%-34s %10.3f\n' "gvx install (module cache zip)" "$modcache_med"
echo "ratio gvx/baseline: $ratio wall, $cpu_ratio cpu (target <= $max_ratio)"
if awk -v r="$ratio" -v m="$max_ratio" 'BEGIN { exit !(r > m) }'; then
	fail "gvx install is slower than the shell baseline: ratio $ratio > $max_ratio"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "FAIL (${#failures[@]}):"
	printf '  %s\n' "${failures[@]}"
	exit 1
fi
echo "PASS: gvx install (dl) at $ratio of the shell baseline; kept reinstall works offline"

#!/usr/bin/env bash
# bench-durability.sh: what making a fresh root durable before its rename
# costs. It builds gvx three times (-ldflags -X ...install.durability=):
# "none" (no sync beyond the receipt and the versions/ directory), "syncfs"
# (one syncfs(2) of the staging file system, Linux) and "files" (fsync of
# every file and directory), and times `gvx install` of a real release
# served on loopback by scripts/toolchain-server, fresh GVX_HOME each run,
# interleaved in one hyperfine run. Prints median wall and mean CPU (user+sys) times.
#
#	scripts/bench-durability.sh [version]     RUNS (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-1.22.6}
runs=${RUNS:-5}
cache=${TMPDIR:-/tmp}/gvx-toolchain-cache
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-bench-durability.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
. scripts/lib.sh
export XDG_CONFIG_HOME=$work/config GOTOOLCHAIN=local

build_tools
for mode in none syncfs files; do
	go build -ldflags "-X github.com/gvx-dev/gvx/pkg/install.durability=$mode" -o "$work/bin/gvx-$mode" ./cmd/gvx
done
start_server dl "$version"

# Earlier runs' trees are renamed aside, not deleted, before each run (see
# bench-install.sh: deleting 10,000 files just before a run slows the next
# one's file creation), and removed at the end.
mkdir -p "$work/aside"
prep="if [ -e $work/run ]; then mv $work/run \$(mktemp -d $work/aside/XXXXXX)/; fi; mkdir -p $work/run"
envs="GVX_SOURCE=dl GVX_DL_BASE=$base_dl GOMODCACHE=$work/run/gomodcache GVX_HOME=$work/run/home XDG_CACHE_HOME=$work/run/cache XDG_STATE_HOME=$work/run/state GOPROXY=${GOPROXY:-$(go env GOPROXY)} GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}"
args=()
for mode in none syncfs files; do
	args+=(-n "$mode" --prepare "$prep" "env $envs $work/bin/gvx-$mode install $version")
done
hyperfine --runs "$runs" --export-json "$work/result.json" "${args[@]}"
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print("| durability | median wall | mean user+sys |")
print("|---|---:|---:|")
for x in r:
    print(f"| {x['command']} | {x['median']:.2f} s | {x['user'] + x['system']:.2f} s |")
PY

#!/usr/bin/env bash
# chaos-install.sh: kill `gvx install` of a real Go toolchain at 20 moments
# spread over download, unpacking, verifying and renaming, first with SIGKILL
# and then with SIGINT, and check that nothing is ever left half-installed.
#
# The toolchain comes from scripts/toolchain-server (a real archive, repacked
# once from the module proxy and cached in ${TMPDIR:-/tmp}/gvx-toolchain-cache),
# served on loopback twice: throttled (-rate, so the download takes seconds)
# and at full speed (so unpacking and the final steps take most of the time).
#
# Moments: 7 fixed fractions of a measured throttled install, 7 of a
# measured full-speed one, and 6 triggered by what the install has put on
# disk (staging appears; pkg/tool, src/net, src/vendor unpacked; receipt
# written; root renamed). After each SIGKILL (state frozen) the script
# records the phase it hit and checks:
#   - `gvx list` shows only complete versions (receipt and a working bin/go)
#     and versions/ holds nothing else;
#   - the next `gvx install` succeeds and `bin/go version` works;
#   - nothing is left in $GVX_HOME/staging after that install.
# After each SIGINT: exit code 130 and "gvx: interrupted; nothing was left
# half-installed" (or a completed install if the signal came after the
# rename), staging already empty, no partial version.
#
#   scripts/chaos-install.sh            # 20 SIGKILL + 20 SIGINT rounds
#   CHAOS_VERSION=1.22.6 CHAOS_RATE=25MB scripts/chaos-install.sh
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a '.'
cd "$(dirname "$0")/.."

version=${CHAOS_VERSION:-1.22.6}
rate=${CHAOS_RATE:-25MB}
cache=${TMPDIR:-/tmp}/gvx-toolchain-cache
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-chaos.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

. scripts/lib.sh
build_tools

export GOPROXY=${GOPROXY:-$(go env GOPROXY)}
export GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}

echo "starting toolchain-server for go$version (throttled to $rate/s, and unthrottled)"
start_server slow "$version" -rate "$rate"
start_server fast "$version"

export GVX_SOURCE=dl GVX_HTTP_TIMEOUT=60s NO_COLOR=1

# use_home DIR BASE: point gvx at a fresh home and cache under DIR and at BASE.
use_home() {
	export GVX_HOME=$1/home XDG_CACHE_HOME=$1/cache XDG_STATE_HOME=$1/state GVX_DL_BASE=$2
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# Calibrate: the faster of two complete installs from each server (a busy
# machine makes single runs slow, and moments past the end hit nothing).
measure() {
	local best=0 i dir t0 t
	for i in 1 2; do
		dir=$work/calibrate-$1-$i
		use_home "$dir" "$2"
		t0=$(now_ms)
		"$gvx" install "$version" 2>"$dir.err" || {
			echo "FAIL: calibration install from $1 failed:" >&2
			cat "$dir.err" >&2
			exit 1
		}
		t=$(($(now_ms) - t0))
		((best == 0 || t < best)) && best=$t
		rm -rf "$dir"
	done
	echo "$best"
}
t_slow=$(measure slow "$base_slow")
t_fast=$(measure fast "$base_fast")
echo "a complete install takes ${t_slow} ms throttled, ${t_fast} ms unthrottled"

# Each moment: server, then "t:<ms>" (kill that long after the start) or
# "s:<glob>" (kill as soon as the glob, relative to GVX_HOME, matches).
moments=()
for f in 5 18 31 44 57 70 83; do moments+=("slow t:$((t_slow * f / 100))"); done
for f in 35 50 65 75 85 92 98; do moments+=("fast t:$((t_fast * f / 100))"); done
moments+=(
	"slow s:staging/$version.gvx-*"
	"slow s:staging/$version.gvx-*/go/pkg/tool"
	"slow s:staging/$version.gvx-*/go/src/net"
	"fast s:staging/$version.gvx-*/go/src/vendor"
	"fast s:staging/$version.gvx-*/go/.gvx-receipt.json"
	"fast s:versions/$version"
)

# phase describes what an install had done, from the state it left.
phase() {
	local h=$GVX_HOME st
	if [ -e "$h/versions/$version" ]; then
		st=$(ls -A "$h/staging" 2>/dev/null | wc -l)
		echo "renamed into versions/ (staging entries left: $st)"
	elif compgen -G "$h/staging/$version.gvx-*/go/.gvx-receipt.json" >/dev/null; then
		echo "verified, receipt written, not renamed"
	elif compgen -G "$h/staging/$version.gvx-*" >/dev/null; then
		local n mb
		n=$(find "$h/staging" -type f | wc -l)
		mb=$(du -sm "$h/staging" | cut -f1)
		echo "downloading+unpacking ($n files, $mb MB unpacked)"
	else
		echo "resolving (no staging yet)"
	fi
}

# phase_now tells, with shell builtins only (fast enough to run right before
# a signal), how far the install has got.
phase_now() {
	local s=$GVX_HOME/staging/$version.gvx-*
	if [ -e "$GVX_HOME/versions/$version" ]; then echo "renamed into versions/"
	elif compgen -G "$s/go/.gvx-receipt.json" >/dev/null; then echo "verified, receipt written"
	elif compgen -G "$s/go/src/vendor" >/dev/null; then echo "unpacking the last of src/"
	elif compgen -G "$s/go/src" >/dev/null; then echo "downloading+unpacking src/"
	elif compgen -G "$s/go/pkg/tool" >/dev/null; then echo "downloading+unpacking pkg/tool/"
	elif compgen -G "$s" >/dev/null; then echo "downloading (staging made)"
	else echo "resolving (no staging yet)"
	fi
}

# check_store: the home shows only complete versions. Prints a problem or nothing.
check_store() {
	local out v
	out=$(cd "$work" && "$gvx" list 2>&1) || { echo "gvx list failed: $out"; return; }
	for v in $out; do
		[ "$v" = "$version" ] || { echo "gvx list shows $v"; return; }
		[ -f "$GVX_HOME/versions/$v/.gvx-receipt.json" ] || { echo "listed $v has no receipt"; return; }
		"$GVX_HOME/versions/$v/bin/go" version >/dev/null 2>&1 || { echo "listed $v: bin/go version fails"; return; }
	done
	for v in $(ls -A "$GVX_HOME/versions" 2>/dev/null); do
		[ -f "$GVX_HOME/versions/$v/.gvx-receipt.json" ] || { echo "partial versions/$v"; return; }
	done
}

staging_left() { ls -A "$GVX_HOME/staging" 2>/dev/null | tr '\n' ' '; }

rows=()
failures=0
round=0

# run_round SIGNAL SERVER MOMENT
run_round() {
	local sig=$1 server=$2 moment=$3 base dir pid t0 t_kill rc ph problem result
	round=$((round + 1))
	base=base_$server
	dir=$work/round-$sig-$round
	use_home "$dir" "${!base}"
	t0=$(now_ms)
	"$gvx" install "$version" >"$dir.out" 2>"$dir.err" &
	pid=$!
	case $moment in
	t:*)
		local ms=${moment#t:}
		local wait_ms=$((t0 + ms - $(now_ms)))
		if ((wait_ms > 0)); then sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"; fi
		;;
	s:*)
		# A timing harness by nature: poll with shell builtins only.
		local glob=$GVX_HOME/${moment#s:} deadline=$((t0 + 60000))
		while ! compgen -G "$glob" >/dev/null && kill -0 "$pid" 2>/dev/null; do
			(($(now_ms) < deadline)) || break
		done
		;;
	esac
	[ "$sig" = KILL ] || ph="before signal: $(phase_now)"
	kill -s "$sig" "$pid" 2>/dev/null || true
	t_kill=$(($(now_ms) - t0))
	rc=0
	{ wait "$pid" || rc=$?; } 2>/dev/null # no "Killed" notice from bash
	[ "$sig" != KILL ] || ph=$(phase)
	problem=$(check_store)
	if [ "$sig" = KILL ]; then
		if [ "$rc" -ne 137 ]; then
			ph="finished before the kill (exit $rc)"
		fi
		if [ -z "$problem" ]; then
			use_home "$dir" "$base_fast"
			export XDG_CACHE_HOME=$dir/cache2
			if ! "$gvx" install "$version" >"$dir.next.out" 2>"$dir.next.err"; then
				problem="next install failed: $(tail -1 "$dir.next.err")"
			elif ! "$GVX_HOME/versions/$version/bin/go" version 2>&1 | grep -q "^go version go$version "; then
				problem="bin/go version does not work after the next install"
			elif [ -n "$(staging_left)" ]; then
				problem="staging after the next install: $(staging_left)"
			fi
		fi
	else
		local last
		last=$(tail -1 "$dir.err")
		case $rc in
		130)
			[ "$last" = "gvx: interrupted; nothing was left half-installed" ] ||
				problem=${problem:-"exit 130 but stderr ends: $last"}
			[ ! -e "$GVX_HOME/versions/$version" ] || problem=${problem:-"interrupted, yet versions/$version exists"}
			;;
		0)
			ph="completed: the signal came too late to stop it"
			[ -e "$GVX_HOME/versions/$version" ] || problem=${problem:-"exit 0 but nothing installed"}
			;;
		*) problem=${problem:-"exit $rc, want 130: $last"} ;;
		esac
		[ -z "$(staging_left)" ] || problem=${problem:-"staging right after the interrupt: $(staging_left)"}
	fi
	if [ -z "$problem" ]; then
		result=PASS
	else
		result="FAIL: $problem"
		failures=$((failures + 1))
	fi
	rows+=("$(printf '%5d  %-6s %-6s %8d  %-58s %s' "$round" "SIG$sig" "$server" "$t_kill" "$ph" "$result")")
	echo "${rows[-1]}"
	rm -rf "$dir"
}

header=$(printf '%5s  %-6s %-6s %8s  %-58s %s' round signal server "ms" "phase observed" result)
echo
echo "$header"
for sig in KILL INT; do
	for m in "${moments[@]}"; do
		run_round "$sig" ${m% *} "${m#* }"
	done
done

echo
echo "chaos-install: go$version, throttled install ${t_slow} ms, unthrottled ${t_fast} ms"
echo "$header"
printf '%s\n' "${rows[@]}"
echo
if ((failures > 0)); then
	echo "FAIL: $failures of $round rounds"
	exit 1
fi
echo "PASS: $round rounds (20 SIGKILL, 20 SIGINT): no partial version, every next install worked, staging left empty"

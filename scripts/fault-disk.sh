#!/usr/bin/env bash
# fault-disk.sh: install a real Go toolchain into a GVX_HOME on a small
# tmpfs that runs out of space, and on one remounted read-only, and check
# that each fails with a clear error and exit code 1, leaves no partial
# version and nothing in staging, and keeps the version installed before
# byte for byte; then that the same install works once there is room.
#
# It needs to mount a tmpfs (root, or CAP_SYS_ADMIN). Where that is not
# permitted it says so and exits 0: the seam-based tests cover the same
# faults there (go test ./pkg/install -run 'TestInstallDiskFull|TestInstallReadOnlyHome|KilledAtEveryStep').
#
# Both toolchains come from scripts/toolchain-server (repacked once from the
# module proxy and cached in ${TMPDIR:-/tmp}/gvx-toolchain-cache).
#
#   scripts/fault-disk.sh
#   FAULT_VERSION=1.22.6 FAULT_PREVIOUS=1.22.5 scripts/fault-disk.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=${FAULT_VERSION:-1.22.6}
previous=${FAULT_PREVIOUS:-1.22.5}
cache=${TMPDIR:-/tmp}/gvx-toolchain-cache
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-fault-disk.XXXXXX")
disk=$work/disk
mkdir -p "$disk"
pids=()
mounted=false
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if $mounted; then umount "$disk" 2>/dev/null || umount -l "$disk" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if ! mount -t tmpfs -o size=300m tmpfs "$disk" 2>"$work/mount.err"; then
	echo "SKIP: cannot mount a tmpfs here ($(cat "$work/mount.err")); run as root where mount is allowed."
	echo "The same disk faults are covered through the installer's file system seam:"
	echo "  go test ./pkg/install -run 'TestInstallDiskFull|TestInstallReadOnlyHome|KilledAtEveryStep'"
	exit 0
fi
mounted=true

. scripts/lib.sh
build_tools
export GOPROXY=${GOPROXY:-$(go env GOPROXY)}
export GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}

echo "starting toolchain-server for go$previous and go$version"
start_server prev "$previous"
start_server next "$version"

# GVX_HOME is on the small disk; the listing cache is not, so that only
# the install itself meets the fault.
export GVX_HOME=$disk/home XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state
export GVX_SOURCE=dl NO_COLOR=1

results=()
failures=0
pass() { results+=("PASS  $1"); echo "PASS  $1"; }
fail() { results+=("FAIL  $1"); echo "FAIL  $1"; failures=$((failures + 1)); }

# snapshot: every path under versions/ with size and mode, and the hash of
# the previous version's bin/go.
snapshot() {
	(cd "$GVX_HOME/versions" && find . -printf '%p %s %m\n' | sort)
	sha256sum "$GVX_HOME/versions/$previous/bin/go"
}

# check_intact LABEL: the previous state is exactly as it was and works.
check_intact() {
	local label=$1 list
	list=$(cd "$work" && "$gvx" list 2>&1) || { fail "$label: gvx list failed: $list"; return; }
	[ "$list" = "$previous" ] || { fail "$label: gvx list shows '$list', want only $previous"; return; }
	[ -z "$(ls -A "$GVX_HOME/staging")" ] || { fail "$label: left in staging: $(ls -A "$GVX_HOME/staging")"; return; }
	[ ! -e "$GVX_HOME/versions/$version" ] || { fail "$label: versions/$version exists"; return; }
	snapshot >"$work/after.txt"
	cmp -s "$work/before.txt" "$work/after.txt" || { fail "$label: versions/ changed"; return; }
	"$GVX_HOME/versions/$previous/bin/go" version | grep -q "^go version go$previous " ||
		{ fail "$label: go$previous no longer runs"; return; }
	pass "$label: gvx list shows only $previous, staging empty, versions/ unchanged, go$previous runs"
}

# expect_failure LABEL WANT: gvx install $version exits 1 and its last line
# matches WANT (an extended regexp).
expect_failure() {
	local label=$1 want=$2 rc=0 msg
	GVX_DL_BASE=$base_next "$gvx" install "$version" >"$work/out" 2>"$work/err" || rc=$?
	msg=$(tail -1 "$work/err")
	echo "      gvx printed: $msg"
	if [ "$rc" -ne 1 ]; then
		fail "$label: exit $rc, want 1"
	elif ! grep -Eq "$want" <<<"$msg"; then
		fail "$label: message does not match /$want/"
	else
		pass "$label: exit 1 with a clear message"
	fi
}

used_mb() { df --output=used -B1M "$disk" | tail -1 | tr -d ' '; }

echo
echo "== go$previous installed on a 300 MB tmpfs"
GVX_DL_BASE=$base_prev "$gvx" install "$previous" 2>"$work/err" || {
	cat "$work/err" >&2
	exit 1
}
snapshot >"$work/before.txt"
echo "      $(used_mb) MB used"

for headroom in 20 1; do
	size=$(($(used_mb) + headroom))
	mount -o remount,size="${size}m" "$disk"
	echo
	echo "== disk full: $headroom MB free (tmpfs resized to $size MB), install go$version"
	expect_failure "full disk ($headroom MB free)" \
		"^gvx: install go$version: .*no space left on device; free some space on the disk holding $GVX_HOME and retry$"
	check_intact "full disk ($headroom MB free)"
done

echo
echo "== read-only: the tmpfs remounted read-only"
mount -o remount,ro "$disk"
expect_failure "read-only home" \
	"^gvx: install go$version: .*read-only file system; the gvx home $GVX_HOME is not writable: fix its permissions or set GVX_HOME to a writable directory$"
check_intact "read-only home"
rc=0
GVX_DL_BASE=$base_prev "$gvx" install "$previous" >"$work/out" 2>"$work/err" || rc=$?
echo "      gvx install $previous printed: $(tail -1 "$work/err")"
if [ "$rc" -eq 0 ] && grep -q "already installed" "$work/err"; then
	pass "read-only home: installing the installed go$previous says it is installed"
else
	fail "read-only home: gvx install $previous exit $rc"
fi
rc=0
"$gvx" uninstall "$previous" >"$work/out" 2>"$work/err" || rc=$?
echo "      gvx uninstall $previous printed: $(tail -1 "$work/err")"
if [ "$rc" -eq 1 ] && grep -q "not writable" "$work/err"; then
	pass "read-only home: uninstall fails with exit 1 and says the home is not writable"
else
	fail "read-only home: gvx uninstall $previous exit $rc, want 1 with 'not writable'"
fi
check_intact "read-only home after uninstall"
out=$(GVX_GO_VERSION=$previous "$GVX_HOME/shims/go" version 2>&1) || true
if grep -q "^go version go$previous " <<<"$out"; then
	pass "read-only home: the go shim still runs go$previous"
else
	fail "read-only home: the go shim printed: $out"
fi

echo
echo "== room again: remounted read-write at 600 MB, install go$version"
mount -o remount,rw,size=600m "$disk"
if GVX_DL_BASE=$base_next "$gvx" install "$version" 2>"$work/err" &&
	"$GVX_HOME/versions/$version/bin/go" version | grep -q "^go version go$version " &&
	[ -z "$(ls -A "$GVX_HOME/staging")" ] && [ "$("$gvx" list | tr '\n' ' ')" = "$previous $version " ]; then
	pass "after the faults: go$version installs and runs, staging empty, both versions listed"
else
	fail "after the faults: the install of go$version did not work: $(tail -1 "$work/err")"
fi

echo
echo "fault-disk: go$version onto a tmpfs GVX_HOME holding go$previous"
printf '%s\n' "${results[@]}"
if ((failures > 0)); then
	echo "FAIL: $failures checks"
	exit 1
fi
echo "PASS: ${#results[@]} checks"

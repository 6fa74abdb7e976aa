#!/usr/bin/env bash
# e2e-dl-sumdb.sh: a dl install is checked against the real checksum
# database whatever base serves it. Real go1.22.6 from the module proxy,
# repacked in the go.dev/dl layout and served on loopback by
# scripts/toolchain-server, installs through GVX_SOURCE=dl with its tree's h1
# checked against GOSUMDB (both read from `go env`, as gvx reads them; no host
# is named here). The same archive with one changed byte, served with a
# listing whose SHA-256 matches it, is refused with exit 3 and nothing
# installed; and `gvx verify` names a file changed after the install.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${GVX_E2E_VERSION:-1.22.6}
cache=${TMPDIR:-/tmp}/gvx-toolchain-cache
work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-e2e-dl-sumdb.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
fail() {
	echo "FAIL: e2e-dl-sumdb: $*" >&2
	exit 1
}
. scripts/lib.sh

export XDG_CONFIG_HOME=$work/config GOTOOLCHAIN=local
export GOPROXY=${GOPROXY:-$(go env GOPROXY)} GOSUMDB=${GOSUMDB:-$(go env GOSUMDB)}
echo "GOPROXY=$GOPROXY GOSUMDB=$GOSUMDB"
build_tools
start_server genuine "$version"
start_server forged "$version" -tamper go/src/fmt/print.go

# at NAME: the environment of one fresh gvx home.
at() {
	# An empty GOMODCACHE: nothing may come from a toolchain the go command
	# downloaded before.
	echo "GVX_SOURCE=dl GOMODCACHE=$work/$1/gomodcache GVX_HOME=$work/$1/home XDG_CACHE_HOME=$work/$1/cache XDG_STATE_HOME=$work/$1/state"
}

# Genuine: installed, both checks in the receipt, the h1 the go command
# records for the module.
echo "== genuine archive from $base_genuine"
env $(at genuine) GVX_DL_BASE="$base_genuine" "$gvx" install "$version" 2>"$work/genuine.err" || {
	cat "$work/genuine.err" >&2
	fail "the genuine archive did not install"
}
cat "$work/genuine.err"
receipt=$work/genuine/home/versions/$version/.gvx-receipt.json
grep -q '"h1 (checksum database)"' "$receipt" || fail "receipt does not say the checksum database was checked: $(cat "$receipt")"
h1=$(sed -n 's/.*"h1": "\(h1:[^"]*\)".*/\1/p' "$receipt")
echo "receipt h1: $h1"
"$work/genuine/home/versions/$version/bin/go" version | grep -q "go$version" || fail "installed bin/go does not run"

# Forged: one byte changed, the listing's SHA-256 matches; exit 3, nothing installed.
echo "== forged archive (one byte of src/fmt/print.go) from $base_forged"
set +e
env $(at forged) GVX_DL_BASE="$base_forged" "$gvx" install "$version" 2>"$work/forged.err"
code=$?
set -e
cat "$work/forged.err"
[ "$code" = 3 ] || fail "forged archive: exit $code, want 3"
grep -q 'SECURITY ERROR: h1 (checksum database) mismatch' "$work/forged.err" || fail "forged archive: no h1 security error"
grep -q "expected: $h1" "$work/forged.err" || fail "forged archive: expected hash is not the genuine $h1"
[ ! -e "$work/forged/home/versions/$version" ] || fail "forged archive: versions/$version exists"
[ -z "$(ls -A "$work/forged/home/staging" 2>/dev/null)" ] || fail "forged archive: staging not empty"

# gvx verify: intact, then one changed file named, exit 3.
echo "== gvx verify"
env $(at genuine) "$gvx" verify "$version" || fail "gvx verify of the fresh root failed"
printf '// changed after the install\n' >>"$work/genuine/home/versions/$version/src/fmt/print.go"
set +e
env $(at genuine) "$gvx" verify "$version" >"$work/verify.out" 2>"$work/verify.err"
code=$?
set -e
cat "$work/verify.out" "$work/verify.err"
[ "$code" = 3 ] || fail "gvx verify of a changed root: exit $code, want 3"
grep -qx '  changed: src/fmt/print.go' "$work/verify.out" || fail "gvx verify does not name src/fmt/print.go"
grep -q 'checksum database: mismatch' "$work/verify.out" || fail "gvx verify does not report the checksum database's mismatch"

echo "PASS: e2e-dl-sumdb"

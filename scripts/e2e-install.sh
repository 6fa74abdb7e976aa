#!/usr/bin/env bash
# e2e-install.sh: scripts/install.sh end to end, as a user without Go runs
# it, against a goreleaser snapshot release served on loopback
# (scripts/fileserver): it installs gvx and gvx-shim for this machine,
# verified against checksums.txt, and runs gvx setup, after which a new
# login shell finds the shims; --no-setup touches no start-up file; a
# tampered archive and a checksums.txt without this platform are refused
# and install nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goreleaser.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-e2e-install.XXXXXX")
cleanup() {
	[ -z "${srv_in:-}" ] || exec {srv_in}>&-
	rm -rf "$work"
	cleanup_src
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

echo "== goreleaser release --snapshot (every platform, universal darwin)"
(cd "$src" && "$gr" release --snapshot --clean --skip=publish >"$work/goreleaser.log" 2>&1) ||
	{ tail -30 "$work/goreleaser.log"; fail "goreleaser snapshot build"; }
mkdir "$work/site"
cp "$src"/dist/*.tar.gz "$src"/dist/*.zip "$src"/dist/checksums.txt "$work/site/"
ls "$work/site"

go build -o "$work/fileserver" ./scripts/fileserver
# The server prints its URL once it listens and exits when its stdin closes.
coproc SRV { "$work/fileserver" "$work/site" 2>"$work/server.log"; }
exec {srv_in}>&"${SRV[1]}"
read -r base <&"${SRV[0]}"
echo "== serving the release at $base"

# A user without Go: the system's PATH, an empty home.
user_env() {
	local home=$1
	shift
	env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin SHELL="$(command -v bash)" TERM=dumb \
		GVX_INSTALL_BASE="$base" "$@"
}

echo "== install.sh, then a new login shell"
home=$work/user1
mkdir "$home"
user_env "$home" sh scripts/install.sh 2>&1 | tee "$work/install1.log"
grep -q 'SHA-256 verified' "$work/install1.log" || fail "install.sh did not say it verified the archive"
for bin in gvx gvx-shim; do
	[ -x "$home/.local/bin/$bin" ] || fail "$bin not installed in ~/.local/bin"
done
"$home/.local/bin/gvx" --version | tee "$work/version"
grep -q snapshot "$work/version" || fail "installed gvx is not the snapshot build"
grep -q '^# >>> gvx >>>$' "$home/.bashrc" || fail "gvx setup wrote no block to ~/.bashrc"
got=$(user_env "$home" bash -l -c 'command -v go')
[ "$got" = "$home/.local/share/gvx/shims/go" ] || fail "a new login shell runs go from '$got', not the shims"
echo "ok: a new login shell runs $got"

echo "== install.sh --no-setup into GVX_INSTALL_DIR"
home=$work/user2
mkdir "$home"
user_env "$home" GVX_INSTALL_DIR="$home/bin" sh scripts/install.sh --no-setup 2>&1 | tee "$work/install2.log"
[ -x "$home/bin/gvx" ] && [ -x "$home/bin/gvx-shim" ] || fail "--no-setup did not install into GVX_INSTALL_DIR"
[ ! -e "$home/.bashrc" ] && [ ! -e "$home/.bash_profile" ] || fail "--no-setup wrote a start-up file"

echo "== a tampered archive is refused"
archive=$(awk '$2 ~ /_linux_'"$(go env GOARCH)"'\.tar\.gz$/ { print $2 }' "$work/site/checksums.txt")
[ "$(uname -s)" = Darwin ] && archive=$(awk '$2 ~ /_darwin_all\.tar\.gz$/ { print $2 }' "$work/site/checksums.txt")
cp "$work/site/$archive" "$work/$archive.orig"
size=$(wc -c <"$work/site/$archive")
printf '\377' | dd of="$work/site/$archive" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
home=$work/user3
mkdir "$home"
if user_env "$home" sh scripts/install.sh >"$work/install3.log" 2>&1; then
	cat "$work/install3.log"
	fail "install.sh installed a tampered archive"
fi
cat "$work/install3.log"
grep -q "SECURITY ERROR: $archive has SHA-256" "$work/install3.log" || fail "no security error for the tampered archive"
[ ! -e "$home/.local/bin/gvx" ] && [ ! -e "$home/.bashrc" ] || fail "a tampered install left files behind"
cp "$work/$archive.orig" "$work/site/$archive"

echo "== a checksums.txt without this platform is refused"
grep -v "$archive" "$work/site/checksums.txt" >"$work/site/checksums.new" && mv "$work/site/checksums.new" "$work/site/checksums.txt"
if user_env "$home" sh scripts/install.sh >"$work/install4.log" 2>&1; then
	fail "install.sh installed without a checksum"
fi
cat "$work/install4.log"
grep -q 'lists no archive for' "$work/install4.log" || fail "no message for a missing checksum"
[ ! -e "$home/.local/bin/gvx" ] || fail "installed without a checksum"

echo "PASS: install.sh installs a verified release, sets up the shell, and refuses tampering"

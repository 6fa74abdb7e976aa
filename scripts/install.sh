#!/bin/sh
# install.sh: install gvx and gvx-shim from a release archive, on a machine
# without Go, then run 'gvx setup'.
#
#   sh install.sh [--no-setup]
#
# GVX_INSTALL_BASE  where the archives and checksums.txt are
#                   (default: the latest release of github.com/gvx-dev/gvx)
# GVX_INSTALL_DIR   where the two binaries go (default: ~/.local/bin)
#
# It asks the hardware for the CPU (on a Mac, sysctl hw.optional.arm64, which
# says 1 on Apple Silicon even inside Rosetta 2), downloads checksums.txt
# and the archive for this machine, and refuses to install anything unless
# the archive's SHA-256 is the one checksums.txt lists. Files fetched by curl
# or wget carry no quarantine attribute, so Gatekeeper does not stop them.
set -eu

base=${GVX_INSTALL_BASE:-https://github.com/gvx-dev/gvx/releases/latest/download}
dir=${GVX_INSTALL_DIR:-$HOME/.local/bin}
setup=true

say() { printf 'gvx install: %s\n' "$*" >&2; }
die() {
	say "$*"
	exit 1
}

for arg in "$@"; do
	case $arg in
	--no-setup) setup=false ;;
	-h | --help)
		echo "usage: install.sh [--no-setup]; GVX_INSTALL_BASE and GVX_INSTALL_DIR choose where from and to"
		exit 0
		;;
	*) die "unknown argument '$arg'; usage: install.sh [--no-setup]" ;;
	esac
done

case $(uname -s) in
Darwin) os=darwin ;;
Linux) os=linux ;;
*) die "$(uname -s) is not supported by this script; download a release archive by hand" ;;
esac
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
arm64 | aarch64) arch=arm64 ;;
*) die "CPU $(uname -m) has no gvx release" ;;
esac
if [ "$os" = darwin ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || true)" = 1 ]; then
	arch=arm64 # Apple Silicon, even when this shell runs under Rosetta 2
fi

if command -v curl >/dev/null 2>&1; then
	fetch() { curl -fsSL --proto '=https,http' -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
	fetch() { wget -q -O "$2" "$1"; }
else
	die "neither curl nor wget is installed"
fi
if command -v sha256sum >/dev/null 2>&1; then
	sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
	sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
	die "neither sha256sum nor shasum is installed: cannot verify the download"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gvx-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

fetch "$base/checksums.txt" "$tmp/checksums.txt" || die "cannot download $base/checksums.txt"
# Universal darwin archives are named darwin_all; others by their CPU.
name=
for want in "${os}_all" "${os}_${arch}"; do
	name=$(awk -v suffix="_${want}.tar.gz" 'substr($2, length($2) - length(suffix) + 1) == suffix { print $2; exit }' "$tmp/checksums.txt")
	[ -n "$name" ] && break
done
[ -n "$name" ] || die "$base/checksums.txt lists no archive for $os/$arch"
case $name in
*/* | .*) die "checksums.txt names a file '$name' outside the release; refusing" ;;
esac
want_sum=$(awk -v n="$name" '$2 == n { print $1; exit }' "$tmp/checksums.txt")

say "downloading $name"
fetch "$base/$name" "$tmp/$name" || die "cannot download $base/$name"
got_sum=$(sha256 "$tmp/$name")
if [ "$got_sum" != "$want_sum" ]; then
	die "SECURITY ERROR: $name has SHA-256 $got_sum, but checksums.txt lists $want_sum; nothing was installed"
fi

mkdir "$tmp/x"
tar -xzf "$tmp/$name" -C "$tmp/x" gvx gvx-shim || die "$name does not hold gvx and gvx-shim"
mkdir -p "$dir"
for bin in gvx gvx-shim; do
	# A new file renamed into place: a binary that is running (a shim) is
	# never overwritten, and macOS never sees a changed signed file.
	cp "$tmp/x/$bin" "$dir/.$bin.new"
	chmod 755 "$dir/.$bin.new"
	mv -f "$dir/.$bin.new" "$dir/$bin"
done
say "installed gvx and gvx-shim in $dir ($os/$arch, SHA-256 verified)"

if $setup; then
	"$dir/gvx" setup
else
	say "run '$dir/gvx setup' to put the shims on PATH"
fi
case ":$PATH:" in
*":$dir:"*) ;;
*) say "$dir is not on PATH; add it to run gvx by name (the shims work without it)" ;;
esac

#!/usr/bin/env bash
# release-check.sh: check the goreleaser config, build a snapshot release of
# every platform, and verify each binary's CPU type against its name
# (darwin_arm64 must be Mach-O arm64, never x86_64; darwin_all universal),
# each darwin slice's minimum macOS (at most 12.0, as the README says) and
# that the pinned Go built them all.
#
#   scripts/release-check.sh          config check + snapshot build + archcheck
#   scripts/release-check.sh --quick  config check + archcheck of plain cross-compiles
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true
. scripts/goreleaser.sh
trap cleanup_src EXIT

echo "== goreleaser check"
(cd "$src" && "$gr" check)

if $quick; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/gvx-release.XXXXXX")
	trap 'rm -rf "$out"; cleanup_src' EXIT
	for p in darwin_arm64 darwin_amd64 linux_amd64 linux_arm64 windows_amd64; do
		for bin in gvx gvx-shim; do
			GOOS=${p%_*} GOARCH=${p#*_} CGO_ENABLED=0 go build -trimpath -o "$out/${p}/$bin" "./cmd/$bin"
		done
	done
	echo "== archcheck (cross-compiles)"
	go run ./scripts/archcheck "$out"/*/gvx "$out"/*/gvx-shim
	exit 0
fi

echo "== goreleaser build --snapshot --clean"
(cd "$src" && "$gr" build --snapshot --clean)
echo "== archcheck ($src/dist): CPU types, universal darwin files, minimum macOS of each slice"
go run ./scripts/archcheck $(find "$src/dist" -type f \( -name gvx -o -name gvx-shim -o -name 'gvx*.exe' \) | sort)
echo "== the pinned Go built every binary"
pinned=$(sed -n 's/.*GOTOOLCHAIN=\(go[0-9.]*\).*/\1/p' .goreleaser.yaml | head -1)
for bin in $(find "$src/dist" -type f \( -name gvx -o -name gvx-shim -o -name 'gvx*.exe' \) | sort); do
	got=$(go version "$bin" | awk '{print $2}')
	[ "$got" = "$pinned" ] || { echo "FAIL: $bin was built by $got, not $pinned" >&2; exit 1; }
done
echo "ok: every binary was built by $pinned"

#!/usr/bin/env bash
# release-check.sh: check the goreleaser config, build a snapshot release of
# every platform, and verify each binary's CPU type against its name
# (darwin_arm64 must be Mach-O arm64, never x86_64).
#
#   scripts/release-check.sh          config check + snapshot build + archcheck
#   scripts/release-check.sh --quick  config check + archcheck of plain cross-compiles
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser_version=v2.13.3  # newer ones need a module the proxy here refuses
quick=false
[ "${1:-}" = "--quick" ] && quick=true

gr=$(command -v goreleaser || true)
if [ -z "$gr" ]; then
	gobin=$(go env GOPATH)/bin
	gr=$gobin/goreleaser
	if [ ! -x "$gr" ]; then
		echo "== installing goreleaser $goreleaser_version with go install" >&2
		# goreleaser needs a newer Go than some machines have: let the go
		# command fetch the toolchain it asks for.
		GOTOOLCHAIN=auto GOFLAGS= go install "github.com/goreleaser/goreleaser/v2@$goreleaser_version"
	fi
fi

# goreleaser reads the git remote; a checkout without one is checked
# through a throwaway clone of the committed tree.
src=.
if [ -z "$(git remote)" ]; then
	src=$(mktemp -d "${TMPDIR:-/tmp}/gvx-release-src.XXXXXX")
	git clone -q . "$src"
	trap 'rm -rf "$src"' EXIT
fi

echo "== goreleaser check"
(cd "$src" && "$gr" check)

if $quick; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/gvx-release.XXXXXX")
	trap 'rm -rf "$out"; [ "$src" = . ] || rm -rf "$src"' EXIT
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
echo "== archcheck ($src/dist)"
go run ./scripts/archcheck $(find "$src/dist" -type f \( -name gvx -o -name gvx-shim -o -name 'gvx*.exe' \) | sort)

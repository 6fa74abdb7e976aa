# goreleaser.sh: sourced by release-check.sh and e2e-install.sh. Sets gr to
# a goreleaser binary (the one on PATH, else the pinned version, installed
# through the module proxy with go install) and src to a checkout it can
# read: goreleaser wants a git remote, so a checkout without one is read
# through a throwaway clone of the committed tree (removed by cleanup_src).

goreleaser_version=v2.15.1 # newer ones need a Go or modules the proxy here does not serve

gr=$(command -v goreleaser || true)
if [ -z "$gr" ]; then
	gr=$(go env GOPATH)/bin/goreleaser
	if [ ! -x "$gr" ] || ! "$gr" --version 2>/dev/null | grep -q "${goreleaser_version#v}"; then
		echo "== installing goreleaser $goreleaser_version with go install" >&2
		# goreleaser may need a newer Go than this machine has: let the go
		# command fetch the toolchain it asks for.
		GOTOOLCHAIN=auto GOFLAGS= go install "github.com/goreleaser/goreleaser/v2@$goreleaser_version"
	fi
fi

src=.
if [ -z "$(git remote)" ]; then
	src=$(mktemp -d "${TMPDIR:-/tmp}/gvx-release-src.XXXXXX")
	git clone -q . "$src"
fi
cleanup_src() { [ "$src" = . ] || rm -rf "$src"; }

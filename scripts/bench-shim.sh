#!/usr/bin/env bash
# bench-shim.sh measures what gvx's shim adds to every go call: direct exec of
# a toolchain's bin/go against $GVX_HOME/shims/go selecting that same binary.
#
# Scenarios (hyperfine -N, 300 runs, 20 warm-up runs, medians):
#   - a no-op bin/go (a tiny static binary), selected by a .go-version 8
#     directories up, and by the global default, with 1 and with 100 installed
#     versions (an exact spec costs one stat whatever the count; a line spec
#     lists the versions directory once);
#   - a real `go version`, when a Go toolchain is on PATH;
#   - for reference, the floor of any Go shim: a program linking only os and
#     syscall that execs the target without selecting anything.
# The budget (issue 3) is at most 1.3 ms over direct exec.
#
# Usage: scripts/bench-shim.sh [runs]   (from anywhere inside the repository)
# Needs: go, hyperfine (installed from Debian packages when missing), and gcc
# for the no-op binary (else a copy of /bin/true is used).
set -euo pipefail

runs=${1:-300}
warmup=20
repo=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v hyperfine >/dev/null; then
	echo "bench-shim: installing hyperfine from Debian packages" >&2
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && $sudo apt-get install -y -qq hyperfine >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gvx-bench-shim.XXXXXX")
trap 'rm -rf "$work"' EXIT
home=$work/home
bin=$work/bin
mkdir -p "$home/libexec" "$home/shims" "$home/versions" "$bin"

# The real go found before anything of ours goes on PATH.
realgo=$(command -v go || true)

echo "bench-shim: building cmd/gvx-shim" >&2
(cd "$repo" && go build -trimpath -o "$home/libexec/gvx-shim" ./cmd/gvx-shim)
ln -s ../libexec/gvx-shim "$home/shims/go"
ln -s ../libexec/gvx-shim "$home/shims/gofmt"

# The no-op target: as small as a program gets, so that what is measured is
# process start-up plus the shim's own work.
if command -v gcc >/dev/null; then
	printf 'int main(void) { return 0; }\n' >"$work/noop.c"
	gcc -static -O2 -o "$bin/noop" "$work/noop.c" 2>/dev/null || gcc -O2 -o "$bin/noop" "$work/noop.c"
else
	cp /bin/true "$bin/noop"
fi

# install VERSION: a fake root whose bin/go is the no-op, with the receipt
# that marks a complete install.
install_noop() {
	mkdir -p "$home/versions/$1/bin"
	cp "$bin/noop" "$home/versions/$1/bin/go"
	echo '{}' >"$home/versions/$1/.gvx-receipt.json"
}

project=$work/project
deep=$project/1/2/3/4/5/6/7/8
mkdir -p "$deep"
global=$work/global # a directory with no version file above it but /
mkdir -p "$global/1/2/3/4/5/6/7/8"

export GVX_HOME=$home
unset GVX_GO_VERSION GVX_AUTO_INSTALL GOWORK GVX_SHIM_DEPTH || true

results=$work/results.tsv
: >"$results"

# bench NAME DIR DIRECT-CMD SHIM-CMD: one hyperfine run of both commands.
bench() {
	local name=$1 dir=$2 direct=$3 shimmed=$4 csv=$work/$RANDOM.csv
	(cd "$dir" && hyperfine -N --style none --runs "$runs" --warmup "$warmup" --export-csv "$csv" \
		-n direct "$direct" -n shim "$shimmed" >/dev/null)
	local d s
	d=$(awk -F, '$1=="direct"{print $4*1000}' "$csv")
	s=$(awk -F, '$1=="shim"{print $4*1000}' "$csv")
	printf '%s\t%s\t%s\n' "$name" "$d" "$s" >>"$results"
	printf 'bench-shim: %-48s direct %.3f ms, shim %.3f ms\n' "$name" "$d" "$s" >&2
}

# check DIR [ARGS]: the shim must run the target from DIR before it is timed.
check() {
	local dir=$1
	shift
	if ! (cd "$dir" && "$home/shims/go" "$@" >/dev/null); then
		echo "bench-shim: shims/go fails in $1" >&2
		exit 1
	fi
}

# 1 installed version.
install_noop 1.999.0
echo 1.999.0 >"$project/.go-version"
check "$deep"
bench "no-op, .go-version 8 up, 1 installed" "$deep" "$home/versions/1.999.0/bin/go" "$home/shims/go"
echo 1.999.0 >"$home/version"
check "$global/1/2/3/4/5/6/7/8"
bench "no-op, global, 1 installed" "$global/1/2/3/4/5/6/7/8" "$home/versions/1.999.0/bin/go" "$home/shims/go"

# The floor for any shim written in Go: a program linking only os and syscall
# that execs the same target without deciding anything.
cat >"$work/floor.go" <<EOF
package main

import (
	"os"
	"syscall"
)

func main() { syscall.Exec("$home/versions/1.999.0/bin/go", os.Args, os.Environ()) }
EOF
(cd "$work" && GOFLAGS= GO111MODULE=off go build -o "$bin/floor" floor.go)
bench "floor: minimal Go exec wrapper, no selection" "$deep" "$home/versions/1.999.0/bin/go" "$bin/floor"

# 100 installed versions.
for i in $(seq 900 998); do install_noop "1.$i.0"; done
check "$deep"
bench "no-op, .go-version 8 up, 100 installed" "$deep" "$home/versions/1.999.0/bin/go" "$home/shims/go"
bench "no-op, global, 100 installed" "$global/1/2/3/4/5/6/7/8" "$home/versions/1.999.0/bin/go" "$home/shims/go"
echo 1.999 >"$project/.go-version" # a line spec: the versions directory is listed
check "$deep"
bench "no-op, line spec 8 up, 100 installed" "$deep" "$home/versions/1.999.0/bin/go" "$home/shims/go"

# A real toolchain: its GOROOT mirrored into versions/ through symlinks.
if [ -n "$realgo" ]; then
	goroot=$("$realgo" env GOROOT)
	ver=$("$realgo" env GOVERSION)
	ver=${ver#go}
	case $ver in
	*[!0-9.a-z]* | "") echo "bench-shim: skipping real go: version $ver" >&2 ;;
	*)
		mkdir -p "$home/versions/$ver"
		for e in "$goroot"/*; do ln -s "$e" "$home/versions/$ver/"; done
		echo '{}' >"$home/versions/$ver/.gvx-receipt.json"
		echo "$ver" >"$project/.go-version"
		check "$deep" version
		bench "go version ($ver), .go-version 8 up" "$deep" "$goroot/bin/go version" "$home/shims/go version"
		;;
	esac
else
	echo "bench-shim: no go on PATH; skipping the real go version case" >&2
fi

echo
printf '| %-44s | %11s | %11s | %13s | %5s |\n' "case (median of $runs runs)" "direct ms" "shim ms" "overhead ms" "ratio"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "-------------" "-------------" "---------------" "-------"
awk -F'\t' '{ printf "| %-44s | %11.3f | %11.3f | %13.3f | %5.2f |\n", $1, $2, $3, $3-$2, $3/$2 }' "$results"
awk -F'\t' '$1 ~ /^no-op/ { if ($3-$2 > max) max = $3-$2 } $1 ~ /^floor/ { floor = $3-$2 }
	END { printf "\nlargest no-op overhead: %.3f ms (budget 1.3 ms); Go start-up floor: %.3f ms; gvx above the floor: %.3f ms\n", max, floor, max-floor }' "$results"

#!/usr/bin/env bash
# bench-shim.sh measures what gvx's shim adds to every go call: direct exec of
# a toolchain's bin/go against $GVX_HOME/shims/go selecting that same binary.
#
# Scenarios (hyperfine -N, 300 runs, 20 warm-up runs, medians):
#   - a no-op bin/go (a tiny static binary) in a root with the go.env of Go
#     1.21+ (GOTOOLCHAIN=auto), in a project with a go.mod, selected by a
#     .go-version 8 and 30 directories up, and by the global default from 8
#     and 30 levels deep
#     (the walk to / finds no version file), with 1 and with 100 installed
#     versions (an exact spec costs one stat whatever the count; a line spec
#     lists the versions directory once);
#   - an exact pin older than the newest installed version, for which the
#     shim reads go.work and go.mod (the go command could switch);
#   - a real `go version`, when a Go toolchain is on PATH;
#   - for reference, the floor of any Go shim: a program linking only os and
#     syscall that execs the target without selecting anything.
# The budget (issue 3) is at most 1.3 ms over direct exec. A second table
# (issue 5) shows how the overhead grows from 8 to 30 levels and from 1 to
# 100 installed versions.
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
# that marks a complete install and the go.env of every Go since 1.21
# (GOTOOLCHAIN=auto), so the shim does the work it does for a real root:
# reading go.mod and go.work for the go command's toolchain switching.
install_noop() {
	mkdir -p "$home/versions/$1/bin"
	cp "$bin/noop" "$home/versions/$1/bin/go"
	echo '{}' >"$home/versions/$1/.gvx-receipt.json"
	printf 'GOPROXY=off\nGOTOOLCHAIN=auto\n' >"$home/versions/$1/go.env"
}

project=$work/project
deep=$project/1/2/3/4/5/6/7/8
deep30=$project/$(seq -s / 1 30)
mkdir -p "$deep" "$deep30"
global=$work/global # a directory with no version file above it but /
global8=$global/1/2/3/4/5/6/7/8
global30=$global/$(seq -s / 1 30)
mkdir -p "$global8" "$global30"

# A module at the project's root (met by the selection, so nothing is
# raised), as in a real project; Go's env file is the script's own, empty.
printf 'module example.com/project\n\ngo 1.21\n' >"$project/go.mod"
export GVX_HOME=$home XDG_CONFIG_HOME=$work/config
unset GVX_GO_VERSION GVX_AUTO_INSTALL GOWORK GVX_SHIM_DEPTH GOTOOLCHAIN GOENV || true

results=$work/results.tsv
growth=$work/growth.tsv # KEY (source:depth:installed) and the overhead in ms
: >"$results"
: >"$growth"

# bench NAME DIR DIRECT-CMD SHIM-CMD [KEY]: one hyperfine run of both
# commands; with KEY, the overhead also goes into the growth table.
bench() {
	local name=$1 dir=$2 direct=$3 shimmed=$4 key=${5:-} csv=$work/$RANDOM.csv
	(cd "$dir" && hyperfine -N --style none --runs "$runs" --warmup "$warmup" --export-csv "$csv" \
		-n direct "$direct" -n shim "$shimmed" >/dev/null)
	local d s
	d=$(awk -F, '$1=="direct"{print $4*1000}' "$csv")
	s=$(awk -F, '$1=="shim"{print $4*1000}' "$csv")
	printf '%s\t%s\t%s\n' "$name" "$d" "$s" >>"$results"
	if [ -n "$key" ]; then
		# The file system calls of one shim call (and of the no-op it
		# execs), counted exactly where strace exists: unlike the times,
		# they do not depend on what else the machine is doing.
		local calls=-
		if command -v strace >/dev/null &&
			(cd "$dir" && strace -f -qq -e trace=%file,getdents64 -o "$work/strace.txt" $shimmed >/dev/null 2>&1); then
			calls=$(wc -l <"$work/strace.txt")
		fi
		awk -v k="$key" -v d="$d" -v s="$s" -v c="$calls" 'BEGIN { printf "%s\t%.4f\t%s\n", k, s - d, c }' >>"$growth"
	fi
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
bench "no-op, .go-version 8 up, 1 installed" "$deep" "$home/versions/1.999.0/bin/go" "$home/shims/go" gv:8:1
check "$deep30"
bench "no-op, .go-version 30 up, 1 installed" "$deep30" "$home/versions/1.999.0/bin/go" "$home/shims/go" gv:30:1
echo 1.999.0 >"$home/version"
check "$global8"
bench "no-op, global, 8 deep, 1 installed" "$global8" "$home/versions/1.999.0/bin/go" "$home/shims/go" global:8:1
check "$global30"
bench "no-op, global, 30 deep, 1 installed" "$global30" "$home/versions/1.999.0/bin/go" "$home/shims/go" global:30:1

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
bench "no-op, .go-version 8 up, 100 installed" "$deep" "$home/versions/1.999.0/bin/go" "$home/shims/go" gv:8:100
bench "no-op, .go-version 30 up, 100 installed" "$deep30" "$home/versions/1.999.0/bin/go" "$home/shims/go" gv:30:100
bench "no-op, global, 8 deep, 100 installed" "$global8" "$home/versions/1.999.0/bin/go" "$home/shims/go" global:8:100
bench "no-op, global, 30 deep, 100 installed" "$global30" "$home/versions/1.999.0/bin/go" "$home/shims/go" global:30:100
# An exact pin older than the newest installed version: the go command
# could switch to a newer one, so go.work and go.mod are read (to /).
echo 1.998.0 >"$project/.go-version"
check "$deep"
bench "no-op, older pin 8 up, 100 installed" "$deep" "$home/versions/1.998.0/bin/go" "$home/shims/go" older:8:100
check "$deep30"
bench "no-op, older pin 30 up, 100 installed" "$deep30" "$home/versions/1.998.0/bin/go" "$home/shims/go" older:30:100
echo 1.999 >"$project/.go-version" # a line spec: the versions directory is listed
check "$deep"
bench "no-op, line spec 8 up, 100 installed" "$deep" "$home/versions/1.999.0/bin/go" "$home/shims/go" line:8:100
check "$deep30"
bench "no-op, line spec 30 up, 100 installed" "$deep30" "$home/versions/1.999.0/bin/go" "$home/shims/go" line:30:100

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

# Growth (issue 5): the shim's overhead (shim minus direct exec, ms) and its
# file system calls, from 8 to 30 directory levels and from 1 to 100
# installed versions. "1@30" is 1 installed version, 30 levels deep.
growth_table() {
	local col=$1 fmt=$2 title=$3
	echo
	printf '| %-32s | %8s | %8s | %8s | %8s | %8s | %8s |\n' "$title" "1@8" "1@30" "100@8" "100@30" "8->30" "1->100"
	printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..34})" "----------" "----------" "----------" "----------" "----------" "----------"
	awk -F'\t' -v col="$col" -v fmt="$fmt" '
		{ split($1, k, ":"); if ($col != "-") o[k[1], k[2], k[3]] = $col; src[k[1]] = 1 }
		function cell(s, d, n) { return ((s, d, n) in o) ? sprintf("%8" fmt, o[s, d, n]) : sprintf("%8s", "-") }
		function diff(s, d1, n1, d2, n2) {
			if (!((s, d1, n1) in o) || !((s, d2, n2) in o)) return sprintf("%8s", "-")
			return sprintf("%+8" fmt, o[s, d2, n2] - o[s, d1, n1])
		}
		END {
			split("gv global line older", order, " ")
			label["gv"] = ".go-version N up (exact spec)"; label["global"] = "global default, N deep"; label["line"] = ".go-version N up (line spec)"
			label["older"] = "older pin N up (go.mod read)"
			for (i = 1; i <= 4; i++) {
				s = order[i]
				if (!(s in src)) continue
				d830 = ((s, 8, 100) in o && (s, 30, 100) in o) ? diff(s, 8, 100, 30, 100) : diff(s, 8, 1, 30, 1)
				printf "| %-32s | %s | %s | %s | %s | %s | %s |\n", label[s], cell(s, 8, 1), cell(s, 30, 1), cell(s, 8, 100), cell(s, 30, 100), d830, diff(s, 8, 1, 8, 100)
			}
		}' "$growth"
}
growth_table 2 .3f "overhead ms (median)"
if command -v strace >/dev/null; then growth_table 3 d "file syscalls per shim call"; fi
echo "(8->30: at 100 installed versions where measured, else at 1; 1->100: at 8 levels)"

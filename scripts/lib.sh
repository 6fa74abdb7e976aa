# lib.sh: shared by the scripts that run gvx against a real toolchain on
# loopback. Source it after setting $work (a temp dir) and $cache; it uses
# the array pids for the servers it starts (kill them in your trap).

# build_tools: gvx, gvx-shim (next to it, where gvx looks) and
# toolchain-server into $work/bin; sets gvx.
build_tools() {
	echo "building gvx, gvx-shim and toolchain-server"
	go build -o "$work/bin/gvx" ./cmd/gvx
	go build -o "$work/bin/gvx-shim" ./cmd/gvx-shim
	go build -o "$work/bin/toolchain-server" ./scripts/toolchain-server
	gvx=$work/bin/gvx
}

# start_server NAME VERSION [flags...]: start a toolchain server for
# VERSION, bounded to 30 minutes, wait until it listens, and set base_NAME
# to its GVX_DL_BASE.
start_server() {
	local name=$1 version=$2
	shift 2
	timeout 1800 "$work/bin/toolchain-server" -version "$version" -cache "$cache" \
		-ready "$work/$name.ready" "$@" >"$work/$name.out" 2>"$work/$name.log" &
	pids+=($!)
	local deadline=$((SECONDS + 600))
	until [ -s "$work/$name.ready" ]; do
		if ((SECONDS > deadline)) || ! kill -0 "${pids[-1]}" 2>/dev/null; then
			echo "FAIL: toolchain-server ($name, go$version) did not start:" >&2
			cat "$work/$name.log" >&2
			exit 1
		fi
		sleep 0.2
	done
	printf -v "base_$name" '%s' "$(sed -n 's/^GVX_DL_BASE=//p' "$work/$name.ready")"
}

#!/bin/sh
# The kiosk benchmark (make bench; see bench/README.md).
#
# 1. bench/bare, a libmicrohttpd server set up like the kiosk that stores
#    nothing, under wrk at 16 and 64 connections;
# 2. chorus kiosk on a fresh site database (on disk, not tmpfs) under the
#    same loads.
# Prints the rates, the ratio kiosk/bare, each server's peak memory
# (VmHWM), and checks that every item the kiosk acknowledged with 201 is
# a row in its database.  Rates are reported, never asserted.
#
#   BENCH_TIME=8         seconds per load
#   BENCH_CONNS="16 64"  connection counts
#   BENCH_KIOSK=bare     point the second half at bare too (tests this
#                        script before the kiosk exists; no row check)
#   BENCH_DIR=DIR        where the site database goes (default: under
#                        $BUILD, which must not be tmpfs)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BUILD=${BUILD:-build}
CHORUS=$top/$BUILD/chorus
BARE=$top/$BUILD/bench/bare
TIME=${BENCH_TIME:-8}
CONNS=${BENCH_CONNS:-16 64}
THREADS=$(nproc 2>/dev/null || echo 2)
[ "$THREADS" -gt 4 ] && THREADS=4
mkdir -p "$top/$BUILD"
dir=$(mktemp -d "${BENCH_DIR:-$top/$BUILD}/bench.XXXXXX")
pid=""
status=0

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		if python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" \
			2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# field NAME LINE: the value of NAME=VALUE in a BENCH line.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

hwm() { sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }

# The memory that is the daemon's own: proportional set size (shared
# library pages divided among the processes that map them) and private
# dirty pages, after the load.
pss() {
	awk '/^Pss:/ { p = $2 } /^Private_Dirty:/ { d = $2 }
		END { printf "PSS %d kB, private %d kB", p, d }' \
		"/proc/$1/smaps_rollup" 2>/dev/null
}

rows() { sqlite3 -batch -noheader "$1" 'SELECT count(*) FROM items'; }

# load NAME PORT CONNS: runs wrk once; sets $line to its BENCH line.
load() {
	wrk -t"$THREADS" -c"$3" -d"${TIME}s" --latency -s "$here/post.lua" \
		"http://127.0.0.1:$2/api/items" >"$dir/$1-$3.wrk" 2>&1
	line=$(grep '^BENCH ' "$dir/$1-$3.wrk")
	if [ -z "$line" ]; then
		echo "not ok - bench $1 at $3 connections: wrk said:"
		sed 's/^/#   /' "$dir/$1-$3.wrk" | head -10
		status=1
		line="BENCH requests=0 non201=0 errors=0 rps=0"
	fi
}

# start NAME command...: runs a server, waits for its port.
start() {
	name=$1
	shift
	"$@" >"$dir/$name.log" 2>&1 &
	pid=$!
	if ! wait_port "$port"; then
		echo "not ok - bench: $name did not start:"
		sed 's/^/#   /' "$dir/$name.log" | head -10
		kill "$pid" 2>/dev/null
		pid=""
		return 1
	fi
}

stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
}

fs=$(stat -f -c %T "$dir")
[ "$fs" = tmpfs ] && echo "# warning: $dir is on tmpfs; kiosk figures" \
	"will not include real fsync costs"
echo "# wrk: $THREADS threads, $TIME s per load; database on $fs"

# --- bare ---------------------------------------------------------------
port=$(free_port)
start bare "$BARE" --listen "127.0.0.1:$port" || exit 1
for c in $CONNS; do
	load bare "$port" "$c"
	eval "bare_rps_$c=$(field rps "$line")"
	echo "# bare  c=$c: $line"
done
bare_hwm=$(hwm "$pid")
stop

# --- kiosk --------------------------------------------------------------
db=$dir/site.db
port=$(free_port)
if [ "${BENCH_KIOSK:-chorus}" = bare ]; then
	kind=bare
	start kiosk "$BARE" --listen "127.0.0.1:$port" || exit 1
else
	kind=kiosk
	"$CHORUS" init --db "$db" --site K7 --central http://127.0.0.1:8080 \
		--token bench >"$dir/init.log" 2>&1 || {
		echo "not ok - bench: chorus init failed:"
		sed 's/^/#   /' "$dir/init.log"
		exit 1
	}
	start kiosk "$CHORUS" kiosk --db "$db" --listen "127.0.0.1:$port" ||
		exit 1
fi
for c in $CONNS; do
	before=0
	[ $kind = kiosk ] && before=$(rows "$db")
	load kiosk "$port" "$c"
	eval "kiosk_rps_$c=$(field rps "$line")"
	echo "# $kind c=$c: $line"
	[ $kind = kiosk ] || continue

	# Every 201 is a row.  Requests still in flight when wrk stopped may
	# be stored without wrk having counted the answer: at most one per
	# connection.
	acked=$(($(field requests "$line") - $(field non201 "$line")))
	stored=$(($(rows "$db") - before))
	if [ "$stored" -ge "$acked" ] && [ "$stored" -le $((acked + c)) ]; then
		echo "ok - bench kiosk c=$c: every acknowledged item stored" \
			"(201 answers $acked, rows $stored)"
	else
		echo "not ok - bench kiosk c=$c: every acknowledged item stored" \
			"(201 answers $acked, rows $stored)"
		status=1
	fi
	[ "$(field non201 "$line")" = 0 ] ||
		echo "# kiosk c=$c: $(field non201 "$line") answers were not 201"
done
kiosk_hwm=$(hwm "$pid")
kiosk_pss=$(pss "$pid")
stop
if [ $kind = kiosk ]; then
	check=$(sqlite3 -batch -noheader "$db" 'PRAGMA integrity_check')
	if [ "$check" = ok ]; then
		echo "ok - bench kiosk: integrity_check"
	else
		echo "not ok - bench kiosk: integrity_check: $check"
		status=1
	fi
fi

# --- summary ------------------------------------------------------------
echo
printf '%-6s %12s %12s %8s\n' conns "bare req/s" "$kind req/s" ratio
for c in $CONNS; do
	b=$(eval echo "\$bare_rps_$c")
	k=$(eval echo "\$kiosk_rps_$c")
	r=$(awk -v b="$b" -v k="$k" 'BEGIN { if (b > 0) printf "%.2f", k / b;
		else print "-" }')
	printf '%-6s %12s %12s %8s\n' "$c" "$b" "$k" "$r"
done
echo "peak memory (VmHWM): bare $bare_hwm, $kind $kiosk_hwm"
echo "$kind after the load: $kiosk_pss"
exit $status

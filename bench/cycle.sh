#!/bin/sh
# The knowledge-cycle benchmark (see bench/README-cycle.md).
#
# Fills a central database with CYCLE_ITEMS items and CYCLE_IDEAS ideas
# (tests/tools/cycle_gen), serves it with chorus web, and measures with
# wrk --latency the public page of random ideas and a staff member's
# first inbox page: requests per second, p50 and p99 latency, then the
# server's memory (VmHWM and VmRSS).  The baseline, measured first on the
# same server with the same load, is GET /healthz: the HTTP stack, the
# thread pool and the pool of connections with no page behind them; each
# page's rate is then given as a ratio of it.  Memory is read at start,
# after the login and after the load.  Figures are reported, not asserted.
#
#   CYCLE_ITEMS=1000000 CYCLE_IDEAS=100000   the data
#   BENCH_TIME=10 BENCH_CONNS=8              each load
#   BENCH_DIR=DIR    where the database goes (not tmpfs; default $BUILD)
#   BENCH_KEEP=1     keep the database for another run
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BUILD=${BUILD:-build}
CHORUS=$top/$BUILD/chorus
GEN=$top/$BUILD/tools/cycle_gen
ITEMS=${CYCLE_ITEMS:-1000000}
IDEAS=${CYCLE_IDEAS:-100000}
TIME=${BENCH_TIME:-10}
CONNS=${BENCH_CONNS:-8}
dir=${BENCH_DIR:-$top/$BUILD}/bench-cycle-$ITEMS-$IDEAS
db=$dir/central.db
pid=""

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir"
if [ ! -f "$db" ]; then
	start=$(date +%s)
	prefix=$("$GEN" "$db" "$ITEMS" "$IDEAS") || exit 1
	echo "generated $ITEMS items, $IDEAS ideas in $(($(date +%s) - start)) s"
	printf 'benchmark password\n' | "$CHORUS" user add --db "$db" \
		--email bench@example.org --role district || exit 1
fi
echo "database: $(du -h "$db" | cut -f1)"
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$CHORUS" web --db "$db" --listen "127.0.0.1:$port" --public-url "$url" \
	2>"$dir/web.log" &
pid=$!
i=0
until curl -s -o /dev/null "$url/healthz"; do
	i=$((i + 1))
	[ $i -gt 3000 ] && { echo "web did not start in 300 s"; exit 1; }
	kill -0 "$pid" 2>/dev/null || { cat "$dir/web.log"; exit 1; }
	sleep 0.1
done
echo "web answered after $((i / 10)).$((i % 10)) s"

mem() {
	awk '/VmHWM|VmRSS/ { printf "%s %s %s  ", $1, $2, $3 }' \
		"/proc/$pid/status"
}
echo "web memory at start:   $(mem)"

# Random idea codes for the public page.
sqlite3 "$db" "SELECT code FROM ideas ORDER BY random() LIMIT 2000" \
	>"$dir/codes"
cat >"$dir/ideas.lua" <<LUA
local codes = {}
for line in io.lines("$dir/codes") do codes[#codes + 1] = line end
request = function()
	return wrk.format("GET", "/i/" .. codes[math.random(#codes)])
end
LUA

# A staff session for the inbox.
jar=$dir/jar
curl -s -c "$jar" -o "$dir/login.html" "$url/staff/login"
tok=$(grep -o 'name="l" value="[0-9a-f]*"' "$dir/login.html" | cut -d'"' -f4)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode \
	"email=bench@example.org" --data-urlencode "password=benchmark password" \
	--data "l=$tok" "$url/staff/login"
session=$(awk '$6 == "chorus_s" { print $7 }' "$jar")
[ -n "$session" ] || { echo "cannot log in"; exit 1; }
echo "web memory, logged in: $(mem)"

# report FILE LABEL: one line of a wrk run, with its rate against the
# baseline's once that is known.
base_rps=""
report() {
	rps=$(awk '/Requests\/sec/ { print $2 }' "$1")
	p50=$(awk '$1 == "50%" { print $2 }' "$1")
	p99=$(awk '$1 == "99%" { print $2 }' "$1")
	non2xx=$(awk '/Non-2xx/ { print $NF }' "$1")
	ratio=""
	[ -n "$base_rps" ] && ratio=$(awk -v a="$rps" -v b="$base_rps" \
		'BEGIN { printf "  x%.2f of baseline", a / b }')
	printf '%-22s %10s req/s  p50 %8s  p99 %8s  non-2xx %s%s\n' "$2" \
		"$rps" "$p50" "$p99" "${non2xx:-0}" "$ratio"
}

wrk -t2 -c"$CONNS" -d"${TIME}s" --latency "$url/healthz" >"$dir/base.out"
report "$dir/base.out" "baseline, /healthz"
base_rps=$(awk '/Requests\/sec/ { print $2 }' "$dir/base.out")
wrk -t2 -c"$CONNS" -d"${TIME}s" --latency -s "$dir/ideas.lua" "$url" \
	>"$dir/ideas.out"
report "$dir/ideas.out" "public idea page"
wrk -t2 -c"$CONNS" -d"${TIME}s" --latency \
	-H "Cookie: chorus_s=$session" "$url/staff" >"$dir/inbox.out"
report "$dir/inbox.out" "inbox, first page"
echo "web memory after load: $(mem)"

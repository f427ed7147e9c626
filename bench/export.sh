#!/bin/sh
# The export benchmark (see bench/README-export.md).
#
# Fills a central database with EXPORT_ITEMS items of about EXPORT_TEXT
# bytes of text (one SQL transaction), serves it with chorus web, and
# downloads /staff/export/items.csv and items.json as a district
# account: rows per second, bytes, and the server's peak memory (VmHWM)
# before and after.  As a baseline in the same run, sqlite3 -csv writes
# the same query to /dev/null.  Figures are reported, not asserted.
#
#   EXPORT_ITEMS=1000000 EXPORT_TEXT=200   the data
#   BENCH_DIR=DIR    where the database goes (not tmpfs; default $BUILD)
#   BENCH_KEEP=1     keep the database for another run
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BUILD=${BUILD:-build}
CHORUS=$top/$BUILD/chorus
ITEMS=${EXPORT_ITEMS:-1000000}
TEXT=${EXPORT_TEXT:-200}
dir=${BENCH_DIR:-$top/$BUILD}/bench-export-$ITEMS-$TEXT
db=$dir/central.db
pid=""

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
hwm() { awk '/^VmHWM/ { print $2 / 1024 " MB" }' "/proc/$pid/status"; }

mkdir -p "$dir"
if [ ! -f "$db" ]; then
	start=$(now)
	"$CHORUS" site add --db "$db" --name Bench >"$dir/site" || exit 1
	site=$(cut -d' ' -f1 "$dir/site")
	sqlite3 "$db" "BEGIN;
	WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
		WHERE i < $ITEMS)
	INSERT INTO items (id, code, site, seq, device, channel, role, lang,
		text, made_at, clock_ok, received_at, sha256, sync_state)
	SELECT 'b-' || i, '$site' || printf('B%08d', i), '$site', i, 'd1',
		'kiosk', 'student', 'en',
		'idea \"' || i || '\" ' || hex(zeroblob($TEXT / 2)),
		1700000000000 + i, 1, 1700000000000 + i, 'x', 'central' FROM s;
	COMMIT;" || exit 1
	printf 'benchmark password\n' | "$CHORUS" user add --db "$db" \
		--email bench@example.org --role district || exit 1
	echo "generated $ITEMS items in $(echo "$(now) - $start" | bc) s"
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
	[ $i -gt 100 ] && { echo "web did not start"; exit 1; }
	sleep 0.1
done
jar=$dir/jar
curl -s -c "$jar" -o "$dir/login.html" "$url/staff/login"
tok=$(grep -o 'name="l" value="[0-9a-f]*"' "$dir/login.html" | cut -d'"' -f4)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode \
	"email=bench@example.org" --data-urlencode "password=benchmark password" \
	--data "l=$tok" "$url/staff/login"
echo "server memory before: VmHWM $(hwm)"

# report WHAT SECONDS BYTES
report() {
	printf '%-28s %8.2f s  %9.0f rows/s  %6.1f MB/s  (%s bytes)\n' "$1" \
		"$2" "$(echo "$ITEMS / $2" | bc -l)" \
		"$(echo "$3 / $2 / 1048576" | bc -l)" "$3"
}

for kind in csv json; do
	start=$(now)
	bytes=$(curl -s -b "$jar" -o /dev/null -w '%{size_download}' \
		"$url/staff/export/items.$kind")
	report "chorus web items.$kind" "$(echo "$(now) - $start" | bc)" \
		"$bytes"
done
echo "server memory after: VmHWM $(hwm)"

start=$(now)
bytes=$(sqlite3 -csv -header "file:$db?mode=ro" "SELECT code, site, channel,
	role, lang, prompt, text, received_at, status FROM items ORDER BY n" |
	wc -c)
report "baseline sqlite3 -csv" "$(echo "$(now) - $start" | bc)" "$bytes"

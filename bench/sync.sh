#!/bin/bash
# The sync benchmark (see bench/README-sync.md): catching up a backlog
# of BENCH_ITEMS (default 100000) items over loopback.
#
# 1. chorus sync --once from a site database holding the backlog to
#    chorus web on 127.0.0.1 (both databases on disk, synchronous=FULL);
# 2. the ceiling: the same items written straight into a fresh central
#    database by one process, in transactions of the same size as a push
#    batch (500), with the same pragmas;
# 3. PouchDB: the same number of documents replicated from a local
#    PouchDB to an express-pouchdb server on loopback.  The packages are
#    installed into bench/node_modules on the first run (npm).
# Prints items per second for each and the ratios.  Rates are reported,
# never asserted.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BUILD=${BUILD:-build}
CHORUS=$top/$BUILD/chorus
MK=$top/$BUILD/tools/sync_mkitems
N=${BENCH_ITEMS:-100000}
dir=$(mktemp -d "${BENCH_DIR:-$top/$BUILD}/bench-sync.XXXXXX")
web=""
trap '[ -n "$web" ] && kill $web 2>/dev/null; rm -rf "$dir"' EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

C=$dir/central.db
S=$dir/site.db
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
read -r site token <<<"$("$CHORUS" site add --db "$C" --name Bench)"
"$CHORUS" init --db "$S" --site "$site" --central "http://127.0.0.1:$port" \
	--token "$token" >/dev/null
"$MK" "$S" "$N" "an idea from the backlog, number" >/dev/null
"$CHORUS" web --db "$C" --listen "127.0.0.1:$port" \
	--public-url http://127.0.0.1 >"$dir/web.log" 2>&1 &
web=$!
for i in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.05
done

t0=$(now)
"$CHORUS" sync --db "$S" --once >/dev/null || echo "sync failed"
t1=$(now)
s_sync=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
got=$(sqlite3 "$C" "SELECT count(*) FROM items")
[ "$got" = "$N" ] || echo "warning: the centre holds $got of $N items"

# The ceiling: one process, the same rows, batches of 500, FULL sync.
D=$dir/direct.db
"$CHORUS" site add --db "$D" --name Direct >/dev/null
{
	echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	echo "ATTACH '$S' AS s;"
	b=0
	while [ $b -lt "$N" ]; do
		echo "BEGIN IMMEDIATE; INSERT INTO items (id, code, site, seq,"
		echo " device, channel, role, lang, text, made_at, clock_ok,"
		echo " received_at, sha256, sync_state) SELECT id, code, site,"
		echo " seq, device, channel, role, lang, text, made_at, clock_ok,"
		echo " 0, sha256, 'central' FROM s.items WHERE n > $b"
		echo " ORDER BY n LIMIT 500; COMMIT;"
		b=$((b + 500))
	done
} >"$dir/direct.sql"
t0=$(now)
sqlite3 "$D" <"$dir/direct.sql" >/dev/null
t1=$(now)
s_direct=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

# PouchDB.
s_pouch=""
if [ ! -d "$here/node_modules/express-pouchdb" ]; then
	npm install --no-save --no-audit --no-fund --prefix "$here" \
		pouchdb@9 express-pouchdb@4 express@4 >"$dir/npm.log" 2>&1 ||
		echo "npm install failed; see the log: PouchDB skipped"
fi
if [ -d "$here/node_modules/express-pouchdb" ]; then
	mkdir -p "$dir/pouch"
	line=$(cd "$here" && node sync-pouch.mjs "$N" "$dir/pouch" 2>&1 |
		grep '^pouchdb ')
	s_pouch=$(echo "$line" | awk '{print $3}')
fi

r_sync=$(rate "$N" "$s_sync")
r_direct=$(rate "$N" "$s_direct")
echo "backlog: $N items over loopback"
printf '  chorus sync (push to chorus web) %9s items/s  (%.2f s)\n' \
	"$r_sync" "$s_sync"
printf '  ceiling (one process, direct)    %9s items/s  (%.2f s)\n' \
	"$r_direct" "$s_direct"
if [ -n "$s_pouch" ]; then
	r_pouch=$(rate "$N" "$s_pouch")
	printf '  pouchdb replicate to server      %9s items/s  (%.2f s)\n' \
		"$r_pouch" "$s_pouch"
	awk -v a="$r_sync" -v b="$r_pouch" \
		'BEGIN { printf "  chorus / pouchdb = %.1f\n", a / b }'
fi
awk -v a="$r_sync" -v b="$r_direct" \
	'BEGIN { printf "  chorus / ceiling = %.2f\n", a / b }'

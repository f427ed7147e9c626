#!/bin/bash
# Two processes write 10,000 items each into one site database through
# intake, at full speed.  Each waits for the other's transactions through
# the busy timeout: no job may fail with SQLITE_BUSY, all 20,000 rows
# must be there with distinct sequence numbers, and the file must pass
# integrity_check.
. "$(dirname "$0")/../lib.sh"

TOOL=$(dirname "$CHORUS")/tools/store_writer
N=10000
DB=$T/site.db

"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >"$T/init.log" 2>&1 || {
	not_ok "init the site db"
	cat "$T/init.log"
	finish
}

"$TOOL" "$DB" $N >"$T/a.out" 2>&1 &
a=$!
"$TOOL" "$DB" $N >"$T/b.out" 2>&1 &
b=$!
wait $a
rc_a=$?
wait $b
rc_b=$?

busy=$(cat "$T/a.out" "$T/b.out" | awk '/^written/ { s += $6 } END { print s + 0 }')
failed=$(cat "$T/a.out" "$T/b.out" |
	awk '/^written/ { s += $8 + $10 } END { print s + 0 }')
if [ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] && [ "$busy" = 0 ]; then
	ok "scenario 2, two writers: every job committed (busy = $busy, failed = $failed)"
else
	not_ok "scenario 2, two writers: every job committed (busy = $busy, failed = $failed)"
	sed 's/^/#   /' "$T/a.out" "$T/b.out"
fi
same "scenario 2, two writers: rows" $((2 * N)) "$(sql "$DB" 'SELECT count(*) FROM items')"
same "scenario 2, two writers: distinct sequence numbers" $((2 * N)) \
	"$(sql "$DB" 'SELECT count(DISTINCT seq) FROM items')"
same "scenario 2, two writers: integrity_check" ok "$(sql "$DB" 'PRAGMA integrity_check')"
finish

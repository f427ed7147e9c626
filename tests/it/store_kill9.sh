#!/bin/bash
# A writer that prints each item only after its commit is killed with
# SIGKILL at random moments, several times over one site database.
# Every item it printed (acknowledged) must be in the file afterwards,
# and the file must pass integrity_check.
#
# SIGKILL loses the process, not the kernel's page cache, so this checks
# that acknowledgement waits for the commit and that an interrupted
# transaction rolls back cleanly; it does not simulate a power cut.
. "$(dirname "$0")/../lib.sh"

TOOL=$(dirname "$CHORUS")/tools/store_writer
DB=$T/site.db
ROUNDS=6

"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >"$T/init.log" 2>&1 || {
	not_ok "init the site db"
	cat "$T/init.log"
	finish
}

: >"$T/acks"
for r in $(seq 1 $ROUNDS); do
	"$TOOL" "$DB" 300000 --ack >"$T/round$r.out" 2>"$T/round$r.err" &
	pid=$!
	# Between 0.2 and 1.2 seconds: inside a batch, a commit or a print.
	sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# Only whole lines count: a line cut by the kill was not an ack.
	grep -E '^ack [0-9]+ [0-9A-Z]{26}$' "$T/round$r.out" >>"$T/acks"
done

acked=$(wc -l <"$T/acks")
if [ "$acked" -gt 0 ]; then
	ok "scenario 1, kill -9: $acked items acknowledged over $ROUNDS rounds"
else
	not_ok "scenario 1, kill -9: the writer acknowledged nothing"
	cat "$T"/round*.err | head -5
fi

# Load the acknowledged ids into the database copy and look for any gap.
cp "$DB" "$T/check.db"
[ -f "$DB-wal" ] && cp "$DB-wal" "$T/check.db-wal"
awk '{ print $3 }' "$T/acks" >"$T/ack_ids"
lost=$(sqlite3 -batch "$T/check.db" <<SQL
CREATE TEMP TABLE acked (id TEXT PRIMARY KEY);
.mode csv
.import $T/ack_ids acked
SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM items);
SQL
)
same "scenario 1, kill -9: acknowledged lost = 0" 0 "$lost"
same "scenario 1, kill -9: integrity_check" ok "$(sql "$DB" 'PRAGMA integrity_check')"
same "scenario 1, kill -9: no sequence number used twice" 0 \
	"$(sql "$DB" 'SELECT count(*) - count(DISTINCT seq) FROM items')"
finish

#!/bin/bash
# Scenario 4: the write-ahead log stays bounded over a long run while a
# reader holds a read transaction open now and then.  Writers add items
# through intake without pause; a reader holds a snapshot for 1.5 s
# every 2 s (no checkpoint can pass it meanwhile).  The WAL is sampled
# throughout; its largest size must stay under a fixed bound, and once
# the reader lets go a checkpoint brings it back.
. "$(dirname "$0")/../lib.sh"
TOOL=$(dirname "$CHORUS")/tools/store_writer
BOUND=$((64 * 1024 * 1024))

DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null 2>&1
cat >"$T/reader.py" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    db.execute("BEGIN")
    db.execute("SELECT count(*) FROM items").fetchone()
    time.sleep(1.5)
    db.execute("COMMIT")
    time.sleep(0.5)
PY
python3 "$T/reader.py" "$DB" 8 &
READER=$!
largest=0
(for r in 1 2 3 4 5 6; do "$TOOL" "$DB" 20000 >/dev/null 2>&1; done) &
W=$!
while kill -0 "$W" 2>/dev/null; do
	s=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
	[ "$s" -gt "$largest" ] && largest=$s
	sleep 0.05
done
wait "$W"
wait "$READER"
rows=$(sql "$DB" "SELECT count(*) FROM items")
echo "# scenario 4: $rows items written; largest WAL $largest bytes"
check "scenario 4: the writers went on while the reader held snapshots" \
	test "$rows" -ge 100000
check "scenario 4: the WAL stayed under $BOUND bytes [largest WAL size $largest]" \
	test "$largest" -lt "$BOUND"
sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
same "scenario 4: once readers let go, a checkpoint empties the WAL" 0 \
	"$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)"
same "scenario 4: integrity_check" ok "$(sql "$DB" "PRAGMA integrity_check")"
finish

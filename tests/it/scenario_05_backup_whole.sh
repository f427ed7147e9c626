#!/bin/bash
# Scenario 5: a backup is whole.  While a writer commits items without
# pause (printing each acknowledged id), an online backup is taken with
# SQLite's backup API (sqlite3 ".backup", what docs/deploy.md asks
# operators to use); every item acknowledged before the backup started
# is in it, and it passes integrity_check.  Copying the main file alone
# is not a backup: rows committed to the WAL and not yet checkpointed
# are missing from such a copy (shown with autocheckpoint off).
. "$(dirname "$0")/../lib.sh"
TOOL=$(dirname "$CHORUS")/tools/store_writer

DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null 2>&1
: >"$T/acks"
"$TOOL" "$DB" 60000 --ack >>"$T/acks" 2>/dev/null &
W=$!
while [ "$(grep -c '^ack ' "$T/acks")" -lt 5000 ]; do sleep 0.05; done
grep '^ack ' "$T/acks" | awk '{print $3}' >"$T/before"
sqlite3 "$DB" ".backup '$T/backup.db'"
wait "$W"
n=$(wc -l <"$T/before")
missing=$(sqlite3 -batch -noheader "$T/backup.db" <<SQL
CREATE TEMP TABLE want (id TEXT);
.import '$T/before' want
SELECT count(*) FROM want WHERE id NOT IN (SELECT id FROM items);
SQL
)
echo "# scenario 5: $n items acknowledged before the backup began"
check "scenario 5: the backup began while writes went on" \
	test "$n" -ge 5000 -a "$n" -lt 60000
same "scenario 5: the backup holds every item acknowledged before it" \
	0 "$missing"
same "scenario 5: the backup passes integrity_check" ok \
	"$(sql "$T/backup.db" "PRAGMA integrity_check")"

cat >"$T/wal.py" <<'PY'
import shutil, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("BEGIN IMMEDIATE")
db.execute("CREATE TABLE late (n INTEGER)")
db.executemany("INSERT INTO late VALUES (?)", [(i,) for i in range(100)])
db.execute("COMMIT")
shutil.copyfile(sys.argv[1], sys.argv[2])
bk = sqlite3.connect(sys.argv[3])
db.backup(bk)
bk.close()
print(db.execute("SELECT count(*) FROM late").fetchone()[0])
PY
sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
same "scenario 5: 100 rows committed" 100 \
	"$(python3 "$T/wal.py" "$DB" "$T/copy.db" "$T/bk2.db")"
same "scenario 5: a copy of the main file alone misses them" "" \
	"$(sqlite3 "$T/copy.db" "SELECT count(*) FROM late" 2>/dev/null)"
same "scenario 5: the backup API has them" 100 \
	"$(sql "$T/bk2.db" "SELECT count(*) FROM late")"
finish

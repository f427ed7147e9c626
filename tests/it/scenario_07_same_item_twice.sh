#!/bin/bash
# Scenario 7: the same item twice is one item.  A batch is pushed, then
# pushed again, then pushed from five connections at once; the centre
# holds each item once and answers "duplicate" to the repeats.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
S=$T/site.db
site_init "$S"
"$MK" "$S" 50 "twice" >/dev/null
check "scenario 7: the first push succeeds" "$CHORUS" sync --db "$S" --once
sql "$S" "UPDATE items SET sync_state = 'pending'"
"$CHORUS" sync --db "$S" --once >"$T/again.out" 2>&1
same "scenario 7: the repeat marks every item sent again" 50 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state = 'sent'")"
check "scenario 7: the centre logged 50 duplicates" \
	grep -q "0 stored, 50 duplicate" "$T/web.log"

sql "$S" "UPDATE items SET sync_state = 'pending'"
pids=""
for i in 1 2 3 4 5; do
	"$CHORUS" sync --db "$S" --once >"$T/par$i.out" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
same "scenario 7: five concurrent pushes leave nothing pending" 0 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state <> 'sent'")"
same "scenario 7: the centre holds each item once [duplicates = 0]" \
	"50 50 50" "$(sql "$C" "SELECT count(*), count(DISTINCT id),
		count(DISTINCT code) FROM items" | tr '|' ' ')"
same "scenario 7: same content on both sides" "$(item_lines "$S")" \
	"$(item_lines "$C")"
finish

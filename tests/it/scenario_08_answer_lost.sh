#!/bin/bash
# Scenario 8: the answer was lost, not the data.  The centre commits a
# batch and the connection drops before the reply arrives (a proxy cuts
# every push answer at a random byte); the site retries once the link
# is good.  One row per item at the centre, none lost.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
proxy_up cutpush
S=$T/site.db
site_init "$S" "$PXURL"
"$MK" "$S" 120 "lost answer" >/dev/null
for i in 1 2 3; do
	"$CHORUS" sync --db "$S" --once >"$T/cut$i.out" 2>&1
done
same "scenario 8: no cut answer marked anything sent" 0 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state = 'sent'")"
check "scenario 8: the centre did commit before the answer was lost" \
	test "$(sql "$C" "SELECT count(*) FROM items")" -ge 100
echo pass >"$PXMODE"
check "scenario 8: the retry over a good link succeeds" \
	"$CHORUS" sync --db "$S" --once
same "scenario 8: one row per item, none lost" "120 120" \
	"$(sql "$C" "SELECT count(*), count(DISTINCT id) FROM items" |
		tr '|' ' ')"
same "scenario 8: nothing left pending" 0 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state <> 'sent'")"
same "scenario 8: the same content on both sides" "$(item_lines "$S")" \
	"$(item_lines "$C")"
finish

#!/bin/bash
# Scenario 14: cloned kiosks.  Two site nodes made from one disk image
# (same site code, same device id, same sequence counter) each make an
# item with the same code.  The centre stores the first; the second
# node learns from the "code_conflict" answer that it is a clone, takes
# a new device id and moves its item to a fresh block of sequences.
# The centre then holds both items, from two distinct devices, and the
# two nodes never clash again.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
A=$T/a.db
B=$T/b.db
site_init "$A"
"$MK" "$A" 1 "made before the image" >/dev/null
"$CHORUS" sync --db "$A" --once >/dev/null
sqlite3 "$A" ".backup '$B'"
same "scenario 14: the image shares the device id" \
	"$(sql "$A" "SELECT value FROM meta WHERE key = 'device'")" \
	"$(sql "$B" "SELECT value FROM meta WHERE key = 'device'")"
ca=$("$MK" "$A" 1 "from node A")
cb=$("$MK" "$B" 1 "from node B")
same "scenario 14: both nodes made the same code" "$ca" "$cb"
check "scenario 14: node A syncs" "$CHORUS" sync --db "$A" --once
check "scenario 14: node B syncs" "$CHORUS" sync --db "$B" --once
same "scenario 14: the centre holds both items [items = 2]" 2 \
	"$(sql "$C" "SELECT count(*) FROM items
		WHERE text IN ('from node A', 'from node B')")"
same "scenario 14: from two distinct devices" 2 \
	"$(sql "$C" "SELECT count(DISTINCT device) FROM items
		WHERE text IN ('from node A', 'from node B')")"
check "scenario 14: node B has a new device id" test \
	"$(sql "$A" "SELECT value FROM meta WHERE key = 'device'")" != \
	"$(sql "$B" "SELECT value FROM meta WHERE key = 'device'")"
same "scenario 14: node B's item says which code it had" \
	"recoded from $cb" \
	"$(sql "$B" "SELECT sync_note FROM items WHERE text = 'from node B'")"
"$MK" "$A" 3 "more from A" >/dev/null
"$MK" "$B" 3 "more from B" >/dev/null
"$CHORUS" sync --db "$A" --once >/dev/null
"$CHORUS" sync --db "$B" --once >/dev/null
same "scenario 14: later items of both nodes all arrive, none set aside" \
	"9 0 0" "$(sql "$C" "SELECT count(*) FROM items") \
$(sql "$A" "SELECT count(*) FROM items WHERE sync_state <> 'sent'") \
$(sql "$B" "SELECT count(*) FROM items WHERE sync_state <> 'sent'")"
same "scenario 14: both sides agree, item by item" \
	"$( (item_lines "$A" "text <> 'from node B' AND text NOT LIKE
		'more from B%'"; item_lines "$B" "text = 'from node B' OR
		text LIKE 'more from B%'") | sort)" "$(item_lines "$C" | sort)"
finish

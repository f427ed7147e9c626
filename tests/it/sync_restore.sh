#!/bin/bash
# The centre is restored from last night's backup: the handshake tells
# each site the highest sequence the centre holds for it, and the site
# sends again what the centre lost.  The pull cursor the site saved is
# beyond the restored feed: the centre answers 410 and the site pulls
# everything again from 0.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
S=$T/site.db
site_init "$S"
"$MK" "$S" 30 "before the backup" >/dev/null
"$PUB" "$C" many 5 -
"$CHORUS" sync --db "$S" --once >/dev/null
sql "$S" "INSERT INTO endorsements (id, target, voter, channel, made_at)
	VALUES ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9A', 'idea-1',
	'0123456789abcdef0123456789abcdef', 'kiosk', 1)"
"$CHORUS" sync --db "$S" --once >/dev/null
sqlite3 "$C" ".backup '$T/nightly.db'"
"$MK" "$S" 20 "after the backup" >/dev/null
sql "$S" "INSERT INTO endorsements (id, target, voter, channel, made_at)
	VALUES ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9B', 'idea-2',
	'0123456789abcdef0123456789abcdef', 'kiosk', 2)"
"$PUB" "$C" many 9 -
"$CHORUS" sync --db "$S" --once >/dev/null
same "before the restore the centre has 50 items" 50 \
	"$(sql "$C" "SELECT count(*) FROM items")"

web_stop
cp "$T/nightly.db" "$C"
rm -f "$C-wal" "$C-shm"
web_start
same "the restored centre lost 20 items" 30 \
	"$(sql "$C" "SELECT count(*) FROM items")"
check "the next sync succeeds" "$CHORUS" sync --db "$S" --once
same "the handshake made the site send them again" 50 \
	"$(sql "$C" "SELECT count(*) FROM items")"
same "and the lost endorsement" 2 \
	"$(sql "$C" "SELECT count(*) FROM endorsements")"
same "every item once, with the same content" "$(item_lines "$S")" \
	"$(item_lines "$C")"
same "nothing pending at the site" 0 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state <> 'sent'")"
same "the site pulled again from 0: it holds what the centre holds" \
	"5" "$(sql "$S" "SELECT count(*) FROM pulled")"
same "the site's cursor is the restored feed's end" 5 \
	"$(sql "$S" "SELECT value FROM meta WHERE key = 'pull_cursor'")"
finish

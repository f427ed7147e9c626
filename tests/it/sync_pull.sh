#!/bin/bash
# Pull and the rest of "both ways": a site pulls only the feed rows for
# every site, for itself and for its cluster; deletions arrive as
# tombstones; a status set at the centre (web_item_status) reaches the
# item's own site only; endorsements are stored once per (target,
# voter); additions keep their parent and prompt.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up east
read -r OTHER OTOKEN <<<"$("$CHORUS" site add --db "$C" --name South \
	--cluster west)"
S=$T/site.db
site_init "$S"
O=$T/other.db
"$CHORUS" init --db "$O" --site "$OTHER" --central "$URL" \
	--token "$OTOKEN" >/dev/null

"$PUB" "$C" publish prompt p1 - '{"id":"p1","text":{"en":"Lunch?"}}'
"$PUB" "$C" publish notice mine "$SITE" '{"id":"mine","title":"Ours"}'
"$PUB" "$C" publish notice east cluster:east '{"id":"east","title":"E"}'
"$PUB" "$C" publish notice west cluster:west '{"id":"west","title":"W"}'
"$PUB" "$C" publish notice theirs "$OTHER" '{"id":"theirs","title":"T"}'
"$PUB" "$C" publish notice gone - '{"id":"gone","title":"G"}'
check "sync pulls" "$CHORUS" sync --db "$S" --once
same "the site holds the rows for all, itself and its cluster" \
	"notice:east notice:gone notice:mine prompt:p1" \
	"$(sql "$S" "SELECT kind || ':' || key FROM pulled ORDER BY 1" |
		tr '\n' ' ' | sed 's/ $//')"
same "the pulled data is what was published" "Lunch?" \
	"$(sql "$S" "SELECT json_extract(data, '$.text.en') FROM pulled
		WHERE key = 'p1'")"
"$CHORUS" sync --db "$O" --once >/dev/null
same "the other site holds its own rows" \
	"notice:gone notice:theirs notice:west prompt:p1" \
	"$(sql "$O" "SELECT kind || ':' || key FROM pulled ORDER BY 1" |
		tr '\n' ' ' | sed 's/ $//')"

"$PUB" "$C" delete notice gone -
"$PUB" "$C" publish prompt p1 - '{"id":"p1","text":{"en":"Dinner?"}}'
code=$("$MK" "$S" 1 "more trees")
"$CHORUS" sync --db "$S" --once >/dev/null
check "web_item_status publishes the new status" \
	"$PUB" "$C" status "$code" decided
check "an unknown code is refused" \
	test "$("$PUB" "$C" status K70000X x 2>/dev/null; echo $?)" != 0
"$CHORUS" sync --db "$S" --once >/dev/null
"$CHORUS" sync --db "$O" --once >/dev/null
same "a tombstone deletes the row at the site" 0 \
	"$(sql "$S" "SELECT count(*) FROM pulled WHERE key = 'gone'")"
same "a new version replaces the old one" "Dinner?" \
	"$(sql "$S" "SELECT json_extract(data, '$.text.en') FROM pulled
		WHERE key = 'p1'")"
same "the item's status reached its site" decided \
	"$(sql "$S" "SELECT json_extract(data, '$.status') FROM pulled
		WHERE kind = 'item' AND key = '$code'")"
same "and not the other site" 0 \
	"$(sql "$O" "SELECT count(*) FROM pulled WHERE kind = 'item'")"
same "the centre's item has the status" decided \
	"$(sql "$C" "SELECT status FROM items WHERE code = '$code'")"

# Additions and endorsements push up like items.
add=$("$MK" "$S" 1 "and benches")
sql "$S" "UPDATE items SET parent = '$code', prompt = 'p1'
	WHERE code = '$add'"
V=0123456789abcdef0123456789abcdef
sql "$S" "INSERT INTO endorsements (id, target, voter, channel, made_at)
	VALUES ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9A', '$code', '$V', 'kiosk', 1),
	('01KBN2Y7W0Q8ZC3R5T6V7X8Y9B', 'idea-7', '$V', 'sms', 2)"
sql "$O" "INSERT INTO endorsements (id, target, voter, channel, made_at)
	VALUES ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9C', '$code', '$V', 'web', 3),
	('01KBN2Y7W0Q8ZC3R5T6V7X8Y9D', 'bad target', '$V', 'web', 3)"
check "endorsements push" "$CHORUS" sync --db "$S" --once
check "the other site's too" "$CHORUS" sync --db "$O" --once
same "the addition keeps its parent and prompt" "$code|p1" \
	"$(sql "$C" "SELECT parent, prompt FROM items WHERE code = '$add'")"
same "one endorsement per (target, voter) at the centre" 2 \
	"$(sql "$C" "SELECT count(*) FROM endorsements")"
same "a repeat vote is confirmed, a bad one set aside" "sent rejected" \
	"$(sql "$O" "SELECT sync_state FROM endorsements ORDER BY id" |
		tr '\n' ' ' | sed 's/ $//')"
same "the site's own endorsements are sent" "2" \
	"$(sql "$S" "SELECT count(*) FROM endorsements
		WHERE sync_state = 'sent'")"
same "endorsements are stored for the token's site" "$SITE" \
	"$(sql "$C" "SELECT site FROM endorsements WHERE target = 'idea-7'")"
finish

#!/bin/bash
# "I agree" on the kiosk's news page in Chromium (tests/browser/
# endorse.mjs): counted once per visit, "already counted" on a second
# tap, a new visit after the idle reset, and the same without
# JavaScript.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8

IDLE=3
DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null || not_ok "init a site database"
IDEA=$("$TOP/${BUILD:-build}/tools/sync_mkitems" "$DB" 1 x | head -1)
json="{\"code\":\"$IDEA\",\"title\":\"More books\",\"endorsements\":3}"
sql "$DB" "INSERT INTO pulled (kind, key, data, seq)
	VALUES ('idea', '$IDEA', '$json', 1)"
PORT=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$PORT" \
	--idle "$IDLE"
check "kiosk listens" wait_port "$PORT"

node "$TOP/tests/browser/endorse.mjs" "http://127.0.0.1:$PORT" "$DB" \
	"$IDEA" "$IDLE"
rc=$?
same "the browser run finished" 0 "$rc"
same "three visits, three voters" 3 "$(sql "$DB" \
	"SELECT count(DISTINCT voter) FROM endorsements")"

finish

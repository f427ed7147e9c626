#!/bin/bash
# What an operator sees: "chorus sync --status" and the kiosk's /admin
# screen show the queue depth, the oldest unsent item, the last push and
# pull, the last error and the WAL size; /admin wants the PIN.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
S=$T/site.db
site_init "$S"
"$CHORUS" init --db "$S" --site "$SITE" --central "$URL" --token "$TOKEN" \
	--admin-pin 4321 >/dev/null
first=$("$MK" "$S" 4 "queued" | head -1)
"$CHORUS" sync --db "$S" --status >"$T/st.json"
field() { python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    j = j[k] if j is not None else None
print("null" if j is None else j)' "$1" "$2"; }
same "status: queue depth" 4 "$(field "$T/st.json" pending)"
same "status: the oldest unsent item" "$first" \
	"$(field "$T/st.json" oldest_pending.code)"
same "status: no push yet" null "$(field "$T/st.json" last_push)"
check "status: the WAL size is a number" \
	grep -Eq '"wal_bytes": [0-9]+' "$T/st.json"
web_stop
"$CHORUS" sync --db "$S" --once >/dev/null 2>&1
"$CHORUS" sync --db "$S" --status >"$T/st2.json"
check "status: the last error says why" \
	grep -q '"last_error": "hello: network' "$T/st2.json"
web_start
"$CHORUS" sync --db "$S" --once >/dev/null
"$CHORUS" sync --db "$S" --status >"$T/st3.json"
same "status: the queue is empty after a sync" 0 \
	"$(field "$T/st3.json" pending)"
check "status: the last push is recorded" \
	grep -Eq '"last_push": "20[0-9-]+T' "$T/st3.json"
check "status: the last pull is recorded" \
	grep -Eq '"last_pull": "20[0-9-]+T' "$T/st3.json"
same "status: the error is cleared" null "$(field "$T/st3.json" last_error)"

"$MK" "$S" 2 "waiting" >/dev/null
kiosk_up "$S"
st=$(curl -s -o "$T/form.html" -w '%{http_code}' "$KURL/admin")
same "admin: GET shows the PIN form" 200 "$st"
check "admin: the form asks for the PIN" grep -q 'name="pin"' "$T/form.html"
st=$(curl -s -o "$T/bad.html" -w '%{http_code}' -d pin=1111 "$KURL/admin")
same "admin: a wrong PIN is refused" 403 "$st"
check "admin: a wrong PIN shows no status" \
	test "$(grep -c 'waiting to be sent' "$T/bad.html")" = 0
st=$(curl -s -o "$T/ok.html" -w '%{http_code}' -d pin=4321 "$KURL/admin")
same "admin: the right PIN shows the status" 200 "$st"
check "admin: with the queue depth" \
	grep -q 'Items waiting to be sent</th><td>2<' "$T/ok.html"
check "admin: and the WAL size" grep -q 'Write-ahead log size' "$T/ok.html"
curl -s -o "$T/es.html" -H 'Accept-Language: es' -d pin=4321 "$KURL/admin"
check "admin: in Spanish too" grep -q 'Aportaciones por enviar' "$T/es.html"
N=$T/nopin.db
site_init "$N"
KIOSK_SAVE=$KURL
kiosk_up "$N"
st=$(curl -s -o "$T/nopin.html" -w '%{http_code}' -d pin=4321 "$KURL/admin")
same "admin: with no PIN set the screen stays shut" 403 "$st"
IP=$(hostname -I 2>/dev/null | awk '{print $1}')
if [ -n "$IP" ]; then
	KP2=$(free_port)
	start_daemon kiosk-any "$CHORUS" kiosk --db "$S" --listen "0.0.0.0:$KP2"
	wait_port "$KP2"
	st=$(curl -s -o /dev/null -w '%{http_code}' -d pin=4321 \
		"http://$IP:$KP2/admin")
	same "admin: answers only this machine" 403 "$st"
fi
finish

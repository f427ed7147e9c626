#!/bin/bash
# One XSS payload through every channel (the kiosk API, SMS through the
# Twilio webhook without a secret, the /q/PROMPT form, and text staff
# type), then Chromium (tests/browser/xss.mjs) checks that it shows as
# plain text on every page where it appears.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8
X='<b id="xss">X</b><img src=x onerror="window.xss=1;alert(1)">'"'"'"&amp;'

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
S="$T/site-$OAK.db"
staff_new boss@example.org district
J=$T/boss.jar
login "$J" boss@example.org >/dev/null

# --- the kiosk API ---------------------------------------------------------
KP=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$S" --listen "127.0.0.1:$KP"
wait_port "$KP"
K1=$(python3 -c 'import json,sys; print(json.dumps({"text":sys.argv[1],
	"role":"student"}))' "$X" | curl -s -H 'Content-Type: application/json' \
	--data-binary @- "http://127.0.0.1:$KP/api/items" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
check "the kiosk took the payload" test -n "$K1"

# --- SMS, Twilio without a secret ---------------------------------------------
"$CHORUS" channel add --db "$S" --name tw --gateway twilio >/dev/null
SP=$(free_port)
start_daemon sms "$CHORUS" sms --db "$S" --listen "127.0.0.1:$SP"
wait_port "$SP"
curl -s -o /dev/null --data-urlencode "Body=$X" \
	--data-urlencode "From=+15555550123" --data "MessageSid=SMxss1" \
	"http://127.0.0.1:$SP/sms/tw"
K2=$(sql "$S" "SELECT code FROM items WHERE channel='sms'")
check "the SMS gateway took the payload" test -n "$K2"
"$CHORUS" sync --db "$S" --once >/dev/null
same "both reached the centre" 2 "$(sql "$C" "SELECT count(*) FROM items")"

# --- the /q/ form ----------------------------------------------------------------
post "$J" /staff/prompts --data id=XSS --data-urlencode "text_en=$X" \
	--data-urlencode "text_es=$X" >/dev/null
get "$T/anon.jar" /q/XSS --data-urlencode "text=$X" --data role=family \
	>/dev/null
K3=$(sql "$C" "SELECT code FROM items WHERE prompt='XSS'")
check "the form took the payload" test -n "$K3"

# --- staff text ------------------------------------------------------------------
post "$J" /staff/ideas/merge --data-urlencode "title=$X" --data "item=$K1" \
	--data "item=$K2" --data "item=$K3" >/dev/null
IDEA=$(header Location | sed 's,.*/,,')
post "$J" "/staff/ideas/$IDEA" --data-urlencode "title=$X" \
	--data-urlencode "learned=$X" --data-urlencode "tags=$X" \
	--data phase=captured >/dev/null
post "$J" /staff/notice --data "idea=$IDEA" --data-urlencode "title=$X" \
	--data-urlencode "body=$X" >/dev/null
post "$J" /staff/decision/new --data "idea=$IDEA" --data "site=$OAK" \
	--data kind=decision --data-urlencode "text=$X" \
	--data-urlencode "owner=$X" --data status=planned >/dev/null
NID=$(sql "$C" "SELECT id FROM notices")
check "the staff texts are stored" test -n "$NID"

node "$TOP/tests/browser/xss.mjs" "$URL" boss@example.org "$PW" "$X" \
	"/i/$K1" "/i/$K2" "/i/$K3" "/i/$IDEA" /ideas "/q/XSS" \
	staff:/staff "staff:/staff/ideas/$K1" "staff:/staff/ideas/$IDEA" \
	staff:/staff/ideas staff:/staff/prompts staff:/staff/prompts/XSS \
	"staff:/staff/prompts/XSS/flyer?s=$OAK" staff:/staff/audit \
	"staff:/staff/poster/$NID" staff:/staff/gaps
same "the browser run finished" 0 "$?"

finish

#!/bin/bash
# News by SMS, end to end with real daemons: a parent texts an idea to a
# site's 'chorus sms' and asks to FOLLOW it; the site syncs; district
# staff merge the item into an idea and publish a notice "also by SMS"
# at the centre ('chorus web'); the site pulls it and its outbox texts
# the title and the idea's link, once, through a stand-in provider on
# loopback.  A second phone that followed and then sent STOP gets
# nothing, and no number is left in the site's database file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"

central_start || not_ok "central server starts"
S=$(site_new "Oak" north)
DB=$T/site-$S.db
staff_new boss@example.org district
SP=$(free_port)
API=$(free_port)

# The stand-in send API: records each request as one JSON line with
# its form fields decoded, answers 200 like the provider's success.
cat >"$T/api.py" <<'PY'
import http.server, json, sys, urllib.parse
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({k: v[0] for k, v in form.items()}) + "\n")
        out = b'{"messages":[{"status":"0"}]}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
: >"$T/sent.jsonl"
start_daemon api python3 "$T/api.py" "$API" "$T/sent.jsonl"
wait_port "$API" || not_ok "the stand-in provider listens"
"$CHORUS" channel add --db "$DB" --name at --gateway africastalking \
	--country KE --send-url "http://127.0.0.1:$API/send" 2>/dev/null
# Twilio answers in the webhook; with its account and token it can
# also text later through its API, so it takes follows too.
"$CHORUS" channel add --db "$DB" --name tw --gateway twilio --country US \
	--account AC0001 --api-key tok --sender +15555550100 \
	--send-url "http://127.0.0.1:$API/tw" 2>/dev/null
"$CHORUS" channel add --db "$DB" --name tw0 --gateway twilio \
	--country US 2>/dev/null
start_daemon sms "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$SP" \
	--retry-base-ms 100 --retry-max 2
wait_port "$SP" || not_ok "chorus sms listens"

P1=254700000111
P2=254700000222
n=0
text() { # NUMBER TEXT: one incoming SMS; its code is in $T/h
	n=$((n + 1))
	curl -s -o /dev/null -D "$T/h" --data-urlencode "from=+$1" \
		--data-urlencode "text=$2" --data "id=AT$n" \
		"http://127.0.0.1:$SP/sms/at"
}
code_of() { tr -d '\r' <"$T/h" | sed -n 's/^X-Chorus-Code: //Ip'; }
wait_sent() { # until nothing is pending in the site's outbox
	i=0
	while [ "$(sql "$DB" "SELECT count(*) FROM sms_outbox
		WHERE state='pending'")" != 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# sent_to NUMBER WORDS: how many texts to NUMBER hold WORDS.
sent_to() {
	python3 - "$T/sent.jsonl" "+$1" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("to") == sys.argv[2] and sys.argv[3] in m.get("message", ""):
        n += 1
print(n)
PY
}

# --- the parent texts an idea and asks to follow it --------------------------
text "$P1" "More shade in the playground please"
C1=$(code_of)
check "the idea has a code" test -n "$C1"
wait_sent
same "the acknowledgement invites FOLLOW" 1 \
	"$(sent_to "$P1" "saved as $C1. Reply FOLLOW for news")"
text "$P1" "Follow"
wait_sent
same "FOLLOW alone follows the latest idea, and says so" 1 \
	"$(sent_to "$P1" "news about $C1")"
same "the follow is kept with its number" "$C1|1" "$(sql "$DB" \
	"SELECT code, to_number IS NOT NULL FROM sms_follow")"

# --- a second phone follows the same item, then opts out ---------------------
text "$P2" "Trees would give shade too"
text "$P2" "SEGUIR $C1"
wait_sent
same "SEGUIR CODE is answered in Spanish" 1 \
	"$(sent_to "$P2" "novedades sobre $C1")"
same "now two phones follow it" 2 "$(sql "$DB" \
	"SELECT count(*) FROM sms_follow WHERE code='$C1'")"
text "$P2" "STOP"
wait_sent
same "STOP forgets every follow of that phone" 1 "$(sql "$DB" \
	"SELECT count(*) FROM sms_follow")"

# --- the centre: an idea and a notice sent by SMS ----------------------------
"$CHORUS" sync --db "$DB" --once >/dev/null
J=$T/boss.jar
same "the district logs in" 303 "$(login "$J" boss@example.org)"
same "a new idea from the texted item" 303 "$(post "$J" \
	/staff/ideas/merge --data-urlencode "title=Shade" --data "item=$C1")"
IDEA=$(header Location | sed 's,.*/,,')
check "the idea has a code" test -n "$IDEA"
get "$J" "/staff/ideas/$IDEA?lang=en" >/dev/null
check "the notice form says who the SMS reaches: those who sent FOLLOW" \
	grep -q 'for="n-sms">[^<]*texted FOLLOW for news' "$T/body"
get "$J" "/staff/ideas/$IDEA?lang=es" >/dev/null
check "... in Spanish too" \
	grep -q 'for="n-sms">[^<]*pidieron novedades de esta idea con SEGUIR' \
	"$T/body"
get "$J" "/staff/ideas/$IDEA?lang=en" >/dev/null
same "a notice is published, also by SMS" 303 "$(post "$J" /staff/notice \
	--data "idea=$IDEA" --data-urlencode "title=Shade sails are up" \
	--data-urlencode "body=Two sails over the sandpit." --data sms=1 \
	--data scope=)"
LINK=$(echo "$URL/I/$IDEA" | tr a-z A-Z)

# --- the site pulls it and texts the follower once ---------------------------
"$CHORUS" sync --db "$DB" --once >/dev/null
sleep 0.3
wait_sent
same "the follower gets one text with the title and the link" 1 \
	"$(sent_to "$P1" "Shade sails are up $LINK")"
same "... naming the code they know" 1 "$(sent_to "$P1" "News about $C1:")"
same "the follow is done" 0 "$(sql "$DB" "SELECT count(*) FROM sms_follow")"
"$CHORUS" sync --db "$DB" --once >/dev/null
post "$J" /staff/notice --data "idea=$IDEA" --data title=Again \
	--data body=Again --data sms=1 --data scope= >/dev/null
"$CHORUS" sync --db "$DB" --once >/dev/null
sleep 0.3
wait_sent
same "another sync and a second notice send nothing more" 1 \
	"$(sent_to "$P1" "News about")"
# Even a phone that follows again hears about an idea once.
text "$P1" "FOLLOW $C1"
wait_sent
same "a follow made again is kept" 1 "$(sql "$DB" \
	"SELECT count(*) FROM sms_follow")"
sql "$DB" "DELETE FROM pulled; UPDATE meta SET value='0'
	WHERE key='pull_cursor'"
"$CHORUS" sync --db "$DB" --once >/dev/null
sleep 0.3
wait_sent
same "the pull from the start closed the new follow" 0 "$(sql "$DB" \
	"SELECT count(*) FROM sms_follow")"
same "a pull from the start sends nothing again" 1 \
	"$(sent_to "$P1" "News about")"
same "the phone that opted out got no news" 0 "$(sent_to "$P2" "News")"
same "... nor anything after its STOP confirmation" 0 "$(sent_to "$P2" \
	"$IDEA")"

# --- Twilio: follows where the channel can text later -----------------------
tw() { # CHANNEL NUMBER TEXT SID: one Twilio webhook; the TwiML in $T/tw
	curl -s -o "$T/tw" --data-urlencode "From=+$2" \
		--data-urlencode "Body=$3" --data "MessageSid=$4" \
		--data "To=%2B15555550100" "http://127.0.0.1:$SP/sms/$1"
}
tw tw 15555550177 "Longer library hours" SM1
tw tw 15555550177 "FOLLOW" SM2
check "FOLLOW on a Twilio channel with its API is confirmed" \
	grep -q "<Message>.*news" "$T/tw"
same "... and kept" 1 "$(sql "$DB" "SELECT count(*) FROM sms_follow
	WHERE channel = 'tw'")"
tw tw0 15555550188 "More benches" SM3
tw tw0 15555550188 "FOLLOW" SM4
same "without its API, FOLLOW keeps nothing" 0 "$(sql "$DB" \
	"SELECT count(*) FROM sms_follow WHERE channel = 'tw0'")"

# --- no number stays behind --------------------------------------------------
sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
for p in "$P1" "$P2"; do
	if grep -qa "$p" "$DB" "$DB-wal" 2>/dev/null; then
		not_ok "the number ending ${p: -3} is gone from the site db"
	else
		ok "the number ending ${p: -3} is gone from the site db"
	fi
done
finish

#!/bin/bash
# Every gateway of issue 3 against one real 'chorus sms', beyond the
# shared cases: documented examples with their signatures, in-band
# answers (SMSSync, Telerivet), send-API replies through a stand-in
# provider on loopback (retries, backoff, cap, result recorded, number
# erased), item commands (YES/+1, STATUS, CODE ?, CODE more text), rate
# limits, long-message parts that never complete, and the channel limit.
. "$(dirname "$0")/../lib.sh"

DB=$T/site.db
PORT=$(free_port)
API=$(free_port)
URL=http://127.0.0.1:$PORT
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 --token t

# The stand-in provider: records each send as one JSON line and answers
# by path: /ok 200 (Vonage's success shape), /busy 503, /bad 400.
cat >"$T/api.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.log(self.rfile.read(n).decode("utf-8", "replace"))
    def do_GET(self):
        self.log("")
    def log(self, body):
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({"path": self.path, "body": body,
                                "auth": self.headers.get("Authorization"),
                                "apikey": self.headers.get("apiKey")}) + "\n")
        code = {"/busy": 503, "/bad": 400}.get(self.path.split("?")[0], 200)
        out = b'{"messages":[{"status":"0"}]}'
        self.send_response(code)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
start_daemon api python3 "$T/api.py" "$API" "$T/sent.jsonl"
wait_port "$API" || not_ok "the stand-in provider listens"

add() { "$CHORUS" channel add --db "$DB" "$@" >/dev/null; }
add --name at --gateway africastalking --country KE --secret atkey \
	--send-url "http://127.0.0.1:$API/ok" --account school --api-key AK1
add --name atbusy --gateway africastalking --country KE \
	--send-url "http://127.0.0.1:$API/busy"
add --name atbad --gateway africastalking --country KE \
	--send-url "http://127.0.0.1:$API/bad"
add --name pl --gateway plivo --country US --secret test_plivo_token \
	--public-url https://sms.example.org/hooks/plivo \
	--send-url "http://127.0.0.1:$API/ok" --account MA1 --sender 15555550100
add --name tr --gateway telerivet --country GB --secret s3cr3t-webhook-value
add --name ib --gateway infobip --country GB \
	--send-url "http://127.0.0.1:$API/ok" --api-key IBKEY
add --name ss --gateway smssync --country GB --secret phone-secret-01
add --name vo --gateway vonage --country GB --secret test_sig_secret \
	--send-url "http://127.0.0.1:$API/ok"
add --name vo2 --gateway vonage --country GB \
	--send-url "http://127.0.0.1:$API/ok"
add --name gen --gateway generic --country GB \
	--options format=json,from=sender,text=msg,id=uid,time=at \
	--send-url "http://127.0.0.1:$API/ok"
add --name k --gateway kannel --country GB
add --name kes --gateway kannel --country ES --lang es
check "every gateway name is accepted" true

start_daemon sms "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$PORT" \
	--retry-base-ms 100 --retry-max 3 --phone-limit 5 --parts-timeout 1
wait_port "$PORT" || not_ok "chorus sms listens"

post() { # CHANNEL CTYPE BODY [curl args...]
	ch=$1 ct=$2 body=$3
	shift 3
	curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -H "Expect:" \
		-H "Content-Type: $ct" --data-binary "$body" "$@" "$URL/sms/$ch"
}
code_of() { tr -d '\r' <"$T/h" | sed -n 's/^X-Chorus-Code: //Ip'; }
q() { sql "$DB" "$1"; }
wait_sent() { # waits until nothing is pending in the outbox
	i=0
	while [ "$(q "SELECT count(*) FROM sms_outbox
		WHERE state='pending'")" != 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Africa's Talking: its documented example, secret in the URL.
AT_BODY='linkId=&text=Naomba+vitabu+zaidi+vya+hesabu&to=40404&id=ATXid_01&date=2025-03-05+07%3A15%3A30&from=%2B447700900123'
same "africastalking without its secret is 403" 403 \
	"$(post at application/x-www-form-urlencoded "$AT_BODY")"
same "africastalking example is 200" 200 \
	"$(post "at?secret=atkey" application/x-www-form-urlencoded "$AT_BODY")"
grep -q '"ok":true' "$T/b" && ok "africastalking answer is JSON ok" ||
	not_ok "africastalking answer is JSON ok"
C1=$(code_of)
wait_sent
same "the reply went through the send API" "sent|1" \
	"$(q "SELECT state, attempts FROM sms_outbox WHERE code='$C1'")"
line=$(grep "username=school" "$T/sent.jsonl" | tail -1)
case "$line" in
*"to=%2B447700900123"*"$C1"*) ok "AT send carries the number and code" ;;
*) not_ok "AT send carries the number and code ($line)" ;;
esac
case "$line" in *'"apikey": "AK1"'*) ok "AT send has its apiKey" ;;
*) not_ok "AT send has its apiKey" ;; esac
same "the raw number is erased once sent" "" \
	"$(q "SELECT to_number FROM sms_outbox WHERE code='$C1'")"

# Retries: 503 three times then failed; 400 fails at once.
post atbusy application/x-www-form-urlencoded \
	'from=%2B254700000009&text=busy+line&id=B1' >/dev/null
post atbad application/x-www-form-urlencoded \
	'from=%2B254700000010&text=bad+request&id=B2' >/dev/null
sleep 1.5
wait_sent
same "a busy provider is retried up to the cap" "failed|3|503" \
	"$(q "SELECT state, attempts, last_status FROM sms_outbox
		WHERE channel='atbusy'")"
same "a refused send fails at once" "failed|1|400" \
	"$(q "SELECT state, attempts, last_status FROM sms_outbox
		WHERE channel='atbad'")"
same "numbers are erased after the last attempt" 0 \
	"$(q "SELECT count(*) FROM sms_outbox WHERE to_number IS NOT NULL")"
same "the retries were spaced (three tries reached the provider)" 3 \
	"$(grep -c '"/busy"' "$T/sent.jsonl")"

# Plivo V3: the documented vector, then a forged one.
PL='From=15555550123&To=15555550100&Text=Hello&Type=sms&MessageUUID=00000000-0000-4000-8000-000000000001'
same "plivo V3 signed example is 200" 200 \
	"$(post pl application/x-www-form-urlencoded "$PL" \
		-H 'X-Plivo-Signature-V3-Nonce: 12345678901234567890' \
		-H 'X-Plivo-Signature-V3: x, e5GtbqPcht6ojbuOHj7poSWa4WH/KBUfdDFhyqffpI8=')"
same "plivo with a forged signature is 403" 403 \
	"$(post pl application/x-www-form-urlencoded "${PL}x" \
		-H 'X-Plivo-Signature-V3-Nonce: 12345678901234567890' \
		-H 'X-Plivo-Signature-V3: e5GtbqPcht6ojbuOHj7poSWa4WH/KBUfdDFhyqffpI8=')"
wait_sent
grep '"path": "/ok"' "$T/sent.jsonl" | grep -q '\\"dst\\": *\\"15555550123\\"\|\\"dst\\":\\"15555550123\\"' &&
	ok "plivo reply sent as JSON to the digits" ||
	not_ok "plivo reply sent as JSON to the digits"

# Telerivet: shared secret, reply in the JSON answer.
TR='event=incoming_message&id=SM0000000000000001&message_type=sms&content=Can+we+have+a+parents+meeting+on+Friday%3F&from_number=07700900123&from_number_e164=%2B447700900123&to_number=%2B15555550100&time_created=1741158930&time_sent=1741158928&phone_id=PN000001&project_id=PJ000001&secret=s3cr3t-webhook-value'
same "telerivet example is 200" 200 \
	"$(post tr application/x-www-form-urlencoded "$TR")"
TC=$(code_of)
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["messages"][0]["content"]; sys.exit(0 if sys.argv[2] in m else 1)' "$T/b" "$TC" &&
	ok "telerivet reply is in its JSON answer" ||
	not_ok "telerivet reply is in its JSON answer"
same "telerivet with a wrong secret is 403" 403 \
	"$(post tr application/x-www-form-urlencoded "${TR%secret=*}secret=no")"
same "a telerivet status event is answered and ignored" "200|1" \
	"$(post tr application/x-www-form-urlencoded \
		'event=send_status&id=X&secret=s3cr3t-webhook-value')|$(q \
		"SELECT count(*) FROM sms_messages WHERE channel='tr'")"

# Infobip: one batch of two messages, both stored.
IB='{"results":[{"messageId":"ib-1","from":"447700900123","to":"15555550100","text":"IDEA more sports days","cleanText":"more sports days","keyword":"IDEA","receivedAt":"2025-03-05T07:15:30.000+0000","smsCount":1},{"messageId":"ib-2","from":"447700900124","to":"15555550100","text":"and a chess club","receivedAt":"2025-03-05T07:16:30.000+0000","smsCount":1}],"messageCount":2,"pendingMessageCount":0}'
same "infobip batch is 200" 200 "$(post ib application/json "$IB")"
same "infobip batch stores every result" "2|2025-03-05T07:16:30.000Z" \
	"$(q "SELECT count(*), max(provider_time) FROM sms_messages
		WHERE channel='ib'")"
same "infobip batch replayed stores nothing" "200|2" \
	"$(post ib application/json "$IB")|$(q "SELECT count(*) FROM items
		WHERE text IN ('IDEA more sports days', 'and a chess club')")"
same "infobip JSON nested too deep is 400" 400 \
	"$(post ib application/json '{"results":[[[[[[[[[[[]]]]]]]]]]]}')"

# SMSSync: task:send answer, the exact success JSON.
SS='secret=phone-secret-01&from=%2B447700900125&message=Please+fix+the+gate&message_id=u-1&sent_timestamp=1741158930123&sent_to=%2B15555550100&device_id=gate-phone-1'
post ss application/x-www-form-urlencoded "$SS" >/dev/null
SC=$(code_of)
python3 - "$T/b" "$SC" <<'PY' && ok "smssync answers success with a send task" || not_ok "smssync answers success with a send task"
import json, sys
p = json.load(open(sys.argv[1]))["payload"]
m = p["messages"][0]
assert p["success"] is True and p["task"] == "send"
assert p["secret"] == "phone-secret-01"
assert m["to"] == "+447700900125" and sys.argv[2] in m["message"]
PY
same "smssync poll for tasks is answered" 200 \
	"$(curl -s -o "$T/b" -w '%{http_code}' "$URL/sms/ss?task=send")"

# Vonage signed GET: md5hash of the documented parameters.
VQ='keyword=HELLO&message-timestamp=2025-03-05+07%3A15%3A30&messageId=0A0000000123ABCD1&msisdn=15555550123&nonce=aaaa-bbbb&text=Hello+%26+welcome%3Dyes&timestamp=1741158930&to=15555550100&type=text'
same "vonage signed GET is 200" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/vo?$VQ&sig=bfc11853cc15bf20523fb883de89677a")"
same "vonage with a wrong sig is 403" 403 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/vo?$VQ&sig=bfc11853cc15bf20523fb883de89677b")"

# Vonage parts that never complete: one incomplete item after 1 s.
for p in 1 3; do
	curl -s -o /dev/null "$URL/sms/vo2?msisdn=447700900131&to=1&messageId=P$p&text=part$p&concat=true&concat-ref=9&concat-total=3&concat-part=$p"
done
sleep 2.5
same "unfinished parts become one item flagged incomplete" "part1part3|1" \
	"$(q "SELECT i.text, m.incomplete FROM sms_messages m JOIN items i
		ON i.id = m.item_id WHERE m.channel='vo2' AND m.incomplete=1")"
same "and their text and number are erased from sms_parts" 0 \
	"$(q "SELECT count(*) FROM sms_parts WHERE text IS NOT NULL
		OR from_number IS NOT NULL")"

# Generic: JSON with configured field names.
same "generic JSON with its own field names is 200" 200 \
	"$(post gen application/json '{"sender":"+447700900140","msg":"Bike racks please","uid":"g-1","at":1741158930}')"
same "generic message stored" "Bike racks please|2025-03-05T07:15:30.000Z" \
	"$(q "SELECT i.text, m.provider_time FROM sms_messages m JOIN items i
		ON i.id=m.item_id WHERE m.channel='gen'")"

# Commands about items, through Kannel's plain-text answers.
kget() { # FROM TEXT: the reply body
	curl -s -G -D "$T/h" "$URL/sms/$3" --data-urlencode "from=$1" \
		--data-urlencode "text=$2"
}
kget 447700900150 "More trees in the yard" k >/dev/null
I1=$(code_of)
case "$(kget 447700900151 "YES $I1" k)" in
*"$I1 is counted"*) ok "YES CODE endorses" ;;
*) not_ok "YES CODE endorses" ;; esac
case "$(kget 447700900151 "+1 ${I1,,}" k)" in
*"already counted"*) ok "a second endorsement from one phone is counted once" ;;
*) not_ok "a second endorsement from one phone is counted once" ;; esac
kget 447700900152 "+1 $I1" k >/dev/null
same "two phones, two endorsements, pending sync" "2|pending|sms" \
	"$(q "SELECT count(*), min(sync_state), min(channel) FROM endorsements
		WHERE target='$I1'")"
case "$(kget 447700900151 "STATUS $I1" k)" in
"$I1: received, waiting to be read.") ok "STATUS CODE answers from items" ;;
*) not_ok "STATUS CODE answers from items" ;; esac
q "INSERT INTO pulled (kind, key, data, seq) VALUES
	('idea', '$I1', '{\"status\":\"decided\"}', 1)"
case "$(kget 447700900151 "$I1 ?" k)" in
"$I1: a decision has been made.") ok "CODE ? answers from the pulled feed" ;;
*) not_ok "CODE ? answers from the pulled feed" ;; esac
UNK=$(python3 -c '
a = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
s = "K8" + "0ZZZ"
v = [a.index(c) for c in s]
f, t = 2, 0
for x in reversed(v):
    d = f * x; f = 1 if f == 2 else 2; t += d // 32 + d % 32
print(s + a[(32 - t % 32) % 32])')
case "$(kget 447700900151 "status $UNK" k)" in
*"not known here yet"*) ok "STATUS of a code not here yet says so" ;;
*) not_ok "STATUS of a code not here yet says so ($UNK)" ;; esac
r=$(kget 447700900153 "$I1 and fruit trees too" k)
I2=$(code_of)
same "CODE more text makes a child item" "and fruit trees too|$I1" \
	"$(q "SELECT text, parent FROM items WHERE code='$I2'")"
case "$r" in *"$I1"*"$I2"*) ok "and the reply names both codes" ;;
*) not_ok "and the reply names both codes ($r)" ;; esac
same "endorsements and status questions make no item" 0 \
	"$(q "SELECT count(*) FROM items WHERE text LIKE 'YES K%'
		OR text LIKE '+1 %' OR text LIKE 'STATUS %'
		OR text = '$I1 ?'")"

# A Spanish reply that needs UCS-2 is marked for Kannel.
kget 34600000001 "AYUDA" kes >"$T/es.txt"
grep -qi "^X-Kannel-Coding: 2" "$T/h" &&
	ok "an accented Spanish reply asks Kannel for UCS-2" ||
	not_ok "an accented Spanish reply asks Kannel for UCS-2"
grep -q "línea" "$T/es.txt" && ok "and keeps its accents" ||
	not_ok "and keeps its accents"
kget 447700900150 "Another idea" k >/dev/null
grep -qi "^X-Kannel-Coding" "$T/h" &&
	not_ok "an English ack stays GSM-7" || ok "an English ack stays GSM-7"

# Rate limit: 5 per phone per hour; the 6th gets one polite reply.
for i in 1 2 3 4 5 6 7; do kget 447700900160 "idea number $i" k >"$T/r$i"; done
grep -q "wait an hour" "$T/r6" && ok "over the limit: a polite reply" ||
	not_ok "over the limit: a polite reply"
same "the polite reply is sent once" 0 "$(wc -c <"$T/r7")"
same "messages over the limit are recorded, not made items" "2|5" \
	"$(q "SELECT (SELECT count(*) FROM sms_messages WHERE keyword='limited'),
		(SELECT count(*) FROM items WHERE text LIKE 'idea number %')")"

# STOP silences send-API replies too.
post "at?secret=atkey" application/x-www-form-urlencoded \
	'from=%2B254700000020&text=STOP&id=S1' >/dev/null
post "at?secret=atkey" application/x-www-form-urlencoded \
	'from=%2B254700000020&text=more+books&id=S2' >/dev/null
same "after STOP only the confirmation is queued" 1 \
	"$(q "SELECT count(*) FROM sms_outbox o JOIN sms_messages m
		ON m.code = o.code WHERE m.provider_id IN ('S1','S2')")"

if grep -q "7700900\|25470000" "$T/sms.log"; then
	not_ok "no phone number in the log"
else ok "no phone number in the log"; fi

# The channel limit: a second daemon allowing 2 a minute.
kill "$LAST_PID" 2>/dev/null
P2=$(free_port)
start_daemon sms2 "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$P2" \
	--channel-limit 2
wait_port "$P2" || not_ok "second chorus sms listens"
URL=http://127.0.0.1:$P2
kget 447700900170 "one" k >/dev/null
kget 447700900171 "two" k >/dev/null
curl -s -o /dev/null -D "$T/h" "$URL/sms/k?from=447700900172&text=three"
grep -q "^HTTP/1.1 503" "$T/h" && grep -qi "^Retry-After" "$T/h" &&
	ok "over the channel limit: 503 with Retry-After" ||
	not_ok "over the channel limit: 503 with Retry-After"
same "and nothing stored from it" 0 \
	"$(q "SELECT count(*) FROM items WHERE text = 'three'")"
finish

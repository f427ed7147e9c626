#!/bin/bash
# The kiosk's HTTP API against a real daemon and a real site database:
# JSON and form posts, every refusal, slow and broken uploads, a burst
# of parallel posts, a full disk, a failing store, and stopping.
. "$(dirname "$0")/../lib.sh"

DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null || not_ok "init a site database"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_daemon kiosk "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$PORT" \
	--idle 5
KPID=$LAST_PID
check "kiosk listens" wait_port "$PORT"

count() { sql "$DB" "SELECT count(*) FROM items"; }

# post CTYPE FILE [curl args...]: prints the status; the body is in $T/resp.
post() {
	ct=$1
	f=$2
	shift 2
	curl -s -o "$T/resp" -w '%{http_code}' -H "Content-Type: $ct" \
		--data-binary @"$f" "$@" "$URL/api/items"
}

# field NAME: a top-level string of the JSON answer in $T/resp.
field() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$T/resp" "$1" \
		2>/dev/null
}

# Python helpers: raw socket clients and hashing.
cat >"$T/raw.py" <<'EOF'
import socket, sys, time, urllib.parse

def request(port, body, ctype, length=None):
    head = ("POST /api/items HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: %s\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % (ctype, len(body)
                                         if length is None else length))
    return head.encode() + body

def answer(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk

mode, port = sys.argv[1], int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
if mode == "slow":
    # Form data sent one byte per write; prints status and text hash.
    text = open(sys.argv[3], "rb").read()
    body = urllib.parse.urlencode({"lang": "es", "role": "community",
                                   "text": text}).encode()
    for i, b in enumerate(request(port, body,
                                  "application/x-www-form-urlencoded")):
        s.send(bytes([b]))
        if i % 2048 == 0:
            time.sleep(0.01)
    reply = answer(s)
    print(reply.split(b" ")[1].decode(), text.hex().upper(), len(body))
elif mode == "hangup":
    # Promises 8000 bytes, sends 3000, and goes away.
    s.sendall(request(port, b'{"text":"' + b"x" * 2991, "application/json",
                      8000))
    time.sleep(0.3)
    s.close()
    print("closed")
EOF

# --- JSON and form posts that are stored ---------------------------------
printf '{"text":"  \\u00bfM\\u00e1s libros?\\n  en la biblioteca  ",'\
'"role":"student","lang":"es"}' >"$T/ok.json"
st=$(post application/json "$T/ok.json")
same "JSON post answers 201" 201 "$st"
code=$(field code)
id=$(field id)
same "the answer's url is the item link" "HTTP://127.0.0.1:9/I/$code" \
	"$(field url)"
check "the answer has an id" test ${#id} -eq 26
same "the JSON item is in the database, exactly as sent" \
	"student|es|kiosk|$(printf '  ¿Más libros?\n  en la biblioteca  ' |
		od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"$(sql "$DB" "SELECT role, lang, channel, hex(text) FROM items
		WHERE code = '$code' AND id = '$id'")"
"$CHORUS" items --db "$DB" --json >"$T/items.json"
check "chorus items lists the JSON item" python3 -c 'import json, sys
items = json.load(open(sys.argv[1]))
assert any(i["code"] == sys.argv[2] and i["text"] ==
           "  \u00bfM\u00e1s libros?\n  en la biblioteca  " and
           i["lang"] == "es" for i in items)' "$T/items.json" "$code"

printf 'lang=en&role=family&text=More+buses%%0D%%0Aplease' >"$T/ok.form"
st=$(post application/x-www-form-urlencoded "$T/ok.form")
same "form post answers 201" 201 "$st"
fcode=$(sed -n 's/.*<p id="code" class="code">\([0-9A-Z]*\)<\/p>.*/\1/p' \
	"$T/resp")
check "form answer is a thank-you page with the code" test -n "$fcode"
check "thank-you page shows a labelled QR code" grep -q \
	"<svg[^>]*role=\"img\" aria-label=\"QR code for idea $fcode\"" \
	"$T/resp"
check "thank-you page returns to the start by itself" grep -q \
	'<meta http-equiv="refresh" content="5;url=/?lang=en">' "$T/resp"
same "the form item is stored with CR LF kept" "family|en|More buses
please" "$(sql "$DB" "SELECT role, lang, replace(text, char(13), '')
	FROM items WHERE code = '$fcode'")"
same "the form text keeps its CR" 1 "$(sql "$DB" "SELECT instr(text,
	char(13)) > 0 FROM items WHERE code = '$fcode'")"

printf '{"text":"Hola"}' >"$T/nolang.json"
post application/json "$T/nolang.json" -H 'Accept-Language: es-MX,en;q=0.5' \
	>/dev/null
same "language defaults from Accept-Language" "es|unsaid" \
	"$(sql "$DB" "SELECT lang, role FROM items
	WHERE code = '$(field code)'")"
post application/json "$T/nolang.json" >/dev/null
same "language defaults to English" "en" \
	"$(sql "$DB" "SELECT lang FROM items WHERE code = '$(field code)'")"

# --- refusals store nothing ---------------------------------------------
# refuse STATUS WORD CTYPE BODY: posts BODY (printf format) and checks.
refuse() {
	printf "$4" >"$T/bad"
	before=$(count)
	st=$(post "$3" "$T/bad")
	got="$st $(field error)"
	if [ "$got" = "$1 $2" ] && [ "$(count)" = "$before" ]; then
		ok "refused: $2 ($1) and nothing stored"
	else
		not_ok "refused: $2 ($1) and nothing stored"
		echo "#   got $got; rows $before -> $(count)"
	fi
}
refuse 400 bad_json application/json '{"text":'
refuse 400 bad_json application/json '[{"text":"x"}]'
refuse 400 bad_json application/json '{"text":"x","a":[[[[1]]]]}'
refuse 400 missing_text application/json '{"role":"staff"}'
refuse 400 empty_text application/json '{"text":" \\t\\n "}'
refuse 400 bad_utf8 application/json '{"text":"a\377b"}'
refuse 400 bad_utf8 application/json '{"text":"a\\u0000b"}'
refuse 400 unknown_role application/json '{"text":"x","role":"teacher"}'
refuse 400 unknown_lang application/json '{"text":"x","lang":"fr"}'
refuse 415 unsupported_type text/plain 'text=hello'
refuse 415 unsupported_type 'multipart/form-data; boundary=x' 'x'
# One byte past the store's limit, read from the header that sets it.
max=$(sed -n 's/^#define STORE_TEXT_MAX \([0-9]*\).*/\1/p' \
	"$TOP/core/store.h")
python3 -c "print('{\"text\":\"' + 'x' * ($max + 1) + '\"}', end='')" \
	>"$T/long.json"
refuse 400 text_too_long application/json "$(cat "$T/long.json")"
python3 -c 'print("{\"text\":\"" + "x" * 17000 + "\"}", end="")' \
	>"$T/huge.json"
refuse 413 too_large application/json "$(cat "$T/huge.json")"

printf '{"text":"x","role":"jefe","lang":"es"}' >"$T/es.json"
post application/json "$T/es.json" >/dev/null
check "the error message is in the person's language" \
	grep -q 'Elige una de las respuestas' "$T/resp"

st=$(curl -s -o "$T/resp" -w '%{http_code}' "$URL/api/items")
same "GET /api/items is 405" "405 method_not_allowed" "$st $(field error)"
st=$(curl -s -o "$T/resp" -w '%{http_code}' -X PUT -d x "$URL/api/items")
same "PUT /api/items is 405" "405 method_not_allowed" "$st $(field error)"

# A refused form gets the page back with the message and its own text.
printf 'lang=es&role=staff&text=%%3Cb%%3Emi+idea%%3C%%2Fb%%3E+%%FF' \
	>"$T/bad.form"
before=$(count)
st=$(post application/x-www-form-urlencoded "$T/bad.form")
same "refused form answers 400 and stores nothing" "400 $before" \
	"$st $(count)"
check "refused form page says why, in Spanish" grep -q \
	'role="alert"[^>]*>No se pudo leer parte del texto' "$T/resp"
check "refused form page keeps the text, escaped" grep -q \
	'&lt;b&gt;mi idea&lt;/b&gt; .*</textarea>' "$T/resp"
check "refused form page keeps the role" grep -q \
	'value="staff" checked' "$T/resp"

# --- pages, assets, QR codes ---------------------------------------------
curl -s -D "$T/head" -o "$T/page" "$URL/?lang=es"
check "page is Spanish on ?lang=es" grep -q '<html lang="es">' "$T/page"
check "page has the CSP header" grep -qi \
	"^content-security-policy: default-src 'none'" "$T/head"
check "page has no inline script or style" sh -c \
	"! grep -q -e '<script>' -e 'style=' '$T/page'"
check "page has a labelled text box" grep -q '<label for="text">' \
	"$T/page"
same "page offers every role" 5 "$(grep -c 'type="radio" name="role"' \
	"$T/page")"
st=$(curl -s -o "$T/css" -w '%{http_code} %{content_type}' \
	"$URL/kiosk/kiosk.css")
same "style sheet is served" "200 text/css; charset=utf-8" "$st"
st=$(curl -s -o "$T/js" -w '%{http_code}' "$URL/kiosk/kiosk.js")
check "script is served" test "$st" = 200 -a -s "$T/js"
st=$(curl -s -o "$T/resp" -w '%{http_code}' "$URL/no/such/page")
same "unknown path is 404" 404 "$st"
check "404 is a page with a way back" grep -q 'href="/?lang=en"' "$T/resp"
st=$(curl -s -o "$T/qr.svg" -w '%{http_code} %{content_type}' \
	"$URL/qr/$code.svg")
same "QR code is served as SVG" "200 image/svg+xml" "$st"
check "QR code has an accessible name" grep -q \
	"aria-label=\"QR code for idea $code\"" "$T/qr.svg"
if command -v zbarimg >/dev/null && command -v rsvg-convert >/dev/null; then
	rsvg-convert -w 300 -b white "$T/qr.svg" >"$T/qr.png"
	same "QR code reads back as the item link" \
		"QR-Code:HTTP://127.0.0.1:9/I/$code" \
		"$(zbarimg -q "$T/qr.png" 2>/dev/null)"
fi
st=$(curl -s -o /dev/null -w '%{http_code}' "$URL/qr/K70001Z.svg")
same "QR code for a malformed code is 404" 404 "$st"

# --- slow, broken and parallel uploads ----------------------------------
python3 -c 'import sys; sys.stdout.write("ñ¿€😀 " * 300)' >"$T/slow.txt"
before=$(count)
set -- $(python3 "$T/raw.py" slow "$PORT" "$T/slow.txt")
same "form sent a byte at a time is stored" 201 "$1"
check "...with exactly the text sent" test "$2" = "$(sql "$DB" "SELECT
	hex(text) FROM items ORDER BY n DESC LIMIT 1")"
python3 -c 'import sys; sys.stdout.write("ñ" * 3500)' >"$T/slow-big.txt"
set -- $(python3 "$T/raw.py" slow "$PORT" "$T/slow-big.txt")
same "20 KB sent a byte at a time is refused 413" "413 $((before + 1))" \
	"$1 $(count)"

before=$(count)
python3 "$T/raw.py" hangup "$PORT" >/dev/null
sleep 0.3
same "a client that hangs up mid-upload stores nothing" "$before" \
	"$(count)"
st=$(post application/json "$T/nolang.json")
same "the kiosk keeps serving after the hang-up" 201 "$st"

mkdir -p "$T/par"
before=$(count)
seq 1 100 | xargs -P 100 -I{} curl -s -o "$T/par/{}.json" \
	-w '%{http_code}\n' -H 'Content-Type: application/json' \
	-d '{"text":"parallel {}","role":"staff"}' "$URL/api/items" \
	>"$T/par.status"
same "100 parallel posts all answer 201" 100 "$(grep -c '^201$' \
	"$T/par.status")"
same "...with 100 distinct codes" 100 "$(python3 -c 'import glob, json, sys
print(len({json.load(open(f))["code"] for f in glob.glob(sys.argv[1])}))' \
	"$T/par/*.json")"
same "...and exactly 100 new rows" "$((before + 100)) 100" \
	"$(count) $(sql "$DB" "SELECT count(*) FROM items
	WHERE text LIKE 'parallel %'")"

# --- a store that refuses writes ----------------------------------------
sql "$DB" "CREATE TRIGGER refuse_items BEFORE INSERT ON items
	BEGIN SELECT RAISE(ABORT, 'refused by test'); END;"
before=$(count)
printf '{"text":"x","lang":"es"}' >"$T/store.json"
st=$(post application/json "$T/store.json")
same "a storage error answers 503 and stores nothing" \
	"503 storage_error $before" "$st $(field error) $(count)"
check "...with a message in the person's language" grep -q \
	'No pudimos guardar esto' "$T/resp"
sql "$DB" "DROP TRIGGER refuse_items"
st=$(post application/json "$T/store.json")
same "posts work again once the store does" 201 "$st"

# --- stopping ------------------------------------------------------------
check "start is logged with the URL" grep -q \
	"info: kiosk: site K7 serving on http://127.0.0.1:$PORT/" \
	"$T/kiosk.log"
kill -TERM "$KPID"
wait "$KPID"
same "SIGTERM while idle exits 0" 0 "$?"

# Posts in flight when SIGTERM arrives: each acknowledged one is stored.
start_daemon kiosk2 "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$PORT"
KPID=$LAST_PID
wait_port "$PORT"
mkdir -p "$T/stop"
seq 1 40 | xargs -P 40 -I{} curl -s -o "$T/stop/{}.json" \
	-H 'Content-Type: application/json' \
	-d '{"text":"stopping {}"}' "$URL/api/items" &
XPID=$!
sleep 0.05
kill -TERM "$KPID"
wait "$KPID"
rc=$?
wait "$XPID"
same "SIGTERM with posts in flight exits 0" 0 "$rc"
lost=0
for f in "$T/stop"/*.json; do
	c=$(python3 -c 'import json, sys
try:
    print(json.load(open(sys.argv[1])).get("code", ""))
except Exception:
    print("")' "$f")
	[ -z "$c" ] && continue
	[ "$(sql "$DB" "SELECT count(*) FROM items WHERE code = '$c'")" = 1 ] ||
		lost=$((lost + 1))
done
echo "# $(grep -l '"code"' "$T/stop"/*.json | wc -l) of 40 acknowledged"
same "every post acknowledged before the stop is stored" 0 "$lost"

# --- a full disk ---------------------------------------------------------
# The daemon may not grow any file past 40 KiB: the WAL soon cannot take
# another commit, which SQLite reports as a full disk.
FDB=$T/full.db
"$CHORUS" init --db "$FDB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null
FPORT=$(free_port)
(
	trap '' XFSZ
	ulimit -f 40
	exec "$CHORUS" kiosk --db "$FDB" --listen "127.0.0.1:$FPORT"
) >"$T/full.log" 2>&1 &
FPID=$!
PIDS="$PIDS $FPID"
wait_port "$FPORT"
python3 -c 'print("{\"text\":\"" + "y" * 3990 + "\"}", end="")' \
	>"$T/big.json"
acked=0
full=""
for i in $(seq 1 40); do
	st=$(curl -s -o "$T/resp" -w '%{http_code}' \
		-H 'Content-Type: application/json' \
		--data-binary @"$T/big.json" "http://127.0.0.1:$FPORT/api/items")
	if [ "$st" = 201 ]; then
		acked=$((acked + 1))
	else
		full="$st $(field error)"
		break
	fi
done
echo "# $acked posts stored before the disk was full"
same "a full disk answers 507 storage_full" "507 storage_full" "$full"
st=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$FPORT/")
same "the kiosk keeps serving pages with a full disk" 200 "$st"
kill -TERM "$FPID"
wait "$FPID"
same "a full disk stores exactly the acknowledged items" "$acked" \
	"$(sql "$FDB" "SELECT count(*) FROM items")"

# --- the command line ----------------------------------------------------
check "kiosk --help prints its usage" sh -c \
	"'$CHORUS' kiosk --help | grep -q 'usage: chorus kiosk'"
"$CHORUS" kiosk --bogus >"$T/out" 2>"$T/err"
same "a bad flag exits 2 with one line" "2 1" "$? $(wc -l <"$T/err")"
"$CHORUS" kiosk --db "$T/none.db" --listen 127.0.0.1:1 >"$T/out" 2>"$T/err"
same "a missing database exits 1 with one line" "1 1" \
	"$? $(wc -l <"$T/err")"
"$CHORUS" kiosk --db "$DB" --listen 127.0.0.1:1 --idle 0 2>"$T/err"
same "a bad --idle exits 2 with one line" "2 1" "$? $(wc -l <"$T/err")"
"$CHORUS" kiosk --db "$DB" --listen nowhere 2>"$T/err"
same "a bad --listen exits 1 with one line" "1 1" "$? $(wc -l <"$T/err")"

finish

#!/bin/bash
# Pushing items from a site to the centre: every item arrives once, a
# repeated push changes nothing, and only a complete answer from Chorus
# marks anything sent.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C LANG=C
MK="$TOP/${BUILD:-build}/tools/sync_mkitems"

# A stand-in for what sits between a site and its centre.  Modes:
# portal (200 text/html to everything), cut (declares the full length,
# sends half), cutclose (half a body, then closes), partial (answers
# only the first id), honest (a correct answer, so the cases above fail
# for their own reason and not because this server is broken).
cat >"$T/fake.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
mode = sys.argv[2]
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *a):
        pass
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if mode == "portal":
            out = b"<html><body>Log in to the school WiFi</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        if self.path == "/sync/hello" or self.path.startswith("/sync/pull"):
            out = json.dumps({"chorus": "sync/1", "high_water": 0,
                              "items": 0, "endorsements": 0,
                              "seq_block": 1 << 20, "batch_max": 100,
                              "body_max": 1 << 22, "feed_seq": 0,
                              "rows": [], "next": 0,
                              "more": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Chorus-Sync", "1")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        ids = [i["id"] for i in json.loads(body)["items"]]
        if mode == "partial":
            ids = ids[:1]
        out = json.dumps({"chorus": "sync/1",
                          "public_url": "http://fake.example",
                          "results": [{"id": i, "status": "stored"}
                                      for i in ids]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Chorus-Sync", "1")
        if mode == "cut":
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out[:len(out) // 2])
            self.wfile.flush()
            return
        if mode != "cutclose":
            self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out if mode != "cutclose" else out[:len(out) // 2])
    do_GET = do_POST = answer
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY

P=$(free_port)
URL="http://127.0.0.1:$P"
C="$T/central.db"
line=$("$CHORUS" site add --db "$C" --name "North High" --cluster east)
check "site add prints one line: SITECODE TOKEN" \
	grep -Eq '^[A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z] [0-9a-f]{64}$' <<<"$line"
read -r SITE TOKEN <<<"$line"
hash=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
same "the centre keeps only the token's SHA-256" "$hash" \
	"$(sql "$C" "SELECT token_hash FROM sites WHERE code = '$SITE'")"
same "no token is stored in the clear" 0 \
	"$(sql "$C" "SELECT count(*) FROM sites WHERE token_hash = '$TOKEN'")"
other=$("$CHORUS" site add --db "$C" --name "South Middle" | cut -d' ' -f1)
check "site codes differ" test "$other" != "$SITE"

start_daemon web "$CHORUS" web --db "$C" --listen "127.0.0.1:$P" \
	--public-url "https://chorus.example.org"
check "central server listens" wait_port "$P"

S="$T/site.db"
"$CHORUS" init --db "$S" --site "$SITE" --central "$URL" --token "$TOKEN"
"$MK" "$S" 20 "idea" student en >/dev/null
check "sync --once succeeds" "$CHORUS" sync --db "$S" --once

q="SELECT id, code, text, sha256 FROM items WHERE site = '$SITE' ORDER BY id"
same "the centre has every item with the same id, code, text, sha256" \
	"$(sql "$S" "$q")" "$(sql "$C" "$q")"
same "every item arrived once" 20 \
	"$(sql "$C" "SELECT count(DISTINCT id) FROM items")"
same "received_at is set on the central clock" 20 \
	"$(sql "$C" "SELECT count(*) FROM items WHERE received_at > 0
		AND sync_state = 'central'")"
same "chorus items --json lists 20 items" 20 \
	"$("$CHORUS" items --db "$C" --json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
same "the site marked every item sent" 20 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state = 'sent'")"
same "the site learnt the centre's public URL" "https://chorus.example.org" \
	"$(sql "$S" "SELECT value FROM meta WHERE key = 'public_url'")"
check "the site recorded the push time" test -n \
	"$(sql "$S" "SELECT value FROM meta WHERE key = 'last_push'")"
check "the centre saw the site" test -n \
	"$(sql "$C" "SELECT last_seen FROM sites WHERE code = '$SITE'")"

before=$(sql "$C" "SELECT n, id, received_at FROM items ORDER BY n" | md5sum)
"$CHORUS" sync --db "$S" --once >"$T/again.out"
same "a second sync sends nothing" \
	"sync: 0 sent to the centre, 0 set aside by the centre, 0 endorsements sent, 0 rows pulled" \
	"$(cat "$T/again.out")"
sql "$S" "UPDATE items SET sync_state = 'pending'"
check "pushing the same items again succeeds" "$CHORUS" sync --db "$S" --once
check "the centre answered every repeat as duplicate" \
	grep -q "20 items: 0 stored, 20 duplicate, 0 rejected" "$T/web.log"
same "a repeated batch changes nothing at the centre" "$before" \
	"$(sql "$C" "SELECT n, id, received_at FROM items ORDER BY n" | md5sum)"
same "repeats are marked sent again" 0 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state <> 'sent'")"

# Five processes push the same queue at once (250 items, 3 batches).
"$MK" "$S" 250 "crowd" family es sms >/dev/null
pids=""
for i in 1 2 3 4 5; do
	"$CHORUS" sync --db "$S" --once >"$T/par$i.out" 2>&1 &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
same "five concurrent pushes all succeed" 0 "$fails"
same "the centre holds each of 270 items once" "270 270 270" \
	"$(sql "$C" "SELECT count(*), count(DISTINCT id), count(DISTINCT code)
		FROM items" | tr '|' ' ')"
same "every item is marked sent at the site" 270 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state = 'sent'")"

# A wrong token: refused, one clear line, nothing marked.
W="$T/wrong.db"
"$CHORUS" init --db "$W" --site "$SITE" --central "$URL" \
	--token "$(printf '0%.0s' $(seq 64))"
"$MK" "$W" 2 "lost?" >/dev/null
if "$CHORUS" sync --db "$W" --once 2>"$T/wrong.err"; then
	not_ok "a wrong token fails"
else
	ok "a wrong token fails"
fi
check "the failure says the token was refused" \
	grep -q "the centre refused this site's token" "$T/wrong.err"
same "the failure is one line" 1 "$(wc -l <"$T/wrong.err")"
same "nothing is marked after a refused token" 2 \
	"$(sql "$W" "SELECT count(*) FROM items WHERE sync_state = 'pending'")"
check "last_error says auth" grep -q '^auth' \
	<<<"$(sql "$W" "SELECT value FROM meta WHERE key = 'last_error'")"

# Things that answer instead of the centre.
F="$T/fake.db"
"$CHORUS" init --db "$F" --site "$SITE" --central "$URL" --token "$TOKEN"
sql "$F" "UPDATE meta SET value = 'keep' WHERE key = 'public_url'"
"$MK" "$F" 3 "offline" >/dev/null
for mode in portal cut cutclose partial; do
	FP=$(free_port)
	start_daemon "fake-$mode" python3 "$T/fake.py" "$FP" "$mode"
	wait_port "$FP"
	sql "$F" "UPDATE meta SET value = 'http://127.0.0.1:$FP'
		WHERE key = 'central_url'"
	if "$CHORUS" sync --db "$F" --once 2>"$T/$mode.err"; then
		not_ok "sync fails against a $mode answer"
	else
		ok "sync fails against a $mode answer ($(cut -c1-60 "$T/$mode.err"))"
	fi
	same "scenario 9: a $mode answer marks nothing sent [marked = 0]" 3 \
		"$(sql "$F" "SELECT count(*) FROM items
			WHERE sync_state = 'pending'")"
done
same "no fake answer changed the public URL" keep \
	"$(sql "$F" "SELECT value FROM meta WHERE key = 'public_url'")"
FP=$(free_port)
start_daemon fake-honest python3 "$T/fake.py" "$FP" honest
wait_port "$FP"
sql "$F" "UPDATE meta SET value = 'http://127.0.0.1:$FP'
	WHERE key = 'central_url'"
check "the same stand-in with a correct answer is believed" \
	"$CHORUS" sync --db "$F" --once
same "so the cases above failed for their own reason" 3 \
	"$(sql "$F" "SELECT count(*) FROM items WHERE sync_state = 'sent'")"

# A bad item is set aside with its reason; the ones behind it go on.
"$MK" "$S" 3 "behind" >/dev/null
bad=$(sql "$S" "SELECT id FROM items WHERE sync_state = 'pending'
	ORDER BY n LIMIT 1")
sql "$S" "UPDATE items SET sha256 = '$(printf 'f%.0s' $(seq 64))'
	WHERE id = '$bad'"

# An item that claims to be another site's (a valid item of site
# $other, copied into this site's queue).
O="$T/other.db"
"$CHORUS" init --db "$O" --site "$other" --central "$URL" --token x
"$MK" "$O" 1 "not mine" >/dev/null
sql "$S" "ATTACH '$O' AS o; INSERT INTO items (id, code, site, seq,
	device, channel, role, lang, text, made_at, clock_ok, sha256)
	SELECT id, code, site, seq, device, channel, role, lang, text,
	made_at, clock_ok, sha256 FROM o.items"
stranger=$(sql "$O" "SELECT id FROM items")

check "a pass with bad items still succeeds" "$CHORUS" sync --db "$S" --once
same "scenario 10: the item with a bad hash is set aside with its reason" \
	"rejected|sha256" \
	"$(sql "$S" "SELECT sync_state, sync_note FROM items WHERE id = '$bad'")"
same "an item of another site is rejected" "rejected|site" \
	"$(sql "$S" "SELECT sync_state, sync_note FROM items
		WHERE id = '$stranger'")"
same "neither reached the centre" 0 \
	"$(sql "$C" "SELECT count(*) FROM items WHERE id IN ('$bad',
		'$stranger')")"
same "scenario 10: the items behind the bad one arrived" 2 \
	"$(sql "$C" "SELECT count(*) FROM items WHERE text LIKE 'behind %'")"
same "scenario 10: set-aside items stay in the site database" 273 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE site = '$SITE'")"

# Loop mode: started while the centre is down, it delivers once the
# centre comes up, and SIGTERM ends it cleanly.
L="$T/loop.db"
third=$("$CHORUS" site add --db "$C" --name "Library")
read -r LSITE LTOKEN <<<"$third"
P2=$(free_port)
"$CHORUS" init --db "$L" --site "$LSITE" --central "http://127.0.0.1:$P2" \
	--token "$LTOKEN"
"$MK" "$L" 5 "later" >/dev/null
start_daemon loop "$CHORUS" sync --db "$L"
loop_pid=$LAST_PID
for _ in $(seq 100); do
	grep -q "handshake with the centre failed: network" "$T/loop.log" && break
	sleep 0.1
done
check "the loop logged that the centre was unreachable" \
	grep -q "handshake with the centre failed: network" "$T/loop.log"
start_daemon web2 "$CHORUS" web --db "$C" --listen "127.0.0.1:$P2" \
	--public-url "https://chorus.example.org"
wait_port "$P2"
n=0
for _ in $(seq 100); do
	n=$(sql "$C" "SELECT count(*) FROM items WHERE site = '$LSITE'")
	[ "$n" = 5 ] && break
	sleep 0.1
done
same "the loop delivers items once the centre is up" 5 "$n"
"$MK" "$L" 2 "more" >/dev/null
for _ in $(seq 50); do
	n=$(sql "$C" "SELECT count(*) FROM items WHERE site = '$LSITE'")
	[ "$n" = 7 ] && break
	sleep 0.1
done
same "the loop picks up new items within seconds" 7 "$n"
kill -TERM "$loop_pid"
wait "$loop_pid"
same "SIGTERM ends the loop with status 0" 0 "$?"

# A refused token in loop mode is an error that waits, not a spin.
start_daemon refused "$CHORUS" sync --db "$W"
refused_pid=$LAST_PID
sleep 2
same "a refused token is tried once, then waits" 1 \
	"$(grep -c "refused this site's token" "$T/refused.log")"
check "and is logged as an error" grep -q "error: sync: the centre refused" \
	"$T/refused.log"
kill -TERM "$refused_pid"
wait "$refused_pid"
same "SIGTERM ends a waiting loop promptly with status 0" 0 "$?"

finish

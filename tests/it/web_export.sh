#!/bin/bash
# Streamed exports: a large export in little server memory, the exact
# CSV format checked against an independent writer, the scope of a site
# account, the headers, and clients that go away half-way (no connection
# or file left open, the server still serving).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8
BULK=200000
HWM_MAX_KB=$((120 * 1024)) # the server's peak, whatever the export's size

# Under AddressSanitizer freed blocks wait in a quarantine (256 MB by
# default) that would count in the peak; keep it small so the bound
# measures what the server holds.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
ELM=$(site_new "Elm" south)
staff_new boss@example.org district
staff_new lead@example.org site --site "$ELM"
login "$T/boss.jar" boss@example.org >/dev/null
login "$T/lead.jar" lead@example.org >/dev/null

# 200,000 items at Oak of about 850 bytes each, in one transaction.
sql "$C" "BEGIN;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
	WHERE i < $BULK)
INSERT INTO items (id, code, site, seq, device, channel, role, lang, text,
	made_at, clock_ok, received_at, sha256, sync_state)
SELECT 'bulk-' || i, '$OAK' || printf('B%07d', i), '$OAK', i, 'd1', 'kiosk',
	'student', 'en', 'idea ' || i || ' ' || hex(zeroblob(400)),
	1700000000000 + i, 1, 1700000000000 + i, 'x', 'central' FROM s;
COMMIT;"

# A few items at Elm whose text needs care in CSV and JSON.
n=0
for text in '=SUM(A1:A9)' 'a "quoted" word' "two
lines" '¿Qué tal? ñandú' '+1 -1 @me' 'comma, semicolon; tab	end' '' \
	$'controls \x01\x1f\b\f\r\x7f and a \\ backslash'; do
	n=$((n + 1))
	sql "$C" "INSERT INTO items (id, code, site, seq, device, channel,
		role, lang, text, prompt, made_at, clock_ok, received_at,
		sha256, sync_state) VALUES ('elm-$n', '${ELM}E$n', '$ELM', $n,
		'd1', 'sms', 'family', 'es', '$(printf %s "$text" |
			sed "s/'/''/g")', $([ $((n % 2)) = 0 ] &&
			echo "'LUNCH'" || echo NULL), $n, 1, $n, 'x',
		'central')"
done

# --- a large export in little memory ----------------------------------------
same "the district's items CSV" 200 "$(get "$T/boss.jar" \
	/staff/export/items.csv)"
same "... holds every item and the header" $((BULK + n + 1)) \
	"$(python3 -c 'import csv, sys
print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))))' "$T/body")"
SIZE=$(stat -c %s "$T/body")
check "... which is large ($SIZE bytes)" test "$SIZE" -gt $((HWM_MAX_KB * 1024))
HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$WEB_PID/status")
check "the server's peak memory stays small (${HWM} kB)" \
	test "$HWM" -lt "$HWM_MAX_KB"
check "is CSV" grep -qi '^content-type: text/csv; charset=utf-8' "$T/head"
check "... to save as items.csv" grep -qi \
	'^content-disposition: attachment; filename="items.csv"' "$T/head"
check "... with the security policy" grep -qi \
	"^content-security-policy: default-src 'none'" "$T/head"

same "the items JSON" 200 "$(get "$T/boss.jar" /staff/export/items.json)"
same "... is one array with every item" $((BULK + n)) \
	"$(python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1], encoding="utf-8"))))' "$T/body")"
check "... is JSON" grep -qi '^content-type: application/json' "$T/head"
check "... to save as items.json" grep -qi \
	'^content-disposition: attachment; filename="items.json"' "$T/head"
HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$WEB_PID/status")
check "the peak memory still stays small (${HWM} kB)" \
	test "$HWM" -lt "$HWM_MAX_KB"

# --- the format, byte for byte, and the scope ------------------------------
same "a site account's items CSV" 200 "$(get "$T/lead.jar" \
	/staff/export/items.csv)"
# The items as the public page tells them: "merged" while in an idea,
# whose code is the last column; times as ISO 8601 UTC text in CSV.
cat >"$T/want_items.py" <<'PY'
import sqlite3
def items(path, site, text_factory=str):
    db = sqlite3.connect(path)
    db.text_factory = text_factory
    cur = db.execute("SELECT code, site, channel, role, lang, prompt, text,"
                     " received_at, status, (SELECT idea FROM idea_items"
                     " WHERE item = items.code) AS idea FROM items"
                     " WHERE site = ? ORDER BY n", (site,))
    names = [d[0] for d in cur.description]
    rows = []
    for r in cur:
        r = list(r)
        if r[9] is not None:
            r[8] = "merged" if text_factory is str else b"merged"
        rows.append(r)
    return names, rows
PY
cat >"$T/want_csv.py" <<'PY'
import datetime, sys
sys.path.insert(0, sys.argv[3])
from want_items import items
names, rows = items(sys.argv[1], sys.argv[2], bytes)
def field(v, name):
    if v is None:
        return b""
    if isinstance(v, int) and name.endswith("_at"):
        t = datetime.datetime.fromtimestamp(v // 1000, datetime.timezone.utc)
        v = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, (int, str)):
        v = str(v).encode()
    pre = b"'" if v[:1] in (b"=", b"+", b"-", b"@") else b""
    return b'"' + pre + v.replace(b'"', b'""') + b'"'
out = [b",".join(field(n, "") for n in names)]
out += [b",".join(field(v, n) for v, n in zip(row, names)) for row in rows]
sys.stdout.buffer.write(b"".join(line + b"\r\n" for line in out))
PY
python3 "$T/want_csv.py" "$C" "$ELM" "$T" >"$T/want.csv"
check "... is exactly RFC 4180 with formulas defused" cmp "$T/want.csv" \
	"$T/body"
tr -d '\r' <"$T/body" >"$T/lines"
check "... with times as ISO 8601 UTC text" \
	grep -q '"1970-01-01T00:00:00Z","new",$' "$T/lines"
check "... and holds none of the other site's items" \
	bash -c "! grep -q '$OAK' '$T/body'"
same "a site account's items JSON" 200 "$(get "$T/lead.jar" \
	/staff/export/items.json)"
same "... holds its own items only, the text intact" \
	"$(sql "$C" "SELECT group_concat(text, '|') FROM (SELECT text FROM items
		WHERE site = '$ELM' ORDER BY n)")" \
	"$(python3 -c 'import json, sys
print("|".join(r["text"] for r in json.load(open(sys.argv[1]))))' "$T/body")"
cat >"$T/want_json.py" <<'PY'
import json, re, sys
sys.path.insert(0, sys.argv[3])
from want_items import items
names, rows = items(sys.argv[1], sys.argv[2])
rows = [json.dumps(dict(zip(names, r)), ensure_ascii=False,
                   separators=(",", ":")) for r in rows]
# jansson writes \u00XX in upper case, Python in lower case.
out = "[\n" + ",\n".join(rows) + "\n]\n"
out = re.sub(r"\\u00([0-9a-f]{2})", lambda m: "\\u00" + m[1].upper(), out)
sys.stdout.buffer.write(out.encode())
PY
python3 "$T/want_json.py" "$C" "$ELM" "$T" >"$T/want.json"
check "... is exactly the compact JSON it always was, times in ms" \
	cmp "$T/want.json" "$T/body"
same "an empty export is an empty array" "$(printf '[\n\n]')" \
	"$(curl -s -b "$T/lead.jar" "$URL/staff/export/decisions.json")"

# --- ideas and endorsements follow the account's sites ----------------------
sql "$C" "INSERT INTO ideas (code, title, site, created_at, updated_at)
	VALUES ('${OAK}I0001', 'Oak only', '$OAK', 1, 1),
	('${ELM}I0002', 'Elm too', '$ELM', 1, 1);
	INSERT INTO idea_items (item, idea, added_at) VALUES
	('${OAK}B0000001', '${OAK}I0001', 1), ('${ELM}E1', '${ELM}I0002', 1);
	INSERT INTO endorsements (id, target, voter, channel, site, made_at)
	VALUES ('e1', '${OAK}I0001', 'v1', 'kiosk', '$OAK', 1),
	('e2', '${ELM}I0002', 'v2', 'sms', '$ELM', 1)"
rows() { curl -s -b "$1" "$URL/staff/export/$2.csv" | tail -n +2 |
	cut -d, -f1 | tr -d '"' | tr '\n' ' ' | sed 's/ $//'; }
same "a site account's ideas are those holding its items" "${ELM}I0002" \
	"$(rows "$T/lead.jar" ideas)"
same "... and its endorsements those made at its site" "${ELM}I0002" \
	"$(rows "$T/lead.jar" endorsements)"
same "the district has both of each" "${OAK}I0001 ${ELM}I0002" \
	"$(rows "$T/boss.jar" ideas)"
same "... endorsements too" "${OAK}I0001 ${ELM}I0002" \
	"$(rows "$T/boss.jar" endorsements)"

# --- a merged item --------------------------------------------------------
get "$T/lead.jar" /staff/export/items.csv >/dev/null
python3 "$T/want_csv.py" "$C" "$ELM" "$T" >"$T/want.csv"
check "an item in an idea is exported as the public page says it" \
	cmp "$T/want.csv" "$T/body"
tr -d '\r' <"$T/body" >"$T/lines"
check "... merged, with the code of its idea" \
	grep -q "^\"${ELM}E1\",.*,\"merged\",\"${ELM}I0002\"\$" "$T/lines"
check "... and one in none has an empty idea" \
	grep -q "^\"${ELM}E2\",.*,\"new\",\$" "$T/lines"
get "$T/lead.jar" /staff/export/items.json >/dev/null
python3 "$T/want_json.py" "$C" "$ELM" "$T" >"$T/want.json"
check "... in JSON too" cmp "$T/want.json" "$T/body"
get "$T/lead.jar" /staff/export/ideas.csv >/dev/null
check "an idea's times are ISO 8601 UTC text in CSV" \
	grep -q '"1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"' "$T/body"

# --- clients that go away ---------------------------------------------------
fds() { ls "/proc/$WEB_PID/fd" | wc -l; }
sleep 0.5
FDS=$(fds)
for i in 1 2 3 4 5; do
	curl -s -b "$T/boss.jar" "$URL/staff/export/items.csv" | head -c 5000 \
		>/dev/null
	curl -s -b "$T/boss.jar" --max-time 0.2 --limit-rate 100k \
		"$URL/staff/export/items.json" >/dev/null
done
i=0
while [ "$(fds)" -gt "$FDS" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
same "exports cut short leave no connection or file open" "$FDS" "$(fds)"
same "the server still answers" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
same "... and exports again" "$((n + 1))" "$(curl -s -b "$T/lead.jar" \
	"$URL/staff/export/items.csv" | python3 -c 'import csv, sys
print(sum(1 for _ in csv.reader(sys.stdin)))')"
same "exports need a login" 303 "$(get "$T/nobody.jar" \
	/staff/export/items.json)"

# A clean stop, so that a sanitizer build reports any leak into the log.
kill "$WEB_PID"
wait "$WEB_PID" 2>/dev/null
check "the server stops cleanly, nothing leaked" \
	bash -c "! grep -q 'Sanitizer' '$T/web.log'"

finish

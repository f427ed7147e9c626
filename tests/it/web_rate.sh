#!/bin/bash
# The centre's rate limits survive a restart: logins and /q/ answers
# refused before a restart are still refused after it, allowed again once
# their window has passed, and the table keeps neither an address nor an
# e-mail in clear.  Ended windows are pruned.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8


central_start || not_ok "central server starts"
staff_new lead@example.org district
J=$T/lead.jar
login "$J" lead@example.org >/dev/null
post "$J" /staff/prompts --data id=lunch --data text_en=Lunch? \
	--data text_es=¿Almuerzo? >/dev/null

# --- logins -------------------------------------------------------------------
for i in 1 2 3 4 5; do login "$T/rl.jar" Lead@Example.org 'bad password!' \
	>/dev/null; done
same "a sixth try on one e-mail is slowed down" 429 \
	"$(login "$T/rl.jar" lead@example.org 'bad password!')"
central_restart
same "... and still after a restart" 429 \
	"$(login "$T/rl.jar" lead@example.org)"
check "... with a message" grep -q "Too many attempts" "$T/body"

# --- /q/ answers ----------------------------------------------------------------
for i in 1 2 3 4 5 6 7 8 9 10; do
	get "$T/p.jar" /q/LUNCH --data "text=answer $i" >/dev/null
done
same "the eleventh answer is slowed down" 429 \
	"$(get "$T/p.jar" /q/LUNCH --data "text=one more")"
central_restart
same "... and still after a restart" 429 \
	"$(get "$T/p.jar" /q/LUNCH --data "text=one more")"
same "... nothing of it stored" 10 "$(sql "$C" \
	"SELECT count(*) FROM items WHERE prompt = 'LUNCH'")"

# --- what the table holds -------------------------------------------------------
sqlite3 "$C" .dump >"$T/dump"
grep 'web_rate' "$T/dump" | grep -v 'CREATE' >"$T/rate"
check "the windows are stored" test "$(wc -l <"$T/rate")" -ge 3
check "... keyed by a hash, never an e-mail" \
	bash -c "! grep -qi 'example.org' '$T/rate'"
check "... nor an address" bash -c "! grep -q '127.0.0.1' '$T/rate'"
same "every key is an HMAC" 0 "$(sql "$C" "SELECT count(*) FROM web_rate
	WHERE length(key) != 64 OR key GLOB '*[^0-9a-f]*'")"

# --- the window passes ------------------------------------------------------------
sql "$C" "UPDATE web_rate SET start = start - 15 * 60 * 1000,
	ends = ends - 15 * 60 * 1000"
same "after the window a login goes on" 303 \
	"$(login "$T/rl.jar" lead@example.org)"
same "... and an answer is stored" 201 \
	"$(get "$T/p.jar" /q/LUNCH --data "text=later on")"
same "a window starts again with one count" 1 "$(sql "$C" \
	"SELECT min(count) FROM web_rate")"

# --- pruning --------------------------------------------------------------------------
LIVE=$(sql "$C" "SELECT count(*) FROM web_rate WHERE ends > $(date +%s)000")
sql "$C" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
	WHERE i < 100) INSERT INTO web_rate (key, start, ends, count)
	SELECT printf('%064d', i), 1, 2, 1 FROM s"
for i in 1 2 3; do
	get "$T/p.jar" /q/LUNCH --data "text=prune $i" >/dev/null
done
same "each count deletes a few ended windows" $((100 - 3 * 16)) \
	"$(sql "$C" "SELECT count(*) FROM web_rate WHERE ends <= 2")"
check "... and keeps the live ones" test "$(sql "$C" \
	"SELECT count(*) FROM web_rate WHERE ends > $(date +%s)000")" \
	-ge "$LIVE" -a "$LIVE" -ge 1

finish

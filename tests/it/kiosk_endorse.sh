#!/bin/bash
# "I agree" at the kiosk counts once per visit, and at most
# KIOSK_ENDORSE_PER_HOUR times per idea in an hour from one kiosk,
# counted from the endorsements table so a restart does not reset it
# (kiosk/notices.h).  A real kiosk daemon on loopback, a real site file.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8

CAP=$(sed -n 's/^#define KIOSK_ENDORSE_PER_HOUR \([0-9]*\).*/\1/p' \
	"$TOP/kiosk/notices.h")
DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null
CODES=$("$TOP/${BUILD:-build}/tools/sync_mkitems" "$DB" 3 x)
IDEA=$(echo "$CODES" | sed -n 1p)
CAPPED=$(echo "$CODES" | sed -n 2p)
for c in "$IDEA" "$CAPPED"; do
	json="{\"code\":\"$c\",\"title\":\"Idea $c\",\"endorsements\":0}"
	sql "$DB" "INSERT INTO pulled (kind, key, data, seq) VALUES
		('idea', '$c', '$json', (SELECT count(*) + 1 FROM pulled))"
done

P=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$P"
KIOSK_PID=$LAST_PID
check "kiosk listens" wait_port "$P"
get() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
rows() { sql "$DB" "SELECT count(*) FROM endorsements WHERE target='$1'"; }
# The visit token in the first "I agree" form of the page in $T/body.
form_visit() {
	grep -o 'name="visit" value="[0-9a-f]*"' "$T/body" | head -1 |
		sed 's/.*value="\([0-9a-f]*\)"/\1/'
}
endorse() { # PORT CODE VISIT [LANG]
	get "http://127.0.0.1:$1/api/endorse" --data "code=$2" \
		--data "visit=$3" --data "lang=${4:-en}"
}

check "the cap is a number in notices.h" test "${CAP:-0}" -gt 1

# --- the visit token ----------------------------------------------------------
get "http://127.0.0.1:$P/?lang=en" >/dev/null
HOME_VISIT=$(grep -o 'href="/notices?lang=en&amp;visit=[0-9a-f]*"' \
	"$T/body" | sed 's/.*visit=//; s/"//')
check "the start page's news link carries a new visit token" \
	test "${#HOME_VISIT}" = 32
same "a news page asked without a visit is sent to a new one" 303 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$P/notices?lang=en")"
check "... at its own address, so going back or reloading keeps it" \
	bash -c "curl -s -D - -o /dev/null 'http://127.0.0.1:$P/notices' |
	grep -q '^Location: /notices?lang=en&visit=[0-9a-f]\{32\}'"
same "the news page answers" 200 \
	"$(get -L "http://127.0.0.1:$P/notices?lang=en")"
V1=$(form_visit)
check "each 'I agree' form carries a visit token" test "${#V1}" = 32
check "... as a hidden field, so it works without JavaScript" \
	grep -q "<input type=\"hidden\" name=\"visit\" value=\"$V1\">" "$T/body"
get -L "http://127.0.0.1:$P/notices?lang=en" >/dev/null
V2=$(form_visit)
check "a new visit gets a new token" test "${#V2}" = 32 -a "$V1" != "$V2"
get "http://127.0.0.1:$P/notices?lang=en&visit=$HOME_VISIT" >/dev/null
same "the news page of a visit keeps its token" "$HOME_VISIT" "$(form_visit)"
check "... and its way back to the start keeps it too" grep -q \
	"href=\"/?lang=en&amp;visit=$HOME_VISIT\"" "$T/body"
check "the news page goes back to the start by itself" grep -q \
	'<meta http-equiv="refresh" content="[0-9]*;url=/?lang=en">' \
	"$T/body"
get -L "http://127.0.0.1:$P/notices?lang=en&visit=ABC" >/dev/null
check "a malformed token in the address is replaced by a new one" \
	test "$(form_visit | wc -c)" = 33

# --- once per visit -----------------------------------------------------------
same "a visit's first endorsement is counted" 201 \
	"$(endorse "$P" "$IDEA" "$V1")"
check "... and says so, announced to screen readers" \
	grep -q '<div role="status"><h1>Thank you: your voice counts.' \
	"$T/body"
same "the same visit tapping again is answered" 200 \
	"$(endorse "$P" "$IDEA" "$V1")"
check "... with 'already counted'" \
	grep -q 'role="status"><h1>You already agreed.*already counted' \
	"$T/body"
same "... and stores nothing new" 1 "$(rows "$IDEA")"
same "... in Spanish too" 200 "$(endorse "$P" "$IDEA" "$V1" es)"
check "... saying so in Spanish" grep -q 'tu apoyo ya estaba contado' \
	"$T/body"
check "the answer leads back to the news in the same visit" \
	grep -q "href=\"/notices?lang=es&amp;visit=$V1\"" "$T/body"
check "... or ends the visit" grep -q 'class="again" href="/?lang=es">' \
	"$T/body"
same "another visit is counted" 201 "$(endorse "$P" "$IDEA" "$V2")"
same "two visits are two rows" 2 "$(rows "$IDEA")"
same "... with two distinct voters" 2 "$(sql "$DB" \
	"SELECT count(DISTINCT voter) FROM endorsements WHERE target='$IDEA'")"
same "each voter is a 64-digit hash in lower-case hex" 2 "$(sql "$DB" \
	"SELECT count(*) FROM endorsements WHERE target='$IDEA' AND
	 voter GLOB '[0-9a-f]*' AND voter NOT GLOB '*[^0-9a-f]*' AND length(voter) = 64")"
same "no voter holds its visit token" 0 "$(sql "$DB" \
	"SELECT count(*) FROM endorsements WHERE voter LIKE '%$V1%'
	 OR voter LIKE '%$V2%'")"
same "rows are pending, from the kiosk, at this site" "kiosk|pending|K7" \
	"$(sql "$DB" "SELECT DISTINCT channel, sync_state, site
	 FROM endorsements")"

# --- a missing or malformed token ---------------------------------------------
same "an endorsement without a visit token is refused" 400 \
	"$(get "http://127.0.0.1:$P/api/endorse" --data "code=$IDEA" \
		--data lang=en)"
check "... with a clear message" grep -q \
	'role="status"><h1>This page has expired, so your tap was not counted' \
	"$T/body"
n=0
for bad in "" abc "${V1}0" "${V1:1}" "$(echo "$V1" | tr a-f A-F)" \
	"${V1:1}g" "${V1:1}%00" "${V1:2}%C3%A9"; do
	[ "$(endorse "$P" "$IDEA" "$bad")" = 400 ] && n=$((n + 1))
done
same "eight malformed tokens are refused with 400" 8 "$n"
same "... and nothing was stored for them" 2 "$(rows "$IDEA")"
same "an idea the site has not pulled is still refused" 400 \
	"$(endorse "$P" K70099X "$V1")"
same "... and so is junk for a code" 400 \
	"$(endorse "$P" "%3Cscript%3E" "$V1")"
same "nothing else was stored" 2 "$(sql "$DB" \
	"SELECT count(*) FROM endorsements")"

# --- the cap, across a restart ------------------------------------------------
visit() { printf '%032x' "$1"; }
HALF=$((CAP / 2))
n=0
for i in $(seq 1 "$HALF"); do
	[ "$(endorse "$P" "$CAPPED" "$(visit "$i")")" = 201 ] && n=$((n + 1))
done
same "$HALF endorsements in distinct visits are counted" "$HALF" "$n"

kill -TERM "$KIOSK_PID"
wait "$KIOSK_PID" 2>/dev/null
P=$(free_port)
start_daemon kiosk2 "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$P"
check "the kiosk is restarted" wait_port "$P"

n=0
for i in $(seq $((HALF + 1)) "$CAP"); do
	[ "$(endorse "$P" "$CAPPED" "$(visit "$i")")" = 201 ] && n=$((n + 1))
done
same "after the restart, the rest up to the cap are counted" \
	$((CAP - HALF)) "$n"
same "one more, in a new visit, is refused with 429" 429 \
	"$(endorse "$P" "$CAPPED" "$(visit $((CAP + 1)))" es)"
check "... saying so in the person's language" grep -q \
	'role="status"><h1>Este quiosco ya ha enviado muchos apoyos' "$T/body"
check "... and how to endorse by SMS" grep -q "envía SI $CAPPED" "$T/body"
check "... or on the idea's page" grep -q "<p class=\"url\">.*/I/$CAPPED<" \
	"$T/body"
check "... never that it was counted" \
	bash -c "! grep -qi 'cuenta\.\|contado' '$T/body'"
same "there are exactly cap rows" "$CAP" "$(rows "$CAPPED")"
same "the cap is per idea: another idea is still taken" 201 \
	"$(endorse "$P" "$IDEA" "$(visit 999)")"
same "a visit already counted still hears 'already counted' at the cap" \
	200 "$(endorse "$P" "$CAPPED" "$(visit 1)")"
check "the refusal is logged for the operator" \
	grep -q "kiosk: idea $CAPPED has had $CAP kiosk endorsements" \
	"$T/kiosk2.log"

# --- only the last hour counts ------------------------------------------------
sql "$DB" "UPDATE endorsements SET made_at = made_at - 3601000
	WHERE n = (SELECT min(n) FROM endorsements WHERE target='$CAPPED')"
same "a row made more than an hour ago does not count towards the cap" \
	201 "$(endorse "$P" "$CAPPED" "$(visit $((CAP + 2)))")"
same "... and then the cap holds again" 429 \
	"$(endorse "$P" "$CAPPED" "$(visit $((CAP + 3)))")"
same "so there are cap + 1 rows, one of them old" $((CAP + 1)) \
	"$(rows "$CAPPED")"
sql "$DB" "UPDATE endorsements SET made_at = made_at + 86400000
	WHERE n = (SELECT max(n) FROM endorsements WHERE target='$CAPPED')"
same "a row dated a day ahead (a clock set back) does not count either" \
	201 "$(endorse "$P" "$CAPPED" "$(visit $((CAP + 4)))")"

finish

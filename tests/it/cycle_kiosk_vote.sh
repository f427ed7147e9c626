#!/bin/bash
# A kiosk endorsement travels the whole way: the centre publishes an
# idea to a site, sync pulls it, a person taps "I agree" at the site's
# kiosk, sync pushes the vote, and the centre counts it on the idea's
# public page (and towards its readiness rule).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
S=$T/site-$OAK.db
staff_new boss@example.org district
A=$("$MK" "$S" 1 'A bigger library' student en kiosk)
"$CHORUS" sync --db "$S" --once >/dev/null
J=$T/boss.jar
same "the district logs in" 303 "$(login "$J" boss@example.org)"
same "staff make an idea of the kiosk's item" 303 "$(post "$J" \
	/staff/ideas/merge --data-urlencode "title=A bigger library" \
	--data "item=$A")"
IDEA=$(header Location | sed 's,.*/,,')
"$CHORUS" sync --db "$S" --once >/dev/null
same "the site pulled the idea" 1 "$(sql "$S" \
	"SELECT count(*) FROM pulled WHERE kind='idea' AND key='$IDEA'")"

KP=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$S" --listen "127.0.0.1:$KP"
check "the kiosk listens" wait_port "$KP"
VISIT=00112233445566778899aabbccddeeff
for v in "$VISIT" ffeeddccbbaa99887766554433221100; do
	curl -s -o /dev/null -w '%{http_code}\n' \
		"http://127.0.0.1:$KP/api/endorse" --data "code=$IDEA" \
		--data "visit=$v"
done >"$T/codes"
same "two visits tap I agree" "201 201" "$(tr '\n' ' ' <"$T/codes" |
	sed 's/ $//')"
"$CHORUS" sync --db "$S" --once >/dev/null
same "sync pushed both votes and the centre took them" "sent|2" \
	"$(sql "$S" "SELECT group_concat(DISTINCT sync_state), count(*)
		FROM endorsements WHERE target='$IDEA'")"
same "the centre holds them as kiosk votes from the site" "kiosk|$OAK|2" \
	"$(sql "$C" "SELECT channel, site, count(*) FROM endorsements
		WHERE target='$IDEA' GROUP BY channel, site")"
same "the idea's public page counts them" 200 "$(get "$T/anon" "/i/$IDEA")"
check "... as two people who endorsed it" grep -q "people who endorsed it: 2 /" \
	"$T/body"
finish

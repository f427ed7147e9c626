#!/bin/bash
# Prompts and the /q/PROMPT form (validation, durability, rate limit,
# escaping), and the CSV and JSON exports (never a phone hash).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
staff_new boss@example.org district
J=$T/boss.jar
login "$J" boss@example.org >/dev/null

same "a prompt is posed" 303 "$(post "$J" /staff/prompts --data id=lunch \
	--data-urlencode "text_en=How can lunch be better?" \
	--data-urlencode "text_es=¿Cómo mejorar el almuerzo?" --data scope=)"
same "its id is upper case" LUNCH "$(sql "$C" "SELECT id FROM prompts")"
same "it is in the feed" 1 "$(sql "$C" \
	"SELECT count(*) FROM feed WHERE kind='prompt' AND key='LUNCH'")"
same "a bad id is refused" 400 "$(post "$J" /staff/prompts \
	--data 'id=no spaces' --data text_en=a --data text_es=b)"

same "the form opens in any case" 200 "$(get "$T/p.jar" /q/lunch)"
check "it asks the question" grep -q "How can lunch be better?" "$T/body"
check "its fields are labelled" grep -q '<label for="text">' "$T/body"
get "$T/p.jar" "/q/LUNCH?lang=es" >/dev/null
check "in Spanish too" grep -q "¿Cómo mejorar el almuerzo?" "$T/body"
same "an unknown prompt is 404" 404 "$(get "$T/p.jar" /q/NOPE)"

same "an answer is stored" 201 "$(get "$T/p.jar" /q/LUNCH \
	--data-urlencode 'text=<script>alert(1)</script> more fruit' \
	--data role=student)"
CODE=$(grep -o 'href="/i/[0-9A-Z]*"' "$T/body" | head -1 | cut -d/ -f3 |
	tr -d '"')
same "... with its code shown after the commit" 1 "$(sql "$C" \
	"SELECT count(*) FROM items WHERE code='$CODE' AND prompt='LUNCH'
	 AND channel='web' AND role='student'")"
same "the item's page shows it" 200 "$(get "$T/p.jar" "/i/$CODE")"
check "... escaped" grep -q '&lt;script&gt;alert(1)&lt;/script&gt; more' \
	"$T/body"
# The jar holds Spanish from above: back to English by ?lang=.
same "an empty answer is refused" 400 "$(get "$T/p.jar" "/q/LUNCH?lang=en" \
	--data text=%20%20 --data role=student)"
check "... with a message" grep -q 'role="alert"' "$T/body"
check "... asking for an answer, not an idea" \
	grep -q "Please write your answer before sending" "$T/body"
same "invalid UTF-8 is refused" 400 "$(get "$T/p.jar" /q/LUNCH \
	--data text=%ff%fe --data role=student)"
same "an unknown role is refused" 400 "$(get "$T/p.jar" /q/LUNCH \
	--data text=hello --data role=king)"
head -c 7000 /dev/zero | tr '\0' a >"$T/long"
same "a text over the limit is refused" 400 "$(get "$T/p.jar" /q/LUNCH \
	--data-urlencode "text@$T/long" --data role=student)"
check "... and given back" grep -q aaaaaaaaaa "$T/body"
check "... saying the answer, not an idea, is too long" \
	grep -q "Your answer is too long" "$T/body"
get "$T/p.jar" "/q/LUNCH?lang=es" --data-urlencode "text@$T/long" \
	--data role=student >/dev/null
check "... in Spanish too" grep -q "Tu respuesta es demasiado larga" \
	"$T/body"
same "nothing bad was stored" 1 "$(sql "$C" \
	"SELECT count(*) FROM items WHERE prompt='LUNCH'")"
for i in 2 3 4 5 6 7 8 9 10; do
	get "$T/p.jar" /q/LUNCH --data "text=answer $i" >/dev/null
done
same "the eleventh answer in ten minutes is slowed down" 429 \
	"$(get "$T/p.jar" /q/LUNCH --data "text=one more")"
check "... and the text is given back" grep -q "one more" "$T/body"
get "$J" "/staff?prompt=LUNCH" >/dev/null
check "the inbox filters by prompt" grep -q "answer 5" "$T/body"

# --- exports ---------------------------------------------------------------
"$MK" "$T/site-$OAK.db" 1 '=HYPERLINK("x") "quoted"' family en sms >/dev/null
"$CHORUS" sync --db "$T/site-$OAK.db" --once >/dev/null
sql "$C" "INSERT INTO endorsements (id, target, voter, channel, made_at,
	sync_state) VALUES ('e1', '$CODE', 'phone:secrethash', 'sms', 1,
	'central')"
same "the items CSV" 200 "$(get "$J" /staff/export/items.csv)"
check "is CSV" grep -qi '^content-type: text/csv' "$T/head"
check "has a header row" grep -q '^"code","site"' "$T/body"
check "quotes are doubled and formulas defused" \
	grep -qF "\"'=HYPERLINK(\"\"x\"\") \"\"quoted\"\"\"" "$T/body"
for f in items ideas endorsements decisions; do
	for e in csv json; do
		get "$J" "/staff/export/$f.$e" >/dev/null
		cat "$T/body" >>"$T/all"
	done
done
check "the JSON exports parse" bash -c "curl -s -b '$J' \
	'$URL/staff/export/items.json' | python3 -m json.tool >/dev/null"
check "no export holds a phone hash" bash -c "! grep -q secrethash '$T/all'"
check "the endorsement is exported" grep -q '"target":"'"$CODE" "$T/all"
same "exports need a login" 303 "$(get "$T/p.jar" /staff/export/items.csv)"

finish

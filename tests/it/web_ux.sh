#!/bin/bash
# The public and staff pages for real people (curl level; the layout on
# a 360 px phone, the inbox filters at 360x640 and 1024x600 and the
# waves chart are checked in Chromium by tests/browser/ux.mjs, run at
# the end):
#  - a login limit counts failures, per (e-mail, address): bad passwords
#    from one address do not lock the owner out from another;
#  - an idea takes at most 3 endorsements a day from one address, and
#    /rule says so; a browser pressing Endorse twice uses up one;
#  - the public idea page shows themes as a list, what a notice says was
#    done, and links that keep the reader's language, from "/" on;
#  - staff pages in Spanish keep no English words of their own.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

# login_from ADDRESS JAR EMAIL PASSWORD: a login from a client address
# of the loopback (127.0.0.1 or 127.0.0.2); prints the status.
login_from() {
	local a=$1 jar=$2 tok
	get "$jar" /staff/login --interface "$a" >/dev/null
	tok=$(grep -o 'name="l" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
	get "$jar" /staff/login --interface "$a" --data-urlencode "email=$3" \
		--data-urlencode "password=$4" --data "l=$tok"
}

# endorse_fresh IDEA: an endorsement from a browser with no cookies.
endorse_fresh() {
	local jar tok
	jar=$(mktemp "$T/fresh.XXXXXX")
	get "$jar" "/i/$1" >/dev/null
	tok=$(grep -o 'name="t" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
	get "$jar" "/i/$1/endorse" --data "t=$tok"
}

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
staff_new boss@example.org district
A=$("$MK" "$T/site-$OAK.db" 1 'Water fountains near the yard' student en \
	kiosk)
S=$("$MK" "$T/site-$OAK.db" 1 'Agua fresca en el patio' family es sms)
W=$("$MK" "$T/site-$OAK.db" 1 'Shade over the benches' staff en kiosk)
"$CHORUS" sync --db "$T/site-$OAK.db" --once >/dev/null
J=$T/boss.jar
same "the district logs in" 303 "$(login "$J" boss@example.org)"
post "$J" /staff/ideas/merge --data-urlencode "title=Water fountains" \
	--data "item=$A" --data "item=$S" >/dev/null
IDEA=$(header Location | sed 's,.*/,,')
post "$J" /staff/ideas/merge --data-urlencode "title=Second idea" \
	--data "item=$W" >/dev/null
post "$J" "/staff/ideas/$IDEA" --data-urlencode "title=Water fountains" \
	--data-urlencode "learned=Thirsty" \
	--data-urlencode "tags=health, water" --data phase=captured >/dev/null
post "$J" /staff/notice --data "idea=$IDEA" \
	--data-urlencode "title=New fountains" \
	--data-urlencode "body=We put <two> fountains by the yard" \
	--data scope= >/dev/null
post "$J" /staff/prompts --data id=lunch --data text_en=Lunch? \
	--data text_es=¿Almuerzo? >/dev/null
post "$J" /staff/decision/new --data "idea=$IDEA" --data kind=action \
	--data "site=$OAK" --data-urlencode "text=Order two fountains" \
	--data-urlencode "owner=Facilities office" --data due=2031-05-03 \
	--data status=planned >/dev/null
IDEA2=$(sql "$C" "SELECT code FROM ideas WHERE title = 'Second idea'")

# --- 1. login limits count failures, per (e-mail, address) ------------------
for i in 1 2 3 4 5; do
	same "a bad password from one address is refused ($i)" 403 \
		"$(login_from 127.0.0.1 "$T/bad.jar" boss@example.org 'nope!')"
done
same "the owner still logs in from another address" 303 \
	"$(login_from 127.0.0.2 "$T/own.jar" Boss@Example.org "$PW")"
same "from the same address the sixth try is refused" 429 \
	"$(login_from 127.0.0.1 "$T/bad.jar" boss@example.org "$PW")"
check "... with a message" grep -q "Too many attempts" "$T/body"
for i in 1 2 3 4 5 6; do
	login_from 127.0.0.2 "$T/own.jar" boss@example.org "$PW" >"$T/st"
done
same "right passwords do not count against the limit" 303 "$(cat "$T/st")"
sql "$C" "UPDATE web_rate SET start = start - 15 * 60 * 1000,
	ends = ends - 15 * 60 * 1000"
same "after the window the owner logs in from the first address" 303 \
	"$(login_from 127.0.0.1 "$T/bad.jar" boss@example.org "$PW")"

# --- 2. endorsements per idea and address -----------------------------------
# A double click: the second press counts nothing and uses up nothing.
get "$T/twice.jar" "/i/$IDEA" >/dev/null
TOK=$(grep -o 'name="t" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
for i in 1 2; do
	same "one browser presses Endorse ($i)" 303 \
		"$(get "$T/twice.jar" "/i/$IDEA/endorse" --data "t=$TOK")"
done
same "... and counts once" 1 "$(sql "$C" \
	"SELECT count(*) FROM endorsements WHERE target = '$IDEA'")"
for i in 2 3; do
	same "an endorsement from a fresh browser ($i) counts" 303 \
		"$(endorse_fresh "$IDEA")"
done
same "a fourth from the same address today is refused" 429 \
	"$(endorse_fresh "$IDEA")"
check "... saying why" grep -q "enough endorsements from this connection" \
	"$T/body"
same "... and not stored" 3 "$(sql "$C" \
	"SELECT count(*) FROM endorsements WHERE target = '$IDEA'")"
same "another idea still takes one" 303 "$(endorse_fresh "$IDEA2")"
# Restarted here, not inside $(...), so cleanup knows the new server.
central_restart
same "the limit holds across a restart" 429 "$(endorse_fresh "$IDEA")"
sql "$C" "UPDATE web_rate SET start = start - 86400000,
	ends = ends - 86400000"
same "a day later the address may endorse again" 303 \
	"$(endorse_fresh "$IDEA")"
same "/rule answers" 200 "$(get "$T/v.jar" /rule)"
check "/rule says how endorsements on the site are counted" \
	grep -q "<li>3 endorsements of one idea a day count" "$T/body"
get "$T/es.jar" "/rule?lang=es" >/dev/null
check "... in Spanish too" grep -q "<li>3 apoyos a una misma idea" "$T/body"

# --- 3. the public idea page ------------------------------------------------
same "the public page answers" 200 "$(get "$T/v.jar" "/i/$IDEA")"
check "themes are a plain list" \
	grep -q '<ul class="tags"[^>]*><li>health</li><li>water</li></ul>' \
	"$T/body"
check "... under a public label" grep -q '>Themes</h2>' "$T/body"
check "... not the staff one" bash -c \
	"! grep -q 'separated by commas' '$T/body'"
check "the timeline says what was done, escaped" \
	grep -q 'What was done:</span> <span class="text">We put &lt;two&gt;' \
	"$T/body"

# --- 4. links keep the language ---------------------------------------------
# links PAGE: every href of the page but the style sheet, one a line.
links() {
	get "$T/v.jar" "$1" >/dev/null
	grep -o 'href="[^"]*"' "$T/body" | grep -v '"/web/'
}
links "/?lang=es" >"$T/links"
check "/ links to the list of ideas" grep -q 'href="/ideas?lang=es"' \
	"$T/links"
check "/ links to the rule" grep -q 'href="/rule?lang=es"' "$T/links"
check "/ keeps the lookup form in Spanish" \
	grep -q 'name="lang" value="es"' "$T/body"
for p in "/?lang=es" "/ideas?lang=es" "/rule?lang=es" "/i/$IDEA?lang=es"; do
	links "$p" >"$T/links"
	check "every link of $p carries a language" \
		bash -c "! grep -v 'lang=' '$T/links'"
	check "... Spanish but the links to other languages" \
		bash -c "! grep -v 'lang=es' '$T/links' | grep -v 'lang=en\"'"
done
links "/ideas?lang=es" >"$T/links"
check "/ideas links to ideas in Spanish" \
	grep -q "href=\"/i/$IDEA?lang=es\"" "$T/links"

# --- 7. Spanish staff pages -------------------------------------------------
post "$J" /staff/sites --data "site=$OAK" --data enrolment=1000 \
	--data student=500 --data family=400 --data staff=50 \
	--data community=50 --data lang_es=600 >/dev/null
sql "$C" "UPDATE items SET lang = 'en'"
same "the gaps page answers in Spanish" 200 \
	"$(get "$J" "/staff/gaps?lang=es")"
for w in ' items; ' ' of ' ' people' 'family' ' items<'; do
	check "the gaps page in Spanish has no '$w'" \
		bash -c "! grep -q -- '$w' '$T/body'"
done
ES="$OAK Oak: Español, 0 de 3 aportaciones; 600 de 1000 personas"
check "... and says it in Spanish" grep -q "$ES" "$T/body"
get "$J" "/staff/gaps?lang=en" >/dev/null
check "... and in English" \
	grep -q "$OAK Oak: Spanish, 0 of 3 items; 600 of 1000 people" "$T/body"
get "$J" "/staff/export?lang=es" >/dev/null
check "the export page in Spanish has no 'items:'" \
	bash -c "! grep -q 'items:' '$T/body'"
check "... nor 'endorsements:'" bash -c "! grep -q 'endorsements:' '$T/body'"
check "... but Aportaciones and Apoyos" \
	bash -c "grep -q '<li>Aportaciones: <a' '$T/body' &&
		grep -q '<li>Apoyos: <a' '$T/body'"
get "$J" "/staff/audit?lang=es" >/dev/null
check "the audit log says actions in words" \
	grep -q '<td>Unió una aportación a una idea</td>' "$T/body"
check "... never raw" bash -c "! grep -q '>idea.merge<' '$T/body'"
MON=$(date -u +%-m)
MES=$(sed -n "s/^date.mon.$MON = //p" "$TOP/i18n/es/public.cat")
check "... with dates in Spanish" \
	grep -q "<time datetime=\"[-0-9T:.]*Z\">[0-9]* $MES $(date -u +%Y) " \
	"$T/body"
get "$J" "/staff?lang=es" >/dev/null
check "the inbox names languages" grep -q '<td>Inglés</td>' "$T/body"
check "... never by code" bash -c "! grep -q '<td>e[ns]</td>' '$T/body'"
check "... shows no raw timestamp as text" \
	bash -c "! sed 's/datetime=\"[^\"]*\"//g' '$T/body' |
		grep -q '[0-9]T[0-9][0-9]:[0-9][0-9]'"
check "... and names sites beside their codes" \
	grep -q "<span class=\"code\">$OAK</span> Oak</td>" "$T/body"
check "... in the filter too" grep -q "<option value=\"$OAK\">$OAK Oak<" \
	"$T/body"
check "each filter's label and control are held together" \
	grep -q '<span class="filter"><label for="f-cluster">' "$T/body"
get "$J" "/staff/waves?lang=es" >/dev/null
check "the waves legend is in Spanish" \
	grep -q '<ul class="legend" aria-label="Leyenda">' "$T/body"

# --- 5 and 6. layout in Chromium --------------------------------------------
sql "$C" "DELETE FROM phases WHERE strftime('%Y-%m', at / 1000,
	'unixepoch') <> strftime('%Y-%m', 'now')"
node "$TOP/tests/browser/ux.mjs" "$URL" "$IDEA" LUNCH boss@example.org \
	"$PW" "$T" >"$T/browser.out" 2>&1
rc=$?
cat "$T/browser.out"
same "the browser run finished" 0 "$rc"

finish

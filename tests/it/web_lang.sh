#!/bin/bash
# The language a reader picks stays on (curl, cookie jars):
#  - ?lang=XX sets the chorus_lang cookie, which comes before
#    Accept-Language on later pages; ?lang= still wins and moves it;
#  - a staff member who chose Spanish on the login page stays in
#    Spanish after the login, on every menu link, after the inbox
#    filter form and after a save (the redirect);
#  - the public pages keep it too;
#  - the language links of a page that answers a POST lead to a page
#    that answers GET (for a refused endorsement, the idea's page, with
#    a link back to it as well);
#  - the language links of a poster keep its paper size, and its size
#    links keep its language.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
staff_new boss@example.org district
A=$("$MK" "$T/site-$OAK.db" 1 'More library books please' student en kiosk)
"$CHORUS" sync --db "$T/site-$OAK.db" --once >/dev/null

# lang_of: the language of the page in $T/body.
lang_of() { grep -o '<html lang="[a-z]*"' "$T/body" | cut -d'"' -f2; }
# cookie_set: the chorus_lang Set-Cookie header of the last answer.
cookie_set() {
	grep -i '^set-cookie: chorus_lang=' "$T/head" | tr -d '\r'
}

# --- 1. the login keeps the language -----------------------------------------
J=$T/boss.jar
same "the login page in Spanish answers" 200 \
	"$(get "$J" "/staff/login?lang=es")"
same "... in Spanish" es "$(lang_of)"
cookie_set >"$T/c"
check "... and remembers the choice in a cookie" \
	grep -q '^Set-Cookie: chorus_lang=es; Path=/; ' "$T/c"
for a in 'HttpOnly' 'SameSite=Lax' 'Max-Age=[0-9]\{8\}'; do
	check "... with $a" grep -q "; $a" "$T/c"
done
check "... beside the login form's own cookie" \
	grep -qi '^set-cookie: chorus_l=' "$T/head"
tok=$(grep -o 'name="l" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
# The form's hidden lang field is left out: the cookie alone must do.
same "the login answers with a redirect" 200 \
	"$(get "$J" /staff/login -L --data-urlencode "email=boss@example.org" \
		--data-urlencode "password=$PW" --data "l=$tok")"
same "... to an inbox in Spanish" es "$(lang_of)"
check "... that is the inbox" grep -q '<h1>Entrada' "$T/body"

# --- 2. every menu link -------------------------------------------------------
sed -n 's,.*<nav aria-label="[^"]*">\(.*\)</nav><form class="logout".*,\1,p' \
	"$T/body" | grep -o 'href="[^"]*"' | cut -d'"' -f2 >"$T/menu"
same "the menu has its nine links" 9 "$(wc -l <"$T/menu")"
while read -r m; do
	get "$J" "$m" >/dev/null
	same "the menu link $m is in Spanish" es "$(lang_of)"
done <"$T/menu"
same "no page after the choice sets the cookie again" "" "$(cookie_set)"

# --- 3. the inbox filter form and a save --------------------------------------
same "the inbox filter form answers" 200 \
	"$(get "$J" "/staff?site=$OAK&role=&ilang=&channel=&phase=&q=books")"
same "... in Spanish" es "$(lang_of)"
check "... with the item it found" grep -q "$A" "$T/body"
same "a new idea is saved" 303 "$(post "$J" /staff/ideas/merge \
	--data-urlencode "title=More books" --data "item=$A")"
IDEA=$(header Location | sed 's,.*/,,')
same "the page the save leads to answers" 200 \
	"$(get "$J" "$(header Location)")"
same "... in Spanish" es "$(lang_of)"
same "the idea is edited, following the redirect" 200 \
	"$(post "$J" "/staff/ideas/$IDEA" -L --data-urlencode "title=Books" \
		--data-urlencode "learned=" --data-urlencode "tags=" \
		--data phase=captured)"
same "... to a page in Spanish" es "$(lang_of)"

# --- 4. ?lang= wins and moves the cookie; the cookie beats Accept-Language ---
get "$J" "/staff/ideas?lang=en" >/dev/null
same "?lang=en wins over the cookie" en "$(lang_of)"
check "... and moves it" grep -q '^Set-Cookie: chorus_lang=en;' \
	<(cookie_set)
get "$J" /staff -H "Accept-Language: es" >/dev/null
same "the cookie comes before Accept-Language" en "$(lang_of)"
get "$J" "/staff?lang=xx" >/dev/null
same "a language with no catalogue keeps the cookie's" en "$(lang_of)"
same "... and sets no cookie" "" "$(cookie_set)"
get "$T/none.jar" /staff/login -H "Accept-Language: es" >/dev/null
same "without a cookie Accept-Language still counts" es "$(lang_of)"
same "... and sets none" "" "$(cookie_set)"

# --- 5. public pages ----------------------------------------------------
V=$T/visitor.jar
get "$V" "/ideas?lang=es" >/dev/null
same "a reader picks Spanish on the list of ideas" es "$(lang_of)"
for p in / /rule "/i/$IDEA" "/i/$A" "/i/ZZZZZZZZ"; do
	get "$V" "$p" >/dev/null
	same "$p stays in Spanish" es "$(lang_of)"
done
get "$V" "/i?code=$A" -L >/dev/null
same "the code lookup stays in Spanish" es "$(lang_of)"
get "$V" "/i/$A?lang=en" >/dev/null
check "an item page's ?lang= moves the cookie" \
	grep -q '^Set-Cookie: chorus_lang=en;' <(cookie_set)
get "$V" /rule >/dev/null
same "... for every page after it" en "$(lang_of)"

# --- 6. language links of pages that answer a POST ---------------------------
# lang_links: the href of each language link of $T/body, unescaped.
lang_links() {
	grep -o '<a lang="[a-z]*" href="[^"]*"' "$T/body" | cut -d'"' -f4 |
		sed 's/&amp;/\&/g'
}
# links_answer WHAT JAR: every language link of $T/body answers GET
# with 200 (from a copy of JAR).
links_answer() {
	local l n=0
	cp "$2" "$T/look.jar"
	for l in $(lang_links); do
		n=$((n + 1))
		same "$1: its link $l answers" 200 "$(get "$T/look.jar" "$l")"
	done
	[ "$n" -gt 0 ] || not_ok "$1: it has language links"
}
# endorse_fresh: an endorsement of $IDEA from a browser that has no
# cookie but a choice of Spanish; the answer's status.
endorse_fresh() {
	local jar tok
	jar=$(mktemp "$T/fresh.XXXXXX")
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tchorus_lang\tes\n' >"$jar"
	get "$jar" "/i/$IDEA" >/dev/null
	tok=$(grep -o 'name="t" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
	get "$jar" "/i/$IDEA/endorse" --data "t=$tok"
}
get "$T/es.jar" "/i/$IDEA?lang=es" >/dev/null
for i in 1 2 3; do endorse_fresh >/dev/null; done
same "a fourth endorsement from one address is refused" 429 \
	"$(endorse_fresh)"
same "... in Spanish" es "$(lang_of)"
same "... with a link to English on the idea's page" "/i/$IDEA?lang=en" \
	"$(lang_links)"
links_answer "the too-many page" "$T/es.jar"
get "$T/es.jar" "/i/$IDEA" >/dev/null
same "a refused endorsement without its token" 403 \
	"$(get "$T/es.jar" "/i/$IDEA/endorse" --data t=0)"
same "... links to English on the idea's page" "/i/$IDEA?lang=en" \
	"$(lang_links)"
BACK="<a class=\"back\" href=\"/i/$IDEA?lang=es\">Volver a la idea</a>"
check "... and back to the idea" grep -qF "$BACK" "$T/body"
endorse_fresh >/dev/null
check "the too-many page links back to the idea too" \
	grep -qF "$BACK" "$T/body"

get "$J" "/staff?lang=es" >/dev/null
same "a notice without a title is refused" 400 \
	"$(post "$J" /staff/notice --data "idea=$IDEA" --data title= \
		--data body=x)"
same "... with a link to English on the idea's page" \
	"/staff/ideas/$IDEA?lang=en" "$(lang_links)"
links_answer "the refused notice" "$J"
same "a merge of nothing is refused" 400 \
	"$(post "$J" /staff/ideas/merge --data title=x)"
links_answer "the refused merge" "$J"
same "a decision of no idea is refused" 400 \
	"$(post "$J" /staff/decision/new --data kind=decision)"
links_answer "the refused decision" "$J"
same "a change with no CSRF token is refused" 403 \
	"$(get "$J" /staff/notice --data "idea=$IDEA")"
links_answer "the CSRF refusal" "$J"
same "a login with a bad password is refused" 403 \
	"$(get "$T/l.jar" /staff/login --data email=boss@example.org \
		--data password=nope --data l=0)"
links_answer "the refused login" "$T/l.jar"

# --- 7. the poster keeps its size and its language ---------------------------
post "$J" /staff/notice --data "idea=$IDEA" --data-urlencode "title=Books" \
	--data-urlencode "body=More shelves" --data scope= >/dev/null
NID=$(sql "$C" "SELECT id FROM notices LIMIT 1")
same "the poster in Letter and Spanish answers" 200 \
	"$(get "$J" "/staff/poster/$NID?size=letter&lang=es")"
same "its English link keeps the size" \
	"/staff/poster/$NID?size=letter&lang=en" "$(lang_links)"
check "its A4 link keeps the language" \
	grep -q 'href="?size=a4&amp;lang=es">A4</a>' "$T/body"
check "... and so does its Letter link, named in Spanish" \
	grep -q 'href="?size=letter&amp;lang=es">Carta (EE. UU.)</a>' "$T/body"
get "$J" "/staff/poster/$NID?size=letter&lang=en" >/dev/null
same "in English, its Spanish link keeps the size" \
	"/staff/poster/$NID?size=letter&lang=es" "$(lang_links)"
check "... and its size links the language" \
	grep -q 'href="?size=a4&amp;lang=en">A4</a>' "$T/body"
get "$J" "/staff?q=a%26b+c&lang=es" >/dev/null
same "a language link keeps the inbox's filters, encoded" \
	"/staff?q=a%26b%20c&lang=en" "$(lang_links)"

finish

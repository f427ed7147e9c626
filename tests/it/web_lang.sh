#!/bin/bash
# The language a reader picks stays on (curl, cookie jars):
#  - ?lang=XX sets the chorus_lang cookie, which comes before
#    Accept-Language on later pages; ?lang= still wins and moves it;
#  - a staff member who chose Spanish on the login page stays in
#    Spanish after the login, on every menu link, after the inbox
#    filter form and after a save (the redirect);
#  - the public pages keep it too.
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

finish

#!/bin/bash
# The central server's public pages: item pages with escaped text, any
# case and typing slips in the path, "not arrived yet" for real codes,
# a friendly 404 otherwise, English and Spanish, no script anywhere.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C LANG=C
MK="$TOP/${BUILD:-build}/tools/sync_mkitems"

P=$(free_port)
URL="http://127.0.0.1:$P"
C="$T/central.db"
read -r SITE TOKEN <<<"$("$CHORUS" site add --db "$C" --name 'Oak & <Elm>')"
start_daemon web "$CHORUS" web --db "$C" --listen "127.0.0.1:$P" \
	--public-url "https://chorus.example.org"
WEB_PID=$LAST_PID
check "central server listens" wait_port "$P"

S="$T/site.db"
"$CHORUS" init --db "$S" --site "$SITE" --central "$URL" --token "$TOKEN"
CODE=$("$MK" "$S" 1 '<script>alert(1)</script>' family es sms)
QUIET=$("$MK" "$S" 1 "who I am is mine" unsaid en kiosk)
"$CHORUS" sync --db "$S" --once >/dev/null
LATER=$("$MK" "$S" 1 "not synced yet")

# get PATH [curl args...]: body into $T/body, headers into $T/head,
# status on stdout.
get() {
	p=$1
	shift
	curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$URL$p"
}
header() { grep -i "^$1:" "$T/head" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

same "the item page answers 200" 200 "$(get "/i/$CODE")"
check "the item's text is shown escaped" \
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/body"
check "no raw <script> anywhere" bash -c "! grep -qi '<script' '$T/body'"
check "the site's name is shown escaped" \
	grep -qF 'Oak &amp; &lt;Elm&gt;' "$T/body"
check "the page says how the item came" grep -q "By text message" "$T/body"
when='<dd><time datetime="[0-9T:.Z-]+">'
when="$when"'[0-9]{1,2} [A-Z][a-z]+ [0-9]{4}, [0-9]{2}:[0-9]{2} UTC</time>'
check "the page gives the day it arrived in words, with the time" \
	grep -Eq "$when" "$T/body"
check "not as a raw ISO day" \
	bash -c "! grep -Eq '>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' '$T/body'"
check "the page says who shared it" grep -q "Parent or family" "$T/body"
check "the page shows the status" grep -q "New: waiting to be read" "$T/body"
check "the page shows its QR code with alt text" \
	grep -q "<img src=\"/i/$CODE/qr.svg\"[^>]* alt=\"QR code" "$T/body"
check "a Content-Security-Policy header is sent" \
	grep -qi "^content-security-policy: default-src 'none'" "$T/head"
check "the page uses the style sheet" grep -q 'href="/web/web.css"' "$T/body"
cp "$T/body" "$T/canonical.html"

lower=$(tr 'A-Z' 'a-z' <<<"$CODE")
same "a lower-case path works" 200 "$(get "/I/$lower")"
check "upper and lower case give the same page" cmp -s "$T/body" \
	"$T/canonical.html"
slip=$(sed 's/0/o/g; s/1/l/g' <<<"$lower")
same "typing slips (o for 0, l for 1) work" 200 "$(get "/i/$slip")"
check "typing slips give the same page" cmp -s "$T/body" "$T/canonical.html"

same "a real code not yet synced answers 404" 404 "$(get "/i/$LATER")"
check "it says the item has not arrived yet" \
	grep -q "has not reached the district yet" "$T/body"
check "it still shows the QR code" grep -q "/i/$LATER/qr.svg" "$T/body"

# A well-formed code of a site the centre does not know.
for s in Z9 Y8 X7; do [ "$s" != "$SITE" ] && break; done
U="$T/unknown.db"
"$CHORUS" init --db "$U" --site "$s" --central "$URL" --token x
UCODE=$("$MK" "$U" 1 "elsewhere")
same "a code of an unknown site answers 404" 404 "$(get "/i/$UCODE")"
check "... with the not-found page" grep -q "Code not found" "$T/body"

same "junk answers 404" 404 "$(get "/i/ZZZZ")"
check "junk gets a friendly page" grep -q "We could not find that code" \
	"$T/body"
check "the not-found page offers the code form" \
	grep -q '<form class="lookup" action="/i"' "$T/body"
same "an unknown path answers 404" 404 "$(get "/nothing/here")"
check "an unknown path says the page, not a code, is missing" \
	grep -q "Page not found" "$T/body"
same "a wrong check character answers 404" 404 \
	"$(get "/i/${CODE%?}$([ "${CODE: -1}" = A ] && echo B || echo A)")"

same "Spanish by Accept-Language" 200 \
	"$(get "/i/$CODE" -H 'Accept-Language: es-MX,es;q=0.9,en;q=0.5')"
check "the Spanish page is marked lang=es" grep -q '<html lang="es">' \
	"$T/body"
check "the Spanish page speaks Spanish" grep -q "Aportación" "$T/body"
check "roles come out in Spanish" grep -q "Madre, padre o familia" "$T/body"
check "the day it arrived comes out in Spanish" \
	grep -Eq '>[0-9]{1,2} de [a-z]+ de [0-9]{4}, [0-9]{2}:[0-9]{2} UTC<' \
	"$T/body"
same "an item whose sharer said nothing of who they are" 200 \
	"$(get "/i/$QUIET")"
check "has no 'Shared by' line" bash -c "! grep -q 'Shared by' '$T/body'"
check "nor 'I'd rather not say'" bash -c "! grep -q 'rather not say' '$T/body'"
same "Spanish by ?lang=es" 200 "$(get "/i/$CODE?lang=es" \
	-H 'Accept-Language: en')"
check "?lang= wins over Accept-Language" grep -q "Aportación" "$T/body"
get "/i/ZZZZ" -H 'Accept-Language: es' >/dev/null
check "the 404 page speaks Spanish too" grep -q "No encontramos ese código" \
	"$T/body"
get "/i/$LATER?lang=es" >/dev/null
check "so does the not-arrived page" grep -q "Todavía no ha llegado" \
	"$T/body"
check "the English page links to Spanish" \
	grep -q "href=\"/i/$CODE?lang=es\"" "$T/canonical.html"

same "the lookup form redirects to the item" 303 "$(get "/i?code=$slip")"
same "... at its canonical address" "/i/$CODE?lang=en" "$(header Location)"

same "the home page answers" 200 "$(get /)"
check "the home page has a language switch" grep -q 'href="/?lang=es"' \
	"$T/body"
check "no page carries a script" bash -c "! grep -qi '<script' '$T/body'"
same "the style sheet is served" 200 "$(get /web/web.css)"
check "as text/css" grep -qi '^content-type: text/css' "$T/head"
same "healthz answers" 200 "$(get /healthz)"
same "healthz says ok" ok "$(cat "$T/body")"
same "the QR code exists before the item arrives" 200 \
	"$(get "/i/$LATER/qr.svg")"
check "as image/svg+xml" grep -qi '^content-type: image/svg+xml' "$T/head"

# The push endpoint's guards.
same "a push without a token is refused" 401 \
	"$(get /sync/push -X POST -H 'Content-Type: application/json' \
		--data '{}')"
same "a push with a junk token is refused" 401 \
	"$(get /sync/push -X POST -H 'Content-Type: application/json' \
		-H 'Authorization: Bearer nope' --data '{}')"
same "a push naming another site is refused" 403 \
	"$(get /sync/push -X POST -H 'Content-Type: application/json' \
		-H "Authorization: Bearer $TOKEN" \
		--data '{"site":"Q1","device":"d","items":[]}')"
same "a push that is not JSON is refused" 400 \
	"$(get /sync/push -X POST -H 'Content-Type: application/json' \
		-H "Authorization: Bearer $TOKEN" --data 'hello')"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$T/big.json"
same "a push over 4 MiB is refused" 413 \
	"$(get /sync/push -X POST -H 'Content-Type: application/json' \
		-H "Authorization: Bearer $TOKEN" --data-binary "@$T/big.json")"
same "an empty batch is answered" 200 \
	"$(get /sync/push -X POST -H 'Content-Type: application/json' \
		-H "Authorization: Bearer $TOKEN" \
		--data '{"device":"d","items":[]}')"
check "with the protocol marker" grep -qi '^x-chorus-sync: 1' "$T/head"

# The centre refuses a site's database.
if "$CHORUS" web --db "$S" --listen "127.0.0.1:$(free_port)" \
	--public-url "$URL" 2>"$T/refuse.err"; then
	not_ok "web refuses a site database"
else
	ok "web refuses a site database"
fi
same "with one clear line" 1 "$(wc -l <"$T/refuse.err")"
check "naming the problem" grep -q "is a site database" "$T/refuse.err"

kill -TERM "$WEB_PID"
wait "$WEB_PID"
same "SIGTERM stops the server with status 0" 0 "$?"
check "and it says so" grep -q "stopping" "$T/web.log"

finish

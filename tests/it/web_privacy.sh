#!/bin/bash
# Public pages show no phone numbers and no e-mail addresses, even those
# people type into their own ideas: the item page masks them, and the
# stored text (and so the staff's view) keeps them as sent.
. "$(dirname "$0")/../lib.sh"

C=$T/central.db
S=$T/site.db
PORT=$(free_port)
read -r SITE TOKEN < <("$CHORUS" site add --db "$C" --name "Oak")
start_daemon web "$CHORUS" web --db "$C" --listen "127.0.0.1:$PORT" \
	--public-url "http://127.0.0.1:$PORT"
check "centre listens" wait_port "$PORT"
"$CHORUS" init --db "$S" --site "$SITE" \
	--central "http://127.0.0.1:$PORT" --token "$TOKEN" >/dev/null
TEXT='Call me at +1 (500) 555-0001 or mom@example.com about room 101'
CODE=$("$TOP/${BUILD:-build}/tools/sync_mkitems" "$S" 1 "$TEXT" family | head -n 1)
check "the item syncs" "$CHORUS" sync --db "$S" --once

curl -s "http://127.0.0.1:$PORT/i/$CODE" >"$T/page"
check "the page has no phone number" bash -c "! grep -q '555-0001' '$T/page'"
check "the page has no e-mail address" \
	bash -c "! grep -q 'mom@example' '$T/page'"
check "it says a number was hidden" grep -q 'phone number hidden' "$T/page"
check "it says an address was hidden" grep -q 'e-mail hidden' "$T/page"
check "the rest of the text is shown" grep -q 'about room 101' "$T/page"
curl -s -H 'Accept-Language: es' "http://127.0.0.1:$PORT/i/$CODE" \
	>"$T/page.es"
check "in Spanish too" grep -q 'teléfono oculto' "$T/page.es"
same "the stored text is as sent" "$TEXT" \
	"$(sql "$C" "SELECT text FROM items WHERE code = '$CODE'")"
finish

#!/bin/bash
# The kiosk shows the notices and ideas its site pulled (escaped, in
# its language) and takes endorsements of them, committed as pending
# rows for sync to push.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8

DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null
IDEA=$("$TOP/${BUILD:-build}/tools/sync_mkitems" "$DB" 1 x | head -1)
sql "$DB" "INSERT INTO pulled (kind, key, data, seq) VALUES
	('notice', 'n1', '{\"id\":\"n1\",\"idea\":\"$IDEA\",\"title\":\"New <b>books</b>\",\"body\":\"We bought 200 & more\",\"lang\":\"en\"}', 1),
	('idea', '$IDEA', '{\"code\":\"$IDEA\",\"title\":\"More <i>books</i>\",\"status\":\"shared\",\"endorsements\":4,\"ready\":false}', 2)"
P=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$P"
check "kiosk listens" wait_port "$P"
get() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }

same "the notices page answers" 200 "$(get -L "http://127.0.0.1:$P/notices")"
check "it shows the notice, escaped" grep -q "New &lt;b&gt;books&lt;/b&gt;" \
	"$T/body"
check "it shows the notice's text" grep -q "We bought 200 &amp; more" \
	"$T/body"
check "it shows the idea with its count" grep -q "4 people endorse" \
	"$T/body"
check "with a button to endorse it" grep -q 'action="/api/endorse"' \
	"$T/body"
get -L "http://127.0.0.1:$P/notices?lang=es" >/dev/null
check "in Spanish too" grep -q "Estoy de acuerdo" "$T/body"
check "it leads back to the question page in the same language" \
	grep -q 'href="/?lang=es&amp;visit=[0-9a-f]*">Volver a compartir una idea' \
	"$T/body"
same "the question page answers" 200 "$(get "http://127.0.0.1:$P/?lang=es")"
check "it links to the news in the same language" \
	grep -q 'href="/notices?lang=es&amp;visit=[0-9a-f]*">Noticias' "$T/body"

VISIT=0123456789abcdef0123456789abcdef # see tests/it/kiosk_endorse.sh
same "an endorsement is taken" 201 "$(get "http://127.0.0.1:$P/api/endorse" \
	--data "code=$IDEA" --data "visit=$VISIT")"
same "... and stored as pending, from the kiosk" "kiosk|pending|K7" \
	"$(sql "$DB" "SELECT channel, sync_state, site FROM endorsements
	 WHERE target='$IDEA'")"
check "... with a hashed voter" test "$(sql "$DB" \
	"SELECT length(voter) FROM endorsements")" = 64
same "an idea the site has not pulled is refused" 400 \
	"$(get "http://127.0.0.1:$P/api/endorse" --data "code=K70099X" \
		--data "visit=$VISIT")"
same "junk is refused" 400 "$(get "http://127.0.0.1:$P/api/endorse" \
	--data "code=<script>" --data "visit=$VISIT")"
same "nothing else was stored" 1 "$(sql "$DB" \
	"SELECT count(*) FROM endorsements")"

# --- prompts: the kiosk asks the site's current question ---------------------
same "without a prompt the kiosk asks its own question" 200 \
	"$(get "http://127.0.0.1:$P/?lang=en")"
check "... and sends no prompt" bash -c "! grep -q 'name=\"prompt\"' '$T/body'"
NOW=$(($(date +%s) * 1000))
sql "$DB" "INSERT INTO pulled (kind, key, data, seq) VALUES
	('prompt', 'old', '{\"id\":\"old\",\"text\":{\"en\":\"Past question\"},\"starts\":0,\"ends\":1000}', 3),
	('prompt', 'lunch', '{\"id\":\"lunch\",\"text\":{\"en\":\"How can <lunch> get better?\",\"es\":\"¿Cómo mejorar el almuerzo?\"},\"starts\":$((NOW - 60000)),\"ends\":$((NOW + 3600000))}', 4)"
same "with a prompt pulled, the page answers" 200 \
	"$(get "http://127.0.0.1:$P/?lang=es")"
check "it asks the prompt in Spanish" grep -q "¿Cómo mejorar el almuerzo?" \
	"$T/body"
get "http://127.0.0.1:$P/?lang=en" >/dev/null
check "in English, escaped" grep -q "How can &lt;lunch&gt; get better?" \
	"$T/body"
check "a prompt whose time is over is not asked" \
	bash -c "! grep -q 'Past question' '$T/body'"
check "the form carries the prompt's id" \
	grep -q 'name="prompt" value="lunch"' "$T/body"
same "an answer posted with the form is stored with its prompt" 201 \
	"$(get "http://127.0.0.1:$P/api/items" --data "text=Hot soup" \
		--data prompt=lunch --data lang=en)"
same "... as the page's JavaScript posts it too" 201 \
	"$(get "http://127.0.0.1:$P/api/items" \
		-H 'Content-Type: application/json' \
		-d '{"text":"Salad bar","prompt":"lunch"}')"
same "both answers carry the prompt" 2 "$(sql "$DB" \
	"SELECT count(*) FROM items WHERE prompt = 'lunch'")"
same "a malformed prompt id is refused" 400 \
	"$(get "http://127.0.0.1:$P/api/items" --data "text=x" \
		--data "prompt=a%20b")"

finish

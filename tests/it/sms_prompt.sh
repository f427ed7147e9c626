#!/bin/bash
# The site's question by SMS: a text while the site has a prompt gets a
# reply that asks it (once per phone), the sender's next text is stored
# as the answer, HELP asks it too, and a question too long for the reply
# is not asked at all.  Acknowledgements invite FOLLOW only on a channel
# that can text later (Kannel with a send URL), not on one that answers
# only in the HTTP exchange.
. "$(dirname "$0")/../lib.sh"

DB=$T/site.db
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
NOW=$(($(date +%s) * 1000))

"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 --token t
"$CHORUS" channel add --db "$DB" --name k --gateway kannel --country US \
	2>/dev/null
"$CHORUS" channel add --db "$DB" --name kes --gateway kannel --country ES \
	--lang es 2>/dev/null
"$CHORUS" channel add --db "$DB" --name kl --gateway kannel --country US \
	--send-url http://127.0.0.1:9/send 2>/dev/null
start_daemon sms "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$PORT"
wait_port "$PORT" || not_ok "chorus sms listens"

N=0
# text CHANNEL FROM TEXT: one Kannel delivery; the reply goes to $T/reply.
text() {
	N=$((N + 1))
	curl -s -G -o "$T/reply" "$URL/sms/$1" --data-urlencode "from=$2" \
		--data-urlencode "text=$3" --data "to=40404" --data "id=m$N"
}
has() { grep -qF -- "$2" "$T/reply" && ok "$1" || not_ok "$1 ($(cat "$T/reply"))"; }
lacks() { grep -qF -- "$2" "$T/reply" && not_ok "$1 ($(cat "$T/reply"))" || ok "$1"; }
prompt_of() {
	sql "$DB" "SELECT coalesce(prompt, '-') FROM items
		WHERE text = '$1'"
}
pull() { sql "$DB" "INSERT OR REPLACE INTO pulled (kind, key, data, seq)
		VALUES ('prompt', '$1', '$2', $3)"; }

# --- no question: the plain acknowledgement ------------------------------
text k +15555550101 "Longer recess"
has "without a prompt, the acknowledgement is the usual one" \
	"Thanks! Your idea is saved as K7"
lacks "... with no FOLLOW, which this channel cannot keep" "FOLLOW"
lacks "... and asks nothing" "Our question"
same "... and nobody is recorded as asked" 0 \
	"$(sql "$DB" "SELECT count(*) FROM sms_asked")"

pull old "{\"id\":\"old\",\"text\":{\"en\":\"Past question\"},\"starts\":0,\"ends\":1000}" 1
text k +15555550102 "Paint the gym"
lacks "a prompt whose period is over is not asked" "Past question"

# --- a question: asked once, answered by the next text -------------------
pull lunch "{\"id\":\"lunch\",\"text\":{\"en\":\"How can lunch get better?\",\"es\":\"¿Cómo mejorar el almuerzo?\"},\"starts\":$((NOW - 60000)),\"ends\":$((NOW + 3600000))}" 2
text k +15555550101 "More shade outside"
has "with a prompt, the acknowledgement asks it" \
	"Our question for you: How can lunch get better? Text us your answer."
has "... and still gives the item's code" "saved as K7"
CODE=$(grep -o 'K7[0-9A-Z]*' "$T/reply" | head -1)
same "the text that got the question does not answer it" - \
	"$(prompt_of 'More shade outside')"
same "the phone is recorded as asked, by its hash" 1 \
	"$(sql "$DB" "SELECT count(*) FROM sms_asked WHERE prompt = 'lunch'
		AND answered_at IS NULL AND hash NOT LIKE '%5555550101%'")"

text k +15555550101 "STATUS $CODE"
has "a status question in between gets its answer" "$CODE:"
lacks "... and asks nothing" "Our question"
text k +15555550101 "A salad bar"
has "the next text is acknowledged as an answer" "Your answer is saved as K7"
lacks "... with no FOLLOW on this channel" "FOLLOW"
same "... and is stored as answering the prompt" lunch \
	"$(prompt_of 'A salad bar')"
same "... which is recorded as answered" 1 \
	"$(sql "$DB" "SELECT count(*) FROM sms_asked WHERE prompt = 'lunch'
		AND answered_at IS NOT NULL")"
text k +15555550101 "Water fountains"
lacks "after answering, the phone is not asked again" "Our question"
has "... and gets the usual acknowledgement" \
	"Your idea is saved as K7"
same "... and its later texts are ordinary items" - \
	"$(prompt_of 'Water fountains')"

# --- HELP, Spanish, opted-out phones --------------------------------------
text k +15555550103 "HELP"
has "HELP asks the question too" "Our question now: How can lunch get better?"
text k +15555550103 "Hot soup in winter"
same "... and the text after HELP answers it" lunch \
	"$(prompt_of 'Hot soup in winter')"

text kes 612345601 "Hola"
has "a Spanish channel asks the question in Spanish" \
	"Nuestra pregunta: ¿Cómo mejorar el almuerzo?"
text kes 612345601 "Fruta fresca"
has "... and acknowledges the answer in Spanish" \
	"¡Gracias! Guardamos tu respuesta"
same "... which answers the prompt" lunch "$(prompt_of 'Fruta fresca')"

# A channel that texts later: its replies go by the outbox.
queued() { sql "$DB" "SELECT body FROM sms_outbox WHERE channel = 'kl'
	ORDER BY n DESC LIMIT 1" >"$T/reply"; }
text kl +15555550106 "Longer lunch" && queued
has "a channel that texts later asks the question too" "Our question"
text kl +15555550106 "More vegetables" && queued
has "... and invites FOLLOW when the answer is saved" \
	"Your answer is saved as K7"
has "... (FOLLOW)" "Reply FOLLOW for news, STOP to opt out."
text kl +15555550106 "Benches in the yard" && queued
has "... and in the usual acknowledgement" \
	"Your idea is saved as K7"
has "... (FOLLOW)" "Reply FOLLOW for news, STOP to opt out."

text k +15555550104 "STOP"
text k +15555550104 "Quieter library"
same "an opted-out phone gets no reply" "" "$(cat "$T/reply")"
same "... and is not recorded as asked" 0 \
	"$(sql "$DB" "SELECT count(*) FROM sms_asked sa JOIN contacts c
		ON c.hash = sa.hash WHERE c.opted_out = 1")"

# --- a newer question replaces it; one too long is not asked -------------
pull library "{\"id\":\"library\",\"text\":{\"en\":\"What should the library buy?\"},\"starts\":$((NOW - 1000))}" 3
text kes 612345601 "Otra idea"
has "a newer prompt is asked, in English when it has no Spanish" \
	"What should the library buy?"
long=$(python3 -c 'print("¿" + "Qué " * 120 + "?")')
pull long "{\"id\":\"long\",\"text\":{\"en\":\"$long\"},\"starts\":$((NOW - 1000))}" 4
text k +15555550105 "Bike racks"
lacks "a question too long for three segments is not asked" "Our question"
has "... and the acknowledgement goes as usual" "Your idea is saved as K7"
same "... and nobody is recorded as asked it" 0 \
	"$(sql "$DB" "SELECT count(*) FROM sms_asked WHERE prompt = 'long'")"
text k +15555550105 "Bike racks again"
same "... so the next text does not answer it" - \
	"$(prompt_of 'Bike racks again')"
finish

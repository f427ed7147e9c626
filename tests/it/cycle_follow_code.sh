#!/bin/bash
# A person's code follows their idea, end to end with real daemons: a
# parent texts an idea to a site (chorus sms, Kannel's query format),
# the site syncs it to the centre (chorus web), staff merge it into an
# idea, decide, publish a notice and record what was done; after the
# next sync the item's public page at the centre and STATUS CODE (or
# the code alone) by SMS at the site both say what became of it, in
# English and Spanish.  Split out again, it says its own status.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
S=$T/site-$OAK.db
"$CHORUS" channel add --db "$S" --name k --gateway kannel --country US \
	2>/dev/null
"$CHORUS" channel add --db "$S" --name kes --gateway kannel --country ES \
	--lang es 2>/dev/null
SP=$(free_port)
start_daemon sms "$CHORUS" sms --db "$S" --listen "127.0.0.1:$SP"
wait_port "$SP" || not_ok "chorus sms listens"

N=0
# text CHANNEL FROM TEXT: one Kannel delivery; the reply goes to $T/reply.
text() {
	N=$((N + 1))
	curl -s -G -o "$T/reply" "http://127.0.0.1:$SP/sms/$1" \
		--data-urlencode "from=$2" --data-urlencode "text=$3" \
		--data "to=40404" --data "id=m$N"
}
reply() { cat "$T/reply"; }
sync_site() { "$CHORUS" sync --db "$S" --once >"$T/sync.out" 2>&1; }
# page CODE [LANG]: the public page of CODE at the centre into $T/body.
page() { get "$T/visitor.jar" "/i/$1?lang=${2:-en}"; }
has() { grep -qF -- "$2" "$T/body" && ok "$1" || not_ok "$1"; }
lacks() { grep -qF -- "$2" "$T/body" && not_ok "$1" || ok "$1"; }

# --- a parent texts an idea; it reaches the centre -----------------------
text k +15555550101 "More benches in the yard, please"
CODE=$(grep -o "saved as $OAK[0-9A-Z]*" "$T/reply" | cut -d' ' -f3)
check "the text gets a code" test -n "$CODE"
text k +15555550102 "Benches near the gate for grandparents"
OTHER=$(grep -o "saved as $OAK[0-9A-Z]*" "$T/reply" | cut -d' ' -f3)
check "the first sync sends both items" sync_site
same "... and the centre has them" 2 "$(sql "$C" \
	"SELECT count(*) FROM items WHERE code IN ('$CODE', '$OTHER')")"
same "before a merge the page answers" 200 "$(page "$CODE")"
has "... with the item's own status" "New: waiting to be read"
lacks "... and no idea" "Idea it joined"
text k +15555550101 "STATUS $CODE"
same "by SMS, before a merge, the item's own status" \
	"$CODE: received, waiting to be read." "$(reply)"

# --- staff merge it into an idea ------------------------------------------
staff_new boss@example.org district
J=$T/boss.jar
same "staff log in" 303 "$(login "$J" boss@example.org)"
same "the item becomes an idea" 303 "$(post "$J" /staff/ideas/merge \
	--data-urlencode "title=Benches <for> the yard" --data "item=$CODE")"
IDEA=$(header Location | sed 's,.*/,,')
check "the idea has a code" test -n "$IDEA"
same "the other item joins it" 303 "$(post "$J" /staff/ideas/merge \
	--data "item=$OTHER" --data "idea=$IDEA")"
same "the merge publishes the item's row to its own site" \
	"$OAK|merged|$IDEA|consolidated" "$(sql "$C" "SELECT scope,
	 json_extract(data, '\$.status'), json_extract(data, '\$.idea'),
	 json_extract(data, '\$.idea_status') FROM feed WHERE kind = 'item'
	 AND key = '$CODE' ORDER BY seq DESC LIMIT 1")"
page "$CODE" >/dev/null
has "the page says it joined a similar idea" "Joined with a similar idea"
LINK="href=\"/i/$IDEA?lang=en\"><span class=\"code\">$IDEA</span>"
has "... links to the idea, with its title escaped" \
	"$LINK Benches &lt;for&gt; the yard</a>"
has "... and says where the idea stands" \
	"Gathered with similar ideas; the team will look at them together"
lacks "... not its own status any more" "New: waiting to be read"
same "the idea's link opens the idea's page" 200 "$(page "$IDEA")"
check "... which lists the item" grep -qF "/i/$CODE" "$T/body"

check "the second sync pulls the rows" sync_site
same "the site keeps the item's row in pulled" "merged|$IDEA" \
	"$(sql "$S" "SELECT json_extract(data, '\$.status'),
	 json_extract(data, '\$.idea') FROM pulled WHERE kind = 'item'
	 AND key = '$CODE'")"
text k +15555550101 "STATUS $CODE"
same "STATUS CODE says it joined the idea" \
	"$CODE: joined with a similar idea, $IDEA." "$(reply)"

# --- a decision, a notice, what was done -----------------------------------
same "a decision is recorded" 303 "$(post "$J" /staff/decision/new \
	--data "idea=$IDEA" --data "site=$OAK" --data kind=decision \
	--data-urlencode "text=Buy six benches <oak>" --data status=planned)"
same "a notice is published" 303 "$(post "$J" /staff/notice \
	--data "idea=$IDEA" --data-urlencode "title=You said: benches" \
	--data-urlencode "body=We will buy six." --data scope=)"
page "$CODE" >/dev/null
has "the page says a decision has been made" \
	"<dd>A decision has been made</dd>"
has "... shows the decision, escaped, with its status" \
	"Buy six benches &lt;oak&gt; (planned)"
has "... and the notice's heading" "You said: benches"
lacks "... and nothing done yet" "What was done"
page "$CODE" es >/dev/null
has "in Spanish the page says it joined an idea" "Unida a una idea parecida"
has "... and where the idea stands" "<dd>Ya hay una decisión</dd>"
has "... under Spanish headings" "En qué punto está la idea"

check "the third sync pulls the decision" sync_site
text k +15555550101 "STATUS $CODE"
same "STATUS CODE answers with the idea's phase" \
	"$CODE: joined with a similar idea, $IDEA; a decision has been made." \
	"$(reply)"
text k +15555550101 "$CODE"
same "... and so does the code alone" \
	"$CODE: joined with a similar idea, $IDEA; a decision has been made." \
	"$(reply)"
text kes 612345601 "ESTADO $CODE"
same "... in Spanish on a Spanish line" \
	"$CODE: unida a una idea parecida, $IDEA; ya hay una decisión." \
	"$(reply)"
text k +15555550102 "STATUS $OTHER"
same "the other merged item says the same of its idea" \
	"$OTHER: joined with a similar idea, $IDEA; a decision has been made." \
	"$(reply)"

DN=$(sql "$C" "SELECT n FROM decisions WHERE idea = '$IDEA'")
same "the decision is done" 303 "$(post "$J" "/staff/decision/$DN" \
	--data status=done)"
page "$CODE" >/dev/null
has "the page says it was done" "Done: something was put into practice"
has "... and what was done" \
	"<dt>What was done</dt><dd class=\"text\">Buy six benches"
check "the fourth sync pulls it" sync_site
text k +15555550101 "STATUS $CODE"
same "by SMS: done" "$CODE: joined with a similar idea, $IDEA; done." \
	"$(reply)"

# --- the feed stays small and says nothing of the person -------------------
same "item rows hold only code, status, idea, idea_status, notice" \
	"code,idea,idea_status,notice,status" "$(sql "$C" "SELECT DISTINCT
	 (SELECT group_concat(key) FROM (SELECT key FROM json_each(data)
	 ORDER BY key)) FROM feed WHERE kind = 'item'")"
same "no item row carries a sender's hash or number" 0 "$(sql "$C" \
	"ATTACH '$S' AS s; SELECT count(*) FROM feed f, s.sms_messages m
	 WHERE f.kind = 'item' AND (instr(f.data, m.from_hash) > 0
	 OR f.data LIKE '%555555010%')")"
n=$(sql "$C" "SELECT count(*) FROM feed WHERE kind = 'item'")
get "$T/visitor.jar" "/i/$IDEA" >/dev/null
tok=$(grep -o 'name="t" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
same "an endorsement is taken" 303 "$(get "$T/visitor.jar" \
	"/i/$IDEA/endorse" --data "t=$tok" --data role=family)"
same "... and adds no item row: nothing a person is told changed" "$n" \
	"$(sql "$C" "SELECT count(*) FROM feed WHERE kind = 'item'")"

# --- split: back to its own status -----------------------------------------
same "the item is split out of the idea" 303 "$(post "$J" \
	/staff/ideas/split --data "item=$CODE")"
page "$CODE" >/dev/null
has "the page shows its own status again" "New: waiting to be read"
lacks "... and no idea" "Idea it joined"
check "the fifth sync pulls it" sync_site
same "the site's row has no idea any more" "new|" "$(sql "$S" "SELECT
	json_extract(data, '\$.status'), json_extract(data, '\$.idea')
	FROM pulled WHERE kind = 'item' AND key = '$CODE'")"
text k +15555550101 "STATUS $CODE"
same "STATUS CODE gives its own status again" \
	"$CODE: received, waiting to be read." "$(reply)"
text k +15555550102 "STATUS $OTHER"
same "... while the item still in the idea keeps the idea's" \
	"$OTHER: joined with a similar idea, $IDEA; done." "$(reply)"
finish

#!/bin/bash
# Consolidation, deciding together, sharing and application at the
# centre: similar ideas, merge and split, tags and what we learned,
# public endorsement once per browser, the readiness rule and why, a
# notice with its feed row, SMS updates and poster, decisions, adoption
# and the public timeline.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
ELM=$(site_new "Elm" north)
ASH=$(site_new "Ash" south)
staff_new boss@example.org district
staff_new lead@example.org site --site "$ELM"
A=$("$MK" "$T/site-$OAK.db" 1 'Más libros en la biblioteca' family es sms)
B=$("$MK" "$T/site-$ELM.db" 1 'More library books please' student en kiosk)
X=$("$MK" "$T/site-$ELM.db" 1 'Fix the <b>roof</b> & gutters' staff en web)
for s in "$OAK" "$ELM"; do "$CHORUS" sync --db "$T/site-$s.db" --once \
	>/dev/null; done
J=$T/boss.jar
same "the district logs in" 303 "$(login "$J" boss@example.org)"

# --- a first idea from item A -------------------------------------------------
get "$J" /staff/ideas >/dev/null
check "with no idea yet the list says how to make one" \
	grep -q '<p class="empty">No ideas yet: merge items' "$T/body"
same "an item's page opens" 200 "$(get "$J" "/staff/ideas/$A")"
check "it offers to start an idea" grep -q "Start a new idea" "$T/body"
same "a new idea from one item" 303 "$(post "$J" /staff/ideas/merge \
	--data-urlencode "title=More books for the library" --data "item=$A")"
IDEA=$(header Location | sed 's,.*/,,')
check "the idea has a code" test -n "$IDEA"
same "the idea is stored with its item" "$A" "$(sql "$C" \
	"SELECT item FROM idea_items WHERE idea='$IDEA'")"
check "the merge is audited" test "$(sql "$C" \
	"SELECT count(*) FROM audit WHERE action='idea.merge'")" = 1
check "the idea is in the feed" test "$(sql "$C" \
	"SELECT count(*) FROM feed WHERE kind='idea' AND key='$IDEA'")" -ge 1

# --- similar ideas across languages --------------------------------------------
get "$J" "/staff/ideas/$B" >/dev/null
check "an English item finds the idea by its words" grep -q "$IDEA" \
	"$T/body"
same "one click merges it" 303 "$(post "$J" /staff/ideas/merge \
	--data "item=$B" --data "idea=$IDEA")"
sql "$C" "INSERT INTO ideas (code, title, created_at, updated_at)
	VALUES ('ZZZZZZZ', 'Biblioteca: más horas', 1, 1)"
sql "$C" "INSERT INTO ideas_fts (rowid, title, learned)
	SELECT n, title, learned FROM ideas WHERE code = 'ZZZZZZZ'" 2>/dev/null
get "$J" "/staff/ideas/$X" >/dev/null
check "an unrelated item gets no suggestion of the books idea" \
	bash -c "! grep -q '$IDEA' '$T/body'"
check "an item's text is escaped on its page" grep -q \
	'Fix the &lt;b&gt;roof&lt;/b&gt; &amp; gutters' "$T/body"

# --- split and merge again --------------------------------------------------------
same "an item is taken out" 303 "$(post "$J" /staff/ideas/split \
	--data "item=$B")"
same "... and the idea keeps the other" "$A" "$(sql "$C" \
	"SELECT group_concat(item) FROM idea_items WHERE idea='$IDEA'")"
same "the item itself is untouched" 1 "$(sql "$C" \
	"SELECT count(*) FROM items WHERE code='$B'")"
post "$J" /staff/ideas/merge --data "item=$B" --data "idea=$IDEA" >/dev/null
same "merged back" 2 "$(sql "$C" \
	"SELECT count(*) FROM idea_items WHERE idea='$IDEA'")"
same "merging it again into the same idea changes nothing" 303 \
	"$(post "$J" /staff/ideas/merge --data "item=$B" --data "idea=$IDEA")"
same "an item of one idea is not moved into a new one" 409 \
	"$(post "$J" /staff/ideas/merge --data "item=$B" --data title=Other)"
check "... the inbox says so, naming the item and its idea" \
	grep -q "role=\"alert\">Nothing was merged: $B is already part of idea $IDEA\." \
	"$T/body"
check "... keeping the title typed" grep -q 'name="title" maxlength="300" value="Other"' \
	"$T/body"
same "... nothing was made and it stays where it was" "0 $IDEA" \
	"$(sql "$C" "SELECT count(*) FROM ideas WHERE title = 'Other'") $(sql \
	"$C" "SELECT idea FROM idea_items WHERE item = '$B'")"
same "a title and an idea's code together are refused" 400 \
	"$(post "$J" /staff/ideas/merge --data "item=$X" --data "idea=$IDEA" \
		--data title=Both)"
same "... and X joined nothing" 0 \
	"$(sql "$C" "SELECT count(*) FROM idea_items WHERE item = '$X'")"
has() { grep -qF -- "$2" "$T/body" && ok "$1" || not_ok "$1"; }
lacks() { grep -qF -- "$2" "$T/body" && not_ok "$1" || ok "$1"; }
same "a title with no item ticked is refused" 400 \
	"$(post "$J" "/staff/ideas/merge?site=$ELM" \
		--data-urlencode "title=Roof <repairs>")"
has "... saying to tick one" "Nothing was merged: tick at least one item"
has "... on the inbox, keeping the title, escaped" \
	'name="title" maxlength="300" value="Roof &lt;repairs&gt;"'
has "... and the inbox's filter" \
	"action=\"/staff/ideas/merge?site=$ELM&amp;\""
same "an unknown idea code is refused" 400 \
	"$(post "$J" /staff/ideas/merge --data "item=$X" --data idea=NOPE123)"
has "... naming the code" \
	'there is no idea with the code &quot;NOPE123&quot;'
has "... keeping it" 'class="code" value="NOPE123"'
has "... and the item ticked" "value=\"$X\" checked"
lacks "... and no other" "value=\"$A\" checked"
same "... and nothing was made" 0/0 "$(sql "$C" "SELECT count(*) FROM ideas
	WHERE title LIKE 'Roof%'")/$(sql "$C" "SELECT count(*) FROM idea_items
	WHERE item = '$X'")"

# --- edit: learned, tags, phase ---------------------------------------------------------
same "the idea is edited" 303 "$(post "$J" "/staff/ideas/$IDEA" \
	--data-urlencode "title=More books for the library" \
	--data-urlencode "learned=Families and students <both> ask" \
	--data-urlencode "tags=Library, books" --data phase=captured)"
same "tags are saved" "books,library" "$(sql "$C" \
	"SELECT group_concat(tag) FROM (SELECT tag FROM idea_tags
	 WHERE idea='$IDEA' ORDER BY tag)")"
same "the phase move is dated" 1 "$(sql "$C" \
	"SELECT count(*) FROM phases WHERE idea='$IDEA' AND phase='captured'")"
get "$J" "/staff/ideas?tag=library" >/dev/null
check "ideas filter by tag" grep -q "$IDEA" "$T/body"
post "$J" "/staff/ideas/$IDEA" \
	--data-urlencode "title=More books for the library" \
	--data-urlencode "learned=Families and students <both> ask" \
	--data-urlencode "tags=Library, books,  Árboles ,GREEN  Space" \
	--data phase=captured >/dev/null
same "tags are saved in one form, Latin-1 capitals lower-cased too" \
	"books,green space,library,árboles" "$(sql "$C" \
	"SELECT group_concat(tag) FROM (SELECT tag FROM idea_tags
	 WHERE idea='$IDEA' ORDER BY tag)")"
for t in %C3%81RBOLES %C3%A1rboles 'Green%20%20SPACE' '%20LIBRARY%20'; do
	get "$J" "/staff/ideas?tag=$t" >/dev/null
	check "the tag filter '$t' finds the idea" grep -q "$IDEA" "$T/body"
done
get "$J" "/staff/ideas?tag=ROOF" >/dev/null
check "... and a tag it lacks does not" bash -c "! grep -q '$IDEA' '$T/body'"
check "... saying nothing matches" grep -q 'class="empty">Nothing matches' \
	"$T/body"
check "the list heads its tags column without the form's hint" \
	grep -q '<th scope="col">Theme tags</th>' "$T/body"
for page in /staff /staff/ideas /staff/audit /staff/prompts; do
	get "$J" "$page" >/dev/null
	check "$page heads each column for screen readers (scope=col)" \
		bash -c "grep -q '<th scope=\"col\">' '$T/body' &&
			! grep -q '<th>' '$T/body'"
done

# --- scope: the Elm lead cannot edit an idea homed at Oak ----------------------------------------
login "$T/lead.jar" lead@example.org >/dev/null
same "a site lead cannot edit another site's idea" 403 \
	"$(post "$T/lead.jar" "/staff/ideas/$IDEA" --data title=x \
		--data learned= --data tags= --data phase=captured)"
same "... nor merge another site's item" 403 \
	"$(post "$T/lead.jar" /staff/ideas/merge --data "item=$A" \
		--data title=mine)"
check "... and the inbox says why" grep -q \
	'not one your account may change' "$T/body"
check "... keeping the title" grep -q 'maxlength="300" value="mine"' "$T/body"

# --- public page, endorsement once per browser ---------------------------------------------------------
sql "$C" "INSERT INTO meta VALUES ('ready_rule', 'endorsements>=2 groups>=2 sites>=2')"
V=$T/visitor.jar
same "the public page answers" 200 "$(get "$V" "/i/$IDEA")"
check "it shows what was learned, escaped" \
	grep -q "Families and students &lt;both&gt; ask" "$T/body"
check "it says why it is not ready" grep -q "Not yet:.*people who endorsed" \
	"$T/body"
check "it shows its items as provenance" grep -q "/i/$A" "$T/body"
check "its 'I am' list starts with words, not a bare dash" \
	grep -q '<select id="role" name="role"><option value="">Choose…<' \
	"$T/body"
check "it gives the browser a voter cookie" \
	grep -qi '^set-cookie: chorus_v=.*HttpOnly' "$T/head"
tok=$(grep -o 'name="t" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
get "$V" "/i/$IDEA?endorsed=1" >/dev/null
check "?endorsed=1 thanks no browser that has not endorsed" \
	bash -c "! grep -q 'your endorsement counts' '$T/body'"
check "... which still has the button" grep -q "Endorse this idea" "$T/body"
get "$T/new.jar" "/i/$IDEA?endorsed=1" >/dev/null
check "... nor a browser never seen before" \
	bash -c "! grep -q 'your endorsement counts' '$T/body'"
same "an endorsement without its token is refused" 403 \
	"$(get "$V" "/i/$IDEA/endorse" --data role=family)"
same "an endorsement from another browser's form is refused" 403 \
	"$(get "$T/other.jar" "/i/$IDEA/endorse" --data "t=$tok")"
same "an endorsement is taken" 303 \
	"$(get "$V" "/i/$IDEA/endorse" --data "t=$tok" --data role=family)"
where=$(header Location)
get "$V" "/i/$IDEA/endorse" --data "t=$tok" --data role=family >/dev/null
same "a second press lands where the first did" "$where" "$(header Location)"
get "$V" "$where" >/dev/null
check "where it lands thanks the browser that endorsed" \
	grep -q 'role="status">Thank you: your endorsement counts' "$T/body"
check "... without the button" \
	bash -c "! grep -q 'Endorse this idea' '$T/body'"
same "a browser endorses once" 1 "$(sql "$C" \
	"SELECT count(*) FROM endorsements WHERE target='$IDEA'")"
check "the voter is a hash, not the cookie" test "$(sql "$C" \
	"SELECT count(*) FROM endorsements WHERE voter LIKE 'web:%'
	 AND length(voter)=68")" = 1
get "$V" "/i/$IDEA" >/dev/null
check "the page says it was endorsed" grep -q "You have endorsed" "$T/body"

# Someone who texted item B endorses it too, and endorses the idea by SMS.
sql "$C" "INSERT INTO endorsements (id, target, voter, channel, site,
	made_at, sync_state) VALUES ('e1', '$B', 'phone:abc', 'sms', '$ELM',
	1, 'central'), ('e2', '$IDEA', 'phone:abc', 'sms', '$ELM', 2,
	'central')"
get "$V" "/i/$IDEA" >/dev/null
check "one person endorsing two merged targets counts once" \
	grep -q "people who endorsed it: 2 / 2" "$T/body"
check "now it is ready" grep -q "Ready to capture and scale." "$T/body"
get "$J" "/staff/ideas/$IDEA" >/dev/null
check "the staff page says what each count is, as the public one" \
	grep -q "people who endorsed it: 2 / 2" "$T/body"
same "the rule is published" 200 "$(get "$V" /rule)"
check "... with its numbers" grep -q "endorsements&gt;=2 groups&gt;=2 sites&gt;=2" \
	"$T/body"
get "$T/es.jar" "/i/$IDEA?lang=es" >/dev/null
check "the public page speaks Spanish" grep -q "Lista para recoger" "$T/body"
check "... its 'I am' list too" grep -q '<option value="">Elige…<' "$T/body"

# --- a notice ------------------------------------------------------------------------------
sql "$C" "INSERT INTO items (id, code, site, seq, device, channel, role,
	lang, text, made_at, clock_ok, received_at, sha256, sync_state)
	SELECT id||'X', code, site, seq, device, channel, role, lang, text,
	made_at, clock_ok, received_at, sha256, sync_state FROM items
	WHERE 0"
same "a notice is published" 303 "$(post "$J" /staff/notice \
	--data "idea=$IDEA" --data-urlencode "title=New books arrived" \
	--data-urlencode "body=We bought 200 books <in Spanish too>" \
	--data sms=1 --data scope=)"
same "it is in the feed for every site" 1 "$(sql "$C" \
	"SELECT count(*) FROM feed WHERE kind='notice' AND scope IS NULL")"
same "its feed row asks sites to text the followers" "1|$IDEA|1" \
	"$(sql "$C" "SELECT json_extract(data, '$.sms'),
	 json_extract(data, '$.idea'), (SELECT count(*) FROM
	 json_each(data, '$.items') WHERE value = '$A')
	 FROM feed WHERE kind='notice'")"
same "... with all the idea's item codes" "$(sql "$C" \
	"SELECT count(*) FROM idea_items WHERE idea='$IDEA'")" "$(sql "$C" \
	"SELECT json_array_length(data, '$.items') FROM feed
	 WHERE kind='notice'")"
same "... and the idea's public link, as on its QR code" \
	"$(echo "$URL/I/$IDEA" | tr a-z A-Z)" "$(sql "$C" \
	"SELECT json_extract(data, '$.url') FROM feed WHERE kind='notice'")"
post "$J" /staff/notice --data "idea=$IDEA" --data title=Again \
	--data body=Again >/dev/null
same "a notice without SMS says so" 0 "$(sql "$C" \
	"SELECT json_extract(data, '$.sms') FROM feed WHERE kind='notice'
	 ORDER BY seq DESC LIMIT 1")"
same "the centre keeps no SMS rows of its own" 0 "$(sql "$C" \
	"SELECT count(*) FROM sqlite_master WHERE name='sms_updates'")"
same "the idea is now shared" shared "$(sql "$C" \
	"SELECT phase FROM ideas WHERE code='$IDEA'")"
NID=$(sql "$C" "SELECT id FROM notices ORDER BY n LIMIT 1")
same "the poster opens" 200 "$(get "$J" "/staff/poster/$NID?size=letter")"
check "it has the QR code inline" grep -q '<svg' "$T/body"
check "it is a US Letter page" grep -q 'size-letter' "$T/body"
check "its text is escaped" grep -q "200 books &lt;in Spanish too&gt;" \
	"$T/body"
same "a site lead cannot send to every site" 403 \
	"$(post "$T/lead.jar" /staff/notice --data "idea=$IDEA" \
		--data title=x --data body=y --data scope=)"
notices() { sql "$C" "SELECT count(*) FROM notices"; }
# The <select id="$1"> of the last page, alone.
options() {
	tr '\n' ' ' <"$T/body" | grep -o "<select id=\"$1\".*" |
		sed 's#</select>.*##'
}
before=$(notices)
same "a notice for a site that does not exist is refused" 400 \
	"$(post "$J" /staff/notice --data "idea=$IDEA" --data title=x \
		--data body=y --data scope=ZZ)"
check "... saying what was typed" grep -q "<code>ZZ</code>" "$T/body"
same "... as is one for a cluster that does not exist" 400 \
	"$(post "$J" /staff/notice --data "idea=$IDEA" --data title=x \
		--data body=y --data scope=cluster:Nowhere)"
same "... and neither was stored" "$before" "$(notices)"
same "a cluster typed in capitals is found" 303 \
	"$(post "$J" /staff/notice --data "idea=$IDEA" --data title=Cl \
		--data body=y --data scope=cluster:NORTH)"
same "a site code typed in small letters is found" 303 \
	"$(post "$J" /staff/notice --data "idea=$IDEA" --data title=Si \
		--data body=y --data "scope=$(echo "$OAK" | tr A-Z a-z)")"
same "both are stored as the sites table spells them" \
	"cluster:north $OAK" "$(sql "$C" "SELECT scope FROM notices
		WHERE title IN ('Cl', 'Si') ORDER BY n" | tr '\n' ' ' |
		sed 's/ $//')"
same "the site lead's form offers only its own site" "$ELM" \
	"$(get "$T/lead.jar" "/staff/ideas/$IDEA" >/dev/null
	options n-s |
		grep -o 'option value="[^"]*"' | cut -d'"' -f2 | tr '\n' ' ' |
		sed 's/ $//')"

# --- decisions and the timeline ---------------------------------------------------------------
get "$J" "/staff/ideas/$IDEA" >/dev/null
has "an idea with no decisions says so" \
	'<p class="empty">No decisions or actions yet.</p>'
lacks "... rather than an empty table" '>Kind</th>'
lacks "... with no footnote on adoption" "adopted from another site"
get "$J" "/staff/ideas/$IDEA?lang=es" >/dev/null
has "... in Spanish too" "Todavía no hay decisiones ni acciones."
get "$J" "/staff/ideas/$IDEA?lang=en" >/dev/null
same "a decision is recorded" 303 "$(post "$J" /staff/decision/new \
	--data "idea=$IDEA" --data "site=$OAK" --data kind=decision \
	--data-urlencode "text=Buy Spanish books" --data owner=Librarian \
	--data due=2031-05-01 --data status=planned)"
get "$J" "/staff/ideas/$IDEA" >/dev/null
has "the decisions table heads its columns for screen readers" \
	'<th scope="col">Kind</th><th scope="col">Site</th>'
lacks "... and no longer says there are none" "No decisions or actions yet."
lacks "... with no footnote while no row is adopted" \
	"adopted from another site"
same "an adoption ticked at a site that sent items" 303 "$(post "$J" \
	/staff/decision/new --data "idea=$IDEA" --data "site=$ELM" \
	--data kind=action --data-urlencode "text=Same at Elm" --data adopted=1 \
	--data status=planned)"
same "an adoption at a site that sent none" 303 "$(post "$J" \
	/staff/decision/new --data "idea=$IDEA" --data "site=$ASH" \
	--data kind=decision --data-urlencode "text=Ash too" \
	--data status=planned)"
get "$J" "/staff/ideas/$IDEA" >/dev/null
has "the footnote shows once a row is adopted" \
	"<p>* adopted from another site</p>"
same "a site none of whose items is in the idea adopted it, unticked" \
	"$OAK:0 $ELM:1 $ASH:1" "$(sql "$C" "SELECT site || ':' || adopted
		FROM decisions WHERE idea = '$IDEA' ORDER BY n" | tr '\n' ' ' |
		sed 's/ $//')"
decisions() { sql "$C" "SELECT count(*) FROM decisions"; }
# decide DUE [curl args]: a decision at Elm due DUE; the status.
decide() {
	local due=$1
	shift
	post "$J" /staff/decision/new --data "idea=$IDEA" --data "site=$ELM" \
		--data kind=action --data text=x --data "due=$due" \
		--data status=planned "$@"
}
before=$(decisions)
same "a date written another way is refused" 400 "$(decide tomorrow)"
has "... saying how to write it" \
	'The due date &quot;tomorrow&quot; is not written as YYYY-MM-DD'
for d in 2031-13-01 2031-02-29 2031-04-31 2027-02-30; do
	same "a date not on the calendar ($d) is refused" 400 "$(decide "$d")"
	has "... naming it" \
		"The due date $d is not a real day; write it as YYYY-MM-DD."
done
same "a date before 2000 is refused" 400 "$(decide 1999-12-31)"
has "... asking to check the year" \
	"The due date 1999-12-31 is before the year 2000; check the year"
same "a refused decision comes back as its form" 400 "$(post "$J" \
	/staff/decision/new --data "idea=$IDEA" --data "site=$ELM" \
	--data kind=action --data status=doing --data adopted=1 \
	--data-urlencode "text=Paint the <b>fence</b>" \
	--data-urlencode "owner=Ana & Co" --data due=2027-02-30)"
has "... under what was wrong" '<p class="error" role="alert">Nothing was'
has "... keeping the text, escaped" \
	'>Paint the &lt;b&gt;fence&lt;/b&gt;</textarea>'
has "... the owner" 'value="Ana &amp; Co"'
has "... the due date, marked" \
	'name="due" type="date" aria-invalid="true" value="2027-02-30"'
has "... the kind" '<option value="action" selected>'
has "... the status" '<option value="doing" selected>'
has "... the site" "<option value=\"$ELM\" selected>"
has "... the adoption" 'value="1" checked>'
has "... and a link back to the idea" "<a href=\"/staff/ideas/$IDEA\">"
same "a decision with only spaces for text is refused" 400 \
	"$(post "$J" /staff/decision/new --data "idea=$IDEA" --data "site=$ELM" \
	--data kind=action --data status=planned --data text=%20%20)"
has "... asking for it" "Write what was decided or what will be done."
lacks "... and nothing else" "due date"
same "a site that does not exist is refused" 400 \
	"$(post "$J" /staff/decision/new --data "idea=$IDEA" --data site=ZZ \
	--data kind=action --data text=x --data status=planned)"
has "... saying what was typed" 'There is no site &quot;ZZ&quot;.'
same "... and nothing refused was stored" "$before" "$(decisions)"
same "an action due last year is recorded: it may be written afterwards" \
	303 "$(decide "$(($(date -u +%Y) - 1))-03-15")"
same "the decision form lists every registered site" 4 \
	"$(get "$J" "/staff/ideas/$IDEA" >/dev/null
	options d-site | grep -o 'option value=' | wc -l)"
check "... by name and code" grep -q ">Oak ($OAK)</option>" "$T/body"
DN=$(sql "$C" "SELECT n FROM decisions WHERE site='$OAK'")
same "a status changes" 303 "$(post "$J" "/staff/decision/$DN" \
	--data status=done)"
same "done means applied" applied "$(sql "$C" \
	"SELECT phase FROM ideas WHERE code='$IDEA'")"
get "$J" "/staff/ideas/$IDEA" >/dev/null
check "a new notice starts from the idea's title" \
	grep -q 'id="n-t" name="title" required maxlength="300" size="60" value="More books for the library"' \
	"$T/body"
check "... and from what was decided, where, and how it stands" \
	grep -q "Buy Spanish books (Oak, done)" "$T/body"
get "$J" "/staff/ideas/$IDEA?lang=es" >/dev/null
check "... in the reader's language" \
	grep -q "Buy Spanish books (Oak, $(grep '^public.status.done' \
	"$TOP/i18n/es/staff.cat" | sed 's/.*= //'))" "$T/body"
get "$V" "/i/$IDEA" >/dev/null
check "the timeline shows the first input" \
	grep -q "First input reached the district" "$T/body"
get "$V" "/i/$IDEA?lang=es" >/dev/null
DAY="$(date -u +%-d) de $(sed -n "s/^date.month.$(date -u +%-m) = //p" \
	"$TOP/i18n/es/common.cat") de $(date -u +%Y)"
check "... on a day written in the reader's language" grep -q \
	"<time datetime=\"$(date -u +%F)\">$DAY</time> La primera" "$T/body"
get "$V" "/i/$IDEA?lang=en" >/dev/null
check "... the notice" grep -q "Notice: <span class=\"text\">New books arrived" \
	"$T/body"
check "... the decision and its status" grep -q "Buy Spanish books.*done" \
	"$T/body"
check "... the adoption" grep -q "adopted from another site" "$T/body"
check "... and the move to applied" grep -q "Moved to: Applied" "$T/body"
check "no script anywhere on the public page" \
	bash -c "! grep -qi '<script' '$T/body'"

finish

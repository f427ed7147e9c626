#!/bin/bash
# The staff form of the readiness rule (/staff/rule, web/rule.c) over
# real HTTP: a district account sets the rule, /rule and an idea's
# public page follow at once (the idea meets the new rule but not the
# old one), the change is audited and the idea's feed row republished;
# site leads, viewers, a bad CSRF token and bad numbers change nothing;
# the rule and its audit row are written in one transaction.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
ELM=$(site_new "Elm" south)
staff_new boss@example.org district
staff_new lead@example.org site --site "$ELM"
staff_new watcher@example.org viewer
A=$("$MK" "$T/site-$OAK.db" 1 'Water fountains in the yard' student en \
	kiosk)
B=$("$MK" "$T/site-$ELM.db" 1 'Fuentes de agua en el patio' family es sms)
for s in "$OAK" "$ELM"; do "$CHORUS" sync --db "$T/site-$s.db" --once \
	>/dev/null; done
J=$T/boss.jar
L=$T/lead.jar
W=$T/watcher.jar
V=$T/visitor.jar
same "the district logs in" 303 "$(login "$J" boss@example.org)"
same "the site lead logs in" 303 "$(login "$L" lead@example.org)"
same "the viewer logs in" 303 "$(login "$W" watcher@example.org)"
post "$J" /staff/ideas/merge --data title=Fountains --data "item=$A" \
	--data "item=$B" >/dev/null
IDEA=$(header Location | sed 's,.*/,,')
check "an idea from two groups at two sites" test -n "$IDEA"

# One endorsement: the idea now has 1 endorsement, 2 groups, 2 sites.
get "$V" "/i/$IDEA" >/dev/null
tok=$(grep -o 'name="t" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
same "a visitor endorses the idea" 303 \
	"$(get "$V" "/i/$IDEA/endorse" --data "t=$tok")"

rule() { sql "$C" "SELECT value FROM meta WHERE key='ready_rule'"; }
audits() { sql "$C" "SELECT count(*) FROM audit WHERE action='rule.set'"; }
ready_on_page() {
	get "$V" "/i/$IDEA" >/dev/null
	if grep -q "Ready to capture and scale\." "$T/body"; then echo yes
	elif grep -q "Not ready to capture and scale yet\." "$T/body"; then
		echo no
	else echo "?"; fi
}
feed_ready() {
	sql "$C" "SELECT json_extract(data, '$.ready') FROM feed
		WHERE kind='idea' AND key='$IDEA' ORDER BY seq DESC LIMIT 1"
}
# rule_post JAR E G S [curl args]: posts the form with its CSRF token;
# prints the status.
rule_post() {
	post "$1" /staff/rule --data-urlencode "endorsements=$2" \
		--data-urlencode "groups=$3" --data-urlencode "sites=$4" "${@:5}"
}

# --- the page ---------------------------------------------------------------
same "the form answers" 200 "$(get "$J" /staff/rule)"
for f in endorsements groups sites; do
	check "the $f field has a label tied to it" \
		grep -q "<label for=\"rule-$f\">" "$T/body"
	check "... and an input of that id" \
		grep -q "<input id=\"rule-$f\" name=\"$f\"" "$T/body"
done
check "it shows the rule in force (the default)" bash -c \
	"grep -q 'name=\"endorsements\".*value=\"10\"' '$T/body' &&
	 grep -q 'name=\"groups\".*value=\"2\"' '$T/body' &&
	 grep -q 'name=\"sites\".*value=\"2\"' '$T/body'"
check "it says what stakeholder groups are" \
	grep -q "students, families, staff, community" "$T/body"
check "it says no change was made yet" \
	grep -q "No change to the rule has been made" "$T/body"
check "the form carries the CSRF token" grep -q 'name="csrf"' "$T/body"
get "$J" /staff >/dev/null
check "the staff navigation links to it" \
	grep -q '<a href="/staff/rule">Readiness rule</a>' "$T/body"
same "it speaks Spanish" 200 "$(get "$J" "/staff/rule?lang=es")"
check "... with Spanish labels" grep -q "Grupos de interés</label>" \
	"$T/body"
get "$J" "/staff/rule?lang=en" >/dev/null
check "... until English is chosen again" grep -q '<html lang="en">' \
	"$T/body"
same "a stranger is sent to log in" 303 \
	"$(get "$T/nobody.jar" /staff/rule)"

same "the idea is not ready under the default rule" no "$(ready_on_page)"
same "... nor in its feed row" 0 "$(feed_ready)"

# --- who may change it ------------------------------------------------------
same "a site lead sees the page" 200 "$(get "$L" /staff/rule)"
check "... read-only" bash -c \
	"! grep -q 'action=\"/staff/rule\"' '$T/body'"
check "... with the numbers" grep -q "<dd>10<br>" "$T/body"
check "... and who can change them" \
	grep -q "Only a district account can change" "$T/body"
same "a site lead's change is refused" 403 "$(rule_post "$L" 1 2 2)"
same "a viewer sees the page" 200 "$(get "$W" /staff/rule)"
same "a viewer's change is refused" 403 "$(rule_post "$W" 1 2 2)"
same "a change with a bad CSRF token is refused" 403 \
	"$(get "$J" /staff/rule --data csrf=00ff --data endorsements=1 \
		--data groups=2 --data sites=2)"
same "... and one with none" 403 "$(get "$J" /staff/rule \
	--data endorsements=1 --data groups=2 --data sites=2)"
same "none of them changed the rule" "" "$(rule)"
same "... nor wrote an audit row" 0 "$(audits)"

# --- bad numbers ------------------------------------------------------------
same "-1 is refused" 400 "$(rule_post "$J" -1 2 2)"
check "... naming the field" grep -q \
	'id="rule-endorsements-error">Endorsements: enter a whole number' \
	"$T/body"
check "... keeping what was typed" \
	grep -q 'name="endorsements".*value="-1"' "$T/body"
check "... marking the field invalid" \
	grep -q 'name="endorsements"[^>]*aria-invalid="true"' "$T/body"
same "100001 is refused" 400 "$(rule_post "$J" 1 100001 2)"
check "... naming the field" grep -q \
	'id="rule-groups-error">Stakeholder groups: enter a whole number' \
	"$T/body"
check "... keeping the good fields as typed" \
	grep -q 'name="endorsements".*value="1"' "$T/body"
same "abc is refused" 400 "$(rule_post "$J" 1 2 abc)"
check "... naming the field" \
	grep -q 'id="rule-sites-error">Sites: enter a whole number' "$T/body"
check "... keeping what was typed" grep -q 'name="sites".*value="abc"' \
	"$T/body"
same "an empty field is refused" 400 "$(rule_post "$J" "" 2 2)"
check "... naming the field" grep -q 'id="rule-endorsements-error"' \
	"$T/body"
check "... and only that one" bash -c \
	"! grep -q 'id=\"rule-groups-error\"' '$T/body'"
same "a missing field is refused" 400 "$(post "$J" /staff/rule \
	--data endorsements=1 --data groups=2)"
same "what was typed is escaped" 400 "$(rule_post "$J" '"><b>x' 2 2)"
check "... in the value" grep -q 'value="&quot;&gt;&lt;b&gt;x"' "$T/body"
same "the refusals are in Spanish too" 400 \
	"$(rule_post "$J" 1 2 abc --data lang=es)"
check "... naming the field in Spanish" \
	grep -q 'id="rule-sites-error">Centros: escribe un número entero' \
	"$T/body"
same "no bad number changed the rule" "" "$(rule)"
same "... nor wrote an audit row" 0 "$(audits)"

# --- one transaction: a failed audit row leaves the rule alone --------------
sql "$C" "CREATE TRIGGER no_rule_audit BEFORE INSERT ON audit
	WHEN NEW.action = 'rule.set' BEGIN SELECT RAISE(ABORT, 'no'); END"
same "a change whose audit row fails is refused" 503 \
	"$(rule_post "$J" 1 2 2)"
same "... and the rule is not stored" "" "$(rule)"
check "... and the log says why" \
	grep -q "rule: the readiness rule was not stored: no" "$T/web.log"
sql "$C" "DROP TRIGGER no_rule_audit"

# --- the district sets a rule the idea meets --------------------------------
same "the district sets a rule" 303 "$(rule_post "$J" ' 01 ' 2 2)"
same "... and goes back to the form, saved" \
	"/staff/rule?saved=1&lang=en" "$(header Location)"
same "the canonical text is stored" "endorsements>=1 groups>=2 sites>=2" \
	"$(rule)"
same "one audit row is written" 1 "$(audits)"
OLD='endorsements>=10 groups>=2 sites>=2'
NEW='endorsements>=1 groups>=2 sites>=2'
same "... by the district account, old -> new" \
	"boss@example.org|ready_rule|$OLD -> $NEW" \
	"$(sql "$C" "SELECT s.email, a.target, a.detail FROM audit a
		JOIN staff s ON s.id = a.staff WHERE a.action = 'rule.set'")"
get "$J" "/staff/rule?saved=1" >/dev/null
check "the form says it was saved" grep -q 'role="status">Saved\.' \
	"$T/body"
check "... shows the new numbers" \
	grep -q 'name="endorsements".*value="1"' "$T/body"
check "... and who changed it" grep -q "<dd>boss@example.org</dd>" "$T/body"
check "... and what changed" grep -q \
	"endorsements&gt;=10 groups&gt;=2 sites&gt;=2 -&gt; endorsements&gt;=1" \
	"$T/body"
WHEN='<dd><time datetime="[-0-9T:.]*Z">[0-9]* [A-Z][a-z]* [0-9]* [0-9:]* UTC<'
check "... and when, as the audit log writes it" grep -q "$WHEN" "$T/body"
same "/rule answers" 200 "$(get "$V" /rule)"
check "/rule shows the new rule at once" \
	grep -q "endorsements&gt;=1 groups&gt;=2 sites&gt;=2" "$T/body"
same "the idea is ready under the new rule" yes "$(ready_on_page)"
check "... and says why" grep -q "Met: people who endorsed it: 1 / 1" \
	"$T/body"
same "its feed row says ready, for the kiosks" 1 "$(feed_ready)"
get "$L" /staff/rule >/dev/null
check "the site lead reads the new numbers" grep -q "<dd>1<br>" "$T/body"

same "the same rule again changes nothing" 303 "$(rule_post "$J" 1 2 2)"
same "... and says so" "/staff/rule?same=1&lang=en" "$(header Location)"
same "... with no new audit row" 1 "$(audits)"

# --- and back to a rule it does not meet ------------------------------------
FEEDS=$(sql "$C" "SELECT count(*) FROM feed WHERE kind='idea'")
same "the district raises the bar" 303 "$(rule_post "$J" 5 2 2)"
same "the idea is not ready any more" no "$(ready_on_page)"
check "... and says what is missing" \
	grep -q "Not yet: people who endorsed it: 1 / 5" "$T/body"
same "its feed row follows" 0 "$(feed_ready)"
same "one feed row for the one idea that changed" $((FEEDS + 1)) \
	"$(sql "$C" "SELECT count(*) FROM feed WHERE kind='idea'")"
same "a rule that flips no idea publishes nothing" 303 \
	"$(rule_post "$J" 6 2 2)"
same "... in the feed" $((FEEDS + 1)) \
	"$(sql "$C" "SELECT count(*) FROM feed WHERE kind='idea'")"
same "every change is audited" 3 "$(audits)"

finish

#!/bin/bash
# Waves (SVG, no script), the gaps report (stuck ideas, sites that never
# hear back, under-heard groups against the population entered per
# site) and where ideas spread.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
ELM=$(site_new "Elm" south)
staff_new boss@example.org district
J=$T/boss.jar
login "$J" boss@example.org >/dev/null
A=$("$MK" "$T/site-$OAK.db" 1 'Shade in the playground' student en kiosk)
"$MK" "$T/site-$OAK.db" 3 'More shade' student en kiosk >/dev/null
B=$("$MK" "$T/site-$ELM.db" 1 'Shade trees please' family es sms)
for s in "$OAK" "$ELM"; do "$CHORUS" sync --db "$T/site-$s.db" --once \
	>/dev/null; done
post "$J" /staff/ideas/merge --data title=Shade --data "item=$A" \
	--data "item=$B" >/dev/null
IDEA=$(header Location | sed 's,.*/,,')

same "the waves page answers" 200 "$(get "$J" /staff/waves)"
check "it draws an SVG" grep -q '<svg class="waves"' "$T/body"
check "with a title for screen readers" grep -q '<title id="waves-title">' \
	"$T/body"
check "and a table of the numbers" grep -q '<td>5</td>' "$T/body"
check "no script" bash -c "! grep -qi '<script' '$T/body'"
MONTH=$(date -u +%B) MON=$(date -u +%b) YEAR=$(date -u +%Y)
check "the table names the month in words" \
	grep -q "<th scope=\"row\">$MONTH $YEAR</th>" "$T/body"
check "the chart writes its short name" grep -q ">$MON</text>" "$T/body"
check "... and the year under it" grep -q ">$YEAR</text>" "$T/body"
check "... not the month's number" bash -c \
	"! grep -q '$(date -u +%Y-%m)' '$T/body'"
get "$J" "/staff/waves?lang=es" >/dev/null
MES=$(sql "$C" "SELECT '' || strftime('%m', 'now') + 0")
MES=$(grep "^date.month.$MES = " "$TOP/i18n/es/common.cat" | cut -d' ' -f3)
check "in Spanish too" grep -q "<th scope=\"row\">$MES $YEAR</th>" "$T/body"
get "$J" "/staff/waves?lang=en" >/dev/null
same "by prompt too" 200 "$(get "$J" "/staff/waves?by=prompt")"

same "the gaps page answers" 200 "$(get "$J" /staff/gaps)"
check "a fresh idea is not stuck" bash -c \
	"! sed -n '/Ideas stuck/,/Sites whose/p' '$T/body' | grep -q '$IDEA'"
sql "$C" "UPDATE phases SET at = at - 40*86400000"
get "$J" /staff/gaps >/dev/null
check "an idea untouched for 40 days is stuck" bash -c \
	"sed -n '/Ideas stuck/,/Sites whose/p' '$T/body' | grep -q '$IDEA'"
check "sites that never heard back are listed" bash -c \
	"sed -n '/never reached/,/less than half/p' '$T/body' | grep -q '$OAK'"
check "the idea has spread to two sites" bash -c \
	"sed -n '/have spread/,\$p' '$T/body' | grep -q '$OAK,$ELM\|$ELM,$OAK'"

same "population is entered" 303 "$(post "$J" /staff/sites \
	--data "site=$OAK" --data enrolment=1000 --data student=500 \
	--data family=400 --data staff=50 --data community=50 \
	--data lang_es=600)"
has() { grep -qF -- "$2" "$T/body" && ok "$1" || not_ok "$1"; }
get "$J" "$(header Location)" >/dev/null
has "... and the page it leads to says it was saved" \
	"<p class=\"ok\" role=\"status\">Saved: the population of $OAK is in"
same "a bad number is refused" 400 "$(post "$J" /staff/sites \
	--data "site=$OAK" --data enrolment=1000 --data student=-5 \
	--data family=1 --data staff=1 --data community=1 --data lang_es=1)"
has "... naming the field and what was typed" \
	"Students at $OAK: &quot;-5&quot; is not a whole number"
N='type="number" min="0" max="10000000" size="6"'
has "... showing the form again with it, marked" \
	"name=\"student\" $N aria-invalid=\"true\" value=\"-5\""
has "... and the other numbers as typed" \
	"id=\"family-$OAK\" name=\"family\" $N value=\"1\""
same "... and the stored population is unchanged" 500 \
	"$(sql "$C" "SELECT student FROM populations WHERE site = '$OAK'")"
get "$J" /staff/gaps >/dev/null
check "families are under-heard at Oak" \
	grep -q "$OAK Oak: Parent or family, 0 of 4 items; 400 of 1000 people" \
	"$T/body"
check "so is Spanish" grep -q "$OAK Oak: Spanish, 0 of 4 items; 600 of 1000" \
	"$T/body"
check "students are not" bash -c "! grep -q '$OAK Oak: Student' '$T/body'"
check "the population change is audited" test "$(sql "$C" \
	"SELECT count(*) FROM audit WHERE action='site.population'")" = 1

finish

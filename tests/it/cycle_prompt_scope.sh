#!/bin/bash
# Who may pose and edit a prompt where: a district account anywhere, a
# cluster lead within its cluster, a site lead at its site, a viewer
# nowhere.  A refused or unknown target is named on a page that keeps
# the form as typed, and nothing is written (not even to the audit log).
# The list shows each prompt's sites, days and state in the reader's
# language, and the feed follows a prompt's scope when it is edited.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak School" north)
ELM=$(site_new "Elm School" north)
PINE=$(site_new "Pine School" south)
staff_new boss@example.org district
staff_new north@example.org cluster --cluster north
staff_new oak@example.org site --site "$OAK"
staff_new view@example.org viewer
for who in boss north oak view; do
	login "$T/$who.jar" "$who@example.org" >/dev/null
done

# pose JAR ID SCOPE [curl args]: poses a prompt; prints the status.
pose() {
	local jar=$1 id=$2 scope=$3
	shift 3
	post "$T/$jar.jar" /staff/prompts --data "id=$id" \
		--data-urlencode "text_en=Question $id?" \
		--data-urlencode "text_es=¿Pregunta $id?" \
		--data-urlencode "scope=$scope" "$@"
}
prompts() { sql "$C" "SELECT count(*) FROM prompts"; }
audits() { sql "$C" "SELECT count(*) FROM audit WHERE action LIKE 'prompt%'"; }
scope_of() { sql "$C" "SELECT coalesce(scope, '-') FROM prompts WHERE id='$1'"; }
has() { grep -qF -- "$2" "$T/body" && ok "$1" || not_ok "$1"; }
lacks() { grep -qF -- "$2" "$T/body" && not_ok "$1" || ok "$1"; }

# --- district --------------------------------------------------------------
same "a district account poses to every site" 303 "$(pose boss ALL '')"
same "... and to a cluster named without its prefix" 303 \
	"$(pose boss SOUTH 'South')"
same "... which is kept as the cluster's own spelling" "cluster:south" \
	"$(scope_of SOUTH)"

# --- unknown sites and clusters ---------------------------------------------
for c in ZZ ZY ZX ZW ZV; do
	[ "$(sql "$C" "SELECT count(*) FROM sites WHERE code='$c'")" = 0 ] &&
		break
done
before=$(prompts)/$(audits)
same "an unknown site code is refused" 400 \
	"$(pose boss NOPE "$OAK, $c, cluster:Nowhere, narnia")"
has "... naming each that was not found" \
	"Not found among the sites and clusters: $c, cluster:Nowhere, narnia."
check "... and not the ones that were" \
	bash -c "! grep 'role=\"alert\"' '$T/body' | grep -q '$OAK'"
has "... keeping the scope as typed" \
	"value=\"$OAK, $c, cluster:Nowhere, narnia\""
has "... and the question" 'value="Question NOPE?"'
same "... and nothing is written, not even to the audit log" "$before" \
	"$(prompts)/$(audits)"
same "a scope that is no list is refused" 400 \
	"$(pose boss NOPE 'cluster:')"
has "... saying how to write it" "as site codes and cluster names separated"

# --- a cluster lead -----------------------------------------------------------
same "a cluster lead poses to its cluster" 303 \
	"$(pose north NORTH 'cluster:NORTH')"
same "... stored as the cluster's spelling" "cluster:north" \
	"$(scope_of NORTH)"
same "... and to sites of its cluster" 303 \
	"$(pose north TWO "$(tr A-Z a-z <<<"$OAK"), $ELM, $OAK")"
same "... upper case, each once" "$OAK,$ELM" "$(scope_of TWO)"
before=$(prompts)/$(audits)
same "a cluster lead cannot pose to another cluster's site" 403 \
	"$(pose north OUT "$OAK, $PINE")"
has "... and the page names the site" \
	"cannot pose questions to Pine School ($PINE), which is not one"
has "... keeping what was typed" "value=\"$OAK, $PINE\""
same "... nor to another cluster" 403 "$(pose north OUT cluster:south)"
has "... named too" "cannot pose questions to the cluster south"
same "... nor to every site" 403 "$(pose north OUT '')"
has "... which only a district account may" \
	"only a district account can pose a question to every site"
same "... and nothing of it is written" "$before" "$(prompts)/$(audits)"

# --- a site lead --------------------------------------------------------------
same "a site lead poses to its site" 303 "$(pose oak MINE "$OAK")"
before=$(prompts)/$(audits)
same "a site lead cannot pose to another site of its cluster" 403 \
	"$(pose oak OUT "$ELM")"
has "... named" "cannot pose questions to Elm School ($ELM)"
same "... nor to its cluster" 403 "$(pose oak OUT cluster:north)"
same "... nor to every site" 403 "$(pose oak OUT '')"
same "... and nothing of it is written" "$before" "$(prompts)/$(audits)"
get "$T/oak.jar" /staff/prompts >/dev/null
has "its new-prompt form starts with its own site" \
	"name=\"scope\" maxlength=\"1000\" size=\"60\" value=\"$OAK\""

# --- a viewer -----------------------------------------------------------------
same "a viewer cannot pose" 403 "$(pose view OUT "$OAK")"
get "$T/view.jar" /staff/prompts >/dev/null
lacks "... and is shown no form" 'name="text_en"'
same "... nor edit" 403 "$(post "$T/view.jar" /staff/prompts/MINE \
	--data text_en=x --data text_es=y --data "scope=$OAK")"
same "... and nothing of it is written" "$before" "$(prompts)/$(audits)"

# --- editing ------------------------------------------------------------------
# edit JAR ID SCOPE TEXT: changes the prompt; prints the status.
edit() {
	post "$T/$1.jar" "/staff/prompts/$2" --data-urlencode "scope=$3" \
		--data-urlencode "text_en=$4" --data-urlencode "text_es=¿$4" \
		--data starts=2030-01-01 --data ends=2030-12-31
}
same "a site lead edits its own prompt" 303 \
	"$(edit oak MINE "$OAK" 'Changed by the site lead?')"
same "... which is changed" "Changed by the site lead?" \
	"$(sql "$C" "SELECT text_en FROM prompts WHERE id='MINE'")"
same "... and audited" 1 "$(sql "$C" "SELECT count(*) FROM audit
	WHERE action='prompt.edit' AND target='MINE'")"
before=$(prompts)/$(audits)/$(sql "$C" "SELECT group_concat(text_en || scope)
	FROM prompts")
same "a site lead cannot move its prompt to another site" 403 \
	"$(edit oak MINE "$ELM" 'Moved?')"
has "... named" "cannot pose questions to Elm School ($ELM)"
has "... with the form as typed" 'value="Moved?"'
same "a site lead cannot edit a prompt asked at every site" 403 \
	"$(edit oak ALL "$OAK" 'Taken over?')"
has "... and is told why" "it is asked at every site"
same "a cluster lead cannot edit a prompt of another cluster" 404 \
	"$(edit north SOUTH cluster:north 'Taken over?')"
same "a site lead cannot edit a prompt also asked elsewhere" 403 \
	"$(edit oak TWO "$OAK" 'Taken over?')"
has "... which names where" "it is also asked at Elm School ($ELM)"
same "... and nothing of it is written" "$before" \
	"$(prompts)/$(audits)/$(sql "$C" "SELECT group_concat(text_en || scope)
	FROM prompts")"
same "a cluster lead edits a prompt of its site" 303 \
	"$(edit north MINE "$OAK" 'Changed by the cluster lead?')"

# --- the feed follows the scope -------------------------------------------------
"$CHORUS" sync --db "$T/site-$ELM.db" --once >/dev/null
"$CHORUS" sync --db "$T/site-$OAK.db" --once >/dev/null
pulled() { sql "$T/site-$1.db" "SELECT count(*) FROM pulled
	WHERE kind='prompt' AND key='$2'"; }
same "both sites of a two-site prompt pull it" 1/1 \
	"$(pulled "$ELM" TWO)/$(pulled "$OAK" TWO)"
same "... a site outside it does not" 0 "$(pulled "$ELM" MINE)"
same "the cluster lead narrows it to one site" 303 \
	"$(edit north TWO "$OAK" 'Only at Oak now?')"
"$CHORUS" sync --db "$T/site-$ELM.db" --once >/dev/null
"$CHORUS" sync --db "$T/site-$OAK.db" --once >/dev/null
same "... the site left out forgets it" 0 "$(pulled "$ELM" TWO)"
same "... the site kept has the new text" "Only at Oak now?" \
	"$(sql "$T/site-$OAK.db" "SELECT json_extract(data, '\$.text.en')
		FROM pulled WHERE kind='prompt' AND key='TWO'")"

# --- the list: sites, days and state ---------------------------------------------
same "a prompt for the future" 303 "$(pose boss LATER "$OAK, south" \
	--data starts=2031-05-01 --data ends=2031-05-31)"
same "a prompt in the past" 303 "$(pose boss PAST "$PINE" \
	--data starts=2020-01-01 --data ends=2020-01-31)"
get "$T/boss.jar" /staff/prompts >/dev/null
has "the list names each prompt's sites and clusters" \
	"Oak School ($OAK), the cluster south"
has "... and every site" "every site"
has "... its first and last days, as people write them" \
	"<td>1 May 2031</td><td>31 May 2031</td>"
lacks "... not as ISO dates" "2031-05"
has "... and whether it is upcoming" '<span class="state upcoming">Upcoming'
has "... open" '<span class="state open">Open'
has "... or closed" '<span class="state closed">Closed'
get "$T/boss.jar" "/staff/prompts?lang=es" >/dev/null
has "in Spanish, the days read in Spanish" \
	"<td>1 de mayo de 2031</td><td>31 de mayo de 2031</td>"
has "... and so do the states" "Próxima"
has "... and the clusters" "el grupo de centros south"
get "$T/oak.jar" /staff/prompts >/dev/null
lacks "a site lead's list leaves out prompts not asked at its site" \
	'href="/staff/prompts/PAST"'
has "... and shows those that are" 'href="/staff/prompts/LATER"'
same "... whose page it may open" 200 "$(get "$T/oak.jar" \
	/staff/prompts/later)"
same "... but not the page of another site's prompt" 404 \
	"$(get "$T/oak.jar" /staff/prompts/PAST)"
has "... which names it" "There is no prompt called PAST"
same "a date that is no day is refused" 400 "$(pose boss BAD "$OAK" \
	--data starts=2031-02-30)"
same "an end before the start is refused" 400 "$(pose boss BAD "$OAK" \
	--data starts=2031-02-03 --data ends=2031-02-02)"
same "one day is a period" 303 "$(pose boss DAY "$OAK" \
	--data starts=2031-02-03 --data ends=2031-02-03)"
same "... that ends at the end of that day" 1 "$(sql "$C" "SELECT
	ends - starts = 86400000 FROM prompts WHERE id='DAY'")"

finish

#!/bin/bash
# A flyer printed for a site: its QR code (read back with zbarimg) opens
# /q/PROMPT?s=SITE, whose answers count for that site; it prints on A4
# or US Letter (?size=, printed to PDF by Chromium, tests/browser/
# print.mjs), its size links keeping the site and the language and its
# language links the size; a flyer asked for
# without a site lists the sites to choose from; the site rides
# along in a hidden field; a site the prompt is not asked at is refused
# with the answer kept; without s= an answer counts for the prompt's
# only site, or the centre's web site.  The form preselects no role.  An
# unknown, upcoming or closed prompt takes no answers and says so in the
# reader's language, with a link to the public ideas.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak School" north)
ELM=$(site_new "Elm School" north)
PINE=$(site_new "Pine School" south)
staff_new boss@example.org district
staff_new oak@example.org site --site "$OAK"
J=$T/boss.jar
login "$J" boss@example.org >/dev/null
login "$T/oak.jar" oak@example.org >/dev/null

pose() {
	post "$J" /staff/prompts --data "id=$1" \
		--data-urlencode "text_en=$2" --data-urlencode "text_es=¿$2" \
		--data-urlencode "scope=$3" "${@:4}"
}
has() { grep -qF -- "$2" "$T/body" && ok "$1" || not_ok "$1"; }
lacks() { grep -qF -- "$2" "$T/body" && not_ok "$1" || ok "$1"; }
answers() { sql "$C" "SELECT count(*) FROM items WHERE prompt='$1'"; }
# answer PATH TEXT [curl args]: posts an answer; prints the status.
answer() {
	get "$T/p.jar" "$1" --data-urlencode "text=$2" "${@:3}"
}
stored() {
	sql "$C" "SELECT site || ' ' || role || ' ' || substr(code, 1, 2)
		FROM items WHERE text = '$1'"
}

same "a prompt for the north cluster" 303 \
	"$(pose LUNCH 'How can lunch be better?' north)"

# --- the staff page: a flyer for each site ----------------------------------
same "the prompt's staff page opens" 200 "$(get "$J" /staff/prompts/LUNCH)"
has "it links the form of each of its sites" "href=\"/q/LUNCH?s=$OAK\""
has "... both of them" "href=\"/q/LUNCH?s=$ELM\""
lacks "... and no other" "s=$PINE\""
has "... and a flyer to print for each" \
	"href=\"/staff/prompts/LUNCH/flyer?s=$OAK\""
same "the flyer of a site opens" 200 \
	"$(get "$J" "/staff/prompts/LUNCH/flyer?s=$(tr A-Z a-z <<<"$OAK")")"
has "... naming the site" "Your answer counts for Oak School ($OAK)."
has "... with the question in both languages" "¿How can lunch be better?"
python3 - "$T/body" "$T/flyer.svg" <<'PY'
import re, sys
svg = re.search(r'<svg.*?</svg>', open(sys.argv[1]).read(), re.S).group(0)
open(sys.argv[2], "w").write(svg)
PY
rsvg-convert -w 400 -o "$T/flyer.png" "$T/flyer.svg"
same "its QR code reads as the site's form link" \
	"$(tr a-z A-Z <<<"$URL")/Q/LUNCH?S=$OAK" \
	"$(zbarimg --raw -q "$T/flyer.png" 2>/dev/null)"
has "... on A4 paper unless asked otherwise" \
	'<article class="poster flyer size-a4">'
has "... offering US Letter, keeping the site and the language" \
	"href=\"?s=$(tr A-Z a-z <<<"$OAK")&amp;size=letter&amp;lang=en\">US Letter"
same "the flyer on US Letter in Spanish opens" 200 \
	"$(get "$J" "/staff/prompts/LUNCH/flyer?s=$OAK&size=letter&lang=es")"
has "... on Letter paper" '<article class="poster flyer size-letter">'
has "... its A4 link keeping the site and the language" \
	"href=\"?s=$OAK&amp;size=a4&amp;lang=es\">A4</a>"
has "... its English link keeping the site and the size" \
	"href=\"/staff/prompts/LUNCH/flyer?s=$OAK&amp;size=letter&amp;lang=en\""
get "$J" "/staff/prompts/LUNCH/flyer?s=$OAK&lang=en" >/dev/null

# Printed by Chromium, each size on its own paper, its QR code readable.
node "$TOP/tests/browser/print.mjs" "$URL" boss@example.org "$PW" \
	"/staff/prompts/LUNCH/flyer?s=$OAK" "$T/flyer" >"$T/print.out" 2>&1
rc=$?
cat "$T/print.out"
same "the browser printed both flyers" 0 "$rc"
check "the A4 flyer is on A4 paper" \
	bash -c "pdfinfo '$T/flyer-a4.pdf' | grep -q 'Page size:.*(A4)'"
check "the Letter flyer is on US Letter paper" \
	bash -c "pdfinfo '$T/flyer-letter.pdf' | grep -q 'Page size:.*(letter)'"
for size in a4 letter; do
	pdftoppm -png -r 150 -singlefile "$T/flyer-$size.pdf" "$T/flyer-$size"
	same "the printed $size flyer's QR code reads as the form link" \
		"$(tr a-z A-Z <<<"$URL")/Q/LUNCH?S=$OAK" \
		"$(zbarimg --raw -q "$T/flyer-$size.png" 2>/dev/null)"
done

same "a flyer for a site the prompt is not asked at is refused" 404 \
	"$(get "$J" "/staff/prompts/LUNCH/flyer?s=$PINE")"
has "... naming it" "There is no flyer for &quot;$PINE&quot;"
same "... as is one for a site the account cannot see" 404 \
	"$(get "$T/oak.jar" "/staff/prompts/LUNCH/flyer?s=$ELM")"
same "a flyer without a site asks for one" 400 \
	"$(get "$J" /staff/prompts/LUNCH/flyer)"
has "... saying a site must be chosen" "Choose a site for the flyer"
lacks "... not that there is no flyer for an empty name" 'for &quot;&quot;'
has "... linking the flyer of each of the prompt's sites" \
	"href=\"/staff/prompts/LUNCH/flyer?s=$OAK\""
has "... both of them" "href=\"/staff/prompts/LUNCH/flyer?s=$ELM\""
lacks "... and no other" "s=$PINE\""
get "$T/oak.jar" "/staff/prompts/LUNCH/flyer?lang=es" >/dev/null
has "... in Spanish too" "Elige un centro para el folleto"
has "... listing only the sites the account sees" \
	"href=\"/staff/prompts/LUNCH/flyer?s=$OAK\""
lacks "... not the others" "s=$ELM\""

# --- the form of a site's flyer ---------------------------------------------
same "the link the QR code holds opens the form" 200 \
	"$(get "$T/p.jar" "/Q/LUNCH?S=$OAK")"
has "... saying whom answers count for" "counts for Oak School ($OAK)"
has "... with the site in a hidden field" \
	"<input type=\"hidden\" name=\"s\" value=\"$OAK\">"
has "... which the language links keep" "?lang=es&amp;s=$OAK\""
has "... who answers is a group of choices" \
	'<fieldset class="roles"><legend>Who are you?</legend>'
has "... each choice labelled" \
	'<label><input type="radio" name="role" value="student"> Student</label>'
has "... saying nothing is one of them" 'value="unsaid"> I&#39;d rather not say'
lacks "... and none is chosen for the person" "checked"
get "$T/p.jar" "/q/LUNCH?s=$OAK&lang=es" >/dev/null
has "... in Spanish too" '<legend>¿Quién eres?</legend>'
# The language chosen sticks (a cookie): back to English for what follows.
get "$T/p.jar" "/q/LUNCH?s=$OAK&lang=en" >/dev/null

same "an answer from the flyer is stored" 201 \
	"$(answer /q/LUNCH 'Salad bar' --data "s=$OAK" --data role=family)"
PREFIX=$(sql "$C" "SELECT value FROM meta WHERE key='web_prefix'")
same "... counted for the flyer's site, under the web's codes" \
	"$OAK family $PREFIX" "$(stored 'Salad bar')"
CODE=$(sql "$C" "SELECT code FROM items WHERE text='Salad bar'")
get "$T/p.jar" "/i/$CODE" >/dev/null
has "... and its public page says where" "Oak School"
same "an answer with no role chosen is taken" 201 \
	"$(answer /q/LUNCH 'Soup' --data "s=$ELM")"
same "... as one who would rather not say, like the kiosk" \
	"$ELM unsaid $PREFIX" "$(stored 'Soup')"

same "a site the prompt is not asked at is refused" 400 \
	"$(answer /q/LUNCH 'Tacos please' --data "s=$PINE" --data role=student)"
has "... naming the code" "The site code in this address ($PINE) is not"
has "... keeping the answer" ">Tacos please</textarea>"
has "... and the role chosen" 'value="student" checked'
lacks "... and not sending the site again" 'name="s"'
for c in ZZ ZY ZX ZW ZV; do
	[ "$(sql "$C" "SELECT count(*) FROM sites WHERE code='$c'")" = 0 ] &&
		break
done
same "an unknown site is refused" 400 \
	"$(answer /q/LUNCH 'Tacos please' --data "s=$c")"
same "... and so is a code of no site's shape" 400 \
	"$(answer "/q/LUNCH?s=%3Cb%3E" 'Tacos please')"
has "... shown escaped" "(&lt;b&gt;)"
same "... and on the form's first page" 400 \
	"$(get "$T/p.jar" "/q/LUNCH?s=$PINE")"
same "nothing refused was stored" 0 \
	"$(sql "$C" "SELECT count(*) FROM items WHERE text='Tacos please'")"

same "without s=, an answer to a cluster's prompt is taken" 201 \
	"$(answer /q/LUNCH 'No flyer site')"
same "... and counts for the centre's web site" "$PREFIX unsaid $PREFIX" \
	"$(stored 'No flyer site')"
same "a prompt for one site" 303 "$(pose OAKONLY 'Oak only?' "$OAK")"
same "... takes answers without s=" 201 "$(answer /q/OAKONLY 'Oak by default')"
same "... which count for that site" "$OAK unsaid $PREFIX" \
	"$(stored 'Oak by default')"

# --- prompts that take no answers -----------------------------------------------
same "an unknown prompt is not found" 404 "$(get "$T/p.jar" /q/NOPE)"
has "... and says it is not open or does not exist" \
	"This question is not open, or there is no question with this name."
lacks "... not that a code was not found" "Code not found"
has "... with a link to the ideas" 'href="/ideas?lang=en"'
get "$T/p.jar" "/q/NOPE?lang=es" >/dev/null
has "... in the reader's language" "Esta pregunta no está abierta"
has "... linking the ideas in it" 'href="/ideas?lang=es"'
get "$T/p.jar" "/q/NOPE?lang=en" >/dev/null

same "a prompt that closed" 303 "$(pose OLD 'Old question?' north \
	--data starts=2020-01-01 --data ends=2020-01-31)"
same "... says it is closed" 410 "$(get "$T/p.jar" /q/OLD)"
has "... with its last day" "It took answers until 31 January 2020."
has "... the question" "Old question?"
has "... and a link to the ideas" 'href="/ideas?lang=en"'
lacks "... and no form" 'name="text"'
get "$T/p.jar" "/q/OLD?lang=es" >/dev/null
has "... in Spanish too" "Recibió respuestas hasta el 31 de enero de 2020."
get "$T/p.jar" "/q/OLD?lang=en" >/dev/null
same "an answer to it is refused" 410 \
	"$(answer /q/OLD 'Too late' --data "s=$OAK")"
has "... and given back to keep" ">Too late</textarea>"
same "a prompt that opens later" 303 "$(pose SOON 'Next year?' north \
	--data starts=2031-05-01)"
same "... is not open yet" 404 "$(answer /q/SOON 'Too early')"
has "... and says when it opens" "It opens on 1 May 2031."
same "nothing was stored for either" 0/0 "$(answers OLD)/$(answers SOON)"

finish

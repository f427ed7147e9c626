#!/bin/bash
# The staff flow in Chromium (tests/browser/staff.mjs) from login to a
# printed notice: the PDFs are rasterised with pdftoppm and zbarimg
# must read the idea's address back from the QR code on each, on A4 and
# on US Letter paper.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
staff_new boss@example.org district
ITEM=$("$MK" "$T/site-$OAK.db" 1 'Water fountains near the yard' student \
	en kiosk)
"$CHORUS" sync --db "$T/site-$OAK.db" --once >/dev/null

node "$TOP/tests/browser/staff.mjs" "$URL" boss@example.org "$PW" "$ITEM" \
	"$T" >"$T/browser.out" 2>&1
rc=$?
grep -v '^IDEA ' "$T/browser.out"
same "the browser run finished" 0 "$rc"
IDEA=$(sed -n 's/^IDEA //p' "$T/browser.out")
WANT=$(echo "$URL/I/$IDEA" | tr 'a-z' 'A-Z')
for size in a4 letter; do
	pdftoppm -png -r 150 -singlefile "$T/poster-$size.pdf" "$T/poster-$size"
	same "the $size poster's QR code reads back as the idea's address" \
		"$WANT" "$(zbarimg -q --raw "$T/poster-$size.png" 2>/dev/null)"
done
check "the A4 poster is on A4 paper" \
	bash -c "pdfinfo '$T/poster-a4.pdf' | grep -q 'Page size:.*(A4)'"
check "the Letter poster is on US Letter paper" \
	bash -c "pdfinfo '$T/poster-letter.pdf' | grep -q 'Page size:.*(letter)'"
check "the notice is in the feed for the kiosks" test "$(sql "$C" \
	"SELECT count(*) FROM feed WHERE kind='notice'")" = 1
same "the rule set in the browser is stored" \
	"endorsements>=3 groups>=2 sites>=2" \
	"$(sql "$C" "SELECT value FROM meta WHERE key='ready_rule'")"

finish

#!/bin/bash
# End to end on loopback: a central server, one site, its kiosk and its
# sync, driven by a person in real Chromium (tests/browser/e2e.mjs).  The
# code's QR is read from a screenshot by zbarimg; the public page says
# "not arrived yet" until `chorus sync` runs, then shows the item.
. "$(dirname "$0")/../lib.sh"

CENTRAL=$T/central.db
SITE=$T/site.db
CPORT=$(free_port)
KPORT=$(free_port)

read -r SITECODE TOKEN < <("$CHORUS" site add --db "$CENTRAL" \
	--name "Lincoln Elementary" --cluster North)
check "site add prints a site code and a token" \
	test -n "$SITECODE" -a -n "$TOKEN"
start_daemon web "$CHORUS" web --db "$CENTRAL" \
	--listen "127.0.0.1:$CPORT" --public-url "http://127.0.0.1:$CPORT"
check "the central server listens" wait_port "$CPORT"
check "init prepares the site database" "$CHORUS" init --db "$SITE" \
	--site "$SITECODE" --central "http://127.0.0.1:$CPORT" \
	--token "$TOKEN"
start_daemon kiosk "$CHORUS" kiosk --db "$SITE" \
	--listen "127.0.0.1:$KPORT"
check "the kiosk listens" wait_port "$KPORT"

# The browser asks for the sync by printing a line; we answer on its input.
mkfifo "$T/to-browser"
node "$TOP/tests/browser/e2e.mjs" "http://127.0.0.1:$KPORT" "$T" \
	<"$T/to-browser" >"$T/browser.out" 2>"$T/browser.err" &
browser=$!
exec 3>"$T/to-browser"

i=0
while ! grep -q '^# WAITING-FOR-SYNC' "$T/browser.out" && [ $i -lt 600 ]; do
	kill -0 "$browser" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
code=$(sed -n 's/^# WAITING-FOR-SYNC \([^ ]*\) .*/\1/p' "$T/browser.out")
same "nothing reached the centre before the sync ran" 0 \
	"$(sql "$CENTRAL" "SELECT count(*) FROM items")"

start_daemon sync "$CHORUS" sync --db "$SITE"
i=0
while [ "$(sql "$CENTRAL" "SELECT count(*) FROM items WHERE code = '$code'")" \
	!= 1 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
same "the running sync delivered the item to the centre" 1 \
	"$(sql "$CENTRAL" "SELECT count(*) FROM items WHERE code = '$code'")"
same "the site marked it sent" sent \
	"$(sql "$SITE" "SELECT sync_state FROM items WHERE code = '$code'")"
same "the text at the centre is the text typed at the kiosk" \
	"$(sql "$SITE" "SELECT sha256 FROM items WHERE code = '$code'")" \
	"$(sql "$CENTRAL" "SELECT sha256 FROM items WHERE code = '$code'")"

echo go >&3
exec 3>&-
wait "$browser"
rc=$?
cat "$T/browser.out"
same "the browser run finished cleanly" 0 "$rc"
finish

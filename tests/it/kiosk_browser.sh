#!/bin/bash
# The kiosk page in real Chromium (tests/browser/kiosk.mjs): Spanish,
# touch, the thank-you screen and its QR code, the idle reset, errors,
# the no-JavaScript path, and three screen sizes.  Screenshots are left
# in $T (KEEP=1 keeps them).
. "$(dirname "$0")/../lib.sh"

DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null || not_ok "init a site database"
PORT=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$PORT" \
	--idle 2
check "kiosk listens" wait_port "$PORT"

node "$TOP/tests/browser/kiosk.mjs" "http://127.0.0.1:$PORT" "$DB" "$T"
rc=$?
same "the browser run finished" 0 "$rc"
check "the 800x480 screenshot is not empty" test -s "$T/kiosk-800x480.png"

finish

#!/bin/bash
# Scenario 13: made offline, delivered later.  Items are made at the
# kiosk while the centre is down (a sync attempt fails), the site node
# "reboots" (SIGKILL of the kiosk, then a fresh one), the centre comes
# up, and every acknowledged item reaches it unchanged: same id, code,
# text and hash.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
web_stop
S=$T/site.db
site_init "$S"
kiosk_up "$S"
for i in $(seq 1 20); do kiosk_post "offline idea $i"; done >"$T/acked"
check "scenario 13: a sync with no network fails" \
	test "$("$CHORUS" sync --db "$S" --once >/dev/null 2>&1; echo $?)" = 1
kill -9 "$KIOSK_PID"
kiosk_up "$S"
for i in $(seq 21 25); do kiosk_post "after reboot $i"; done >>"$T/acked"
same "scenario 13: 25 items acknowledged" 25 "$(wc -l <"$T/acked")"
web_start
check "scenario 13: the sync after reconnecting succeeds" \
	"$CHORUS" sync --db "$S" --once
missing=0
while read -r id code; do
	n=$(sql "$C" "SELECT count(*) FROM items WHERE id = '$id'
		AND code = '$code'")
	[ "$n" = 1 ] || missing=$((missing + 1))
done <"$T/acked"
same "scenario 13: every acknowledged item is at the centre once" 0 \
	"$missing"
same "scenario 13: same text, code and hash on both sides" \
	"$(item_lines "$S")" "$(item_lines "$C")"
finish

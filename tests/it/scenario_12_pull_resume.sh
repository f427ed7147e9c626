#!/bin/bash
# Scenario 12: resume where it stopped.  A long pull (1000 rows, ten
# pages) runs over a slow link (the proxy forwards about 10 KB/s); the
# link is cut halfway by killing the proxy.  The site keeps the pages it
# finished, and the next run asks for the rest from its saved cursor.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
"$PUB" "$C" many 1000 - || not_ok "publish 1000 notices"
proxy_up slow
PROXY_PID=$LAST_PID
S=$T/site.db
site_init "$S" "$PXURL"
"$CHORUS" sync --db "$S" --once >"$T/slow.out" 2>&1 &
SYNC=$!
i=0
while [ $i -lt 200 ]; do
	c=$(sql "$S" "SELECT coalesce((SELECT value FROM meta
		WHERE key = 'pull_cursor'), 0)")
	[ "$c" -ge 300 ] && break
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$PROXY_PID"
wait "$SYNC"
rc=$?
cur=$(sql "$S" "SELECT value FROM meta WHERE key = 'pull_cursor'")
check "scenario 12: the cut pull failed" test "$rc" -ne 0
check "scenario 12: it stopped partway ($cur of 1000)" \
	test "$cur" -gt 0 -a "$cur" -lt 1000
same "scenario 12: the rows kept are exactly those below the cursor" \
	"$cur" "$(sql "$S" "SELECT count(*) FROM pulled")"

: >"$PXLOG"
echo pass >"$PXMODE"
start_daemon proxy2 python3 "$PROXY" "$PX" "$P" "$PXMODE" "$PXLOG"
wait_port "$PX"
check "scenario 12: the next run finishes" "$CHORUS" sync --db "$S" --once
same "scenario 12: it resumed from the saved cursor" \
	"GET /sync/pull?since=$cur&limit=100 HTTP/1.1" \
	"$(grep -m1 -o 'GET /sync/pull[^ ]* HTTP/1.1' "$PXLOG")"
same "scenario 12: every row once" "1000 1000" \
	"$(sql "$S" "SELECT count(*), count(DISTINCT key) FROM pulled" |
		tr '|' ' ')"
finish

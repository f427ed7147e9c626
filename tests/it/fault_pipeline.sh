#!/bin/bash
# The whole pipeline under faults.  A kiosk and an SMS daemon take
# submissions without pause (tests/tools/fault_load.py) into one site
# database; "chorus sync" pushes them through a misbehaving TCP proxy
# (tests/tools/fault_proxy.py: delays, replies cut at any byte, resets,
# black holes) to the centre.  For FAULT_SECONDS (default 30; "make
# soak" runs longer) a random fault is injected every second or so:
# SIGKILL of the kiosk, the SMS daemon, sync or the centre; a new proxy
# mode; a full disk on either side (each database lives on its own small
# tmpfs); a sync restarted under a clock days off (libfaketime).  Then
# the faults stop, everything restarts cleanly, and the test checks:
# every acknowledged item is at the centre exactly once, counts and
# content hashes match on both sides, both databases pass
# integrity_check, and nothing stays pending.  It prints the figures.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

SECONDS_FAULTY=${FAULT_SECONDS:-30}
RANDOM=${SEED:-$$}
echo "# seed ${SEED:-$$}, $SECONDS_FAULTY s of faults"

# Each side on its own small filesystem, when we may mount one.
SD=$T/site
CD=$T/centre
mkdir -p "$SD" "$CD"
DISK=0
if mount -t tmpfs -o size=48m tmpfs "$SD" 2>/dev/null &&
	mount -t tmpfs -o size=48m tmpfs "$CD" 2>/dev/null; then
	DISK=1
	trap 'for p in $PIDS; do kill_daemon KILL "$p"; done; sleep 0.3
		umount "$SD" "$CD" 2>/dev/null; cleanup' EXIT
	trap 'exit 1' INT TERM
else
	echo "# cannot mount tmpfs: the full-disk faults are skipped"
fi

C=$CD/central.db
P=$(free_port)
URL="http://127.0.0.1:$P"
read -r SITE TOKEN <<<"$("$CHORUS" site add --db "$C" --name F)"
web_start
proxy_up pass
S=$SD/site.db
site_init "$S" "$PXURL"
"$CHORUS" channel add --db "$S" --name k --gateway kannel --country GB \
	>/dev/null
KP=$(free_port)
SP=$(free_port)
KURL="http://127.0.0.1:$KP"

kiosk_start() {
	start_daemon kiosk "$CHORUS" kiosk --db "$S" --listen "127.0.0.1:$KP"
	KIOSK_PID=$LAST_PID
}
sms_start() {
	start_daemon sms "$CHORUS" sms --db "$S" --listen "127.0.0.1:$SP"
	SMS_PID=$LAST_PID
}
sync_start() {
	start_daemon sync ${1:+faketime -f "$1"} "$CHORUS" sync --db "$S"
	SYNC_PID=$LAST_PID
}
kiosk_start
sms_start
sync_start
wait_port "$KP"
wait_port "$SP"

ACKED=$T/acked
STOP=$T/stop
start_daemon load python3 "$TOP/tests/tools/fault_load.py" "$KP" "$SP" \
	"$ACKED" "$STOP"
LOAD_PID=$LAST_PID

# fill DIR: takes every free byte of DIR's filesystem for a moment.
fill() {
	dd if=/dev/zero of="$1/filler" bs=64k status=none 2>/dev/null
	sleep 1.5
	rm -f "$1/filler"
}

kills=0 jumps=0 fulls=0 modes=0
end=$((SECONDS + SECONDS_FAULTY))
while [ $SECONDS -lt $end ]; do
	case $((RANDOM % 9)) in
	0) kill_daemon KILL "$KIOSK_PID"; kiosk_start; kills=$((kills + 1)) ;;
	1) kill_daemon KILL "$SMS_PID"; sms_start; kills=$((kills + 1)) ;;
	2) kill_daemon KILL "$SYNC_PID"; sync_start; kills=$((kills + 1)) ;;
	3)
		kill_daemon KILL "$WEB_PID"
		sleep 0.3
		web_start
		kills=$((kills + 1))
		;;
	4 | 5)
		m=(chaos delay cut reset blackhole refuse pass)
		echo "${m[RANDOM % 7]}" >"$PXMODE"
		modes=$((modes + 1))
		;;
	6)
		j=("-3d" "+2d" "-400d")
		kill_daemon KILL "$SYNC_PID"
		sync_start "${j[RANDOM % 3]}"
		jumps=$((jumps + 1))
		;;
	7 | 8)
		if [ $DISK = 1 ]; then
			if [ $((RANDOM % 2)) = 0 ]; then fill "$SD"; else
				fill "$CD"; fi
			fulls=$((fulls + 1))
		fi
		;;
	esac
	sleep "0.$((RANDOM % 9 + 1))"
done

# The faults stop: a good link, clean restarts, then drain.
touch "$STOP"
wait "$LOAD_PID" 2>/dev/null
echo pass >"$PXMODE"
for p in $KIOSK_PID $SMS_PID $SYNC_PID; do kill_daemon TERM "$p"; done
kill_daemon KILL "$WEB_PID"
sleep 0.3
web_start
sync_start
left=-1
i=0
while [ $i -lt 600 ]; do
	left=$(sql "$S" "SELECT (SELECT count(*) FROM items
		WHERE sync_state = 'pending') + (SELECT count(*)
		FROM endorsements WHERE sync_state = 'pending')")
	[ "$left" = 0 ] && break
	sleep 0.1
	i=$((i + 1))
done
kill_daemon TERM "$SYNC_PID"

# The figures.
sort -u "$ACKED" >"$T/acked.u"
n_k=$(grep -c '^kiosk ' "$T/acked.u")
n_s=$(grep -c '^sms ' "$T/acked.u")
# One query over both databases: acknowledged ids not at the centre
# exactly once (an SMS is found through the site's sms_messages row).
awk '$1 == "kiosk" {print "k," $2} $1 == "sms" {print "s," $2}' \
	"$T/acked.u" >"$T/acked.csv"
lost=$(sqlite3 -batch -noheader "$T/check.db" <<SQL
CREATE TABLE acked (kind TEXT, ref TEXT);
.mode csv
.import '$T/acked.csv' acked
ATTACH '$S' AS site;
ATTACH '$C' AS centre;
CREATE TABLE lost AS SELECT * FROM acked a WHERE (SELECT count(*)
	FROM centre.items c WHERE c.id = CASE a.kind WHEN 'k' THEN a.ref
	ELSE (SELECT item_id FROM site.sms_messages m
	WHERE m.provider_id = a.ref) END) <> 1;
SELECT count(*) FROM lost;
SQL
)
lost_detail=$(sqlite3 -batch -noheader "$T/check.db" "ATTACH '$S' AS site;
	SELECT l.kind, l.ref, m.item_id IS NULL, m.keyword
	FROM lost l LEFT JOIN site.sms_messages m ON m.provider_id = l.ref
	LIMIT 5")
[ "$lost" = 0 ] || echo "# lost (kind, ref, no item, keyword): $lost_detail" \
	| tr '\n' ' '
site_n=$(sql "$S" "SELECT count(*) FROM items")
centre_n=$(sql "$C" "SELECT count(*) FROM items")
centre_ids=$(sql "$C" "SELECT count(DISTINCT id) FROM items")
mismatch=$(diff <(item_lines "$S") <(item_lines "$C") | grep -c '^[<>]')
rejected=$(sql "$S" "SELECT count(*) FROM items
	WHERE sync_state = 'rejected'")
ic_s=$(sql "$S" "PRAGMA integrity_check")
ic_c=$(sql "$C" "PRAGMA integrity_check")
echo "# figures: acknowledged $((n_k + n_s)) (kiosk $n_k, sms $n_s);" \
	"lost $lost; site items $site_n, centre items $centre_n" \
	"($centre_ids distinct); content mismatches $mismatch;" \
	"pending $left; set aside $rejected; integrity site $ic_s," \
	"centre $ic_c; faults: $kills kills, $modes proxy modes," \
	"$fulls full disks, $jumps clock jumps"
check "faults: the load was acknowledged many times" \
	test "$((n_k + n_s))" -gt 20
same "faults: every acknowledged item is at the centre exactly once" \
	0 "$lost"
same "faults: the same items on both sides" "$site_n $site_n" \
	"$centre_n $centre_ids"
same "faults: content hashes match on both sides" 0 "$mismatch"
same "faults: nothing stays pending once the faults stop" 0 "$left"
same "faults: nothing set aside" 0 "$rejected"
same "faults: the site database passes integrity_check" ok "$ic_s"
same "faults: the central database passes integrity_check" ok "$ic_c"
finish

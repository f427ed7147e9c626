#!/bin/bash
# Slow clients do not starve real ones (HTTP scenario 23): with hundreds
# of connections trickling one header byte a second from other addresses
# of the loopback range, ten ordinary submissions still succeed.  Each
# gets 5 s; the slowest time is printed, not asserted.
. "$(dirname "$0")/../lib.sh"

DB=$T/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >/dev/null
PORT=$(free_port)
start_daemon kiosk "$CHORUS" kiosk --db "$DB" --listen "127.0.0.1:$PORT"
check "kiosk listens" wait_port "$PORT"

for src in 127.0.0.2 127.0.0.3 127.0.0.4; do
	start_daemon "slow-$src" python3 "$TOP/tests/tools/slow_clients.py" \
		127.0.0.1 "$PORT" 150 25 "$src"
done
sleep 4
held=0
for src in 127.0.0.2 127.0.0.3 127.0.0.4; do
	held=$((held + $(head -n 1 "$T/slow-$src.log")))
done
check "hundreds of slow connections are open ($held)" test "$held" -ge 300

served=0
slowest=0
for i in $(seq 1 10); do
	t0=$(date +%s%N)
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
		-H 'Content-Type: application/json' \
		-d "{\"text\":\"ordinary $i\"}" \
		"http://127.0.0.1:$PORT/api/items")
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -gt "$slowest" ] && slowest=$ms
	[ "$code" = 201 ] && served=$((served + 1))
done
same "served = $served of 10 (slowest ${slowest} ms)" 10 "$served"
same "exactly the ordinary submissions are stored" 10 \
	"$(sql "$DB" "SELECT count(*) FROM items")"
finish

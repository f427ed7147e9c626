#!/bin/bash
# A real Kannel (bearerbox + smsbox, Debian's build) with its fake SMS
# centre in front of 'chorus sms': a message typed into fakesmsc must be
# stored as an item, and the reply fakesmsc gets back must carry that
# item's code.  The configuration is the one docs/sms-kannel.md gives.
. "$(dirname "$0")/../lib.sh"

BB=/usr/sbin/bearerbox
SB=/usr/sbin/smsbox
FAKE=/usr/lib/kannel/test/fakesmsc
for f in $BB $SB $FAKE; do
	if [ ! -x "$f" ]; then
		not_ok "kannel is installed ($f; apt-get install kannel kannel-extras)"
		finish
	fi
done

DB=$T/site.db
PORT=$(free_port)
ADMIN=$(free_port)
BOXP=$(free_port)
SMSC=$(free_port)
SEND=$(free_port)
check "init" "$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t
check "channel add kannel" "$CHORUS" channel add --db "$DB" --name kannel \
	--gateway kannel --country GB
start_daemon sms "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$PORT"
wait_port "$PORT" || not_ok "chorus sms listens"

cat >"$T/kannel.conf" <<CONF
group = core
admin-port = $ADMIN
admin-password = chorus-test
admin-allow-ip = 127.0.0.1
smsbox-port = $BOXP
box-allow-ip = 127.0.0.1
log-file = "$T/bearerbox.log"
log-level = 1

group = smsc
smsc = fake
smsc-id = fake
port = $SMSC
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $BOXP
sendsms-port = $SEND
log-file = "$T/smsbox.log"
log-level = 1

group = sms-service
keyword-regex = .*
catch-all = true
max-messages = 1
omit-empty = true
get-url = "http://127.0.0.1:$PORT/sms/kannel?from=%p&to=%P&text=%b&id=%I&coding=%c&charset=%C&ts=%T"
CONF

start_daemon bearerbox $BB "$T/kannel.conf"
BB_PID=$LAST_PID
wait_port "$SMSC" || not_ok "bearerbox listens for the fake SMSC"
wait_port "$BOXP" || not_ok "bearerbox listens for smsbox"
start_daemon smsbox $SB "$T/kannel.conf"
SB_PID=$LAST_PID

# send NAME "MSG" PATTERN: one message through fakesmsc; waits for the
# reply line that fakesmsc prints and leaves it in $T/NAME.out.
send() {
	"$FAKE" -H 127.0.0.1 -r "$SMSC" -i 0.5 -m 1 "$2" >"$T/$1.out" 2>&1 &
	fpid=$!
	PIDS="$PIDS $fpid"
	i=0
	while [ $i -lt 150 ] && ! grep -q "Got message" "$T/$1.out"; do
		sleep 0.1
		i=$((i + 1))
	done
	kill "$fpid" 2>/dev/null
	wait "$fpid" 2>/dev/null
}

send en "447700900123 40404 text Idea: library open on Saturday"
text=$(sql "$DB" "SELECT text FROM items ORDER BY n DESC LIMIT 1")
code=$(sql "$DB" "SELECT code FROM items ORDER BY n DESC LIMIT 1")
same "the SMS is stored as an item" "Idea: library open on Saturday" "$text"
got=$(grep "Got message" "$T/en.out" | head -1)
case "$got" in
*"$code"*) ok "the reply fakesmsc received carries the code $code" ;;
*)
	not_ok "the reply fakesmsc received carries the code $code"
	echo "#   fakesmsc: $got"
	;;
esac
same "the sender is stored as E.164 hash, kind e164" "e164|0" \
	"$(sql "$DB" "SELECT from_kind, from_hash LIKE '%4477%'
		FROM sms_messages ORDER BY n DESC LIMIT 1")"
pid=$(sql "$DB" "SELECT provider_id FROM sms_messages ORDER BY n DESC LIMIT 1")
case "$pid" in
????????-????-????-????-????????????) ok "Kannel's %I is the provider id" ;;
*) not_ok "Kannel's %I is the provider id (got '$pid')" ;;
esac
if grep -q "7700900123" "$T/sms.log" "$DB" "$DB-wal" 2>/dev/null; then
	not_ok "the phone number is not logged or stored"
else
	ok "the phone number is not logged or stored"
fi

# Spanish with accents, sent as UCS-2 (UTF-16BE) by the fake SMSC: Kannel
# hands it over as raw UTF-16BE with coding=2, which chorus decodes.
ucs=$(printf '%s' "Idea: más árboles en el patio, ¿sí?" |
	iconv -f UTF-8 -t UTF-16BE | od -An -tx1 | tr -d ' \n' |
	sed 's/\(..\)/%\1/g')
send es "07700900124 40404 ucs2 $ucs"
same "a UCS-2 message with accents is stored as UTF-8" \
	"Idea: más árboles en el patio, ¿sí?" \
	"$(sql "$DB" "SELECT text FROM items ORDER BY n DESC LIMIT 1")"
code2=$(sql "$DB" "SELECT code FROM items ORDER BY n DESC LIMIT 1")
grep "Got message" "$T/es.out" | grep -q "$code2" &&
	ok "the UCS-2 message is acknowledged with its code" ||
	not_ok "the UCS-2 message is acknowledged with its code"
same "two items, no duplicates" 2 "$(sql "$DB" "SELECT count(*) FROM items")"

# Stop Kannel the way its init script does, and give it time to finish.
kill "$SB_PID" "$BB_PID" 2>/dev/null
for p in $SB_PID $BB_PID; do
	i=0
	while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
done
finish

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
check "channel add kannel in Spanish" "$CHORUS" channel add --db "$DB" \
	--name kes --gateway kannel --country GB --lang es
check "channel add kannel replying by sendsms" "$CHORUS" channel add \
	--db "$DB" --name ksend --gateway kannel --country GB --sender 40404 \
	--send-url "http://127.0.0.1:$SEND/cgi-bin/sendsms?username=chorus&password=chorus-test"
start_daemon sms "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$PORT" \
	--retry-base-ms 200
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

group = sendsms-user
username = chorus
password = chorus-test

# Spanish speakers' help word goes to the Spanish channel.
group = sms-service
keyword = ayuda
catch-all = true
accept-x-kannel-headers = true
max-messages = 3
omit-empty = true
get-url = "http://127.0.0.1:$PORT/sms/kes?from=%p&to=%P&text=%b&id=%I&coding=%c&charset=%C&ts=%T"

# Messages starting "outbox" go to the channel that replies by sendsms.
group = sms-service
keyword = outbox
catch-all = true
max-messages = 0
omit-empty = true
get-url = "http://127.0.0.1:$PORT/sms/ksend?from=%p&to=%P&text=%b&id=%I&coding=%c&charset=%C&ts=%T"

group = sms-service
keyword-regex = .*
catch-all = true
accept-x-kannel-headers = true
max-messages = 3
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
	: >"$T/$1.out"
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

# A reply that needs UCS-2: Spanish help with its accents, through Kannel.
send ayuda "447700900126 40404 text AYUDA"
got=$(grep "Got message" "$T/ayuda.out" | head -1)
echo "# fakesmsc: $got"
case "$got" in
*" ucs-2 "*) ok "the Spanish help reply reaches the phone as UCS-2" ;;
*) not_ok "the Spanish help reply reaches the phone as UCS-2" ;;
esac
case "$got" in
*"%00l%00%ED%00n%00e%00a"*"%00c%00%F3%00d"*)
	ok "and its accents arrive intact (l\u00EDnea, c\u00F3digo)" ;;
*) not_ok "and its accents arrive intact" ;;
esac
# 144 characters in UCS-2 are three segments of at most 67: three parts.
same "the accented reply arrives as three UCS-2 parts" 3 \
	"$(grep -ac "Got message" "$T/ayuda.out")"
grep -q "Tried to set Coding field, denied" "$T/smsbox.log" &&
	not_ok "Kannel accepts Chorus's X-Kannel-Coding" ||
	ok "Kannel accepts Chorus's X-Kannel-Coding"

# sendsms outbox: chorus answers empty, then sends through smsbox.
send outbox "+447700900127 40404 text outbox Idea: a bike shed"
code3=$(sql "$DB" "SELECT code FROM items ORDER BY n DESC LIMIT 1")
i=0
while [ $i -lt 100 ] && [ "$(sql "$DB" "SELECT state FROM sms_outbox
	WHERE code='$code3'")" != sent ]; do
	sleep 0.1
	i=$((i + 1))
done
same "the sendsms reply is recorded as sent" "sent|202" \
	"$(sql "$DB" "SELECT state, last_status FROM sms_outbox
		WHERE code='$code3'")"
grep "Got message" "$T/outbox.out" | grep "447700900127" | grep -q "$code3" &&
	ok "the phone got the sendsms reply with the code, to +447700900127" ||
	{
		not_ok "the phone got the sendsms reply with the code"
		sed 's/^/#   /' "$T/outbox.out" | head -5
	}
same "the raw number is erased after sending" "" \
	"$(sql "$DB" "SELECT to_number FROM sms_outbox WHERE code='$code3'")"

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

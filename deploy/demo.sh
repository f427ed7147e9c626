#!/bin/sh
# A whole Chorus on one machine, for trying it out (make demo).
#
# Builds nothing: it runs bin/chorus (make demo builds it first).  In
# ./demo/ it registers a site on a central database, starts the central
# server, prepares the site's database, starts the kiosk, two SMS channels
# (Twilio and Kannel) with their webhook daemon, and sync, then prints
# what to open.  Ctrl-C stops everything; ./demo/ keeps the databases and
# logs until the next run, which starts afresh.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CHORUS=${CHORUS:-$top/bin/chorus}
DEMO=${DEMO_DIR:-$top/demo}
WEB=${DEMO_WEB:-127.0.0.1:8080}
KIOSK=${DEMO_KIOSK:-127.0.0.1:8081}
SMS=${DEMO_SMS:-127.0.0.1:8082}
PUBLIC=http://$WEB
SECRET=demo-twilio-auth-token
STAFF_EMAIL=staff@example.org
STAFF_PASSWORD=demo-staff-password
pids=""

say() { echo "demo: $*"; }
die() {
	echo "demo: $*" >&2
	exit 1
}

stop_all() {
	trap - INT TERM EXIT
	[ -n "$pids" ] && say "stopping"
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	pids=""
	exit "${1:-0}"
}
trap 'stop_all 0' INT TERM
trap 'stop_all $?' EXIT

port_busy() {
	python3 -c 'import socket, sys
h, p = sys.argv[1].rsplit(":", 1)
s = socket.socket()
sys.exit(0 if s.connect_ex((h, int(p))) == 0 else 1)' "$1"
}

# start NAME HOST:PORT command...: runs a daemon, logs to demo/NAME.log,
# waits until it listens (or dies).
start() {
	name=$1
	addr=$2
	shift 2
	"$@" >"$DEMO/$name.log" 2>&1 &
	pid=$!
	pids="$pids $pid"
	i=0
	while ! port_busy "$addr"; do
		if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 100 ]; then
			sed 's/^/  /' "$DEMO/$name.log" >&2
			die "$name did not start (log: $DEMO/$name.log)"
		fi
		sleep 0.1
		i=$((i + 1))
	done
	say "$name listening on $addr (log: demo/$name.log)"
}

# run command...: a one-shot step that must succeed.
run() {
	"$@" >"$DEMO/step.log" 2>&1 || {
		sed 's/^/  /' "$DEMO/step.log" >&2
		die "failed: $*"
	}
}

[ -x "$CHORUS" ] || die "no $CHORUS: run 'make demo' (or make) first"
for a in $WEB $KIOSK $SMS; do
	port_busy "$a" && die "$a is already in use; stop what listens there"
done
rm -rf "$DEMO"
mkdir -p "$DEMO"

# --- central ------------------------------------------------------------
run "$CHORUS" site add --db "$DEMO/central.db" --name "Lincoln Elementary" \
	--cluster "North"
set -- $(tail -n 1 "$DEMO/step.log")
site=${1:-}
token=${2:-}
[ -n "$site" ] && [ -n "$token" ] ||
	die "chorus site add printed no 'SITECODE TOKEN'"
say "registered site $site"
printf '%s\n' "$STAFF_PASSWORD" | run "$CHORUS" user add \
	--db "$DEMO/central.db" --email "$STAFF_EMAIL" --role district
start web "$WEB" "$CHORUS" web --db "$DEMO/central.db" --listen "$WEB" \
	--public-url "$PUBLIC"

# --- site node ----------------------------------------------------------
run "$CHORUS" init --db "$DEMO/site.db" --site "$site" --central "$PUBLIC" \
	--token "$token"
start kiosk "$KIOSK" "$CHORUS" kiosk --db "$DEMO/site.db" --listen "$KIOSK"
# Twilio signs the exact URL it calls: the channel keeps that URL.
twilio_url="http://$SMS/sms/twilio"
run "$CHORUS" channel add --db "$DEMO/site.db" --name twilio \
	--gateway twilio --public-url "$twilio_url" --secret "$SECRET" \
	--country US
run "$CHORUS" channel add --db "$DEMO/site.db" --name kannel \
	--gateway kannel --country US
start sms "$SMS" "$CHORUS" sms --db "$DEMO/site.db" --listen "$SMS"
"$CHORUS" sync --db "$DEMO/site.db" >"$DEMO/sync.log" 2>&1 &
pids="$pids $!"
say "sync running (log: demo/sync.log)"

# A Twilio webhook is signed: base64 of HMAC-SHA1, keyed with the auth
# token, over the webhook URL followed by each parameter's name and value,
# sorted by name.
body='More trees in the yard, please!'
sig=$(printf '%s' "${twilio_url}AccountSidACdemoBody${body}From+15005550001\
MessageSidSMdemo0001NumMedia0To+15005550006" |
	openssl dgst -sha1 -hmac "$SECRET" -binary | openssl base64)

cat <<EOF2

Chorus is running.  Open:
  kiosk (site node)        http://$KIOSK/
  central public pages     $PUBLIC/
  staff area               $PUBLIC/staff/
                           ($STAFF_EMAIL, password $STAFF_PASSWORD)

Send an SMS as Twilio would (signed with the demo channel's secret):
  curl -i $twilio_url \\
    -H 'X-Twilio-Signature: $sig' \\
    --data-urlencode 'AccountSid=ACdemo' \\
    --data-urlencode 'Body=$body' \\
    --data-urlencode 'From=+15005550001' --data-urlencode 'To=+15005550006' \\
    --data-urlencode 'MessageSid=SMdemo0001' --data-urlencode 'NumMedia=0'
  (Change any field and the signature no longer matches: the gateway
  answers 403.  The sender is stored only as a keyed hash.)

Or as a Kannel gateway on the school network would:
  curl -i -G 'http://$SMS/sms/kannel' \\
    --data-urlencode 'from=+15005550001' --data-urlencode 'to=+15005550006' \\
    --data-urlencode 'text=Más libros en la biblioteca' \\
    --data-urlencode 'id=demo-0001'

Then list what the site stored and what reached the centre:
  $CHORUS items --db $DEMO/site.db --json
  $CHORUS items --db $DEMO/central.db --json

Ctrl-C stops everything.
EOF2

# Stay until Ctrl-C or until a daemon dies.
while :; do
	for p in $pids; do
		if ! kill -0 "$p" 2>/dev/null; then
			say "a daemon (pid $p) stopped; see the logs in demo/"
			stop_all 1
		fi
	done
	sleep 1
done

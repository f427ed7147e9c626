# Helpers the cycle tests share; sourced after tests/lib.sh.  Run on
# its own it does nothing.
#
# central_start: a central database $C with web serving at $URL.
# central_restart: stops that server (SIGTERM) and starts it again.
# site_new NAME CLUSTER: registers a site, makes its database
#   $T/site-CODE.db, prints CODE.
# staff_new EMAIL ROLE [FLAGS...]: an account with password $PW.
# login JAR EMAIL: logs in, cookies into JAR; prints the status.
# csrf JAR: the CSRF token of the session in JAR.
# get JAR PATH [curl args]: body into $T/body, headers $T/head; status.
# post JAR PATH [curl args]: the same, a form POST with the CSRF token.
PW='correct horse battery'
MK="$TOP/${BUILD:-build}/tools/sync_mkitems"

central_start() {
	P=$(free_port)
	URL="http://127.0.0.1:$P"
	C="$T/central.db"
	"$CHORUS" site add --db "$C" --name placeholder >/dev/null
	start_daemon web "$CHORUS" web --db "$C" --listen "127.0.0.1:$P" \
		--public-url "${PUBLIC_URL:-$URL}"
	WEB_PID=$LAST_PID
	wait_port "$P"
}

central_restart() {
	kill "$WEB_PID"
	wait "$WEB_PID" 2>/dev/null
	start_daemon web2 "$CHORUS" web --db "$C" --listen "127.0.0.1:$P" \
		--public-url "${PUBLIC_URL:-$URL}"
	WEB_PID=$LAST_PID
	wait_port "$P"
}

site_new() {
	local code token
	read -r code token <<<"$("$CHORUS" site add --db "$C" --name "$1" \
		${2:+--cluster "$2"})"
	"$CHORUS" init --db "$T/site-$code.db" --site "$code" \
		--central "$URL" --token "$token" >/dev/null
	echo "$code"
}

staff_new() {
	local email=$1 role=$2
	shift 2
	printf '%s\n' "$PW" | "$CHORUS" user add --db "$C" --email "$email" \
		--role "$role" "$@"
}

get() {
	local jar=$1 p=$2
	shift 2
	curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$jar" \
		-c "$jar" "$@" "$URL$p"
}

login() {
	local jar=$1 tok
	get "$jar" /staff/login >/dev/null
	tok=$(grep -o 'name="l" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
	get "$jar" /staff/login --data-urlencode "email=$2" \
		--data-urlencode "password=${3:-$PW}" --data "l=$tok"
}

csrf() {
	curl -s -b "$1" "$URL/staff/audit" |
		grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4
}

post() {
	local jar=$1 p=$2 tok
	shift 2
	tok=$(csrf "$jar")
	get "$jar" "$p" --data "csrf=$tok" "$@"
}

header() { grep -i "^$1:" "$T/head" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

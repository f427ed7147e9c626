# Helpers for the sync tests (tests/it/sync_*.sh, scenario_*.sh,
# fault_*.sh); source after tests/lib.sh.
TOOLS="$TOP/${BUILD:-build}/tools"
MK="$TOOLS/sync_mkitems"
PUB="$TOOLS/sync_publish"
PROXY="$TOP/tests/tools/fault_proxy.py"
export LC_ALL=C LANG=C

# centre_up [CLUSTER]: a central db with one site, and its server.
# Sets C, P, URL, SITE, TOKEN, WEB_PID.
centre_up() {
	C=$T/central.db
	P=$(free_port)
	URL="http://127.0.0.1:$P"
	read -r SITE TOKEN <<<"$("$CHORUS" site add --db "$C" --name North \
		--cluster "${1:-east}")"
	web_start
}

web_start() {
	start_daemon web "$CHORUS" web --db "$C" --listen "127.0.0.1:$P" \
		--public-url "https://chorus.example.org"
	WEB_PID=$LAST_PID
	wait_port "$P"
}

web_stop() {
	kill "$WEB_PID" 2>/dev/null
	wait "$WEB_PID" 2>/dev/null
}

# site_init DB [URL]: a site database of $SITE syncing to URL.
site_init() {
	"$CHORUS" init --db "$1" --site "$SITE" --central "${2:-$URL}" \
		--token "$TOKEN" >/dev/null
}

# proxy_up MODE: a fault proxy in front of the centre.  Sets PX, PXURL,
# PXMODE (the file that holds the mode) and PXLOG.
proxy_up() {
	PX=$(free_port)
	PXURL="http://127.0.0.1:$PX"
	PXMODE=$T/proxy.mode
	PXLOG=$T/proxy.log
	echo "$1" >"$PXMODE"
	start_daemon proxy python3 "$PROXY" "$PX" "$P" "$PXMODE" "$PXLOG" \
		"${SEED:-$$}"
	wait_port "$PX"
}

# The content of every item, one line each, to compare two databases.
item_lines() {
	sql "$1" "SELECT id, code, site, seq, channel, role, lang, sha256,
		hex(text) FROM items WHERE ${2:-1} ORDER BY id"
}

# kiosk_up DB: a kiosk daemon on the site database.  Sets KP, KURL,
# KIOSK_PID.
kiosk_up() {
	KP=$(free_port)
	KURL="http://127.0.0.1:$KP"
	start_daemon kiosk "$CHORUS" kiosk --db "$1" --listen "127.0.0.1:$KP"
	KIOSK_PID=$LAST_PID
	wait_port "$KP"
}

# kiosk_post TEXT: posts one item; prints "id code" when acknowledged.
kiosk_post() {
	curl -s -m 5 -H 'Content-Type: application/json' \
		--data-binary "{\"text\":\"$1\",\"role\":\"student\"}" \
		"$KURL/api/items" | python3 -c 'import json, sys
try:
    j = json.load(sys.stdin)
    print(j["id"], j["code"])
except Exception:
    pass'
}

#!/bin/bash
# Tokens and transport: a rotated token replaces the old one at once, a
# revoked one is refused until the next rotation; plain HTTP goes only
# to loopback unless allowed; HTTPS to a real local TLS server (python3
# ssl with a self-signed certificate) works with the right pinned key
# and fails with a wrong one or with only the system's CAs.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
S=$T/site.db
site_init "$S"
"$MK" "$S" 2 "secure" >/dev/null
check "the issued token works" "$CHORUS" sync --db "$S" --once

read -r code NEW <<<"$("$CHORUS" site rotate --db "$C" --site "$SITE")"
same "rotate prints the site and a new token" "$SITE" "$code"
"$MK" "$S" 1 "after rotation" >/dev/null
"$CHORUS" sync --db "$S" --once >"$T/old.out" 2>&1
check "the old token is refused at once" grep -q "refused" "$T/old.out"
same "nothing was marked with the old token" 1 \
	"$(sql "$S" "SELECT count(*) FROM items WHERE sync_state = 'pending'")"
"$CHORUS" init --db "$S" --site "$SITE" --central "$URL" --token "$NEW" \
	>/dev/null
check "the new token works" "$CHORUS" sync --db "$S" --once
check "revoke succeeds" "$CHORUS" site revoke --db "$C" --site "$SITE"
"$CHORUS" sync --db "$S" --once >"$T/rev.out" 2>&1
check "a revoked token is refused" grep -q "refused" "$T/rev.out"
check "revoking an unknown site fails" test "$("$CHORUS" site revoke \
	--db "$C" --site ZZ >/dev/null 2>&1; echo $?)" != 0
read -r code NEW <<<"$("$CHORUS" site rotate --db "$C" --site "$SITE")"
"$CHORUS" init --db "$S" --site "$SITE" --central "$URL" --token "$NEW" \
	>/dev/null
check "a rotation after a revoke lets the site in again" \
	"$CHORUS" sync --db "$S" --once
same "the command line's site changes are in the audit log" \
	"site.add:$SITE site.rotate:$SITE site.revoke:$SITE site.rotate:$SITE" \
	"$(sql "$C" "SELECT action || ':' || target FROM audit
		WHERE action LIKE 'site.%' ORDER BY n" | tr '\n' ' ' |
		sed 's/ $//')"
same "a failed revoke writes no audit row" 0 \
	"$(sql "$C" "SELECT count(*) FROM audit WHERE target = 'ZZ'")"

# Plain HTTP to another machine is refused unless allowed.
H=$T/http.db
"$CHORUS" init --db "$H" --site "$SITE" --central "http://0.0.0.0:1" \
	--token "$NEW" 2>"$T/init.err"
check "init warns about plain HTTP off loopback" grep -q "http" "$T/init.err"
"$MK" "$H" 1 "x" >/dev/null
"$CHORUS" sync --db "$H" --once >"$T/http.out" 2>&1
check "sync refuses to send the token over it" grep -q "plain HTTP" \
	"$T/http.out"
"$CHORUS" init --db "$H" --site "$SITE" --central "http://0.0.0.0:1" \
	--token "$NEW" --allow-http 2>/dev/null
"$CHORUS" sync --db "$H" --once >"$T/http2.out" 2>&1
check "--allow-http lets it try" grep -q "network" "$T/http2.out"

# HTTPS with a pinned key, through a real TLS server.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=centre \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
PIN="sha256//$(openssl x509 -pubkey -noout -in "$T/cert.pem" |
	openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
	base64)"
TP=$(free_port)
cat >"$T/tls.py" <<'PY'
import socket, ssl, sys, threading
port, target, cert, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.close()
        except OSError:
            pass
def serve(c):
    try:
        t = ctx.wrap_socket(c, server_side=True)
    except (ssl.SSLError, OSError):
        c.close()
        return
    u = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pipe, args=(u, t), daemon=True).start()
    pipe(t, u)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
start_daemon tls python3 "$T/tls.py" "$TP" "$P" "$T/cert.pem" "$T/key.pem"
wait_port "$TP"
TS=$T/tls.db
"$CHORUS" init --db "$TS" --site "$SITE" --central "https://127.0.0.1:$TP" \
	--token "$NEW" >/dev/null
"$MK" "$TS" 3 "over tls" >/dev/null
"$CHORUS" sync --db "$TS" --once >"$T/ca.out" 2>&1
check "with only the system's CAs the self-signed centre is refused" \
	grep -q "network" "$T/ca.out"
"$CHORUS" init --db "$TS" --site "$SITE" --central "https://127.0.0.1:$TP" \
	--token "$NEW" --pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" \
	>/dev/null
"$CHORUS" sync --db "$TS" --once >"$T/wrong.out" 2>&1
check "a wrong pin is refused" grep -q "network" "$T/wrong.out"
same "nothing was sent over a refused connection" 3 \
	"$(sql "$TS" "SELECT count(*) FROM items WHERE sync_state = 'pending'")"
"$CHORUS" init --db "$TS" --site "$SITE" --central "https://127.0.0.1:$TP" \
	--token "$NEW" --pin "$PIN" >/dev/null
check "the right pin syncs over TLS" "$CHORUS" sync --db "$TS" --once
same "every item arrived over TLS" 3 \
	"$(sql "$C" "SELECT count(*) FROM items WHERE text LIKE 'over tls%'")"
check "a malformed pin is a usage error" test "$("$CHORUS" init --db "$TS" \
	--site "$SITE" --central "https://x" --token t --pin abc \
	>/dev/null 2>&1; echo $?)" = 2
finish

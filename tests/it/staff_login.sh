#!/bin/bash
# Staff accounts: chorus user add, Argon2id hashes, login and logout,
# sessions that expire, cookie flags, CSRF on every form, login rate
# limits, roles scoped to their sites, the audit log; and the inbox with
# its filters and FTS5 search.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cycle_lib.sh"
export LC_ALL=C.UTF-8

central_start || not_ok "central server starts"
OAK=$(site_new "Oak" north)
ELM=$(site_new "Elm" north)
PINE=$(site_new "Pine" south)

# --- chorus user add ---------------------------------------------------
check "a district account is made" staff_new boss@example.org district
check "the hash is Argon2id" test "$(sql "$C" \
	"SELECT substr(pw_hash,1,10) FROM staff WHERE email='boss@example.org'")" \
	= '$argon2id$'
check "the password is not stored" test "$(sql "$C" \
	"SELECT count(*) FROM staff WHERE pw_hash LIKE '%horse%'")" = 0
if printf 'short\n' | "$CHORUS" user add --db "$C" --email a@b.org \
	--role district 2>"$T/err"; then not_ok "a short password is refused"
else ok "a short password is refused"; fi
check "... saying why" grep -q "at least 10 characters" "$T/err"
if staff_new lead@example.org site 2>"$T/err"; then
	not_ok "a site account without --site is refused"
else ok "a site account without --site is refused"; fi
if staff_new lead@example.org site --site Q9 2>"$T/err"; then
	not_ok "a site account of an unknown site is refused"
else ok "a site account of an unknown site is refused"; fi
if staff_new x@example.org chief 2>"$T/err"; then
	not_ok "an unknown role is refused"
else ok "an unknown role is refused"; fi
if staff_new BOSS@example.org district 2>"$T/err"; then
	not_ok "a second account for one address is refused"
else ok "a second account for one address is refused"; fi
check "a site lead is made" staff_new lead@example.org site --site "$OAK"
check "a cluster lead is made" staff_new north@example.org cluster \
	--cluster north
check "a viewer is made" staff_new look@example.org viewer
same "user add is audited" 4 "$(sql "$C" \
	"SELECT count(*) FROM audit WHERE action='user.add'")"

# --- items at three sites ---------------------------------------------
"$MK" "$T/site-$OAK.db" 1 'Más libros en la Biblioteca, por favor' \
	family es sms >/dev/null
"$MK" "$T/site-$OAK.db" 1 'A bike rack by the gate' student en kiosk \
	>/dev/null
"$MK" "$T/site-$ELM.db" 1 'Longer library hours' staff en web >/dev/null
"$MK" "$T/site-$PINE.db" 1 'Crossing guard at Pine street' community en \
	kiosk >/dev/null
for s in "$OAK" "$ELM" "$PINE"; do
	"$CHORUS" sync --db "$T/site-$s.db" --once >/dev/null
done
same "the centre has the items" 4 "$(sql "$C" "SELECT count(*) FROM items")"

# --- login -------------------------------------------------------------
J=$T/boss.jar
same "the inbox needs a login" 303 "$(get "$T/none.jar" /staff)"
same "... and sends to the login page" /staff/login "$(header Location)"
same "the login page answers" 200 "$(get "$J" /staff/login)"
check "it has labelled fields" grep -q '<label for="password">' "$T/body"
check "a CSP header is sent" grep -qi "^content-security-policy:" "$T/head"
same "a wrong password is refused" 403 \
	"$(login "$J" boss@example.org 'wrong password!')"
check "... with a clear message" grep -q "do not match an account" \
	"$T/body"
check "... keeping the address typed" \
	grep -q 'name="email"[^>]* value="boss@example.org"' "$T/body"
check "... but not the password" \
	bash -c "! grep -q 'wrong password!' '$T/body'"
same "an address is escaped when kept" 403 \
	"$(login "$J" '"><b>x@example.org')"
check "... in the value" \
	grep -q 'value="&quot;&gt;&lt;b&gt;x@example.org"' "$T/body"
same "an unknown address gets the same answer" 403 \
	"$(login "$J" nobody@example.org)"
tok=$(grep -o 'name="l" value="[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
same "a login without its form cookie is refused" 403 \
	"$(get "$T/fresh.jar" /staff/login --data-urlencode \
		"email=boss@example.org" --data-urlencode "password=$PW" \
		--data "l=$tok")"
same "the right password logs in" 303 "$(login "$J" boss@example.org)"
cookie=$(grep -i '^set-cookie: chorus_s=' "$T/head" | tr -d '\r')
check "the session cookie is HttpOnly" grep -q HttpOnly <<<"$cookie"
check "... and SameSite=Strict" grep -q 'SameSite=Strict' <<<"$cookie"
check "... and not Secure on an http URL" bash -c "! grep -q Secure <<<'$cookie'"
check "the session is kept as a hash only" test "$(sql "$C" \
	"SELECT count(*) FROM sessions WHERE length(token_hash)=64")" = 1
same "the inbox opens" 200 "$(get "$J" /staff)"
check "it shows every site's items to the district" \
	grep -q "Crossing guard" "$T/body"
check "text is escaped and shown" grep -q "Más libros" "$T/body"
check "a CSP header is on staff pages" \
	grep -qi "^content-security-policy: default-src 'none'" "$T/head"
check "forms carry the CSRF token" grep -q 'name="csrf" value="[0-9a-f]\{64\}"' \
	"$T/body"

# --- the inbox's filters and search --------------------------------------
get "$J" "/staff?q=biblioteca" >/dev/null
check "search finds a word" grep -q "Más libros" "$T/body"
check "... and only matching items" bash -c "! grep -q 'bike rack' '$T/body'"
get "$J" "/staff?q=MAS" >/dev/null
check "search folds case and accents" grep -q "Más libros" "$T/body"
get "$J" "/staff?q=%22%20OR%20NEAR(" >/dev/null
check "search syntax in the words is taken as words" \
	grep -q "Nothing matches" "$T/body"
get "$J" "/staff?channel=kiosk" >/dev/null
check "the channel filter keeps kiosk items" grep -q "bike rack" "$T/body"
check "... and drops the others" bash -c "! grep -q 'Longer library' '$T/body'"
get "$J" "/staff?site=$ELM" >/dev/null
check "the site filter works" grep -q "Longer library" "$T/body"
check "... alone" bash -c "! grep -q 'bike rack' '$T/body'"
get "$J" "/staff?cluster=south" >/dev/null
check "the cluster filter works" grep -q "Crossing guard" "$T/body"
get "$J" "/staff?role=family&ilang=es" >/dev/null
check "role and language filters work" grep -q "Más libros" "$T/body"
check "... together" bash -c "! grep -q 'Crossing' '$T/body'"
get "$J" "/staff?phase=new" >/dev/null
check "the phase filter keeps new items" grep -q "Crossing guard" "$T/body"
get "$J" "/staff?lang=es" >/dev/null
check "the inbox speaks Spanish" grep -q "Entrada" "$T/body"

# --- scope ---------------------------------------------------------------
same "the site lead logs in" 303 "$(login "$T/lead.jar" lead@example.org)"
get "$T/lead.jar" /staff >/dev/null
check "a site lead sees its site" grep -q "bike rack" "$T/body"
check "... and no other" bash -c "! grep -q 'Longer library\|Crossing' '$T/body'"
get "$T/lead.jar" "/staff?site=$PINE" >/dev/null
check "... not even by asking" bash -c "! grep -q 'Crossing' '$T/body'"
same "the cluster lead logs in" 303 "$(login "$T/north.jar" north@example.org)"
get "$T/north.jar" /staff >/dev/null
check "a cluster lead sees its cluster" grep -q "Longer library" "$T/body"
check "... and not the other cluster" bash -c "! grep -q 'Crossing' '$T/body'"

# --- CSRF and roles -------------------------------------------------------
same "a form without its CSRF token changes nothing" 403 \
	"$(get "$J" /staff/logout --data x=1)"
same "a form with a wrong CSRF token changes nothing" 403 \
	"$(get "$J" /staff/logout --data "csrf=$(printf '%064d' 0)")"
same "the session still works" 200 "$(get "$J" /staff)"
login "$T/look.jar" look@example.org >/dev/null
same "a viewer cannot change anything" 403 \
	"$(post "$T/look.jar" /staff/ideas/merge --data title=x)"

# --- expiry ---------------------------------------------------------------
login "$T/old.jar" north@example.org >/dev/null
sql "$C" "UPDATE sessions SET seen_at = seen_at - 2*3600*1000
	WHERE staff = (SELECT id FROM staff WHERE email='north@example.org')"
same "an idle session has ended" 303 "$(get "$T/old.jar" /staff)"
login "$T/old.jar" north@example.org >/dev/null
sql "$C" "UPDATE sessions SET expires_at = 1
	WHERE staff = (SELECT id FROM staff WHERE email='north@example.org')"
same "an expired session has ended" 303 "$(get "$T/old.jar" /staff)"

# --- logout -----------------------------------------------------------------
cp "$J" "$T/stolen.jar"
same "logout answers" 303 "$(post "$J" /staff/logout)"
check "it clears the cookie" grep -qi '^set-cookie: chorus_s=;' "$T/head"
same "the old session cookie no longer works" 303 \
	"$(get "$T/stolen.jar" /staff)"
check "login and logout are audited" test "$(sql "$C" \
	"SELECT count(*) FROM audit WHERE action IN ('login','logout')")" -ge 5

# --- rate limits ------------------------------------------------------------
for i in 1 2 3 4 5; do login "$T/rl.jar" lead@example.org 'bad password!' \
	>/dev/null; done
same "a sixth try on one address is slowed down" 429 \
	"$(login "$T/rl.jar" lead@example.org 'bad password!')"
check "... with a message" grep -q "Too many attempts" "$T/body"
same "... even with the right password" 429 \
	"$(login "$T/rl.jar" lead@example.org)"

# --- Secure on https --------------------------------------------------------
P2=$(free_port)
start_daemon web2 "$CHORUS" web --db "$T/c2.db" --listen "127.0.0.1:$P2" \
	--public-url "https://chorus.example.org"
wait_port "$P2"
curl -s -D "$T/head2" -o /dev/null "http://127.0.0.1:$P2/staff/login"
check "cookies are Secure when the public URL is https" \
	grep -qi '^set-cookie: chorus_l=.*; Secure' "$T/head2"

finish

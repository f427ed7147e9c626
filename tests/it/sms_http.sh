#!/bin/bash
# 'chorus channel add' and 'chorus sms' beyond the shared cases: refused
# configuration, HTTP limits, long messages split across reads, Kannel's
# post-url, secrets, fingerprints, Spanish replies and opt-out.
. "$(dirname "$0")/../lib.sh"

DB=$T/site.db
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
TW_URL="https://sms.example.org/hooks/twilio"
TOKEN=test_auth_token_0000

"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 --token t

# refused NAME args...: the command fails with status 2 and says why.
refused() {
	d=$1
	shift
	if "$CHORUS" channel add --db "$DB" "$@" >"$T/out" 2>&1; then
		not_ok "$d"
	elif grep -q "chorus: channel" "$T/out"; then ok "$d"; else
		not_ok "$d"
		cat "$T/out"
	fi
}
refused "a gateway name outside the list is refused" --name v --gateway nexmo
refused "an unknown country is refused" --name v --gateway kannel \
	--country ZZ
refused "a Twilio secret without its public URL is refused" --name v \
	--gateway twilio --secret x
refused "a name that is not a path segment is refused" --name "a/b" \
	--gateway kannel
refused "a language without a catalogue is refused" --name v \
	--gateway kannel --lang xx
"$CHORUS" channel add --help >"$T/help"
grep -q -- "--secret-file read the secret from the first line of FILE" \
	"$T/help" && ok "channel add --help documents --secret-file" ||
	not_ok "channel add --help documents --secret-file"
tr -s ' \n' ' ' <"$T/help" | grep -q -- "--lang language of the channel: acknowledgements and other replies, and the language its items are stored in" &&
	ok "channel add --help says --lang sets replies and items" ||
	not_ok "channel add --help says --lang sets replies and items"
check "twilio channel" "$CHORUS" channel add --db "$DB" --name tw \
	--gateway twilio --public-url "$TW_URL" --secret "$TOKEN" --country US
refused "a second channel with one name is refused" --name tw \
	--gateway kannel
check "kannel channel in Spanish" "$CHORUS" channel add --db "$DB" \
	--name kes --gateway kannel --country ES --lang es
"$CHORUS" channel add --db "$DB" --name kopen --gateway kannel \
	>/dev/null 2>"$T/err"
same "a channel with no secret gets one warning line" 1 \
	"$(wc -l <"$T/err")"
grep -q "^chorus: warning: channel kopen has no secret: anyone who can reach /sms/kopen can post as any phone; add one with 'chorus channel add --replace --secret-file FILE'" \
	"$T/err" && ok "the warning says what is open and how to close it" ||
	not_ok "the warning says what is open and how to close it ($(cat "$T/err"))"
for g in smssync telerivet africastalking infobip generic; do
	"$CHORUS" channel add --db "$DB" --name "open-$g" --gateway "$g" \
		>/dev/null 2>"$T/err"
	grep -q "warning: channel open-$g has no secret" "$T/err" &&
		ok "$g without a secret is warned about" ||
		not_ok "$g without a secret is warned about"
done
"$CHORUS" channel add --db "$DB" --name ksec --gateway kannel --country GB \
	--secret s3cret >/dev/null 2>"$T/err"
same "a channel with a secret gets no warning" "" "$(cat "$T/err")"

# Secrets from files: first line, line end stripped, never in argv.
printf 'fil3-secret\r\nsecond line\n' >"$T/secret"
printf 'key-from-file\n' >"$T/apikey"
check "kannel channel with --secret-file" "$CHORUS" channel add \
	--db "$DB" --name kfile --gateway kannel --secret-file "$T/secret" \
	--api-key-file "$T/apikey" --send-url http://127.0.0.1:9/send
same "--secret-file stores the first line" "fil3-secret" \
	"$(sql "$DB" "SELECT secret FROM sms_channels WHERE name = 'kfile'")"
same "--api-key-file stores the first line" "key-from-file" \
	"$(sql "$DB" "SELECT api_key FROM sms_channels WHERE name = 'kfile'")"
refused "--secret with --secret-file is refused" --name v2 \
	--gateway kannel --secret x --secret-file "$T/secret"
refused "a missing --secret-file is refused" --name v2 --gateway kannel \
	--secret-file "$T/nope"
: >"$T/empty"
refused "an empty --secret-file is refused" --name v2 --gateway kannel \
	--secret-file "$T/empty"
refused "a Twilio --secret-file without its public URL is refused" \
	--name v2 --gateway twilio --secret-file "$T/secret"
printf 'opened-later\n' >"$T/later"
"$CHORUS" channel add --db "$DB" --name kopen --gateway kannel \
	--secret-file "$T/later" >/dev/null 2>"$T/err"
grep -q "exists already (--replace replaces it)" "$T/err" &&
	ok "adding a channel twice points at --replace" ||
	not_ok "adding a channel twice points at --replace"
check "--replace gives an open channel a secret" "$CHORUS" channel add \
	--db "$DB" --name kopen --gateway kannel --replace \
	--secret-file "$T/later"
same "and the channel is there once, with it" "1|opened-later" \
	"$(sql "$DB" "SELECT count(*) || '|' || max(secret) FROM sms_channels
		WHERE name = 'kopen'")"
"$CHORUS" channel add --db "$DB" --name x --gateway twilio >"$T/out" 2>&1
same "'channel' without 'add' is a usage error" 2 \
	"$("$CHORUS" channel list >/dev/null 2>&1; echo $?)"
"$CHORUS" init --db "$T/other.db" --site K8 --central http://x --token t
sqlite3 "$T/other.db" "DELETE FROM meta WHERE key='phone_key'"
"$CHORUS" channel add --db "$T/other.db" --name k --gateway kannel >/dev/null
same "channel add makes a phone key when missing" 64 \
	"$(sql "$T/other.db" "SELECT length(value) FROM meta
		WHERE key='phone_key'")"

start_daemon sms "$CHORUS" sms --db "$DB" --listen "127.0.0.1:$PORT"
wait_port "$PORT" || not_ok "chorus sms listens"

# twilio BODY: signs BODY for $TW_URL with Python's own HMAC and posts it.
twilio() {
	sig=$(python3 - "$1" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
body = sys.argv[1]
pairs = urllib.parse.parse_qsl(body, keep_blank_values=True,
                               encoding="latin-1")
msg = "https://sms.example.org/hooks/twilio"
msg = msg.encode() + b"".join(k.encode("latin-1") + v.encode("latin-1")
                              for k, v in sorted(pairs))
print(base64.b64encode(hmac.new(b"test_auth_token_0000", msg,
                                hashlib.sha1).digest()).decode())
PY
)
	curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' -H "Expect:" \
		-H "X-Twilio-Signature: $sig" --data-binary "$1" "$URL/sms/tw"
}
items() { sql "$DB" "SELECT count(*) FROM items"; }

same "unknown channel is 404" 404 \
	"$(curl -s -o /dev/null -w '%{http_code}' "$URL/sms/nope")"
same "GET on a Twilio channel is 405" 405 \
	"$(curl -s -o /dev/null -w '%{http_code}' "$URL/sms/tw")"
same "JSON on a Twilio channel is 415" 415 \
	"$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary '{}' "$URL/sms/tw")"
same "a missing signature is 403" 403 \
	"$(curl -s -o /dev/null -w '%{http_code}' --data-binary \
		'Body=x&From=%2B15555550123&MessageSid=SMx' "$URL/sms/tw")"

# A body over 64 KiB is refused whole, and nothing is stored.
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big"
n0=$(items)
same "a body over 64 KiB is 413" 413 \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "Expect:" \
		--data-binary "@$T/big" "$URL/sms/tw")"
same "nothing is stored from a body over 64 KiB" "$n0" "$(items)"

# 1600 characters of mixed scripts, ~14 KB percent-encoded: MHD hands it
# over in several pieces, which must join exactly.
long=$(python3 -c 'print(("ಶಾಲೆ " * 400)[:1600], end="")')
enc=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(sys.argv[1], safe=""), end="")' "$long")
[ ${#enc} -gt 12000 ] && ok "the long message is over 12 KB encoded" ||
	not_ok "the long message is over 12 KB encoded (${#enc})"
same "a signed 1600-character message is 200" 200 \
	"$(twilio "Body=$enc&From=%2B15555550123&MessageSid=SMlong")"
stored=$(sql "$DB" "SELECT text FROM items ORDER BY n DESC LIMIT 1")
python3 -c 'import sys; sys.exit(0 if sys.argv[1] == sys.argv[2] else 1)' \
	"$long" "$stored" && ok "the 1600-character message is stored exactly" ||
	not_ok "the 1600-character message is stored exactly"
code=$(sql "$DB" "SELECT code FROM items ORDER BY n DESC LIMIT 1")
grep -qi "^X-Chorus-Code: $code" "$T/h" && ok "X-Chorus-Code names the item" ||
	not_ok "X-Chorus-Code names the item"
grep -q "<Message>Thanks! Your idea is saved as $code" "$T/b" &&
	ok "TwiML acknowledges with the code" ||
	not_ok "TwiML acknowledges with the code"

# An alphanumeric sender: stored, answered with an empty TwiML.
twilio "Body=Term+dates&From=SCHOOLX&MessageSid=SMalpha" >/dev/null
same "no reply to an alphanumeric sender" \
	'<?xml version="1.0" encoding="UTF-8"?><Response/>' "$(cat "$T/b")"

# Opted out: stored, never answered, not even HELP; START answers again.
twilio "Body=BAJA&From=%2B15555550199&MessageSid=SMs1" >/dev/null
grep -q "Responde ALTA" "$T/b" &&
	ok "STOP in Spanish is confirmed once, in Spanish" ||
	not_ok "STOP in Spanish is confirmed once, in Spanish"
twilio "Body=baja&From=%2B15555550199&MessageSid=SMs2" >/dev/null
grep -q "<Response/>" "$T/b" && ok "a second STOP gets no reply" ||
	not_ok "a second STOP gets no reply"
twilio "Body=help&From=%2B15555550199&MessageSid=SMs3" >/dev/null
grep -q "<Response/>" "$T/b" && ok "HELP while opted out gets no reply" ||
	not_ok "HELP while opted out gets no reply"
same "opted out in contacts" 1 \
	"$(sql "$DB" "SELECT opted_out FROM contacts c JOIN sms_messages m
		ON m.from_hash = c.hash WHERE m.provider_id = 'SMs1'")"
twilio "Body=ALTA&From=%2B15555550199&MessageSid=SMs4" >/dev/null
grep -q "<Message>" "$T/b" && ok "ALTA opts back in and is confirmed" ||
	not_ok "ALTA opts back in and is confirmed"
same "keywords recorded" "stop stop help start" \
	"$(sql "$DB" "SELECT group_concat(keyword, ' ') FROM (SELECT keyword
		FROM sms_messages WHERE provider_id LIKE 'SMs%' ORDER BY n)")"

# code_of SITE SEQ: a well-formed code (Luhn mod 32, core/code.c).
code_of() {
	python3 - "$1" "$2" <<'PY'
import sys
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
site, seq = sys.argv[1], int(sys.argv[2])
d = ""
while True:
    d = A[seq & 31] + d
    seq >>= 5
    if seq == 0:
        break
s = site + d.rjust(4, "0")
total, f = 0, 2
for c in reversed(s):
    a = f * A.index(c)
    f = 1 if f == 2 else 2
    total += a // 32 + a % 32
print(s + A[(32 - total % 32) % 32])
PY
}
last_kw() {
	sql "$DB" "SELECT keyword FROM sms_messages ORDER BY n DESC LIMIT 1"
}

# The code alone, any case, with dashes: a status question, no item.
n0=$(items)
lc=$(echo "$code" | tr 'A-Z' 'a-z' | sed 's/^\(..\)\(....\)/\1-\2-/')
twilio "Body=$lc&From=%2B15555550123&MessageSid=SMq1" >/dev/null
grep -q "<Message>$code: received, waiting to be read.</Message>" "$T/b" &&
	ok "a code alone ($lc) is answered with its status" ||
	not_ok "a code alone ($lc) is answered with its status ($(cat "$T/b"))"
same "a code alone makes no item" "$n0" "$(items)"
same "a code alone is recorded as a status question" status "$(last_kw)"
unknown=$(code_of K7 900)
twilio "Body=$unknown&From=%2B15555550123&MessageSid=SMq2" >/dev/null
grep -q "$unknown is not known here yet" "$T/b" &&
	ok "a well-formed unknown code is not known here yet" ||
	not_ok "a well-formed unknown code is not known here yet"
for q in "STATUS+ZZ9999Z" "ZZ-9999-Z+%3F"; do
	twilio "Body=$q&From=%2B15555550123&MessageSid=SMq-$q" >/dev/null
	grep -q "<Message>We do not know that code. A code is" "$T/b" &&
		ok "'$q' is told the code is wrong and how to check it" ||
		not_ok "'$q' is told the code is wrong ($(cat "$T/b"))"
done
twilio "Body=ESTADO+ZZ9999Z&From=%2B15555550123&MessageSid=SMq4" >/dev/null
grep -q "<Message>No conocemos ese c" "$T/b" &&
	ok "ESTADO with a wrong code is told so in Spanish" ||
	not_ok "ESTADO with a wrong code is told so in Spanish"
same "no wrong code makes an item" "$n0" "$(items)"

# A word's language is the reply's, on an English channel too; the
# item keeps the channel's language and the text as sent.
twilio "Body=ESTADO+$lc&From=%2B15555550123&MessageSid=SMq5" >/dev/null
grep -q "<Message>$code: recibida, pendiente de lectura." "$T/b" &&
	ok "ESTADO is answered in Spanish on an English channel" ||
	not_ok "ESTADO is answered in Spanish on an English channel"
twilio "Body=Ayuda&From=%2B15555550123&MessageSid=SMq6" >/dev/null
grep -q "<Message>Chorus, línea de ideas" "$T/b" &&
	ok "AYUDA gets the Spanish help on an English channel" ||
	not_ok "AYUDA gets the Spanish help on an English channel"
grep -q "ALTA para darte de alta" "$T/b" &&
	ok "... which says how to opt back in with ALTA" ||
	not_ok "... which says how to opt back in with ALTA"
same "the AYUDA item takes the keyword's language and keeps its text" \
	"es|Ayuda|help" \
	"$(sql "$DB" "SELECT i.lang || '|' || i.text || '|' || m.keyword
		FROM items i JOIN sms_messages m ON m.item_id = i.id
		WHERE m.provider_id = 'SMq6'")"
before=$(items)
twilio "Body=%20%20%0A&From=%2B15555550123&MessageSid=SMqb" >/dev/null
grep -q "<Message>We got your message, but it had no words" "$T/b" &&
	ok "a message of only spaces is answered: no words" ||
	not_ok "a message of only spaces is answered: no words"
same "... it is kept, and no item is made of it" "1 $before" \
	"$(sql "$DB" "SELECT count(*) FROM sms_messages
		WHERE provider_id = 'SMqb' AND item_id IS NULL") $(items)"
twilio "Body=HELP&From=%2B15555550123&MessageSid=SMq7" >/dev/null
grep -q "<Message>Chorus school ideas line" "$T/b" &&
	ok "HELP still gets the English help" ||
	not_ok "HELP still gets the English help"

# An idea written in Spanish on the English channel is a Spanish item
# with a Spanish acknowledgement; a word too short to tell keeps the
# channel's language.
lang_of() { sql "$DB" "SELECT i.lang FROM items i JOIN sms_messages m
	ON m.item_id = i.id WHERE m.provider_id = '$1'"; }
twilio "Body=Quiero+m%C3%A1s+libros+en+la+biblioteca&From=%2B15555550123&MessageSid=SMq8" >/dev/null
grep -q "<Message>¡Gracias! Guardamos tu idea como" "$T/b" &&
	ok "a Spanish idea on an English channel is answered in Spanish" ||
	not_ok "a Spanish idea on an English channel is answered in Spanish"
grep -q "SEGUIR" "$T/b" &&
	not_ok "... inviting SEGUIR, which this channel cannot keep" ||
	ok "... not inviting SEGUIR, which this channel cannot keep"
same "... and stored as Spanish" es "$(lang_of SMq8)"

# A status answer goes in the item's language on any channel, unless
# the keyword is Spanish (ESTADO); a code not known here gets the
# channel's.
es_code=$(grep -o 'K7[0-9A-Z]*' "$T/b" | head -1)
twilio "Body=$es_code&From=%2B15555550123&MessageSid=SMq8s" >/dev/null
grep -q "<Message>$es_code: recibida, pendiente de lectura.<" "$T/b" &&
	ok "the code of a Spanish item alone is answered in Spanish" ||
	not_ok "the code of a Spanish item alone is answered in Spanish"
twilio "Body=STATUS+$es_code&From=%2B15555550123&MessageSid=SMq8t" \
	>/dev/null
grep -q "<Message>$es_code: recibida, pendiente de lectura.<" "$T/b" &&
	ok "... and so is STATUS and its code" ||
	not_ok "... and so is STATUS and its code ($(cat "$T/b"))"
same "the English item asked about is stored as English" en \
	"$(sql "$DB" "SELECT lang FROM items WHERE code = '$code'")"
same "its code alone on the Spanish channel is answered in English" \
	"$code: received, waiting to be read." \
	"$(curl -s "$URL/sms/kes?from=612345679&text=$code&id=st-1")"
same "... ESTADO and its code in Spanish" \
	"$code: recibida, pendiente de lectura." \
	"$(curl -s "$URL/sms/kes?from=612345679&text=ESTADO+$code&id=st-2")"
curl -s "$URL/sms/kes?from=612345679&text=$unknown&id=st-3" >"$T/b"
grep -q "^$unknown aún no se conoce aquí" "$T/b" &&
	ok "a code not known here is answered in the channel's language" ||
	not_ok "a code not known here is answered in the channel's language"
twilio "Body=Hola&From=%2B15555550123&MessageSid=SMq9" >/dev/null
grep -q "<Message>Thanks! Your idea is saved as" "$T/b" &&
	ok "a word too short to tell is answered in the channel's language" ||
	not_ok "a word too short to tell is answered in the channel's language"
grep -q "FOLLOW" "$T/b" &&
	not_ok "... inviting FOLLOW, which Twilio without its API cannot keep" ||
	ok "... not inviting FOLLOW, which Twilio without its API cannot keep"
same "... and stored in it" en "$(lang_of SMq9)"

# Kannel in Spanish: the acknowledgement comes from the es catalogue.
body=$(curl -s "$URL/sms/kes?from=612345678&to=40404&text=Hola&id=es-1")
case "$body" in
¡Gracias!*K7*) ok "a Spanish channel answers in Spanish" ;;
*) not_ok "a Spanish channel answers in Spanish ($body)" ;;
esac

# A Kannel get-url with 1600 UCS-2 characters (~10 KB of query) is kept
# whole; a query longer than the server keeps is refused, never cut.
ucs=$(python3 -c 'import urllib.parse
t = ("ಶಾಲೆ " * 400)[:1600]
print(urllib.parse.quote(t.encode("utf-16-be"), safe=""), end="")')
same "a 1600-character UCS-2 get-url is 200" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/kes?from=612345678&text=$ucs&coding=2&id=long-ucs2")"
same "and its text is stored whole" 1600 \
	"$(sql "$DB" "SELECT length(text) FROM items ORDER BY n DESC LIMIT 1")"
huge=$(head -c 17000 /dev/zero | tr '\0' 'a')
n0=$(items)
code=$(curl -s -o /dev/null -w '%{http_code}' \
	"$URL/sms/kes?from=612345678&id=huge&text=$huge")
case "$code" in 414 | 431) ok "an over-long get-url is refused ($code)" ;;
*) not_ok "an over-long get-url is refused ($code)" ;;
esac
same "and nothing is stored from it" "$n0" "$(items)"

# Kannel post-url: the text is the body, metadata in X-Kannel-* headers.
printf '\x00h\x00o\x00l\x00a\x00 \x00\xe9' >"$T/utf16"
same "post-url is 200" 200 \
	"$(curl -s -o "$T/b" -w '%{http_code}' -H "X-Kannel-From: 0612345678" \
		-H "X-Kannel-Coding: 2" -H "X-Kannel-Time: 1741158930" \
		-H "Content-Type: text/plain; charset=UTF-16BE" \
		--data-binary "@$T/utf16" "$URL/sms/kes")"
same "post-url UTF-16BE text is decoded" "hola é" \
	"$(sql "$DB" "SELECT text FROM items ORDER BY n DESC LIMIT 1")"
same "post-url time is kept in UTC" "2025-03-05T07:15:30.000Z" \
	"$(sql "$DB" "SELECT provider_time FROM sms_messages
		ORDER BY n DESC LIMIT 1")"
same "post-url without an id gets a fingerprint" "f:" \
	"$(sql "$DB" "SELECT substr(provider_id, 1, 2) FROM sms_messages
		ORDER BY n DESC LIMIT 1")"
n0=$(items)
curl -s -o "$T/b" -D "$T/h" -H "X-Kannel-From: 0612345678" \
	-H "X-Kannel-Coding: 2" -H "X-Kannel-Time: 1741158930" \
	-H "Content-Type: text/plain; charset=UTF-16BE" \
	--data-binary "@$T/utf16" "$URL/sms/kes"
same "the same post-url again stores nothing" "$n0" "$(items)"
same "and is answered with an empty body" 0 "$(wc -c <"$T/b")"
grep -qi "^X-Chorus-Code: K7" "$T/h" && ok "the replay still names the code" ||
	not_ok "the replay still names the code"
curl -s -o /dev/null -H "X-Kannel-From: 0612345678" \
	-H "X-Kannel-Time: 1741158999" --data-binary "hola" "$URL/sms/kes"
same "same text at another time is a new message" $((n0 + 1)) "$(items)"

# A Kannel channel with a secret wants it in the get-url.
same "kannel without its secret is 403" 403 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/ksec?from=07700900123&text=x&id=s1")"
same "kannel with a wrong secret is 403" 403 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/ksec?from=07700900123&text=x&id=s1&secret=nope")"
same "kannel with its secret is 200" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/ksec?from=07700900123&text=x&id=s1&secret=s3cret")"

if grep -q "5555550199\|612345678\|7700900123" "$T/sms.log"; then
	not_ok "no phone number in the log"
else
	ok "no phone number in the log"
fi
same "no raw number in any table" 0 \
	"$(sql "$DB" "SELECT count(*) FROM sms_messages WHERE from_hash LIKE '%555%'
		AND length(from_hash) <> 64")"
same "a secret from a file is checked like any other" "403 200" \
	"$(curl -s -o /dev/null -w '%{http_code}' \
		"$URL/sms/kfile?from=07700900123&text=x&id=f1&secret=nope") $(
		curl -s -o /dev/null -w '%{http_code}' \
			"$URL/sms/kfile?from=07700900123&text=x&id=f1&secret=fil3-secret")"
grep -q "sms: channel kes has no secret: anyone who can reach /sms/kes can post as any phone; add one with 'chorus channel add --replace --name kes --gateway kannel --secret-file FILE" \
	"$T/sms.log" && ok "chorus sms says how to add a missing secret" ||
	not_ok "chorus sms says how to add a missing secret"
grep -q "channel ksec has no secret" "$T/sms.log" &&
	not_ok "no warning for a channel with a secret" ||
	ok "no warning for a channel with a secret"
kill "$LAST_PID"
wait "$LAST_PID" 2>/dev/null
same "chorus sms stops cleanly on SIGTERM" 0 $?
finish

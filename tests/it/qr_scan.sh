#!/bin/bash
# QR codes of item links: what the centre serves scans back, with a real
# reader (zbarimg), to exactly the upper-case link; the quiet zone is
# four modules; and the longest plausible link stays small.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C LANG=C
MK="$TOP/${BUILD:-build}/tools/sync_mkitems"
FIT="$TOP/${BUILD:-build}/tools/sync_qrfit"
PUBLIC="https://chorus.example-district.org"

P=$(free_port)
C="$T/central.db"
read -r SITE TOKEN <<<"$("$CHORUS" site add --db "$C" --name "Library")"
start_daemon web "$CHORUS" web --db "$C" --listen "127.0.0.1:$P" \
	--public-url "$PUBLIC"
check "central server listens" wait_port "$P"

# The kiosk prints codes before they sync: the code is never pushed.
S="$T/site.db"
"$CHORUS" init --db "$S" --site "$SITE" --central "http://127.0.0.1:$P" \
	--token "$TOKEN"
CODE=$("$MK" "$S" 1 "print me")
lower=$(tr 'A-Z' 'a-z' <<<"$CODE")
status=$(curl -s -o "$T/qr.svg" -D "$T/head" -w '%{http_code}' \
	"http://127.0.0.1:$P/i/$lower/QR.SVG")
same "the QR code of an unsynced item is served" 200 "$status"
check "as image/svg+xml" grep -qi '^content-type: image/svg+xml' "$T/head"

# scan SVG: rasterise and read it back.
scan() {
	rsvg-convert -w 400 -o "$T/scan.png" "$1" &&
		zbarimg --raw -q "$T/scan.png" 2>/dev/null
}
want="$(tr 'a-z' 'A-Z' <<<"$PUBLIC")/I/$CODE"
same "zbarimg reads exactly the upper-case item link" "$want" \
	"$(scan "$T/qr.svg")"

# The quiet zone: dark modules start 4 modules inside the viewBox and
# end 4 modules before its far edge, on every side.
quiet=$(python3 - "$T/qr.svg" <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
d = re.search(r'<path[^>]* d="([^"]*)"', svg).group(1)
xs, ys = [], []
for x, y, run in re.findall(r'M(\d+) (\d+)h(\d+)', d):
    xs += [int(x), int(x) + int(run)]
    ys += [int(y), int(y) + 1]
print(min(xs), min(ys), size - max(xs), size - max(ys))
PY
)
same "a quiet zone of 4 modules on every side" "4 4 4 4" "$quiet"

# The longest plausible code: six base32 digits of sequence (a billion
# items at one site) under a realistic public URL.
if "$FIT" "$PUBLIC" Z9 1073741823 "$T/long.svg" >"$T/fit.out"; then
	ok "the longest plausible link fits version <= 3 at ECC M:" \
		"$(cat "$T/fit.out")"
else
	not_ok "the longest plausible link fits version <= 3 at ECC M:" \
		"$(cat "$T/fit.out")"
fi
same "and it scans back exactly" "$(cut -d' ' -f1 "$T/fit.out")" \
	"$(scan "$T/long.svg")"

finish

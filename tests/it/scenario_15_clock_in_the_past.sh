#!/bin/bash
# Scenario 15: a clock in the past.  The site runs three days behind
# (libfaketime), makes items and syncs: the handshake finds the clock
# wrong from the centre's Date header, reports it, and flags the items
# made under it (clock_ok = 0).  Then the clock jumps forward, more
# items are made and synced with clock_ok = 1.  The centre orders by its
# own arrival and the site's sequence, never by the site's clock.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

if ! command -v faketime >/dev/null; then
	ok "scenario 15 # SKIP faketime is not installed"
	finish
fi
# Built with AddressSanitizer, a program under libfaketime deadlocks as it
# starts (the sanitizer's allocator reads the clock under its lock, and
# libfaketime's first clock call allocates), so the sanitizer run leaves
# this scenario to the plain build.
case ${BUILD:-build} in
*san*)
	ok "scenario 15 # SKIP libfaketime deadlocks under AddressSanitizer"
	finish
	;;
esac
centre_up
S=$T/site.db
site_init "$S"
faketime -f '-3d' "$MK" "$S" 5 "made three days behind" >/dev/null
faketime -f '-3d' "$CHORUS" sync --db "$S" --once >"$T/past.out" 2>&1
check "scenario 15: the sync under the wrong clock succeeds" \
	grep -q "5 sent" "$T/past.out"
check "scenario 15: the wrong clock is reported" \
	grep -Eq "clock is -259[12][0-9]{2} s off" "$T/past.out"
check "scenario 15: the status says the clock is wrong" \
	grep -q '"clock_ok": false' <<<"$("$CHORUS" sync --db "$S" --status)"
"$MK" "$S" 5 "made after the jump" >/dev/null
check "scenario 15: the sync after the jump succeeds" \
	"$CHORUS" sync --db "$S" --once
check "scenario 15: the status says the clock is right again" \
	grep -q '"clock_ok": true' <<<"$("$CHORUS" sync --db "$S" --status)"
same "scenario 15: items made under the wrong clock are flagged" \
	"0|5 1|5" "$(sql "$C" "SELECT clock_ok, count(*) FROM items
		GROUP BY clock_ok ORDER BY clock_ok" | tr '\n' ' ' |
		sed 's/ $//')"
same "scenario 15: flags agree on both sides" \
	"$(sql "$S" "SELECT code, clock_ok FROM items ORDER BY seq")" \
	"$(sql "$C" "SELECT code, clock_ok FROM items ORDER BY seq")"
same "scenario 15: the centre's order follows the sequence" \
	"$(sql "$C" "SELECT seq FROM items ORDER BY seq")" \
	"$(sql "$C" "SELECT seq FROM items ORDER BY received_at, n")"
same "scenario 15: the site's three-day-old times are kept as made" 5 \
	"$(sql "$C" "SELECT count(*) FROM items
		WHERE received_at - made_at > 2 * 86400000")"
finish

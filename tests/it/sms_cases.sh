#!/bin/bash
# The gateway cases of tests/cases/sms, each against a fresh database and
# a real 'chorus sms' (see tests/tools/sms_cases.c).
. "$(dirname "$0")/../lib.sh"

TOOL=$TOP/${BUILD:-build}/tools/sms_cases
if [ ! -x "$TOOL" ]; then
	not_ok "sms_cases tool is built ($TOOL)"
	finish
fi
"$TOOL" "$CHORUS" "$T" "$TOP"/tests/cases/sms/*.json | tee "$T/cases.out"
grep -q '^not ok' "$T/cases.out" && FAILED=1
n=$(grep -c '^ok - [^#]*$' "$T/cases.out")
[ "$n" -ge 15 ] && ok "at least 15 twilio and kannel cases ran ($n)" ||
	not_ok "at least 15 twilio and kannel cases ran ($n)"
finish

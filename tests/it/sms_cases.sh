#!/bin/bash
# The gateway cases of tests/cases/sms, each against a fresh database and
# a real 'chorus sms' (see tests/tools/sms_cases.c).  Every case runs:
# none is skipped.
. "$(dirname "$0")/../lib.sh"

TOOL=$TOP/${BUILD:-build}/tools/sms_cases
if [ ! -x "$TOOL" ]; then
	not_ok "sms_cases tool is built ($TOOL)"
	finish
fi
"$TOOL" "$CHORUS" "$T" "$TOP"/tests/cases/sms/*.json | tee "$T/cases.out"
grep -q '^not ok' "$T/cases.out" && FAILED=1
want=$(ls "$TOP"/tests/cases/sms/*.json | wc -l)
n=$(grep -c '^ok - [^#]*$' "$T/cases.out")
same "every case ran and passed, none skipped" "$want" "$n"
finish

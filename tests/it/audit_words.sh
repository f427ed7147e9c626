#!/bin/bash
# Every action the code writes to the audit log has words in every
# language, so the staff audit page never shows a raw key: the actions
# are the string literals given to cycle_audit() in web/*.c (and the
# two decide.c passes through a variable), the words are the
# audit.action.* keys of i18n/*/public.cat.
. "$(dirname "$0")/../lib.sh"

actions=$( (grep -h 'cycle_audit(' "$TOP"/web/*.c | grep -v '^int ' |
	sed 's/.*cycle_audit(//' | grep -o '"[a-z][a-z.]*"' | tr -d '"'
	echo decision; echo action) | sort -u)
check "the code writes some audit actions" test -n "$actions"
for lang in en es; do
	for a in $actions; do
		check "$lang has words for the audit action $a" \
			grep -q "^audit\\.action\\.$a = ." \
			"$TOP/i18n/$lang/public.cat"
	done
done

#!/bin/sh
# Runs every test and prints one closing line: "N passed, N failed".
#
# Every test speaks TAP-like lines: "ok - what" or "not ok - what".
#   1. unit tests: each $BUILD/tests/* binary (cmocka, TAP output);
#   2. integration tests: each tests/it/*.sh, which start real daemons
#      (and Kannel, Chromium, zbarimg) on loopback in a temporary folder.
# A test file that exits non-zero without printing "not ok" counts as one
# failure, so a crash is never silent.  ONLY=pattern runs matching files.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BUILD=${BUILD:-build}
export BUILD CHORUS_TOP="$top" CHORUS_BIN="$top/$BUILD/chorus"
export CMOCKA_MESSAGE_OUTPUT=TAP
out=$(mktemp -d /tmp/chorus-tests.XXXXXX)
pass=0
fail=0

run_one() {
	name=$1
	shift
	case "$name" in *${ONLY:-}*) ;; *) return ;; esac
	echo "# $name"
	"$@" >"$out/log" 2>&1
	rc=$?
	sed 's/^/  /' "$out/log" | grep -v '^  ok ' | grep -v '^  #' | head -60
	p=$(grep -c '^ok ' "$out/log")
	f=$(grep -c '^not ok ' "$out/log")
	grep '^ok ' "$out/log" | sed 's/^/  /' | cut -c1-100
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  not ok - $name exited with status $rc"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

for t in "$top/$BUILD"/tests/*; do
	[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
done
for t in "$here"/it/*.sh; do
	[ -f "$t" ] && run_one "it/$(basename "$t")" bash "$t"
done

rm -rf "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]

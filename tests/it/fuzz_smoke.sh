#!/bin/bash
# Builds every libFuzzer harness in tests/fuzz/ (make build-fuzz/fuzz/NAME)
# and runs each for 5 seconds over its seeds: one "ok - fuzz NAME" line
# per harness.  A harness that does not build, crashes, trips a sanitizer
# or breaks one of its invariants is "not ok".  Longer runs: make fuzz.
. "$(dirname "$0")/../lib.sh"

# The suite may itself run under make -j: start the inner make afresh.
unset MAKEFLAGS MFLAGS MAKELEVEL
bins=""
for src in "$TOP"/tests/fuzz/*.c; do
	name=$(basename "$src" .c)
	if make -C "$TOP" -s "build-fuzz/fuzz/$name" >"$T/build-$name.log" 2>&1
	then
		bins="$bins $TOP/build-fuzz/fuzz/$name"
	else
		not_ok "fuzz $name builds"
		tail -15 "$T/build-$name.log" | sed 's/^/#   /'
	fi
done
if [ -z "$bins" ]; then
	not_ok "fuzz: no harness built"
	finish
fi

# shellcheck disable=SC2086
FUZZ_OUT=$T/out FUZZ_JOBS=2 sh "$TOP/tests/fuzz/run.sh" 5 $bins >"$T/run.out"
cat "$T/run.out"
grep -q '^not ok' "$T/run.out" && FAILED=1
finish

#!/bin/sh
# Runs libFuzzer harnesses for a while each and prints one line per
# harness: "ok - fuzz NAME (N runs)" or "not ok - fuzz NAME".
#
#   sh tests/fuzz/run.sh TIME BIN...      (make fuzz: FUZZ_TIME=20)
#
# Each BIN is build-fuzz/fuzz/NAME, run for TIME seconds over its seeds in
# tests/fuzz/corpus/NAME/.  New inputs go to a scratch folder, so the
# committed seeds never change by themselves; a crash is saved as
# FUZZ_OUT/NAME/crash-* (FUZZ_OUT defaults to build-fuzz/out) and the
# end of the fuzzer's log is shown.  FUZZ_JOBS harnesses run at once
# (default 2).  Exits non-zero when any harness failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
time=${1:?usage: run.sh TIME BIN...}
shift
out=${FUZZ_OUT:-$top/build-fuzz/out}
jobs=${FUZZ_JOBS:-2}
mkdir -p "$out"

# run_one BIN: fuzzes one harness; its verdict goes to $out/NAME/verdict.
run_one() {
	bin=$1
	name=$(basename "$bin")
	dir=$out/$name
	rm -rf "$dir"
	mkdir -p "$dir/work"
	seeds=$here/corpus/$name
	[ -d "$seeds" ] || seeds=""
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$dir/" "$dir/work" $seeds \
		>"$dir/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $name (no binary $bin)" >"$dir/verdict"
	elif [ $rc -eq 0 ] && [ -z "$seeds" ]; then
		echo "not ok - fuzz $name (no seeds in" \
			"tests/fuzz/corpus/$name)" >"$dir/verdict"
	elif [ $rc -eq 0 ]; then
		echo "ok - fuzz $name (${runs:-?} runs in ${time}s)" \
			>"$dir/verdict"
	else
		{
			echo "not ok - fuzz $name (exit $rc)"
			ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* \
				"$dir"/oom-* 2>/dev/null | sed 's/^/#   saved: /'
			grep -m 4 'invariant failed\|ERROR:\|SUMMARY:\|#[0-9] ' \
				"$dir/log" | sed 's/^/#   /'
			grep '^0x\|^Base64' "$dir/log" | tail -3 | cut -c1-200 |
				sed 's/^/#   /'
		} >"$dir/verdict"
	fi
}

pids=""
n=0
for bin in "$@"; do
	run_one "$bin" &
	pids="$pids $!"
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		wait
		n=0
	fi
done
wait

status=0
for bin in "$@"; do
	v=$out/$(basename "$bin")/verdict
	cat "$v"
	grep -q '^not ok' "$v" && status=1
done
exit $status

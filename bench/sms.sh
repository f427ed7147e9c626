#!/bin/sh
# Webhook throughput of 'chorus sms' per gateway format, every message
# durably stored, against a bare libmicrohttpd server in the same run;
# see bench/sms.c.  usage: sh bench/sms.sh [N] [THREADS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
cd "$top"
make -s "$BUILD/chorus" "$BUILD/bench/sms"
dir=$(mktemp -d /tmp/chorus-bench-sms.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$BUILD/bench/sms" "$top/$BUILD/chorus" "$dir" "${1:-2000}" "${2:-8}"

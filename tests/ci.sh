#!/bin/sh
# The one test command: installs what the tests need (Debian 12, root),
# checks formatting, builds warning-free with gcc and clang, runs the
# whole suite, then runs it again built with AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh deploy/install-deps.sh --test
make format-check
make -j2 CC=gcc BUILD=build-gcc CFLAGS="-O2 -g -Werror" build-gcc/chorus
make -j2 CC=clang BUILD=build-clang CFLAGS="-O2 -g -Werror" \
	build-clang/chorus
status=0
make -j2 test || status=1
make -j2 test-san || status=1
exit $status

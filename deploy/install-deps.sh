#!/bin/sh
# Installs what Chorus needs on Debian 12, as root.
#   deploy/install-deps.sh          build and run (compiler, libraries)
#   deploy/install-deps.sh --test   also what the tests drive: Chromium
#                                   and playwright-core, Kannel, zbarimg,
#                                   rsvg-convert, libfaketime, clang
set -eu

run_pkgs="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev
	sqlite3 libcurl4-openssl-dev libqrencode-dev libjansson-dev
	libssl-dev libargon2-dev curl ca-certificates"
test_pkgs="clang clang-format libclang-rt-14-dev libcmocka-dev kannel
	kannel-extras zbar-tools librsvg2-bin faketime chromium
	python3 wrk procps iproute2 poppler-utils"

pkgs=$run_pkgs
[ "${1:-}" = "--test" ] && pkgs="$run_pkgs $test_pkgs"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere (with npm inside); take Debian's if not.
if [ "${1:-}" = "--test" ]; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi

if [ "${1:-}" = "--test" ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	if [ ! -d "$here/tests/node_modules/playwright-core" ]; then
		(cd "$here/tests" && npm install --no-audit --no-fund)
	fi
fi
echo "dependencies ready"

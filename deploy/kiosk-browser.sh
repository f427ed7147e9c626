#!/bin/sh
# Opens the kiosk page full screen in Chromium's kiosk mode on a site
# node's touch screen, and keeps it open.
#
#   deploy/kiosk-browser.sh [URL]        (default http://127.0.0.1:8081/)
#
# Run it from the kiosk user's graphical session (see docs/deploy.md:
# an autostart entry or a user unit).  It waits until the kiosk daemon
# answers, starts Chromium with a throw-away profile (incognito: nothing
# a person typed survives the browser), and starts it again whenever it
# exits or crashes.  Stop it with SIGTERM or SIGINT; the browser goes too.
#
# Environment:
#   CHROMIUM              the browser (default: chromium, else
#                         chromium-browser, else google-chrome)
#   KIOSK_EXTRA_FLAGS     more flags, for example --force-device-scale-factor=1.25
#   KIOSK_RESTART_DELAY   seconds between a crash and the restart (2)
#   KIOSK_WAIT_MAX        seconds to wait for the daemon before trying
#                         anyway (0: wait for ever)
set -u
url=${1:-http://127.0.0.1:8081/}
delay=${KIOSK_RESTART_DELAY:-2}
wait_max=${KIOSK_WAIT_MAX:-0}
browser_pid=""

log() { echo "kiosk-browser: $*" >&2; }

find_browser() {
	for b in ${CHROMIUM:-} chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			echo "$b"
			return 0
		fi
	done
	return 1
}

# Waits until the daemon answers the page with 2xx.
wait_daemon() {
	waited=0
	until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
		if [ "$wait_max" -gt 0 ] && [ "$waited" -ge "$wait_max" ]; then
			log "no answer from $url after ${waited}s; starting anyway"
			return 0
		fi
		[ $((waited % 30)) -eq 0 ] && log "waiting for $url"
		sleep 1
		waited=$((waited + 1))
	done
}

stop() {
	[ -n "$browser_pid" ] && kill "$browser_pid" 2>/dev/null
	[ -n "$browser_pid" ] && wait "$browser_pid" 2>/dev/null
	[ -n "${profile:-}" ] && rm -rf "$profile"
	exit 0
}
trap stop INT TERM HUP

browser=$(find_browser) || {
	log "no Chromium found (set CHROMIUM)"
	exit 1
}

while :; do
	wait_daemon
	# A fresh profile each time: no history, no crash bubble, no state.
	profile=$(mktemp -d "${TMPDIR:-/tmp}/chorus-kiosk.XXXXXX")
	# shellcheck disable=SC2086
	"$browser" --kiosk --noerrdialogs --disable-session-crashed-bubble \
		--incognito --disable-pinch --overscroll-history-navigation=0 \
		--no-first-run --disable-translate --disable-infobars \
		--disable-features=Translate,TouchpadOverscrollHistoryNavigation \
		--password-store=basic --autoplay-policy=no-user-gesture-required \
		--check-for-update-interval=31536000 \
		--user-data-dir="$profile" ${KIOSK_EXTRA_FLAGS:-} "$url" &
	browser_pid=$!
	wait "$browser_pid"
	rc=$?
	browser_pid=""
	rm -rf "$profile"
	log "browser exited with status $rc; restarting in ${delay}s"
	sleep "$delay"
done

#!/bin/bash
# The README's first command runs the demo (deploy/demo.sh): it must start
# every daemon, and the two SMS examples it prints must store items that
# reach the centre.  Ports are moved off 8080-8082 for the test.
. "$(dirname "$0")/../lib.sh"

export DEMO_DIR=$T/demo CHORUS
export DEMO_WEB=127.0.0.1:$(free_port) DEMO_KIOSK=127.0.0.1:$(free_port)
export DEMO_SMS=127.0.0.1:$(free_port)
start_daemon demo sh "$TOP/deploy/demo.sh"
i=0
while ! grep -q "Chorus is running" "$T/demo.log" && [ $i -lt 150 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the demo says it is running" grep -q "Chorus is running" \
	"$T/demo.log"
check "the kiosk page it names answers" curl -sf "http://$DEMO_KIOSK/"
check "the central page it names answers" curl -sf "http://$DEMO_WEB/"
check "the staff area it names answers" curl -sf "http://$DEMO_WEB/staff/login"
same "the demo's staff account exists" 1 \
	"$(sql "$DEMO_DIR/central.db" "SELECT count(*) FROM staff")"

# Run the two curl commands exactly as the demo printed them.
sed -n '/^  curl -i /,/^  *--data-urlencode .*[^\\]$/p' "$T/demo.log" |
	awk -v t="$T" '/^  curl -i /{n++} {print > (t "/sms" n ".sh")}'
# The first is in English; the second is Spanish, and so is its answer.
check "printed SMS example 1 is answered with a code" \
	bash -c "sh '$T/sms1.sh' | grep -q 'saved as'"
check "printed SMS example 2 is answered in Spanish with a code" \
	bash -c "sh '$T/sms2.sh' | grep -q 'Guardamos tu idea como'"
i=0
while [ "$(sql "$DEMO_DIR/central.db" "SELECT count(*) FROM items")" != 2 ] &&
	[ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
same "both reached the centre through the demo's sync" 2 \
	"$(sql "$DEMO_DIR/central.db" "SELECT count(*) FROM items")"
finish

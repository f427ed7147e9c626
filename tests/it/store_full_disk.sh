#!/bin/bash
# A site database on a tiny tmpfs: write until the disk is full.  Every
# failure must be reported as "full", nothing half-stored, the file must
# pass integrity_check, and once space is freed (a filler file made
# first is removed) the same process writes again without a restart.
. "$(dirname "$0")/../lib.sh"

TOOL=$(dirname "$CHORUS")/tools/store_fill
MNT=$T/mnt
mkdir -p "$MNT"

if ! mount -t tmpfs -o size=1200k tmpfs "$MNT" 2>"$T/mount.err"; then
	ok "scenario 3, full disk # SKIP cannot mount tmpfs"
	finish
fi
trap 'umount "$MNT" 2>/dev/null; cleanup' EXIT INT TERM

DB=$MNT/site.db
"$CHORUS" init --db "$DB" --site K7 --central http://127.0.0.1:9 \
	--token t >"$T/init.log" 2>&1 || {
	not_ok "init the site db on tmpfs"
	cat "$T/init.log"
	finish
}
# Leave about 160 KB free whatever size the schema has grown to.
avail=$(df -k --output=avail "$MNT" | tail -n 1 | tr -d ' ')
dd if=/dev/zero of="$MNT/filler" bs=1k count=$((avail - 160)) status=none

"$TOOL" "$DB" "$MNT/filler" >"$T/fill.out" 2>"$T/fill.err"
rc=$?
line=$(cat "$T/fill.out")
set -- $line
acked=${2:-0}
if [ $rc -eq 0 ]; then
	ok "scenario 3, full disk: every failure reported as full, writes resume ($line)"
else
	not_ok "scenario 3, full disk: every failure reported as full, writes resume ($line)"
	sed 's/^/#   /' "$T/fill.err" | head -10
fi
same "scenario 3, full disk: rows = acknowledged items" "$acked" \
	"$(sql "$DB" 'SELECT count(*) FROM items')"
same "scenario 3, full disk: integrity_check" ok "$(sql "$DB" 'PRAGMA integrity_check')"
umount "$MNT"
finish

#!/bin/bash
# Scenario 11: a pulled page and its cursor land together.  The sync
# process is killed (SIGKILL, through the CHORUS_FAULT_PULL hook) after
# each write of a pull: every row of a page, the cursor, and the first
# rows of the next page.  After each kill the site holds exactly the
# rows up to its saved cursor; after a clean run, every row once.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tools/sync_env.sh"

centre_up
"$PUB" "$C" many 150 - || not_ok "publish 150 notices"
site_init "$T/fresh.db"
bad=0
for k in 1 2 50 99 100 101 102 120 150 151; do
	# Each point starts from a fresh site, then resumes once more.
	S=$T/site$k.db
	cp "$T/fresh.db" "$S"
	(CHORUS_FAULT_PULL=$k exec "$CHORUS" sync --db "$S" --once \
		>"$T/k$k.out" 2>&1)
	rc=$?
	cur=$(sql "$S" "SELECT coalesce((SELECT value FROM meta
		WHERE key = 'pull_cursor'), 0)")
	got=$(sql "$S" "SELECT count(*) || ' ' || coalesce(max(seq), 0)
		FROM pulled")
	want=$(sql "$C" "SELECT count(*) || ' ' || coalesce(max(seq), 0)
		FROM feed WHERE seq <= $cur")
	if [ "$rc" -ne 137 ] || [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		echo "# kill after write $k: rc $rc, cursor $cur, rows $got," \
			"want $want"
	fi
	"$CHORUS" sync --db "$S" --once >/dev/null 2>&1 || bad=$((bad + 1))
	[ "$(sql "$S" "SELECT count(*) || ' ' || max(seq) FROM pulled")" = \
		"150 150" ] || bad=$((bad + 1))
done
same "scenario 11: after every kill the rows match the cursor exactly,"\
" and the next run completes the pull" 0 "$bad"
check "scenario 11: a clean run finishes the pull" \
	"$CHORUS" sync --db "$S" --once
same "scenario 11: every row once, no gap, no duplicate" "150 150 150" \
	"$(sql "$S" "SELECT count(*), count(DISTINCT key), max(seq)
		FROM pulled" | tr '|' ' ')"
same "scenario 11: the cursor is the end of the feed" 150 \
	"$(sql "$S" "SELECT value FROM meta WHERE key = 'pull_cursor'")"
finish

# Shell helpers for integration tests: source it from tests/it/*.sh.
#
# Each test prints "ok - what" or "not ok - what".  Daemons started with
# start_daemon lead process groups of their own, and each group is killed
# when the script exits (a wrapper's children too: faketime's command, the
# demo script's daemons); every test works in its own temporary folder
# $T, removed at exit unless KEEP=1.
set -u
CHORUS=${CHORUS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/chorus}
TOP=${CHORUS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d /tmp/chorus-it.XXXXXX)
PIDS=""
FAILED=0

# kill_daemon SIGNAL PID: sends SIGNAL (TERM, KILL...) to the process
# group start_daemon made for PID, or to PID alone if it has none.
kill_daemon() {
	kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "$2" 2>/dev/null
}

cleanup() {
	for p in $PIDS; do kill_daemon TERM "$p"; done
	sleep 0.2
	for p in $PIDS; do kill_daemon KILL "$p"; done
	[ "${KEEP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	FAILED=1
}

# check "description" command...: ok when the command succeeds.
check() {
	d=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then ok "$d"; else
		not_ok "$d"
		sed 's/^/#   /' "$T/check.out" | head -20
	fi
}

# same "description" expected actual
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"
		echo "#   expected: $2"
		echo "#   got:      $3"
	fi
}

# A TCP port nobody is listening on.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: waits up to 10 s for something to listen on PORT.
wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start_daemon LOGNAME command...: runs it in the background, in a
# process group of its own (setsid execs in place: $! is the command).
start_daemon() {
	n=$1
	shift
	setsid "$@" >"$T/$n.log" 2>&1 &
	PIDS="$PIDS $!"
	LAST_PID=$!
}

# sql DB "SELECT ...": one value.
sql() { sqlite3 -batch -noheader "$1" "$2"; }

finish() { exit "$FAILED"; }

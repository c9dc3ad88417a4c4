# End-to-end harness: the real quire in a private tmux server.
#
# Each e2e_start gets its own tmux server (its own socket, in a private
# TMUX_TMPDIR), one window of a fixed size, no status bar, so the pane is
# the whole terminal. The program starts behind a gate (a FIFO its shell
# reads before exec), so a raw capture can be attached before it writes
# its first byte; the shell then execs, so the pane pid is the program's.
# remain-on-exit keeps the dead pane: its last screen and exit status
# stay readable. An EXIT trap stops the server.
#
#   . "$top_srcdir/tests/e2e/lib.sh"
#   e2e_start -x 100 -y 30 -- "$QUIRE_BIN" -c "$cfg"
#   e2e_wait_text "Folders" || not_ok ...
#   e2e_keys q; e2e_wait_gone; [ "$(e2e_exit_status)" = 0 ]
#
# Screens saved on failure go to $top_builddir/tests/e2e/screens/NAME.txt.
#
# In the sanitizer build (QUIRE_SANITIZED=1, tests/san.mk) each program
# started here writes its ASan, LeakSanitizer and UBSan reports to files
# of its own (its stderr is the pane). e2e_stop reads them once the
# program is gone: each report is a failing case, shown and kept as
# $E2E_SCREENS/NAME-run-N.san.txt. LeakSanitizer runs when the program
# exits on its own (q), not when e2e_stop has to kill it.

: "${top_builddir:=$(pwd)}"
E2E_NAME=${E2E_NAME:-$(basename "$0" .sh)}
E2E_SCREENS="$top_builddir/tests/e2e/screens"
E2E_COLS=100
E2E_ROWS=30
E2E_TERM=${E2E_TERM:-screen-256color}
E2E_N=0
E2E_SOCK=""
E2E_PID=""
E2E_SERVER_PID=""
E2E_TMP=""
E2E_SAVED=0
E2E_SAN=""
E2E_SAN_EXITED=0

# The target pane: session e2e, its only window and pane.
E2E_TARGET=e2e

# e2e_tmux ARGS...: tmux on the current server, never the user's.
e2e_tmux() {
	TMUX_TMPDIR=$E2E_TMP env -u TMUX tmux -u -L "$E2E_SOCK" -f /dev/null "$@"
}

# e2e_start [-x COLS] [-y ROWS] [-e VAR=VALUE]... [-r RAWFILE] -- CMD ARGS...
# Start CMD in a new private tmux server, detached. -r captures the raw
# bytes CMD writes to the terminal, from the first one, into RAWFILE.
e2e_start() {
	local cols=$E2E_COLS rows=$E2E_ROWS raw="" gate
	local -a envs=()

	while [ $# -gt 0 ]; do
		case $1 in
		-x) cols=$2; shift 2 ;;
		-y) rows=$2; shift 2 ;;
		-e) envs+=(-e "$2"); shift 2 ;;
		-r) raw=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || { echo "e2e_start: no command" >&2; return 2; }
	e2e_stop
	if [ -z "$E2E_TMP" ]; then
		E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/quire-e2e.XXXXXX") || return 1
		e2e_atexit e2e_cleanup
	fi
	E2E_N=$((E2E_N + 1))
	E2E_SOCK="quire-e2e-$$-$E2E_N"
	if [ "${QUIRE_SANITIZED:-0}" = 1 ]; then
		E2E_SAN="$E2E_TMP/san.$E2E_N"
		envs+=(-e "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$E2E_SAN"
		    -e "UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$E2E_SAN")
	fi
	gate="$E2E_TMP/gate.$E2E_N"
	mkfifo "$gate" || return 1

	# One client call, so the options hold before the pane exists.
	e2e_tmux start-server \; \
	    set-option -g remain-on-exit on \; \
	    set-option -g status off \; \
	    set-option -g default-terminal "$E2E_TERM" \; \
	    set-option -g history-limit 0 \; \
	    new-session -d -s "$E2E_TARGET" -x "$cols" -y "$rows" \
	    -e "TERM=$E2E_TERM" "${envs[@]}" -- \
	    sh -c 'read -r _ < "$0"; exec "$@"' "$gate" "$@" || {
		echo "e2e_start: tmux did not start" >&2
		E2E_SOCK=""
		return 1
	}
	E2E_PID=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_pid}')
	E2E_SERVER_PID=$(e2e_tmux display-message -p '#{pid}')
	[ -z "$raw" ] || e2e_capture_raw "$raw"
	# Open the gate; a shell that never came up must not hang the test.
	timeout 10 sh -c 'echo go > "$0"' "$gate" ||
	    echo "e2e_start: the pane did not start" >&2
	rm -f "$gate"
}

# e2e_pid: the pid of the program in the pane.
e2e_pid() {
	echo "$E2E_PID"
}

# e2e_keys KEYS...: send keys; tmux key names (Enter, Escape, C-l, Up,
# PPage, F1...) are keys, anything else is typed as it is.
e2e_keys() {
	e2e_tmux send-keys -t "$E2E_TARGET" "$@"
}

# e2e_type TEXT: send TEXT literally, even if it looks like a key name.
e2e_type() {
	e2e_tmux send-keys -t "$E2E_TARGET" -l -- "$1"
}

# e2e_screen [capture-pane options]: the visible screen as text.
e2e_screen() {
	e2e_tmux capture-pane -p -t "$E2E_TARGET" "$@"
}

# e2e_size: the pane's size as COLSxROWS.
e2e_size() {
	e2e_tmux display-message -p -t "$E2E_TARGET" \
	    '#{pane_width}x#{pane_height}'
}

# e2e_save_screen NAME: keep the screen (and a copy with attributes) as
# $E2E_SCREENS/NAME.txt; prints the path.
e2e_save_screen() {
	local f="$E2E_SCREENS/$1.txt"

	mkdir -p "$E2E_SCREENS" || return 1
	e2e_screen > "$f" 2>&1
	e2e_screen -e > "$E2E_SCREENS/$1.ansi" 2>&1
	echo "$f"
}

# e2e_failure_screen WHAT: save the screen for a failure, named after
# the test, a count and WHAT, and show it as TAP comments on stderr.
e2e_failure_screen() {
	E2E_SAVED=$((E2E_SAVED + 1))
	e2e_save_screen "$E2E_NAME-$E2E_SAVED-$1" >/dev/null
	echo "# screen saved as $E2E_SCREENS/$E2E_NAME-$E2E_SAVED-$1.txt:" >&2
	# The screen without its trailing blank lines.
	awk '{ l[NR] = $0 } NF { last = NR }
	    END { for (i = 1; i <= last; i++) print "#   |" l[i] }' \
	    "$E2E_SCREENS/$E2E_NAME-$E2E_SAVED-$1.txt" >&2
}

# e2e_wait_for KIND PATTERN SECONDS: poll every 50 ms.
e2e_wait_for() {
	local kind=$1 pat=$2 secs=${3:-10} deadline

	deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while :; do
		case $kind in
		text) e2e_screen 2>/dev/null | grep -qF -- "$pat" && return 0 ;;
		re) e2e_screen 2>/dev/null | grep -qE -- "$pat" && return 0 ;;
		notext) e2e_screen 2>/dev/null | grep -qF -- "$pat" || return 0 ;;
		esac
		[ $(( $(date +%s%N) / 1000000 )) -lt "$deadline" ] || break
		sleep 0.05
	done
	e2e_failure_screen "wait-$kind"
	echo "# waited ${secs}s for $kind \"$pat\"" >&2
	return 1
}

# e2e_wait_text TEXT [SECONDS]: wait until the screen shows TEXT (a fixed
# string, default 10 s); on a timeout save the screen and return 1.
e2e_wait_text() {
	e2e_wait_for text "$1" "${2:-10}"
}

# e2e_wait_re REGEX [SECONDS]: the same for an extended regex on a line.
e2e_wait_re() {
	e2e_wait_for re "$1" "${2:-10}"
}

# e2e_wait_no_text TEXT [SECONDS]: wait until TEXT is off the screen.
e2e_wait_no_text() {
	e2e_wait_for notext "$1" "${2:-10}"
}

# e2e_dead: true once the program in the pane has exited and tmux has its
# exit status. #{pane_dead} alone turns 1 when the pty closes, which can
# come before tmux reaps the process; and Debian's tmux can miss that
# SIGCHLD outright (libutempter swaps in its own handler while it forks
# its helper as the pane closes: tmux issue #311), leaving the program a
# zombie with no status. So when the pty is closed and no status came,
# repeat the SIGCHLD to our own server.
e2e_dead() {
	local f

	f=$(e2e_tmux display-message -p -t "$E2E_TARGET" \
	    '#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}' 2>/dev/null)
	case $f in
	1:?*) return 0 ;;
	1:) [ -z "$E2E_SERVER_PID" ] || kill -CHLD "$E2E_SERVER_PID" 2>/dev/null ;;
	esac
	return 1
}

# e2e_wait_gone [SECONDS]: wait until the program has exited (default 10 s).
e2e_wait_gone() {
	local secs=${1:-10} deadline

	deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	until e2e_dead; do
		if [ $(( $(date +%s%N) / 1000000 )) -ge "$deadline" ]; then
			e2e_failure_screen "still-running"
			return 1
		fi
		sleep 0.05
	done
}

# e2e_exit_status: how the program exited: its status, or 128+N when
# signal N killed it; empty while it runs.
e2e_exit_status() {
	local st sig

	e2e_dead || return 1
	st=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_dead_status}')
	sig=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_dead_signal}')
	if [ -n "$sig" ] && [ "$sig" != 0 ]; then
		echo $((128 + sig))
	else
		echo "$st"
	fi
}

# e2e_resize COLS ROWS: resize the terminal; the program gets SIGWINCH.
e2e_resize() {
	e2e_tmux resize-window -t "$E2E_TARGET" -x "$1" -y "$2"
}

# e2e_capture_raw FILE: append every byte the program writes to the
# terminal from now on to FILE (e2e_start -r does it from the start).
e2e_capture_raw() {
	: >> "$1" || return 1
	e2e_tmux pipe-pane -o -t "$E2E_TARGET" "exec cat >> '$1'"
}

# e2e_stop: stop the tmux server and the program in it. Idempotent.
e2e_stop() {
	[ -n "$E2E_SOCK" ] || return 0
	# Counted for the closing comment: LeakSanitizer ran at its exit.
	if [ -n "$E2E_SAN" ] && e2e_dead; then
		E2E_SAN_EXITED=$((E2E_SAN_EXITED + 1))
	fi
	e2e_tmux kill-server 2>/dev/null
	if [ -n "$E2E_PID" ]; then
		# kill-server hangs the program up; make sure it went.
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$E2E_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$E2E_PID" 2>/dev/null
	fi
	e2e_san_check
	E2E_SOCK=""
	E2E_PID=""
	E2E_SERVER_PID=""
}

# e2e_san_check: in the sanitizer build, one failing case per report the
# program that just stopped left (ASan writes PREFIX.PID).
e2e_san_check() {
	local f keep

	[ -n "$E2E_SAN" ] || return 0
	for f in "$E2E_SAN".*; do
		[ -f "$f" ] || continue
		keep="$E2E_SCREENS/$E2E_NAME-run-$E2E_N.san.txt"
		mkdir -p "$E2E_SCREENS" && cat "$f" >> "$keep"
		not_ok "run $E2E_N of the program in tmux: no sanitizer report" \
		    "$(head -n 80 "$f")" "(all of it in $keep)"
	done
	E2E_SAN=""
}

# e2e_cleanup: stop the server, remove the private directory.
e2e_cleanup() {
	e2e_stop
	[ "${QUIRE_SANITIZED:-0}" != 1 ] || echo "# sanitizers: $E2E_SAN_EXITED" \
	    "of $E2E_N runs exited on their own, so were leak-checked"
	[ -z "$E2E_TMP" ] || rm -rf "$E2E_TMP"
	E2E_TMP=""
}

# e2e_atexit CMD: run CMD on exit, before the EXIT trap already set (the
# fixture's, say), and turn signals into an exit so the traps run.
e2e_atexit() {
	local prev=""

	# trap -p prints "trap -- 'CMD' EXIT", quoted for the shell.
	eval "set -- \"\$1\" $(trap -p EXIT)"
	[ $# -lt 4 ] || prev=$4
	# shellcheck disable=SC2064
	trap "$1${prev:+; $prev}" EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

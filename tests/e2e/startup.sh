#!/bin/bash
# End-to-end: quire starts against the Dovecot fixture in a private tmux,
# shows the account, redraws on Ctrl-L, copes with resizes, quits on q
# with status 0; the fixture's Dovecot is gone after fixture_stop.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
cfg=$(fixture_config) || tap_bail "fixture_config failed"
acct=$(sed -n 's/^[[:space:]]*\[account[[:space:]]\{1,\}\([^]]*\)\].*/\1/p' \
    "$cfg" | head -n 1)
[ -n "$acct" ] || tap_bail "no [account NAME] in $cfg"
raw=$(mktemp "${TMPDIR:-/tmp}/quire-raw.XXXXXX")
e2e_atexit "rm -f '$raw'"

# status_line: the screen has a line naming the account and the user.
status_line() {
	e2e_screen | grep -F -- "$acct" | grep -qF -- "$QF_USER"
}

# wait_status SECONDS: until status_line holds; saves the screen if not.
wait_status() {
	local i n=$(( ${1:-10} * 20 ))

	for ((i = 0; i < n; i++)); do
		status_line && return 0
		sleep 0.05
	done
	e2e_failure_screen status-line
	return 1
}

e2e_start -x 100 -y 30 -r "$raw" -- "$QUIRE_BIN" -c "$cfg"
if wait_status 10; then
	ok "quire starts and its status line names account $acct and user $QF_USER"
else
	not_ok "quire starts and its status line names account $acct and user $QF_USER" \
	    "status: $(e2e_exit_status)"
	tap_bail "quire did not start"
fi

term=$(tr '\0' '\n' < "/proc/$(e2e_pid)/environ" 2>/dev/null | sed -n 's/^TERM=//p')
if [ "$term" = "$E2E_TERM" ] && [ "$(e2e_size)" = 100x30 ]; then
	ok "quire runs on a $E2E_TERM terminal of 100x30"
else
	not_ok "quire runs on a $E2E_TERM terminal of 100x30" \
	    "TERM=$term, size $(e2e_size)"
fi

# Ctrl-L: scribble on the terminal behind quire's back (through its pty),
# then ask for a redraw; the scribble must go and the status line return.
# Let the session settle first: a repaint of its own (the state turning
# "online", rows arriving) would redraw part of the status line.
e2e_wait_text "| online" 10 && sleep 0.3
tty=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_tty}')
printf '\033[H\033[2JSCRIBBLE-OVER-THE-SCREEN' > "$tty"
if e2e_wait_text SCRIBBLE-OVER-THE-SCREEN 5 && ! status_line; then
	e2e_keys C-l
	if e2e_wait_no_text SCRIBBLE-OVER-THE-SCREEN 5 && wait_status 5; then
		ok "Ctrl-L redraws the whole screen"
	else
		not_ok "Ctrl-L redraws the whole screen"
	fi
else
	not_ok "Ctrl-L redraws the whole screen" \
	    "could not write over the screen through $tty"
fi

e2e_resize 19 4
if e2e_wait_text "too small" 5; then
	ok "a 19x4 terminal shows \"too small\""
else
	not_ok "a 19x4 terminal shows \"too small\""
fi

e2e_resize 100 30
if e2e_wait_no_text "too small" 5 && wait_status 5; then
	ok "back at 100x30 the screen is restored"
else
	not_ok "back at 100x30 the screen is restored"
fi

e2e_resize 400 120
if wait_status 5 && [ "$(e2e_screen | wc -l)" -eq 120 ] &&
    [ "$(e2e_size)" = 400x120 ] && ! e2e_dead; then
	ok "a 400x120 terminal works"
else
	not_ok "a 400x120 terminal works" "size $(e2e_size)"
fi

# The status line is drawn from the bytes quire wrote, not only tmux's idea
# of the screen: the raw capture holds the account name.
tap_check "the raw terminal capture holds what quire drew" \
    grep -qF -- "$acct" "$raw"

pid=$(e2e_pid)
e2e_keys q
if e2e_wait_gone 5; then
	st=$(e2e_exit_status)
	if [ "$st" = 0 ]; then
		ok "q quits with status 0"
	else
		not_ok "q quits with status 0" "exit status $st"
	fi
else
	not_ok "q quits with status 0" "quire still runs after q"
fi
if kill -0 "$pid" 2>/dev/null; then
	not_ok "the quire process is gone after q" "pid $pid still runs"
else
	ok "the quire process is gone after q"
fi
# Leaving curses restores the terminal: the status line is not left on it.
if status_line; then
	not_ok "quire leaves the screen as it found it"
else
	ok "quire leaves the screen as it found it"
fi
e2e_stop

# The fixture's Dovecot answers now and is gone after fixture_stop.
imap_answers() {
	timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 4 <&3' \
	    _ "$QF_PORT_IMAP" 2>/dev/null | grep -q '^\* OK'
}
tap_check "Dovecot answers on port $QF_PORT_IMAP before fixture_stop" \
    imap_answers
pids=$(fixture_pids | tr '\n' ' ')
fixture_stop
left=""
for p in $pids; do
	# A zombie has exited; only a live process counts.
	st=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && left="$left $p"
done
if [ -n "$pids" ] && [ -z "$left" ] && ! imap_answers; then
	ok "no Dovecot process is left after fixture_stop"
else
	not_ok "no Dovecot process is left after fixture_stop" \
	    "processes before: ${pids:-none}; left:${left:- none}"
fi

tap_done

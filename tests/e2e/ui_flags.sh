#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: N, F, d and u on the
# row under the cursor change \Seen, \Flagged and \Deleted on the server
# (read back with doveadm); $ asks, then removes exactly the messages this
# user marked while one another client marked \Deleted stays; q with the
# user's deletions asks first (c stays, n leaves them, y expunges them),
# and without them quits at once. Prints how long N takes to reach the
# server.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
ui_start

# The cursor starts on the newest message, [bad-26f], unread.
subj=$(ui_subject)
uid=$(ui_uid "[bad-26f]")
case $subj in
"[bad-26f]"*) ok "the cursor starts on the newest message, [bad-26f]" ;;
*) not_ok "the cursor starts on the newest message, [bad-26f]" \
    "the pager shows \"$subj\"" ;;
esac
[ -n "$uid" ] || tap_bail "Dovecot has no [bad-26f]"
unseen0=$(fixture_doveadm mailbox status unseen INBOX | sed 's/.*=//')

# N: \Seen goes to the server; the row loses its N, the counts follow.
t0=$(ui_ms)
e2e_keys N
if ui_wait_flags "$uid" '\\Seen' 5; then
	t1=$(ui_ms)
	tap_diag "N key -> \\Seen on the server: $((t1 - t0)) ms"
	ok "N on an unread row sets \\Seen on the server"
else
	not_ok "N on an unread row sets \\Seen on the server"
fi
if ui_wait_row_flags "[bad-26f]" '^ ' 2 &&
    e2e_wait_re "INBOX [0-9]+ msgs, $((unseen0 - 1)) unread" 2 &&
    e2e_wait_re "^.INBOX +$((unseen0 - 1))│" 2; then
	ok "the row drops its N and INBOX counts $((unseen0 - 1)) unread"
else
	not_ok "the row drops its N and INBOX counts $((unseen0 - 1)) unread"
fi
e2e_keys N
if ui_wait_flags "$uid" '!\\Seen' 5 && ui_wait_row_flags "[bad-26f]" '^N' 2
then
	ok "N again clears \\Seen on the server and shows N"
else
	not_ok "N again clears \\Seen on the server and shows N"
fi

# F: \Flagged both ways, and the cursor stays.
e2e_keys F
if ui_wait_flags "$uid" '\\Flagged' 5 && ui_wait_row_flags "[bad-26f]" '^.!' 2
then
	ok "F sets \\Flagged on the server and the row shows !"
else
	not_ok "F sets \\Flagged on the server and the row shows !"
fi
e2e_keys F
if ui_wait_flags "$uid" '!\\Flagged' 5 &&
    ui_wait_row_flags "[bad-26f]" '^. ' 2 && ui_wait_subject 1 "[bad-26f]"
then
	ok "F again clears \\Flagged; the cursor stays on its message"
else
	not_ok "F again clears \\Flagged; the cursor stays on its message"
fi

# d: \Deleted on the server, D on the row, the cursor on the next one.
e2e_keys d
if ui_wait_flags "$uid" '\\Deleted' 5 && ui_wait_row_flags "[bad-26f]" '^D' 2 &&
    ui_wait_subject 2 "[bad-26e]"; then
	ok "d sets \\Deleted on the server, shows D, moves to the next row"
else
	not_ok "d sets \\Deleted on the server, shows D, moves to the next row"
fi
e2e_keys k u
if ui_wait_flags "$uid" '!\\Deleted' 5 && ui_wait_row_flags "[bad-26f]" '^N' 2
then
	ok "u clears \\Deleted on the server"
else
	not_ok "u clears \\Deleted on the server"
fi

# $: this user deletes [bad-26f] and [bad-26d]; another client deletes
# [bad-26e]. Two are asked about and go; [bad-26e] stays.
uid_e=$(ui_uid "[bad-26e]")
uid_d=$(ui_uid "[bad-26d]")
fixture_doveadm flags add '\Deleted' mailbox INBOX uid "$uid_e"
ui_wait_row_flags "[bad-26e]" '^D' 3 ||
    not_ok "the other client's \\Deleted shows on [bad-26e]"
e2e_keys g d j d
ui_wait_flags "$uid" '\\Deleted' 5 && ui_wait_flags "$uid_d" '\\Deleted' 5 ||
    not_ok "d on [bad-26f] and [bad-26d] reaches the server"
e2e_keys '$'
if e2e_wait_text "Expunge 2 deleted messages? (y/n)" 5; then
	ok "row 33: \$ asks about the user's 2 deleted messages, not the other client's"
else
	not_ok "row 33: \$ asks about the user's 2 deleted messages, not the other client's"
fi
e2e_keys y
gone() { [ -z "$(ui_uid "$1")" ]; }
deadline=$(( $(ui_ms) + 5000 ))
until gone "[bad-26f]" && gone "[bad-26d]"; do
	[ "$(ui_ms)" -lt "$deadline" ] || break
	sleep 0.05
done
if gone "[bad-26f]" && gone "[bad-26d]" &&
    [ "$(ui_uid "[bad-26e]")" = "$uid_e" ] &&
    ui_flags "$uid_e" | grep -q '\\Deleted'; then
	ok "row 33: y expunges exactly those two; the other client's [bad-26e] stays"
else
	not_ok "row 33: y expunges exactly those two; the other client's [bad-26e] stays" \
	    "on the server: $(fixture_doveadm search mailbox INBOX subject '[bad-26')"
fi
if e2e_wait_no_text "[bad-26f]" 3 && e2e_wait_no_text "[bad-26d]" 3 &&
    ui_wait_row_flags "[bad-26e]" '^D' 2 &&
    e2e_wait_text "INBOX 59 msgs" 3; then
	ok "the index drops the two rows and keeps [bad-26e] marked D"
else
	not_ok "the index drops the two rows and keeps [bad-26e] marked D"
fi

# q with nothing the user deleted: it quits at once, though [bad-26e]
# is marked by the other client.
e2e_keys q
if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits at once when only another client deleted messages"
else
	e2e_failure_screen quit
	not_ok "q quits at once when only another client deleted messages" \
	    "status $(e2e_exit_status)"
fi

# q with the user's own deletion: asks; c stays, n quits and leaves it.
ui_start
uid_c=$(ui_uid "[bad-26c]")
e2e_keys g
ui_wait_subject 3 "[bad-26e]"
e2e_keys j
ui_wait_subject 3 "[bad-26c]"
e2e_keys d
ui_wait_flags "$uid_c" '\\Deleted' 5 || not_ok "d on [bad-26c]"
e2e_keys q
if e2e_wait_text "Expunge 1 deleted message before quitting? (y/n/c)" 5; then
	e2e_keys c
	sleep 0.3
	if ! e2e_dead && e2e_wait_no_text "before quitting" 2; then
		ok "q asks before quitting with the user's deletion; c stays"
	else
		not_ok "q asks before quitting with the user's deletion; c stays"
	fi
else
	not_ok "q asks before quitting with the user's deletion; c stays"
fi
e2e_keys q
e2e_wait_text "before quitting? (y/n/c)" 5
e2e_keys n
if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] &&
    [ "$(ui_uid "[bad-26c]")" = "$uid_c" ]; then
	ok "n quits and leaves the message marked on the server"
else
	not_ok "n quits and leaves the message marked on the server" \
	    "status $(e2e_exit_status)"
fi

# The same, answered y: the marked message goes, then quire quits. The
# \Deleted of the last run is not this session's: only [bad-26b] counts.
ui_start
uid_b=$(ui_uid "[bad-26b]")
e2e_keys g j j
ui_wait_subject 3 "[bad-26b]"
e2e_keys d
ui_wait_flags "$uid_b" '\\Deleted' 5 || not_ok "d on [bad-26b]"
e2e_keys q
if e2e_wait_text "Expunge 1 deleted message before quitting? (y/n/c)" 5; then
	e2e_keys y
	if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] &&
	    [ -z "$(ui_uid "[bad-26b]")" ] &&
	    [ "$(ui_uid "[bad-26c]")" = "$uid_c" ] &&
	    [ "$(ui_uid "[bad-26e]")" = "$uid_e" ]; then
		ok "y expunges the session's deletion, then quits"
	else
		not_ok "y expunges the session's deletion, then quits" \
		    "status $(e2e_exit_status); $(fixture_doveadm search \
		    mailbox INBOX subject '[bad-26')"
	fi
else
	not_ok "y expunges the session's deletion, then quits" "no question"
fi
e2e_stop

tap_done

#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: when an opened message
# becomes \Seen on the server (read back with doveadm). The pager fetches
# with BODY.PEEK, so only quire's own STORE marks it: mark_read = yes at
# once when it is opened, never while it only shows in the split pane;
# mark_read = after 2 only once it has been shown for 2 s, and not at all
# when it is left before; mark_read = no never.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"
. "$top_srcdir/tests/e2e/pager_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
pager_save pager_msg_html
pager_save pager_msg_alt
alt=$(ui_uid "pager-alt")
html=$(ui_uid "pager-html")
[ -n "$alt" ] && [ -n "$html" ] || tap_bail "the messages are not there"

# seen UID: true when the server has \Seen on it.
seen() {
	ui_flags "$1" | grep -q '\\Seen'
}
unsee() {
	fixture_doveadm flags remove '\Seen' mailbox INBOX uid "$1"
}

# ---- yes ----
UI_CFG=$(pager_config "mark_read = yes")
ui_start
ui_wait_subject 5 "pager-alt" || tap_bail "pager-alt is not first"
e2e_wait_text "PLAIN-PART-TEXT" 10 || not_ok "the split pane shows the text"
sleep 1.5
if ! seen "$alt"; then
	ok "shown in the split pane but not opened: not marked read"
else
	not_ok "shown in the split pane but not opened: not marked read"
fi
t0=$(ui_ms)
e2e_keys Enter
if ui_wait_flags "$alt" '\\Seen' 5; then
	tap_diag "mark_read = yes: \\Seen on the server $(( $(ui_ms) - t0 )) ms after Enter"
	ok "mark_read = yes: Enter marks the message \\Seen on the server"
else
	not_ok "mark_read = yes: Enter marks the message \\Seen on the server"
fi
e2e_keys q q
e2e_wait_gone 5
unsee "$alt"

# ---- after 2 ----
UI_CFG=$(pager_config "mark_read = after 2")
ui_start
ui_wait_subject 5 "pager-alt" || tap_bail "pager-alt is not first"
t0=$(ui_ms)
e2e_keys Enter
e2e_wait_text "PLAIN-PART-TEXT" 5
sleep 1
if ! seen "$alt"; then
	ok "mark_read = after 2: not \\Seen 1 s after opening"
else
	not_ok "mark_read = after 2: not \\Seen 1 s after opening"
fi
if ui_wait_flags "$alt" '\\Seen' 6; then
	t1=$(( $(ui_ms) - t0 ))
	tap_diag "mark_read = after 2: \\Seen on the server $t1 ms after Enter"
	if [ "$t1" -ge 2000 ] && [ "$t1" -lt 4500 ]; then
		ok "mark_read = after 2: \\Seen after 2 s of showing it ($t1 ms)"
	else
		not_ok "mark_read = after 2: \\Seen after 2 s of showing it" \
		    "after $t1 ms"
	fi
else
	not_ok "mark_read = after 2: \\Seen after 2 s of showing it" \
	    "never within 6 s"
fi
# J to the next one, and away from it after 1 s: it stays unread.
e2e_keys J
ui_wait_subject 5 "pager-html"
sleep 1
e2e_keys q
sleep 2.5
if ! seen "$html"; then
	ok "mark_read = after 2: a message left after 1 s stays unread"
else
	not_ok "mark_read = after 2: a message left after 1 s stays unread"
fi
e2e_keys q
e2e_wait_gone 5
unsee "$alt"

# ---- no ----
UI_CFG=$(pager_config "mark_read = no")
ui_start
ui_wait_subject 5 "pager-alt"
e2e_keys Enter
e2e_wait_text "PLAIN-PART-TEXT" 5
sleep 2.5
if ! seen "$alt"; then
	ok "mark_read = no: an opened message stays unread"
else
	not_ok "mark_read = no: an opened message stays unread"
fi
e2e_keys q q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop
tap_done

#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot, with doveadm as another
# client of the same INBOX and no key pressed: its flag changes show on
# screen within 1 s (the latencies are printed), a message it saves and
# one delivered into the Maildir appear, one it expunges disappears, and
# through all of it the cursor stays on the message it was on.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
ui_start
msg=$(mktemp "$QF_DIR/msg.XXXXXX") || tap_bail "mktemp"

# The cursor on the third row, [bad-26d], for the whole test.
e2e_keys j j
ui_wait_subject 3 "[bad-26d]" || tap_bail "the cursor did not reach [bad-26d]"

# remote_flag WHAT SUBJECT DOVEADM-ARGS REGEX: run the change as the other
# client, then time until the row's flags match REGEX.
remote_flag() {
	local what=$1 text=$2 args=$3 re=$4 uid t0 t1 t2

	uid=$(ui_uid "$text")
	t0=$(ui_ms)
	# shellcheck disable=SC2086
	fixture_doveadm flags $args mailbox INBOX uid "$uid"
	t1=$(ui_ms)
	if ui_wait_row_flags "$text" "$re" 5; then
		t2=$(ui_ms)
		tap_diag "$what by another client -> on screen: $((t2 - t1)) ms" \
		    "(doveadm itself took $((t1 - t0)) ms)"
		if [ $((t2 - t1)) -le 1000 ]; then
			ok "$what by another client shows within 1 s"
		else
			not_ok "$what by another client shows within 1 s" \
			    "it took $((t2 - t1)) ms"
		fi
	else
		not_ok "$what by another client shows within 1 s" "never shown"
	fi
}

remote_flag "\\Flagged added" "[bad-26e]" "add \\Flagged" '^.!'
remote_flag "\\Seen added" "[bad-25c]" "add \\Seen" '^ '
remote_flag "\\Flagged removed" "[bad-26e]" "remove \\Flagged" '^. '
remote_flag "\\Deleted added" "[bad-26a]" "add \\Deleted" '^D'
case $(ui_subject) in
"[bad-26d]"*) ok "the cursor stayed on [bad-26d] through the flag changes" ;;
*) not_ok "the cursor stayed on [bad-26d] through the flag changes" \
    "the pager shows \"$(ui_subject)\"" ;;
esac

# A new message, saved by the other client, dated after all the others:
# it appears at the top, the count grows, the cursor stays.
n0=$(ui_count)
cat > "$msg" <<'EOF'
From: Other Client <other@example.org>
To: quire@gen.quire.test
Subject: [remote-new] saved by another client
Date: Sat, 1 Jan 2028 09:00:00 +0000
Message-ID: <remote-new@example.org>

Saved with doveadm save while quire was watching.
EOF
t0=$(ui_ms)
fixture_doveadm save -m INBOX < "$msg" || not_ok "doveadm save failed"
if e2e_wait_text "[remote-new] saved" 5; then
	tap_diag "a message saved by another client -> on screen: $(( $(ui_ms) - t0 )) ms"
	if e2e_screen | sed -n 1p | grep -qF "[remote-new]" &&
	    e2e_wait_text "INBOX $((n0 + 1)) msgs" 2; then
		ok "a message another client saves appears first; $((n0 + 1)) msgs"
	else
		not_ok "a message another client saves appears first; $((n0 + 1)) msgs"
	fi
else
	not_ok "a message another client saves appears first; $((n0 + 1)) msgs"
fi
case $(ui_subject) in
"[bad-26d]"*) ok "the cursor stays on [bad-26d] when a row is added above" ;;
*) not_ok "the cursor stays on [bad-26d] when a row is added above" \
    "the pager shows \"$(ui_subject)\"" ;;
esac

# A message delivered straight into the Maildir, as an MDA would, then
# noticed by Dovecot (force-resync): it appears too.
sed -e 's/remote-new/remote-mda/g' -e 's/saved by another client/delivered to the Maildir/' \
    -e 's/09:00:00/10:00:00/' "$msg" > "$QF_MAILDIR/tmp/remote-mda.1"
[ "$(id -u)" -eq 0 ] && chown --reference="$QF_MAILDIR/cur" "$QF_MAILDIR/tmp/remote-mda.1"
mv "$QF_MAILDIR/tmp/remote-mda.1" "$QF_MAILDIR/new/1830330000.remote-mda.quire"
fixture_doveadm force-resync INBOX
if e2e_wait_text "[remote-mda] delivered" 5 &&
    e2e_wait_text "INBOX $((n0 + 2)) msgs" 2; then
	ok "a message delivered into the Maildir appears; $((n0 + 2)) msgs"
else
	not_ok "a message delivered into the Maildir appears; $((n0 + 2)) msgs"
fi

# The other client expunges [bad-26f], above the cursor: the row goes,
# the cursor stays on [bad-26d].
uid=$(ui_uid "[bad-26f]")
t0=$(ui_ms)
fixture_doveadm expunge mailbox INBOX uid "$uid"
if e2e_wait_no_text "[bad-26f]" 5; then
	tap_diag "an expunge by another client -> off screen: $(( $(ui_ms) - t0 )) ms"
	if e2e_wait_text "INBOX $((n0 + 1)) msgs" 2; then
		ok "a message another client expunges disappears; $((n0 + 1)) msgs"
	else
		not_ok "a message another client expunges disappears; $((n0 + 1)) msgs"
	fi
else
	not_ok "a message another client expunges disappears; $((n0 + 1)) msgs"
fi
case $(ui_subject) in
"[bad-26d]"*) ok "the cursor stays on [bad-26d] when a row above goes" ;;
*) not_ok "the cursor stays on [bad-26d] when a row above goes" \
    "the pager shows \"$(ui_subject)\"" ;;
esac
# The cursor row, seen through its attributes: reverse video on the
# line that holds [bad-26d] and on no other index line.
rev=$(e2e_screen -e | grep '│' | sed 's/^[^│]*│//' | grep $'\033\\[[0-9;]*7m')
if [ "$(printf '%s\n' "$rev" | grep -c .)" = 1 ] &&
    printf '%s\n' "$rev" | grep -qF "[bad-26d]"; then
	ok "the reverse-video cursor row is [bad-26d]'s"
else
	e2e_failure_screen cursor-row
	not_ok "the reverse-video cursor row is [bad-26d]'s" "$rev"
fi

# Now the message under the cursor itself: it goes, the cursor lands on
# a neighbour, never on a blank.
uid=$(ui_uid "[bad-26d]")
fixture_doveadm expunge mailbox INBOX uid "$uid"
if e2e_wait_no_text "[bad-26d]" 5 && ui_wait_subject 2 "[bad-26"; then
	ok "the cursor's own message expunged: it moves to a neighbour ($(ui_subject | cut -c1-9))"
else
	not_ok "the cursor's own message expunged: it moves to a neighbour" \
	    "the pager shows \"$(ui_subject)\""
fi
e2e_keys q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop

tap_done

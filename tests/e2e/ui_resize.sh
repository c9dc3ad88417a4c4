#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot with Big (10,000
# messages): while the index of Big is still being fetched (the status
# line says "fetching"), the terminal goes to 20x5, 400x120 and back to
# 100x30 (BAD-INPUTS row 31). Each size redraws, quire stays up, the fetch
# completes to 10,000 messages and the cursor is still on its message.
# Prints how long the fetch took and when each resize came.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start || tap_bail "the Dovecot fixture did not start"
big=$(awk -F'\t' '$1 == "Big" { print $2 }' "$QF_MANIFEST")
[ "$big" = 10000 ] || tap_bail "Big holds ${big:-no} messages, not 10000"
ui_start

# Open Big and catch the fetch in progress: poll as fast as tmux answers.
e2e_keys c
e2e_type Big
t0=$(ui_ms)
e2e_keys Enter
fetching=""
while [ $(( $(ui_ms) - t0 )) -lt 10000 ]; do
	line=$(e2e_screen | grep -F ' | Big ')
	case $line in *"| Big "*fetching*) fetching=$line; break ;; esac
	sleep 0.005
done
t1=$(ui_ms)
[ -n "$fetching" ] || tap_bail "never saw Big being fetched"
tap_diag "Big: \"fetching\" on the status line $((t1 - t0)) ms after Enter"
e2e_keys j j j

# 20x5: either the "too small" notice or a status line fitted to it.
e2e_resize 20 5
t2=$(ui_ms)
sleep 0.05
small=$(e2e_screen)
if ! e2e_dead && printf '%s\n' "$small" | grep -qE 'too small|fixture'; then
	ok "row 31: at 20x5 during the fetch quire redraws: $(printf '%s' "$small" |
	    grep -E 'too small|fixture' | head -n 1 | sed 's/^ *//')"
else
	not_ok "row 31: at 20x5 during the fetch quire redraws" "$small"
fi

# 400x120: everything fits, the fetch still goes on.
e2e_resize 400 120
t3=$(ui_ms)
e2e_wait_re '^[^│]*│Subject: ' 3
large=$(e2e_screen)
subj=$(ui_subject)
status=$(printf '%s\n' "$large" | grep -F ' | Big ' | tail -n 1)
tap_diag "resized to 20x5 at +$((t2 - t0)) ms, to 400x120 at +$((t3 - t0)) ms"
tap_diag "at 400x120: $status"
if ! e2e_dead && [ "$(e2e_size)" = 400x120 ] &&
    [ -n "$subj" ]; then
	ok "row 31: at 400x120 the panes are drawn again, the pager shows \"$subj\""
else
	not_ok "row 31: at 400x120 the panes are drawn again" "$status" \
	    "size $(e2e_size), subject \"$subj\""
fi
case $status in
*fetching*) ok "row 31: the resizes came while Big was still being fetched" ;;
*) not_ok "row 31: the resizes came while Big was still being fetched" \
    "the fetch had ended: $status" ;;
esac

e2e_resize 100 30
t4=$(ui_ms)
if e2e_wait_re '\| Big 10,000 msgs, [0-9,]+ unread \| online' 20; then
	t5=$(ui_ms)
	tap_diag "back to 100x30 at +$((t4 - t0)) ms; Big complete and online at +$((t5 - t0)) ms"
	ok "row 31: back at 100x30, Big is complete: 10,000 msgs"
else
	not_ok "row 31: back at 100x30, Big is complete: 10,000 msgs"
fi
unseen=$(fixture_doveadm mailbox status unseen Big | sed 's/.* unseen=//')
# With a thousands comma, as the status line writes counts.
shown=$(printf '%s\n' "$unseen" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')
if e2e_wait_text "| Big 10,000 msgs, $shown unread" 2; then
	ok "the unread count is Dovecot's ($unseen)"
else
	not_ok "the unread count is Dovecot's ($unseen)"
fi
if [ -n "$subj" ] && ui_wait_subject 2 "$subj" &&
    [ "$(e2e_size)" = 100x30 ]; then
	ok "the cursor is still on the message it was on: \"$subj\""
else
	not_ok "the cursor is still on the message it was on" \
	    "was \"$subj\", now \"$(ui_subject)\""
fi
# The index has every row: G goes to the oldest message, which Dovecot
# gave UID 1 (genmail writes Big oldest first).
oldest=$(fixture_doveadm fetch 'hdr.subject' mailbox Big uid 1 |
    sed -n 's/^hdr.subject: //p')
e2e_keys G
if ui_wait_subject 3 "$oldest"; then
	ok "G reaches the oldest message, UID 1: \"$oldest\""
else
	not_ok "G reaches the oldest message, UID 1" \
	    "want \"$oldest\", the pager shows \"$(ui_subject)\""
fi

e2e_keys q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop
tap_done

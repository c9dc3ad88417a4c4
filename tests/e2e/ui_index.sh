#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: the index of INBOX
# with Dovecot's counts, newest first in Dovecot's UID order for equal
# dates, down to UID 1; a wide (CJK) subject saved by another client cut
# to its column with an ellipsis; / filters the index to what Dovecot's
# own search finds and Esc shows all again; a pasted line break is
# refused and nothing reaches the server (the protocol trace shows it);
# c completes a folder name with Tab and opens it; 20x5, "too small" at
# 19x4 and back keep the folder and the index.
#
# Hostile subjects are in ui_hostile.sh, flag keys and $ in ui_flags.sh.
# The two cases a real Dovecot cannot produce (a refused flag change, a
# folder name with control characters) stay on a stand-in: ui_standin.sh.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
trace="$QF_DIR/trace.log"
ui_start -d "$trace"

st=$(fixture_doveadm mailbox status 'messages unseen' INBOX)
msgs=$(printf '%s\n' "$st" | sed 's/.*messages=\([0-9]*\).*/\1/')
unseen=$(printf '%s\n' "$st" | sed 's/.*unseen=\([0-9]*\).*/\1/')
if e2e_wait_text "| INBOX $msgs msgs, $unseen unread | online" 5; then
	ok "the status line has Dovecot's counts: $msgs msgs, $unseen unread"
else
	not_ok "the status line has Dovecot's counts: $msgs msgs, $unseen unread"
fi

# The top rows against Dovecot: the newest UIDs, in descending order
# (the hostile messages share one Date, so the UID decides).
want=$(fixture_doveadm fetch 'uid hdr.subject' mailbox INBOX \
    uid "$((msgs - 7)):$msgs" | sed -n 's/^hdr.subject: \(\[bad-[0-9a-z]*\]\).*/\1/p' |
    tac | tr '\n' ' ')
got=$(e2e_screen | head -n 8 | grep -o '\[bad-[0-9a-z]*\]' | tr '\n' ' ')
if [ -n "$got" ] && [ "$got" = "$want" ]; then
	ok "newest first: the top 8 rows are UIDs $msgs down to $((msgs - 7))"
else
	not_ok "newest first: the top 8 rows are UIDs $msgs down to $((msgs - 7))" \
	    "screen: $got" "Dovecot: $want"
fi
oldest=$(fixture_doveadm fetch 'hdr.subject' mailbox INBOX uid 1 |
    sed -n 's/^hdr.subject: //p')
e2e_keys G
if ui_wait_subject 3 "$oldest"; then
	ok "G ends on UID 1, the oldest: \"$oldest\""
else
	not_ok "G ends on UID 1, the oldest" "want \"$oldest\", got \"$(ui_subject)\""
fi
e2e_keys g

# A wide subject from another client: cut with an ellipsis, no line
# wider than the terminal.
msg="$QF_DIR/wide.eml"
cat > "$msg" <<'EOF'
From: =?utf-8?B?5bGx55Sw5aSq6YOO?= <yamada@example.jp>
To: quire@gen.quire.test
Subject: =?utf-8?B?5pel5pys6Kqe44Gu5Lu25ZCN44Go44Gm44KC6ZW344GE44Oh44O844Or44Gu5Lu25ZCN44Gn44GZ5pel5pys6Kqe44Gu5Lu25ZCN44Go44Gm44KC6ZW344GE?=
Date: Sat, 1 Jan 2028 09:00:00 +0000
Message-ID: <wide@example.jp>

wide
EOF
fixture_doveadm save -m INBOX < "$msg"
if e2e_wait_re '日本語の件名とても長い.*…' 5; then
	widths=$(e2e_screen | head -n 8 | while IFS= read -r l; do
		printf '%s' "$l" | wc -L; done | sort -nu | tr '\n' ' ')
	# A double-width character cannot take the last single column.
	case $widths in
	"100 "|"99 100 ")
		ok "a CJK subject is cut with an ellipsis within the 100 columns" ;;
	*)	not_ok "a CJK subject is cut with an ellipsis within the 100 columns" \
		    "row widths: $widths" ;;
	esac
else
	not_ok "a CJK subject is cut with an ellipsis within the 100 columns"
fi

# /: the query filters the index to Dovecot's own result (the search
# language against Dovecot at large: tests/integration/search.sh and
# tests/e2e/ui_search.sh).
n=$(fixture_doveadm search mailbox INBOX subject "[bad-26" | wc -l)
e2e_keys /
e2e_type 'subject:"[bad-26"'
e2e_keys Enter
if e2e_wait_text "$n of $((msgs + 1)) match: subject:" 5 &&
    e2e_wait_text "| $n of $((msgs + 1)) match |" 2 &&
    [ "$(e2e_screen | grep -c '│....  *2027-01-01 .*\[bad-26')" = "$n" ]; then
	ok "/ filters the index to Dovecot's $n matches"
else
	not_ok "/ filters the index to Dovecot's $n matches"
fi
e2e_keys Escape
if e2e_wait_no_text " match |" 5 && e2e_wait_text "[bad-25b]" 2; then
	ok "Esc shows the whole folder again"
else
	not_ok "Esc shows the whole folder again"
fi

# Keys that do not parse: the column, nothing sent, still online.
e2e_keys /
e2e_type 'imap:FOO bad-2'
e2e_keys Enter
if e2e_wait_text "query:6: " 5 && ! grep -q 'C: [0-9]* UID SEARCH.*FOO' "$trace" &&
    ! e2e_screen | grep -q "retrying"; then
	ok "a query that does not parse is refused at its column, nothing sent"
else
	not_ok "a query that does not parse is refused at its column, nothing sent" \
	    "$(e2e_screen)"
fi
e2e_keys Escape

# A paste with a line break: refused, nothing sent (the trace has no
# search for it).
e2e_keys /
e2e_tmux set-buffer -- "$(printf 'abc\ndef')"
e2e_tmux paste-buffer -p -t "$E2E_TARGET"
if e2e_wait_text "cannot go in a search" 5 && e2e_wait_text "Search: abcdef" 5
then
	e2e_keys Escape
	sleep 0.5
	if grep -q 'C: [0-9]* UID SEARCH.*abc' "$trace"; then
		not_ok "a pasted line break is refused and nothing is sent" \
		    "$(grep 'UID SEARCH' "$trace")"
	else
		ok "a pasted line break is refused and nothing is sent"
	fi
else
	not_ok "a pasted line break is refused and nothing is sent"
fi

# c with Tab completion opens Archive.
st=$(fixture_doveadm mailbox status 'messages unseen' Archive)
want="Archive $(printf '%s\n' "$st" | sed 's/.*messages=\([0-9]*\).*/\1/') msgs, $(
    printf '%s\n' "$st" | sed 's/.*unseen=\([0-9]*\).*/\1/') unread | online"
e2e_keys c
e2e_type "Arch"
e2e_keys Tab
if e2e_wait_text "Open folder: Archive" 5; then
	e2e_keys Enter
	if e2e_wait_text "$want" 15 && grep -q 'C: [0-9]* SELECT Archive' "$trace"
	then
		ok "c completes Arch to Archive with Tab and opens it: $want"
	else
		not_ok "c completes Arch to Archive with Tab and opens it: $want" \
		    "SELECTs sent: $(grep -c 'C: [0-9]* SELECT Archive' "$trace")"
		e2e_failure_screen open-archive
	fi
else
	not_ok "c completes Arch to Archive with Tab and opens it" "no completion"
fi
ui_wait_subject 5 || true
subj=$(ui_subject)

# Resizes: 20x5 still draws, 19x4 is too small, back at 100x30 nothing
# is lost.
e2e_resize 20 5
small=0
e2e_wait_text " fixture: quire@loc…" 5 && small=1
e2e_resize 19 4
e2e_wait_text "too small" 5 && small=$((small + 1))
e2e_resize 100 30
if [ "$small" = 2 ] && e2e_wait_text "$want" 5 && ui_wait_subject 5 "$subj"
then
	ok "after 20x5, too small and back, Archive and its cursor are intact"
else
	not_ok "after 20x5, too small and back, Archive and its cursor are intact"
fi

e2e_keys q
if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0" "status $(e2e_exit_status)"
fi
e2e_stop
tap_done

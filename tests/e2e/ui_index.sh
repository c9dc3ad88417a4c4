#!/bin/bash
# End-to-end: the real UI over a scripted session (tests/e2e/ui_driver),
# in tmux. The index fills and sorts, hostile and wide subjects draw safely,
# flag keys send their deltas and a refused change is reverted with the
# reason, $ asks and expunges exactly the user's deletions, / filters and
# Esc returns, a pasted line break never reaches a command, c completes
# folder names, and a resize to 20x5 and back loses nothing.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/e2e/lib.sh"

driver="$top_builddir/tests/e2e/ui_driver"
[ -x "$driver" ] || tap_bail "no $driver"
dir=$(mktemp -d "${TMPDIR:-/tmp}/quire-uiidx.XXXXXX") || tap_bail "mktemp"
e2e_atexit "rm -rf '$dir'"
cfg="$dir/config"
log="$dir/commands"
raw="$dir/raw"
cat > "$cfg" <<'EOF'
[account driver]
host = 127.0.0.1
user = tester
password_cmd = echo not-used
EOF
chmod 600 "$cfg"

e2e_start -x 100 -y 30 -r "$raw" -e "QUIRE_DRIVER_LOG=$log" -- \
    "$driver" -c "$cfg" -n 200
if e2e_wait_text "INBOX 200 msgs, 20 unread | online" 10; then
	ok "the status line counts INBOX and says online"
else
	not_ok "the status line counts INBOX and says online"
	tap_bail "the driver did not come up"
fi

# The first index line is the newest message, under the cursor.
idx_line() { e2e_screen | sed -n "${1}p" | cut -c26-; }
if idx_line 1 | grep -q 'Message number 200'; then
	ok "newest first: UID 200 on the first index line"
else
	e2e_failure_screen newest
	not_ok "newest first: UID 200 on the first index line"
fi
grep -q '^SELECT folder=INBOX gen=1 ' "$log" && grep -q '^LIST ' "$log" &&
    ok "the UI asked for the folder list and INBOX" ||
    not_ok "the UI asked for the folder list and INBOX" "$(cat "$log")"

# UID 3: escape sequences and line breaks are drawn, not obeyed.
e2e_keys G k k
if e2e_wait_text 'Subject: ^[]0;pwned^G^[[2JEvil^M subject<9B>' 5 &&
    e2e_screen | grep -qF 'INBOX 200 msgs'; then
	ok "a hostile subject is shown in caret notation, the screen intact"
else
	not_ok "a hostile subject is shown in caret notation, the screen intact"
fi
esc=$(printf '\033')
if grep -qaF "${esc}]0;pwned" "$raw" || grep -qaF "${esc}[2JEvil" "$raw"; then
	not_ok "no escape sequence from a message reaches the terminal"
else
	ok "no escape sequence from a message reaches the terminal"
fi

# UID 4: a wide subject is cut with an ellipsis inside its pane.
e2e_keys k
if e2e_wait_text "Subject: 日本語の件名" 5 &&
    e2e_screen | grep -q '日本語の件名.*…'; then
	ok "a CJK subject fits its column and ends in an ellipsis"
else
	e2e_failure_screen cjk
	not_ok "a CJK subject fits its column and ends in an ellipsis"
fi

# N on UID 5 (read): marks it unread, the delta goes out.
e2e_keys k N
if e2e_wait_re 'N +[0-9:A-Za-z -]+Sender 5 ' 5 &&
    grep -q '^STORE folder=INBOX gen=1 uidvalidity=42 add=0 remove=1 .*uids=5$' \
    "$log"; then
	ok "N marks the message unread at once and sends -\\Seen for UID 5"
else
	not_ok "N marks the message unread at once and sends -\\Seen for UID 5" \
	    "$(tail -n 3 "$log")"
fi

# F on UID 7 fails on the server: the row goes back, the reason shows.
e2e_keys k k F
if e2e_wait_text "message 7 is read-only here" 5 &&
    ! e2e_screen | grep -qE '^.{25}.!.. .*Sender 7 '; then
	ok "a refused flag change is reverted and its reason shown"
else
	e2e_failure_screen revert
	not_ok "a refused flag change is reverted and its reason shown"
fi

# d twice (UID 7, then the next row, 6), then $: asked, then exactly
# those two go.
e2e_keys d d
e2e_keys '$'
if e2e_wait_text "Expunge 2 deleted messages? (y/n)" 5; then
	e2e_keys y
	if e2e_wait_text "INBOX 198 msgs" 5 &&
	    grep -qE '^EXPUNGE folder=INBOX .*uidvalidity=42 .*uids=(6,7|7,6)$' \
	    "$log"; then
		ok "\$ asks, then expunges exactly UIDs 7 and 6"
	else
		not_ok "\$ asks, then expunges exactly UIDs 7 and 6" \
		    "$(grep EXPUNGE "$log")"
	fi
else
	not_ok "\$ asks, then expunges exactly UIDs 7 and 6" "no question"
fi

# /: the search goes out and the index shows only its result.
e2e_keys /
e2e_type "number 19"
e2e_keys Enter
if e2e_wait_text "11 shown" 5 && e2e_wait_text "11 messages match" 5 &&
    grep -q '^SEARCH folder=INBOX .*query=number 19 ' "$log"; then
	ok "/ sends the search and filters the index to its 11 matches"
else
	not_ok "/ sends the search and filters the index to its 11 matches"
fi
e2e_keys Escape
tap_check "Esc shows the whole folder again" e2e_wait_no_text "shown |" 5

# A paste with a line break: refused, nothing sent.
e2e_keys /
e2e_tmux set-buffer -- "$(printf 'abc\ndef')"
e2e_tmux paste-buffer -p -t "$E2E_TARGET"
if e2e_wait_text "cannot go in a search" 5 && e2e_wait_text "Search: abcdef" 5
then
	e2e_keys Escape
	sleep 0.3
	if grep -q 'query=abc' "$log"; then
		not_ok "a pasted line break is refused and nothing is sent"
	else
		ok "a pasted line break is refused and nothing is sent"
	fi
else
	e2e_failure_screen paste
	not_ok "a pasted line break is refused and nothing is sent"
fi

# c with Tab completion opens another folder with a new generation.
e2e_keys c
e2e_type "Arch"
e2e_keys Tab
if e2e_wait_text "Open folder: Archive" 5; then
	e2e_type "/2024"
	e2e_keys Enter
	if e2e_wait_text "Archive/2024 3 msgs" 5 &&
	    grep -q '^SELECT folder=Archive/2024 gen=2 ' "$log"; then
		ok "c completes a folder name with Tab and opens it"
	else
		not_ok "c completes a folder name with Tab and opens it"
	fi
else
	not_ok "c completes a folder name with Tab and opens it" "no completion"
fi
tap_check "a hostile folder name is drawn in caret notation" \
    e2e_wait_text 'Evil^[]0;pwned^G' 5

# Resizes: nothing is lost.
e2e_resize 20 5
small=0
e2e_wait_text " driver: tester@127…" 5 && small=1
e2e_resize 19 4
e2e_wait_text "too small" 5 && small=$((small + 1))
e2e_resize 100 30
if [ "$small" = 2 ] && e2e_wait_text "Archive/2024 3 msgs" 5 &&
    e2e_wait_text "Message number 2" 5; then
	ok "after 20x5, too small and back, the folder and index are intact"
else
	not_ok "after 20x5, too small and back, the folder and index are intact"
fi

e2e_keys q
if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0" "status $(e2e_exit_status)"
fi
e2e_stop

tap_done

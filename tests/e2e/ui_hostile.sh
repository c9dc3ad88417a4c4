#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: the hostile headers of
# genmail's [bad-17a] ... [bad-20a] (BAD-INPUTS rows 17-20) show visibly
# in the index rows and the pager, and the raw bytes quire writes to the
# terminal carry none of the sequences the messages hold: no OSC (title,
# clipboard), no clear-screen, no C1 control, no bidi or zero-width
# character, no NUL; the byte stream is valid UTF-8, so no lone 0x9B. The
# terminal's (tmux's) title and paste buffers stay untouched; writing the
# same sequences ourselves does change them and shows in the raw capture,
# so those checks can fail. (ncurses itself turns a stray ESC handed to
# waddstr into "^[", so the raw checks are a second line behind quire's
# own safe_text.)
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
raw="$QF_DIR/raw"
ui_start -r "$raw" -x 220 -y 50
# Let tmux take OSC 52 from the program as a paste buffer, as a terminal
# with clipboard access would: then a leak would show up as a buffer.
e2e_tmux set-option -g set-clipboard on
title0=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_title}')

# The full-height index (v), then the rows of the hostile messages.
e2e_keys v
e2e_wait_text "[bad-17a]" 5 || tap_bail "[bad-17a] is not on the screen"

# row_has ID TEXT...: the index row of [bad-ID] shows each TEXT.
row_has() {
	local id=$1 row t
	shift
	row=$(ui_row "[bad-$id]")
	for t in "$@"; do
		case $row in
		*"$t"*) ;;
		*) echo "row [bad-$id]: no \"$t\" in: $row"; return 1 ;;
		esac
	done
}

tap_check "row 17: [bad-17a]: OSC 0, OSC 52 and CSI 2J show as ^[ and ^G text" \
    row_has 17a 'title^[]0;PWNED^G clip^[]52;c;cm0gLXJmIH4K^G' \
    'clear^[[2J^[[H end'
tap_check "row 17: [bad-17b]: C1 CSI from an encoded word shows as <9B>" \
    row_has 17b '<9B>2J<9B>31m end'
tap_check "row 18: [bad-18a]: CR and BS from encoded words show as ^M and ^H" \
    row_has 18a 'a^M' 'xyz^H^H^HABC'
tap_check "row 18: [bad-18b]: raw BS shows as ^H; raw CR does not return the line" \
    row_has 18b 'BS^H^H^HXXX' 'OVERWRITE'
# The CR did not send the text back over the start of its own row: the
# flag and date columns are where every other row has them.
if ui_row "[bad-18b]" | grep -qE '^N    2027-01-01 ' &&
    ui_row "[bad-18a]" | grep -qE '^N    2027-01-01 '; then
	ok "row 18: [bad-18a] and [bad-18b] keep their flag and date columns"
else
	not_ok "row 18: [bad-18a] and [bad-18b] keep their flag and date columns" \
	    "$(ui_row "[bad-18b]")"
fi
tap_check "row 19: [bad-19a]: bidi overrides and isolates show as <U+202E>, <U+2066>" \
    row_has 19a 'bidi <U+202E>gnp.exe<U+202C>' '<U+2066>x<U+2069>' \
    'enc <U+202E>txt.exe end'
tap_check "row 19: [bad-19b]: zero-width characters, BOM and soft hyphens are removed" \
    row_has 19b 'zwabcd bomx shyinvisible raw end'
tap_check "row 20: [bad-20a]: a NUL shows as U+FFFD, the text after it kept" \
    row_has 20a 'before�after x�y end'

# Back to the split view; the cursor on [bad-17a]: the pager shows its
# From and Subject safely too.
e2e_keys v
for ((i = 0; i < 60; i++)); do
	case $(ui_subject) in "[bad-17a]"*) break ;; esac
	e2e_keys j
	sleep 0.03
done
if ui_wait_subject 2 "[bad-17a] title^[]0;PWNED^G clip^[]52;c;"; then
	ok "the pager's Subject of [bad-17a] shows the sequences as text"
else
	not_ok "the pager's Subject of [bad-17a] shows the sequences as text" \
	    "Subject: $(ui_subject)"
fi
sleep 0.3

# The raw bytes, everything quire wrote so far.
esc=$'\033'
LC_ALL=C grep -qaF "${esc}]" "$raw" && leak="OSC (ESC ])"
LC_ALL=C grep -qaF "${esc}[2J" "$raw" && leak="$leak CSI 2J"
LC_ALL=C grep -qaF "${esc}[H end" "$raw" && leak="$leak ESC[H from [bad-17a]"
LC_ALL=C grep -qaF "${esc}[31m red" "$raw" && leak="$leak ESC[31m from a body"
if [ -s "$raw" ] && [ -z "${leak:-}" ]; then
	ok "the raw output holds no OSC, no ESC[2J, no message's CSI ($(wc -c < "$raw") bytes)"
else
	not_ok "the raw output holds no OSC, no ESC[2J, no message's CSI" \
	    "found:${leak:- an empty capture}"
fi
if iconv -f UTF-8 -t UTF-32 "$raw" > /dev/null 2>&1; then
	ok "the raw output is valid UTF-8: no lone 0x9B or other raw 8-bit byte"
else
	not_ok "the raw output is valid UTF-8: no lone 0x9B or other raw 8-bit byte" \
	    "$(iconv -f UTF-8 -t UTF-32 "$raw" 2>&1 > /dev/null)"
fi
# Code points that must never be written, as their UTF-8 bytes: C1
# controls (U+0080-U+009F), bidi embeddings, overrides and isolates,
# LRM/RLM, zero-width characters, BOM; and NUL.
found=$(LC_ALL=C grep -aoE $'\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf' \
    "$raw" | od -An -tx1 | tr -s ' \n' ' ' | cut -c1-200)
nul=$(tr -cd '\000' < "$raw" | wc -c)
if [ -z "$found" ] && [ "$nul" = 0 ]; then
	ok "the raw output holds no C1, bidi, zero-width or BOM character, no NUL"
else
	not_ok "the raw output holds no C1, bidi, zero-width or BOM character, no NUL" \
	    "bytes: $found; NULs: $nul"
fi

# The terminal's own state: title and paste buffers as they were.
title=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_title}')
bufs=$(e2e_tmux list-buffers 2>/dev/null)
if [ "$title" = "$title0" ] && [ -z "$bufs" ]; then
	ok "row 17: the terminal's title and clipboard are untouched (title \"$title\")"
else
	not_ok "row 17: the terminal's title and clipboard are untouched" \
	    "title \"$title\" (was \"$title0\"); buffers: $bufs"
fi
# The same sequences, written to the terminal by us, do change them.
tty=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_tty}')
printf '\033]0;PROBE-TITLE\007\033]52;c;cHJvYmU=\007' > "$tty"
sleep 0.3
title=$(e2e_tmux display-message -p -t "$E2E_TARGET" '#{pane_title}')
bufs=$(e2e_tmux list-buffers 2>/dev/null)
if [ "$title" = PROBE-TITLE ] && [ -n "$bufs" ] &&
    LC_ALL=C grep -qaF "${esc}]0;PROBE-TITLE" "$raw"; then
	ok "control: OSC 0 and 52 written to the pane set title and buffer, show in the capture"
else
	not_ok "control: OSC 0 and 52 written to the pane set title and buffer, show in the capture" \
	    "title \"$title\"; buffers: $bufs"
fi

e2e_keys q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop
tap_done

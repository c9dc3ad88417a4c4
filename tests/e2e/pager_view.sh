#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: the pager shows a
# multipart/alternative message's plain part (not its HTML), colours its
# quote levels and underlines its URL (capture-pane -e shows the SGR
# codes), wraps a line of wide characters inside the pane, shows every
# header with h and back, finds text with / (matches in reverse video) and
# n; an HTML-only message shows readable text from the built-in converter
# (no tags, no style sheet, no script), from a real html_filter (w3m) when
# it is installed, and from the built-in one again when the filter fails
# or hangs (killed after 5 s).
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"
. "$top_srcdir/tests/e2e/pager_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
pager_save pager_msg_html
pager_save pager_msg_alt
esc=$'\033'

# ---- multipart/alternative ----
ui_start
ui_wait_subject 5 "pager-alt" || tap_bail "pager-alt is not under the cursor"
e2e_keys Enter
if e2e_wait_text "PLAIN-PART-TEXT" 10 && ! e2e_screen | grep -q "HTML-PART-TEXT"
then
	ok "multipart/alternative shows its plain part, not the HTML one"
else
	not_ok "multipart/alternative shows its plain part, not the HTML one"
	e2e_failure_screen alt
fi

# Quote levels in their colours (quote1 green, quote2 magenta by default),
# the URL underlined, the plain line in neither.
q1=$(pager_line_e "quoted once by Bob")
q2=$(pager_line_e "quoted twice by Alice")
url=$(pager_line_e "PLAIN-PART-TEXT")
if printf '%s' "$q1" | grep -qE "${esc}\\[([0-9;]*;)?32m> quoted once" &&
    printf '%s' "$q2" | grep -qE "${esc}\\[([0-9;]*;)?35m>> quoted twice"; then
	ok "quoted lines are coloured by level (SGR 32, then 35)"
else
	not_ok "quoted lines are coloured by level (SGR 32, then 35)" \
	    "$(printf '%s\n%s' "$q1" "$q2" | cat -v)"
fi
if printf '%s' "$url" | grep -qE "${esc}\\[([0-9;]*;)?4mhttps://example.org/plain-link${esc}" &&
    ! printf '%s' "$url" | grep -qE "${esc}\\[([0-9;]*;)?4mPLAIN"; then
	ok "the URL, and only the URL, is underlined"
else
	not_ok "the URL, and only the URL, is underlined" \
	    "$(printf '%s' "$url" | cat -v)"
fi

# The wide line wraps inside the pane: its end is on screen, whole.
if e2e_screen | grep -q "続きます end" &&
    ! e2e_screen | grep -q "wide: .*end"; then
	ok "a line of wide characters wraps at the pane's width, its end shown"
else
	not_ok "a line of wide characters wraps at the pane's width, its end shown"
	e2e_failure_screen wide
fi

# h: every header of the message; h again: the usual few.
e2e_keys h
if e2e_wait_text "Message-ID: <pager-alt@example.org>" 5 &&
    e2e_screen | grep -q "MIME-Version: 1.0"; then
	ok "h shows every header (Message-ID, MIME-Version)"
else
	not_ok "h shows every header (Message-ID, MIME-Version)"
	e2e_failure_screen headers
fi
e2e_keys h
if e2e_wait_no_text "MIME-Version" 5 && e2e_screen | grep -q "Cc: Carol"; then
	ok "h again shows From, To, Cc, Date and Subject only"
else
	not_ok "h again shows From, To, Cc, Date and Subject only"
fi

# /: find in the message; every match in reverse video; n goes on.
e2e_keys /
e2e_wait_text "Find in the message:" 3 || not_ok "/ in the pager asks what to find"
e2e_type "needle"
e2e_keys Enter
sleep 0.3
# (The escape codes split "needle" from the rest of its line.)
n1=$(e2e_screen -e | grep -E "needle.* one" | head -n 1)
n2=$(e2e_screen -e | grep -E "needle.* two" | head -n 1)
if printf '%s' "$n1" | grep -qE "${esc}\\[([0-9;]*;)?7mneedle" &&
    printf '%s' "$n2" | grep -qE "${esc}\\[([0-9;]*;)?7mneedle"; then
	ok "/needle shows every match in reverse video"
else
	not_ok "/needle shows every match in reverse video" \
	    "$(printf '%s\n%s' "$n1" "$n2" | cat -v)"
fi
e2e_keys n n
if e2e_wait_text "Search wrapped to the top" 3; then
	ok "n goes from match to match and wraps to the top"
else
	not_ok "n goes from match to match and wraps to the top"
fi
e2e_keys /
e2e_type "zzznothing"
e2e_keys Enter
if e2e_wait_text "Not found in the message: zzznothing" 3; then
	ok "/ with no match says so"
else
	not_ok "/ with no match says so"
fi

# ---- HTML only, the built-in converter ----
html_ok() {
	local s
	s=$(e2e_screen)
	case $s in
	*"Readable paragraph & café text."*) ;;
	*) echo "no readable paragraph"; return 1 ;;
	esac
	case $s in *"first item"*) ;; *) echo "no list item"; return 1 ;; esac
	case $s in *"Newsletter Title"*) ;; *) echo "no title"; return 1 ;; esac
	case $s in
	*"<p>"*|*HIDDEN*|*"color: red"*|*"&amp;"*)
		echo "markup, style or script shows"; return 1 ;;
	esac
}
e2e_keys J
e2e_wait_text "first item" 10 || e2e_failure_screen html
tap_check "HTML only, no html_filter: readable text from the built-in converter" \
    html_ok
e2e_keys q q
e2e_wait_gone 5 || not_ok "q q quits"

# ---- HTML only, through a real filter ----
if command -v w3m >/dev/null 2>&1; then
	UI_CFG=$(pager_config "html_filter = touch $QF_DIR/w3m-ran && w3m -dump -T text/html -I UTF-8 -O UTF-8")
	ui_start
	e2e_keys j Enter
	e2e_wait_text "first item" 10 || e2e_failure_screen w3m
	if html_ok && [ -e "$QF_DIR/w3m-ran" ]; then
		ok "HTML only, html_filter = w3m -dump: readable text from w3m"
	else
		not_ok "HTML only, html_filter = w3m -dump: readable text from w3m" \
		    "$(html_ok)" "ran: $(ls "$QF_DIR/w3m-ran" 2>&1)"
	fi
	e2e_keys q q
	e2e_wait_gone 5
else
	ok "HTML only through w3m # SKIP w3m is not installed"
fi

# ---- a filter that fails, one that hangs: the built-in one instead ----
UI_CFG=$(pager_config "html_filter = echo broken; exit 3")
ui_start
e2e_keys j Enter
e2e_wait_text "first item" 10 || e2e_failure_screen failing
tap_check "a failing html_filter falls back to the built-in converter" html_ok
e2e_keys q q
e2e_wait_gone 5

UI_CFG=$(pager_config "html_filter = touch $QF_DIR/hang-ran; sleep 37")
ui_start
t0=$(ui_ms)
e2e_keys j Enter
if e2e_wait_text "first item" 12; then
	t1=$(ui_ms)
	tap_diag "a hanging html_filter: the text showed after $((t1 - t0)) ms"
	if html_ok && [ -e "$QF_DIR/hang-ran" ] && [ $((t1 - t0)) -ge 4500 ]; then
		ok "a hanging html_filter is killed after 5 s; the built-in text shows"
	else
		not_ok "a hanging html_filter is killed after 5 s; the built-in text shows" \
		    "$(html_ok)" "after $((t1 - t0)) ms"
	fi
else
	not_ok "a hanging html_filter is killed after 5 s; the built-in text shows"
	e2e_failure_screen hang
fi
if ! pgrep -x -f "sleep 37" >/dev/null 2>&1; then
	ok "the hanging filter's process group is gone"
else
	not_ok "the hanging filter's process group is gone" \
	    "$(ps -eo pid,ppid,pgid,args | grep '[s]leep 37')"
fi
e2e_keys q q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop
tap_done

#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: / from:alice is:unread
# shows exactly Dovecot's matches with their count; the cursor keeps its
# message through the search and back with Esc; a query that does not
# parse shows a caret at its column and sends nothing; Ctrl-/ lists the
# matches of every folder with the folder's name, and Enter opens one.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
trace="$QF_DIR/trace.log"
ui_start -y 60 -d "$trace"

st=$(fixture_doveadm mailbox status messages INBOX)
msgs=$(printf '%s\n' "$st" | sed 's/.*messages=\([0-9]*\).*/\1/')

# index_subjects: the subjects in the index pane (between the top and the
# pager's rule), one per line, as the screen shows them.
index_subjects() {
	e2e_screen | awk '/─/ { exit } { print }' | sed -n 's/^[^│]*│//p' |
	    grep -v '^ *$'
}

# The matches, from Dovecot.
want=$(fixture_doveadm fetch 'hdr.subject' mailbox INBOX from alice unseen |
    sed -n 's/^hdr.subject: //p' | sort)
n=$(printf '%s\n' "$want" | grep -c .)
[ "$n" -gt 0 ] || tap_bail "no unread message from alice in INBOX"

# The cursor on a message that does not match (the newest is Mallory's).
before=$(ui_subject)
e2e_keys /
e2e_type 'from:alice is:unread'
e2e_keys Enter
if e2e_wait_text "| $n of $msgs match |" 10; then
	got=$(index_subjects)
	rows=$(printf '%s\n' "$got" | grep -c .)
	missing=0
	while IFS= read -r s; do
		printf '%s\n' "$got" | grep -qF -- "${s:0:20}" ||
		    missing=$((missing + 1))
	done <<<"$want"
	if [ "$rows" = "$n" ] && [ "$missing" = 0 ] &&
	    [ "$(printf '%s\n' "$got" | grep -c 'Alice Martin')" = "$n" ]; then
		ok "/from:alice is:unread shows Dovecot's $n messages: \"$n of $msgs match\""
	else
		not_ok "/from:alice is:unread shows Dovecot's $n messages" \
		    "rows $rows, missing $missing" "$got"
	fi
else
	not_ok "/from:alice is:unread shows \"$n of $msgs match\"" "$(e2e_screen)"
fi
if grep -q 'C: [0-9]* UID SEARCH FROM "alice" UNSEEN' "$trace"; then
	ok "the query went as UID SEARCH FROM \"alice\" UNSEEN"
else
	not_ok "the query went as UID SEARCH FROM \"alice\" UNSEEN" \
	    "$(grep 'UID SEARCH' "$trace")"
fi

# The cursor on the last match; Esc keeps it there in the whole folder.
e2e_keys G
ui_wait_subject 5 || true
mine=$(ui_subject)
e2e_keys Escape
if e2e_wait_no_text " match |" 5 && e2e_wait_text "$msgs msgs" 2 &&
    ui_wait_subject 5 "$mine" && [ -n "$mine" ] && [ "$mine" != "$before" ]
then
	ok "Esc shows all $msgs again with the cursor on the same message"
else
	not_ok "Esc shows all $msgs again with the cursor on the same message" \
	    "want \"$mine\", got \"$(ui_subject)\""
fi

# A query that does not parse: the caret under its column, nothing sent.
searches=$(grep -c 'C: [0-9]* UID SEARCH' "$trace")
e2e_keys /
e2e_type 'from:alice (is:read'
e2e_keys Enter
caret=$(e2e_screen | grep -F 'query:12: ' | head -n 1)
if [ -n "$caret" ] && [ "${caret%%^*}" = "$(printf '%*s' 19 '')" ] &&
    e2e_screen | grep -qF 'Search: from:alice (is:read'; then
	sleep 0.3
	if [ "$(grep -c 'C: [0-9]* UID SEARCH' "$trace")" = "$searches" ]; then
		ok "an unclosed parenthesis shows a caret at column 12; nothing sent"
	else
		not_ok "an unclosed parenthesis sends nothing"
	fi
else
	not_ok "an unclosed parenthesis shows a caret at column 12" "$(e2e_screen | tail -3)"
fi
e2e_keys Escape

# Ctrl-/ (the terminal sends ^_): every folder, with the folder's name.
total=0
while IFS=$'\t' read -r name count rest; do
	c=$(fixture_doveadm search mailbox "$name" subject report 2>/dev/null |
	    wc -l)
	total=$((total + c))
done <"$QF_MANIFEST"
e2e_keys C-_
e2e_type 'subject:report'
e2e_keys Enter
if e2e_wait_text "all folders: $total matches in" 15; then
	rows=$(index_subjects)
	if printf '%s\n' "$rows" | grep -q '^Archive ' &&
	    printf '%s\n' "$rows" | grep -q '^Lists/dev '; then
		ok "Ctrl-/ lists Dovecot's $total matches of all folders with their folder"
	else
		not_ok "Ctrl-/ lists the matches with their folder" "$rows"
	fi
else
	not_ok "Ctrl-/ counts Dovecot's $total matches of all folders" "$(e2e_screen)"
fi
# Enter on the first result opens its folder at that message.
first=$(index_subjects | head -n 1)
folder=${first%% *}
subj=$(e2e_screen | sed -n 's/^[^│]*│Subject: //p' | head -n 1 |
    sed 's/[[:space:]]*$//')
e2e_keys Enter
if e2e_wait_re "\\| $folder [0-9,]+ msgs?" 10 && ui_wait_subject 10 "$subj"; then
	ok "Enter opens $folder with the cursor on \"$subj\""
else
	not_ok "Enter opens $folder with the cursor on \"$subj\"" "$(e2e_screen)"
fi

e2e_keys q
e2e_wait_gone 5 || true
e2e_stop
tap_done

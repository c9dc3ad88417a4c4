#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: the folder list shows
# every folder of the fixture's manifest, nested under its parent, with
# the unread count Dovecot reports (none when nothing is unread); with the
# focus on the list, the cursor's folder shows unread/total, again as
# Dovecot counts them; Enter opens the folder under the cursor.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
ui_start -x 120 -y 40

# The folder pane: what is left of the first "│", one folder per line.
pane() {
	e2e_screen | sed -n 's/│.*//p' | sed 's/[[:space:]]*$//' | grep .
}

# status NAME FIELD: Dovecot's count for the folder.
status() {
	fixture_doveadm mailbox status "$2" "$1" | sed -n "s/.* $2=//p"
}

# The expected line of each folder: the current-folder mark or a blank,
# one blank per level, the leaf name, the unread count if any.
missing="" wrong="" checked=0
while IFS=$'\t' read -r name msgs unseen flagged; do
	leaf=${name##*/}
	depth=$(( $(printf '%s' "$name" | tr -cd / | wc -c) ))
	indent=$(printf "%${depth}s" "")
	dv=$(status "$name" unseen)
	[ "$dv" = "$unseen" ] ||
	    wrong="$wrong $name(manifest $unseen, Dovecot $dv)"
	line=$(pane | grep -E "^[ >]${indent}$(printf '%s' "$leaf" |
	    sed 's/[][\.*^$/]/\\&/g')( |$)" | head -n 1)
	if [ -z "$line" ]; then
		missing="$missing $name"
		continue
	fi
	shown=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9,]*\)$/\1/p' | tr -d ,)
	[ "$dv" = 0 ] && dv=""
	[ "$shown" = "$dv" ] || wrong="$wrong $name(shows '${shown}', Dovecot '${dv}')"
	checked=$((checked + 1))
done < "$QF_MANIFEST"
if [ -z "$missing" ] && [ "$checked" -eq "$(wc -l < "$QF_MANIFEST")" ]; then
	ok "the folder list shows all $checked folders of the manifest, nested"
else
	e2e_failure_screen folders
	not_ok "the folder list shows all folders of the manifest, nested" \
	    "missing:$missing"
fi
if [ -z "$wrong" ] && [ "$checked" -gt 0 ]; then
	ok "each folder shows Dovecot's unread count, none when it is 0"
else
	not_ok "each folder shows Dovecot's unread count, none when it is 0" \
	    "wrong:$wrong"
fi
# Only the open folder, INBOX, carries the mark.
if [ "$(pane | grep -c '^>')" = 1 ] && pane | grep -q '^>INBOX '; then
	ok "INBOX, the open folder, is marked with >"
else
	not_ok "INBOX, the open folder, is marked with >" "$(pane)"
fi

# Focus on the folder list (Tab goes index, pager, folders): walk it; the
# cursor's line is the one with unread/total. Each must match Dovecot.
e2e_keys Tab Tab
e2e_wait_re "^>INBOX +[0-9,]+/[0-9,]+│" 3 ||
    not_ok "Tab twice puts the focus on the folder list"
nlines=$(pane | wc -l)
seen="" bad=""
for ((i = 0; i < nlines; i++)); do
	cur=$(pane | grep -E ' [0-9,]+/[0-9,]+$' | head -n 1)
	leaf=$(printf '%s\n' "$cur" | sed 's/^[ >] *//; s/ *[0-9,]*\/[0-9,]*$//')
	name=$(cut -f1 "$QF_MANIFEST" | grep -E "(^|/)$leaf\$" | head -n 1)
	if [ -n "$name" ]; then
		want="$(status "$name" unseen)/$(status "$name" messages)"
		got=$(printf '%s\n' "$cur" | sed 's/.* //' | tr -d ,)
		[ "$got" = "$want" ] || bad="$bad $name($got, Dovecot $want)"
		seen="$seen $name"
	fi
	e2e_keys j
	sleep 0.1
done
if [ -z "$bad" ] && [ "$(printf '%s\n' $seen | sort -u | grep -c .)" = \
    "$(wc -l < "$QF_MANIFEST")" ]; then
	ok "the focused cursor shows unread/total as Dovecot counts, every folder"
else
	not_ok "the focused cursor shows unread/total as Dovecot counts, every folder" \
	    "seen:$seen" "wrong:$bad"
fi

# Enter on Lists/dev opens it.
e2e_keys g
for ((i = 0; i < nlines; i++)); do
	pane | grep -qE '^[ >] +dev +[0-9,]+/' && break
	e2e_keys j
	sleep 0.05
done
e2e_keys Enter
want="Lists/dev $(status Lists/dev messages) msgs, $(status Lists/dev unseen) unread"
if e2e_wait_text "$want" 5 && e2e_wait_re '^> +dev ' 2; then
	ok "Enter on dev opens Lists/dev: \"$want\""
else
	not_ok "Enter on dev opens Lists/dev: \"$want\""
fi

e2e_keys q
e2e_wait_gone 5 || not_ok "q quits"
e2e_stop
tap_done

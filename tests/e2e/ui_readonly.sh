#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: a folder the server
# opens [READ-ONLY] (its Maildir made unwritable after Dovecot indexed it)
# refuses a flag change with a sentence, the row goes back to what it was,
# and nothing is stored on the server. Dovecot would answer such a STORE
# with OK and keep nothing, so the engine must say no itself.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
dir="$QF_MAILDIR/Trash"
[ -d "$dir/cur" ] || tap_bail "no Trash Maildir at $dir"
fixture_doveadm mailbox status messages Trash >/dev/null ||
    tap_bail "Dovecot did not index Trash"
chmod a-w "$dir" "$dir/cur" "$dir/new" "$dir/tmp"

ui_start Trash
subj=$(ui_subject)
uid=$(ui_uid "$subj" Trash)
[ -n "$uid" ] || tap_bail "Dovecot has no \"$subj\" in Trash"
before=$(ui_row_flags "$subj")
flags0=$(ui_flags "$uid" Trash)

e2e_keys F
if e2e_wait_text "read-only on the server" 5; then
	ok "F in a read-only folder is refused with a sentence"
else
	not_ok "F in a read-only folder is refused with a sentence"
fi
if ui_wait_row_flags "$subj" "^$(printf '%s' "$before" |
    sed 's/[][\\.*^$!]/\\&/g')\$" 2; then
	ok "the row shows its flags as they were"
else
	not_ok "the row shows its flags as they were" \
	    "before \"$before\", now \"$(ui_row_flags "$subj")\""
fi
if [ "$(ui_flags "$uid" Trash)" = "$flags0" ]; then
	ok "the server's flags are unchanged"
else
	not_ok "the server's flags are unchanged" \
	    "before \"$flags0\", now \"$(ui_flags "$uid" Trash)\""
fi
if e2e_wait_text "| online" 2; then
	ok "the session stays online"
else
	not_ok "the session stays online"
fi

chmod u+w "$dir" "$dir/cur" "$dir/new" "$dir/tmp"
e2e_keys q
tap_done

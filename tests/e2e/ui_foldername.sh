#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: a folder whose name
# holds an escape sequence (made on disk: doveadm refuses to create one,
# but Dovecot lists what it finds, and so may any server) is drawn in
# caret notation, and the raw bytes quire writes to the terminal hold no
# OSC sequence from it.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
evil="$QF_MAILDIR/$(printf 'Evil\033]0;pwned\007x')"
mkdir -p "$evil/cur" "$evil/new" "$evil/tmp" || tap_bail "mkdir"
chown -R --reference="$QF_MAILDIR" "$evil" 2>/dev/null
fixture_doveadm mailbox list | grep -q 'Evil' ||
    tap_bail "Dovecot does not list the folder made on disk"

raw="$QF_DIR/raw.bytes"
ui_start -r "$raw"
tap_check "row 29: the folder name is drawn in caret notation" \
    e2e_wait_text 'Evil^[]0;pwned^Gx' 5
e2e_keys q
e2e_wait_gone 5
if [ -s "$raw" ] && ! grep -qa "$(printf '\033]0;pwned')" "$raw" &&
    ! grep -qa "$(printf '\033]')" "$raw"; then
	ok "row 29: no OSC from the folder name reaches the terminal"
else
	not_ok "row 29: no OSC from the folder name reaches the terminal" \
	    "raw capture: $(wc -c < "$raw" 2>/dev/null) bytes"
fi
if [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0" "status $(e2e_exit_status)"
fi
e2e_stop
tap_done

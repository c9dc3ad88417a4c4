#!/bin/bash
# End-to-end: the real UI over a scripted stand-in for the session
# (tests/e2e/ui_driver), for the two cases the fixture's real Dovecot
# cannot produce; everything else runs against Dovecot (ui_*.sh).
#
# - A refused flag change: Dovecot answers OK to a UID STORE on a
#   read-only (backend) folder, keeping the flag in its index, and to one
#   on a message another client expunged meanwhile (with VANISHED). So
#   the revert of the row and the reason on screen need a refusal that
#   only a stand-in sends.
# - A folder name with control characters: Dovecot refuses to create one
#   ("Control characters not allowed in new mailbox names"), but another
#   server may list one.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/e2e/lib.sh"

driver="$top_builddir/tests/e2e/ui_driver"
[ -x "$driver" ] || tap_bail "no $driver"
dir=$(mktemp -d "${TMPDIR:-/tmp}/quire-uistand.XXXXXX") || tap_bail "mktemp"
e2e_atexit "rm -rf '$dir'"
cfg="$dir/config"
log="$dir/commands"
cat > "$cfg" <<'EOC'
[account driver]
host = 127.0.0.1
user = tester
password_cmd = echo not-used
EOC
chmod 600 "$cfg"

e2e_start -x 100 -y 30 -e "QUIRE_DRIVER_LOG=$log" -- "$driver" -c "$cfg" -n 200
e2e_wait_text "INBOX 200 msgs, 20 unread | online" 10 ||
    tap_bail "the driver did not come up"

# F on UID 7: the stand-in refuses it; the row goes back, the reason shows.
e2e_keys G k k k k k k F
if e2e_wait_text "message 7 is read-only here" 5 &&
    grep -q '^STORE folder=INBOX .*add=4 .*uids=7$' "$log" &&
    ! e2e_screen | grep -qE '│.!.. .*Sender 7 '; then
	ok "a refused flag change is reverted and its reason shown"
else
	e2e_failure_screen revert
	not_ok "a refused flag change is reverted and its reason shown" \
	    "$(tail -n 2 "$log")"
fi

tap_check "a folder name with control characters is drawn in caret notation" \
    e2e_wait_text 'Evil^[]0;pwned^G' 5

e2e_keys q
if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0" "status $(e2e_exit_status)"
fi
e2e_stop
tap_done

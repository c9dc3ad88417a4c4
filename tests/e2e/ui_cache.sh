#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot with one cache kept
# across starts: a second start paints INBOX from the cache; quire
# --offline (no password asked) opens it with the same rows and says
# "offline (cached)"; F made offline reaches the server at the next start
# online; a cache overwritten with garbage is set aside, the user is told,
# and INBOX loads again from the server.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
home=$(mktemp -d "$QF_DIR/home-cache.XXXXXX") || tap_bail "mktemp"
cache=$home/cache
cfg=$(fixture_config) || tap_bail "fixture_config failed"
total=$(fixture_doveadm -f tab mailbox status messages INBOX | tail -n 1 |
    cut -f2)

# start [ARGS...]: quire on INBOX with the test's HOME and cache.
start() {
	e2e_start -x 100 -y 30 -e "HOME=$home" -e "XDG_CACHE_HOME=$cache" \
	    -- "$QUIRE_BIN" -c "$cfg" "$@" || tap_bail "e2e_start failed"
}

quit() {
	e2e_keys q
	e2e_wait_gone 10 >/dev/null || e2e_stop
	e2e_stop
}

# The first start fills the cache.
start
e2e_wait_re "\\| INBOX $total msgs?, .* \\| online" 15 ||
    tap_bail "quire did not come online"
ui_wait_subject 10 || tap_bail "no message under the cursor"
first=$(ui_subject)
quit
[ -f "$cache/quire/fixture.db" ] &&
    ok "the first run leaves a cache ($(du -k "$cache/quire/fixture.db" |
    cut -f1) KB)" || not_ok "the first run leaves a cache"

# --offline: no password, the same rows, and says so.
start --offline
if e2e_wait_re "\\| INBOX $total msgs?, .* \\| offline \\(cached\\)" 10 &&
    ui_wait_subject 5 "$first"; then
	ok "--offline opens INBOX from the cache: $total msgs, \"$first\" under the cursor, \"offline (cached)\""
else
	not_ok "--offline opens INBOX from the cache"
fi
uid=$(ui_uid "$first")
[ -n "$uid" ] || tap_bail "no uid for \"$first\""
was=$(ui_flags "$uid")
if printf '%s' "$was" | grep -q Flagged; then
	want='!\\Flagged' still='\\Flagged'
else
	want='\\Flagged' still='!\\Flagged'
fi
e2e_keys F
sleep 0.5
quit
ui_wait_flags "$uid" "$still" 1 &&
    ok "F made offline is not on the server while quire is offline" ||
    not_ok "F made offline is not on the server while quire is offline"

# Online again: the journal's change goes out.
start
if ui_wait_flags "$uid" "$want" 10; then
	ok "F made offline reaches the server at the next start online"
else
	not_ok "F made offline reaches the server at the next start online"
fi
quit

# Garbage over the database: set aside, said, and rebuilt.
head -c 32768 /dev/urandom >"$cache/quire/fixture.db"
rm -f "$cache/quire/fixture.db-wal" "$cache/quire/fixture.db-shm"
start
if e2e_wait_text "could not be used" 10 &&
    e2e_wait_re "\\| INBOX $total msgs?, .* \\| online" 15; then
	ok "a garbage cache is reported and INBOX loads from the server"
else
	not_ok "a garbage cache is reported and INBOX loads from the server"
fi
quit
ls "$cache/quire/fixture.db.broken-"* >/dev/null 2>&1 &&
    ok "the garbage was moved aside" || not_ok "the garbage was moved aside"

tap_done

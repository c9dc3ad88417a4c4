#!/bin/bash
# The session thread and sync engine (src/imap) against the Dovecot
# fixture: the folder list, the 10,000-message folder streamed newest
# first, flags both ways, changes by another client through IDLE, bodies,
# UID EXPUNGE; then, with tests/fake/faultproxy between the engine and
# Dovecot, a cut during the backfill, a silent server, and STOREs queued
# while the server cannot be reached. test_engine prints the TAP lines;
# this script sets the stage for each mode.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=${ENGINE_TEST:-$top_builddir/tests/integration/test_engine}
FAULTPROXY=$top_builddir/tests/fake/faultproxy
[ -x "$prog" ] || tap_bail "no test program at $prog"
[ -x "$FAULTPROXY" ] || tap_bail "no faultproxy at $FAULTPROXY"
fixture_start || tap_bail "the Dovecot fixture did not start"
export QF_DIR QF_MANIFEST QF_USER
# doveadm (run by test_engine) finds the user the way fixture_doveadm does.
export USER=$QF_USER HOME=$QF_DIR/home/$QF_USER
command -v doveadm >/dev/null 2>&1 || export PATH=$PATH:/usr/sbin:/sbin

PPID_LIST=
trap 'for p in $PPID_LIST; do kill "$p" 2>/dev/null; done; fixture_stop' EXIT
OUT=$QF_DIR/engine.tap
: >"$OUT"

# run MODE ARGS...: one test_engine run; its TAP lines are renumbered
# into this script's.
run() {
	local line n=0 rc
	# Each run starts with a cache of its own.
	XDG_CACHE_HOME=$QF_DIR/cache-$1 "$prog" "$@" \
	    >"$QF_DIR/engine-$1.out" 2>"$QF_DIR/engine-$1.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			ok "${line#ok [0-9]* - }" ;;
		"not ok "*)
			not_ok "${line#not ok [0-9]* - }" ;;
		"Bail out!"*)
			not_ok "test_engine $1: ${line#Bail out! }" ;;
		"#"*)
			printf '%s\n' "$line" ;;
		esac
		n=$((n + 1))
	done <"$QF_DIR/engine-$1.out"
	if [ "$rc" -ne 0 ]; then
		not_ok "test_engine $1 exits 0" "status $rc" \
		    "$(tail -n 20 "$QF_DIR/engine-$1.err")"
	fi
}

# proxy NAME [RULE...]: start a faultproxy in front of Dovecot's IMAP
# port; sets PPORT and CPORT.
proxy() {
	local out=$QF_DIR/proxy.$1.out i
	shift
	"$FAULTPROXY" -t 900 -c "127.0.0.1:$QF_PORT_IMAP" "$@" >"$out" 2>&1 &
	PPID_LIST="$PPID_LIST $!"
	for i in $(seq 100); do
		PPORT=$(sed -n 's/^port //p' "$out")
		CPORT=$(sed -n 's/^control //p' "$out")
		[ -n "$PPORT" ] && [ -n "$CPORT" ] && return 0
		sleep 0.05
	done
	tap_bail "faultproxy did not start"
}

run basic "$(fixture_config starttls)"

proxy cut
run cut "$(fixture_config starttls "$PPORT")" "$CPORT"

proxy stall
run stall "$(fixture_config starttls "$PPORT" 'timeout = 5')" "$CPORT"

proxy queued
run queued "$(fixture_config starttls "$PPORT")" "$CPORT" \
    "$QF_DIR/engine-queued.log"

# BAD-INPUTS 13: on every connection the proxy puts 60 bytes into the
# literal behind the ENVELOPE of one message (found by its Message-ID in
# quotes, which only the ENVELOPE has), so libetpan fails on that message
# every time; its header fields (no quotes) come through.
BAD_UID=2785
mid=$(fixture_doveadm fetch 'hdr.message-id' mailbox Big uid $BAD_UID |
    sed -n 's/^hdr.message-id: //p')
[ -n "$mid" ] || tap_bail "no Message-ID for Big uid $BAD_UID"
proxy bad "inject-match \\x22$mid\\x22 $(printf 'X%.0s' $(seq 60))"
run bad "$(fixture_config none "$PPORT")" "$BAD_UID"

# A wrong password: CS_FAILED, and a retry only on IC_SYNC.
cfg=$(fixture_config starttls)
sed 's/^password_cmd = .*/password_cmd = echo wrong-password/' "$cfg" \
    >"$QF_DIR/wrong.conf"
run failed "$QF_DIR/wrong.conf"

tap_diag "fixture start: ${QF_TIME_START:-?} s"
tap_done

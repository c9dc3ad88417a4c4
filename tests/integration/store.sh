#!/bin/bash
# The session with its store against the Dovecot fixture (test_store.c
# does each run; this script sets the stage between runs):
#
#  - the kill test (BAD-INPUTS 35): 50 changes queued at once, and quire
#    killed with SIGKILL (QUIRE_TEST_CRASH_AT, a test-only hook) at each
#    step of one change's journey: before its journal commit, after it,
#    after its command went to the server, after the server's OK; after
#    each restart doveadm finds every change on the server exactly once;
#  - a UIDVALIDITY change between two runs (doveadm mailbox update
#    --uid-validity) drops the folder's cache and its pending change,
#    says so, and reloads the folder (BAD-INPUTS 16);
#  - a cache file overwritten with garbage is set aside and rebuilt;
#  - a COPY killed at each step (five queued, killed at the third) is
#    never done twice: a copy that may have gone out is not repeated, and
#    the user is told;
#  - offline: Dovecot stopped, a cached folder opens and a cached message
#    reads, a flag change waits in the journal and reaches the server
#    when it is back; --offline reads the same without a password;
#  - warm open: with the server silent behind a faultproxy, the folder
#    still paints from the cache.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=${STORE_TEST:-$top_builddir/tests/integration/test_store}
FAULTPROXY=$top_builddir/tests/fake/faultproxy
[ -x "$prog" ] || tap_bail "no test program at $prog"
[ -x "$FAULTPROXY" ] || tap_bail "no faultproxy at $FAULTPROXY"
fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
export QF_DIR QF_MANIFEST QF_USER
export USER=$QF_USER HOME=$QF_DIR/home/$QF_USER
command -v doveadm >/dev/null 2>&1 || export PATH=$PATH:/usr/sbin:/sbin
# Never the user's cache.
export XDG_CACHE_HOME=$QF_DIR/cache
CACHE=$XDG_CACHE_HOME/quire/fixture.db

PROXY_PID=
trap '[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null; fixture_stop' EXIT
CFG=$(fixture_config starttls)

# run NAME ARGS...: one test_store run; its TAP lines are renumbered into
# this script's. EXPECT_KILL=1: the run is meant to die by SIGKILL.
run() {
	local name=$1 line rc out=$QF_DIR/store-$1.out err=$QF_DIR/store-$1.err
	shift
	"$prog" "$@" >"$out" 2>"$err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok [0-9]* - }" ;;
		"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
		"Bail out!"*) not_ok "test_store $name: ${line#Bail out! }" ;;
		"#"*) printf '%s\n' "$line" ;;
		esac
	done <"$out"
	if [ "${EXPECT_KILL:-0}" = 1 ]; then
		[ "$rc" -eq 137 ] || not_ok "test_store $name is killed" \
		    "status $rc" "$(tail -n 5 "$err")"
	elif [ "$rc" -ne 0 ]; then
		not_ok "test_store $name exits 0" "status $rc" \
		    "$(tail -n 20 "$err")"
	fi
}

# ---- the kill test ----
# Each step gets its own 50 changes to Archive (moves go to Trash); the
# kill comes at the 17th change to reach that step.
for step in before-journal after-journal after-send after-ok; do
	plan=$QF_DIR/plan-$step done=$QF_DIR/done-$step
	run "plan-$step" plan "$CFG" Archive Trash "$plan"
	QUIRE_TEST_CRASH_AT=$step:17 EXPECT_KILL=1 \
	    run "apply-$step" apply "$CFG" "$plan" "$done"
	n=$(wc -l <"$done" 2>/dev/null || echo 0)
	ok "row 35: killed at $step:17, with $n of 50 changes confirmed"
	run "resume-$step" resume "$CFG" "$plan" "$done"
	run "check-$step" check "$plan"
done

# ---- a COPY through a kill: never twice (BAD-INPUTS 35) ----
# Five COPYs of one message each from INBOX, to a folder of their own per
# step, killed at the third copy's step; after the restart doveadm finds
# no message copied twice (test_store copy-resume says why each count is
# what it is).
for step in before-journal after-journal after-send after-ok; do
	target=Copies-$step
	fixture_doveadm mailbox create "$target" ||
	    tap_bail "doveadm mailbox create $target"
	plan=$QF_DIR/copyplan-$step done=$QF_DIR/copydone-$step
	QUIRE_TEST_CRASH_AT=$step:3 EXPECT_KILL=1 \
	    run "copy-$step" copy "$CFG" INBOX "$target" "$plan" "$done"
	n=$(wc -l <"$done" 2>/dev/null || echo 0)
	ok "COPY killed at $step:3, with $n of 5 copies confirmed"
	run "copy-resume-$step" copy-resume "$CFG" "$plan" "$done"
done

# ---- warm open with a silent server ----
run fill fill "$CFG" Lists/dev
rows=$(fixture_doveadm -f tab mailbox status messages Lists/dev | tail -n 1 | cut -f2)
out=$QF_DIR/proxy.out
"$FAULTPROXY" -t 900 -c "127.0.0.1:$QF_PORT_IMAP" >"$out" 2>&1 &
PROXY_PID=$!
for i in $(seq 100); do
	PPORT=$(sed -n 's/^port //p' "$out")
	CPORT=$(sed -n 's/^control //p' "$out")
	[ -n "$PPORT" ] && [ -n "$CPORT" ] && break
	sleep 0.05
done
[ -n "$CPORT" ] || tap_bail "faultproxy did not start"
# Every new connection is held before the greeting.
exec 9<>"/dev/tcp/127.0.0.1/$CPORT" || tap_bail "no faultproxy control"
printf 'rule stall\n' >&9
read -r -t 2 _ <&9
exec 9>&-
run warm warm "$(fixture_config starttls "$PPORT")" Lists/dev "$rows"
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null
PROXY_PID=

# ---- no server SORT for a folder the cache holds whole ----
# Lists/dev is cached whole (fill, above): its rows are all painted, in
# the local order, so the session declines IC_SORT at once (a SORT of a
# million keeps Dovecot busy for minutes). With an empty cache the same
# command is served (test_search sort prints the order it got).
SEARCH_PROG=$top_builddir/tests/integration/test_search
"$SEARCH_PROG" sort "$CFG" Lists/dev date 1 >"$QF_DIR/sort-warm.out" 2>&1
grep -q '^DONE fail .*cache holds' "$QF_DIR/sort-warm.out" &&
    [ -z "$(sed -n 's/^ORDER //p' "$QF_DIR/sort-warm.out")" ] &&
    ok "a folder painted whole from the cache is not sorted on the server" ||
    not_ok "a folder painted whole from the cache is not sorted on the server" \
	"$(grep -E '^(ORDER|DONE)' "$QF_DIR/sort-warm.out" | cut -c1-100)"
XDG_CACHE_HOME=$QF_DIR/cache-cold "$SEARCH_PROG" sort "$CFG" Lists/dev date 1 \
    >"$QF_DIR/sort-cold.out" 2>&1
n=$(sed -n 's/^ORDER //p' "$QF_DIR/sort-cold.out" | wc -w)
grep -q '^DONE ok' "$QF_DIR/sort-cold.out" && [ "$n" = "$rows" ] &&
    ok "with an empty cache the same folder is sorted on the server ($n UIDs)" ||
    not_ok "with an empty cache the same folder is sorted on the server" \
	"order of $n, want $rows" "$(grep '^DONE' "$QF_DIR/sort-cold.out")"

# ---- UIDVALIDITY changed between two runs ----
uid=$(fixture_doveadm -f tab fetch uid mailbox Lists/dev all | sed -n 2p)
old=$(fixture_doveadm -f tab mailbox status uidvalidity Lists/dev | tail -n 1 | cut -f2)
run journal store-offline "$CFG" Lists/dev "$uid" offline
fixture_doveadm mailbox update --uid-validity $((old + 1000)) Lists/dev ||
    not_ok "doveadm mailbox update --uid-validity"
run renumbered renumbered "$CFG" Lists/dev "$old"
fixture_doveadm fetch flags mailbox Lists/dev uid "$uid" | grep -q Flagged &&
    not_ok "the dropped change never reached the new uid $uid" ||
    ok "the dropped change never reached the new uid $uid"

# ---- offline: the server stopped ----
uid=$(fixture_doveadm -f tab search mailbox INBOX unflagged | tail -n 1 |
    cut -f2)
run fill-inbox body "$CFG" INBOX "$uid"
fixture_pause || tap_bail "fixture_pause failed"
run offline-body body "$CFG" INBOX "$uid" offline
run offline-store store-offline "$CFG" INBOX "$uid"
fixture_resume || tap_bail "fixture_resume failed"
fixture_doveadm fetch flags mailbox INBOX uid "$uid" | grep -q Flagged &&
    not_ok "the offline change is not on the server before quire is back" ||
    ok "the offline change is not on the server before quire is back"
run online-again fill "$CFG" INBOX
fixture_doveadm fetch flags mailbox INBOX uid "$uid" | grep -q Flagged &&
    ok "the flag change made offline reached the server after it returned" ||
    not_ok "the flag change made offline reached the server after it returned"

# ---- quire --cache-info: columns by display width ----
# "Entwürfe" is 9 bytes and 8 columns: padded by bytes, its row would be
# a column short of the others. Every row of the table must be as wide
# as its header (wc -L counts display columns in a UTF-8 locale), and the
# row must say how many messages the cache holds.
run fill-entwuerfe fill "$CFG" "Entwürfe"
info=$QF_DIR/cache-info.out
"$top_builddir/quire" -c "$CFG" --cache-info >"$info" 2>&1 ||
    not_ok "quire --cache-info exits 0" "$(cat "$info")"
table=$(sed -n '/^folder /,$p' "$info")
widths=$(printf '%s\n' "$table" | while IFS= read -r line; do
	printf '%s\n' "$line" | LC_ALL=C.UTF-8 wc -L
done | sort -u)
want=$(fixture_doveadm -f tab mailbox status messages "Entwürfe" |
    tail -n 1 | cut -f2)
got=$(printf '%s\n' "$table" | awk '$1 == "Entwürfe" { print $2 }')
if [ "$(printf '%s\n' "$widths" | wc -l)" -eq 1 ] && [ -n "$got" ] &&
    [ "$got" = "$want" ]; then
	ok "--cache-info lines up its columns by display width (Entwürfe, $got messages; every row $widths columns)"
else
	not_ok "--cache-info lines up its columns by display width" \
	    "widths: $(printf '%s' "$widths" | tr '\n' ' '); Entwürfe: ${got:-no row} of $want" \
	    "$table"
fi

# ---- a cache overwritten with garbage ----
[ -f "$CACHE" ] || tap_bail "no cache at $CACHE"
head -c 65536 /dev/urandom >"$CACHE"
rm -f "$CACHE-wal" "$CACHE-shm"
run garbage garbage "$CFG" INBOX
ls "$CACHE".broken-* >/dev/null 2>&1 &&
    ok "the damaged file was moved aside ($(basename "$(ls "$CACHE".broken-* | head -n 1)"))" ||
    not_ok "the damaged file was moved aside"

tap_done

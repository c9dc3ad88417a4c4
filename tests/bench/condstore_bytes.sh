#!/bin/bash
# condstore_bytes.sh: quire's wire counters for a warm open of the
# fixture's Big folder (10,000 messages), per server (Dovecot as it is,
# and with QRESYNC hidden: fixture_start --no-qresync) and per case:
# nothing changed, 10 flags changed by another client, then one message
# expunged by another client. Not part of make check.
#
#   cd BUILD && make tests/integration/test_condstore tests/fixture/genmail
#   top_srcdir=SRC top_builddir=. bash SRC/tests/bench/condstore_bytes.sh
#
# OLD=PATH also runs another build's test_condstore (an older quire) on a
# cache of its own, for a before/after table. Each line: server, binary,
# case, then bytes in, bytes out and round trips from the connection to
# idle (the LIST and STATUS crawl included: the same in every line), and
# the commands sent between the SELECT and the crawl: the reconcile.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/fixture/fixture.sh"
NEW=$top_builddir/tests/integration/test_condstore
OLD=${OLD:-}
F=Big
[ -x "$NEW" ] || { echo "no $NEW" >&2; exit 1; }

counters() {
	sed -n 's/.*wire counters (online): \([0-9]*\) bytes in, \([0-9]*\) bytes out, \([0-9]*\) round trips.*/\1 in \2 out \3 trips/p' "$1" |
	    tail -n 1
}

reconcile() {
	sed -n 's/.* C: [^ ]* //p' "$1" | awk '/^SELECT/ { on = 1; next }
	    on && /^(STATUS|IDLE)/ { exit } on' | cut -c1-60 | tr '\n' ';'
}

# open BIN NAME: a warm (or, the first time, cold) open, its line.
open_big() {
	local p=$NEW log=$QF_DIR/$1-$2.log
	[ "$1" = old ] && p=$OLD
	XDG_CACHE_HOME=$QF_DIR/cache-$1 CONDSTORE_LOG=$log \
	    "$p" open "$CFG" $F "$QF_DIR/$1-$2.rows" >/dev/null || return 1
	[ "$2" = cold ] && return 0
	printf '%-9s %-3s %-14s %s | %s\n' "$server" "$1" "$2" \
	    "$(counters "$log")" "$(reconcile "$log")"
}

bins=new
[ -n "$OLD" ] && bins="new old"
for server in qresync condstore; do
	opt=
	[ $server = condstore ] && opt=--no-qresync
	fixture_start $opt || exit 1
	CFG=$(fixture_config none)
	for b in $bins; do open_big $b cold && open_big $b unchanged; done
	for u in 11 222 1333 2444 3555 4666 5777 6888 7999 9000; do
		fixture_doveadm flags add '\Answered' mailbox $F uid $u
	done
	for b in $bins; do open_big $b ten-flags; done
	fixture_doveadm expunge mailbox $F uid 500
	for b in $bins; do open_big $b one-expunged; done
	fixture_stop
done

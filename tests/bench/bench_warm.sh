#!/bin/bash
# Benchmark: quire opens a folder of N messages (default 100,000) that is
# already in its cache, on the fixture's Dovecot, with nothing changed on
# the server since. One cold run fills the cache; then for each of RUNS
# runs (default 5) it measures, from the exec of quire as seen by the
# terminal:
#   first paint  the first index row on screen (read through tmux), which
#                comes from the cache before any answer from the server
#   online       the status line says online: reconciled with the server
# and prints min / median / max. A last run with a debug log reads the
# wire's counters (the session logs them once the folder is reconciled,
# when it first goes online after the folder list's STATUS round, and at
# exit): the bytes a warm open costs. Not part of make check.
#
#   make -C build bench              (all benchmarks)
#   tests/bench/bench_warm.sh [N] [RUNS]   (from a build dir's environment)
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
export LC_ALL=C.UTF-8
n=${1:-100000}
runs=${2:-5}
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "bench_warm: generating and indexing a $n-message folder..."
fixture_start --count-big "$n" >/dev/null || { echo "fixture failed"; exit 1; }
fixture_doveadm mailbox status messages Big >/dev/null
cfg=$(fixture_config)
total=$(printf '%d' "$n" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')
home=$(mktemp -d "$QF_DIR/bench-home.XXXXXX")
cache=$home/cache

# start [ARGS...]: quire on Big in tmux; sets t0 to its exec.
start() {
	local stamp
	stamp=$(mktemp "$QF_DIR/exec.XXXXXX")
	e2e_start -x 160 -y 50 -e "HOME=$home" -e "XDG_CACHE_HOME=$cache" \
	    -- sh -c 'date +%s%N > "$0"; exec "$@"' "$stamp" \
	    "$QUIRE_BIN" -c "$cfg" "$@" Big
	while [ ! -s "$stamp" ]; do sleep 0.002; done
	t0=$(( $(cat "$stamp") / 1000000 ))
}

wait_online() {
	until e2e_screen | grep -qF "Big $total msgs" &&
	    e2e_screen | grep -q '| online' &&
	    ! e2e_screen | grep -q fetching; do
		sleep 0.02
		[ $(( $(now_ms) - t0 )) -lt 600000 ] || return 1
	done
}

quit() {
	e2e_keys q
	e2e_wait_gone 10 >/dev/null 2>&1
	e2e_stop
}

# The cold run: every summary into the cache.
start
wait_online || { echo "the cold run never came online"; exit 1; }
echo "cold run: all $total rows in $(( $(now_ms) - t0 )) ms; cache" \
    "$(du -h "$cache/quire/fixture.db" | cut -f1)"
sleep 1
quit

first=() online=()
for ((r = 1; r <= runs; r++)); do
	start
	# A whole index row: flags column, then text (as bench_sync.sh).
	until e2e_screen | grep -qE '│[N ][! ][r ][@ ] +[A-Z0-9]'; do
		sleep 0.002
		[ $(( $(now_ms) - t0 )) -lt 60000 ] || break
	done
	t1=$(now_ms)
	wait_online
	t2=$(now_ms)
	first+=($((t1 - t0))); online+=($((t2 - t0)))
	sleep 0.5
	quit
done

# The bytes: one more warm run, with the debug log.
log=$QF_DIR/warm.log
start -d "$log"
wait_online
sleep 2
quit
at_open=$(grep -m1 'wire counters (reconciled)' "$log" | sed 's/.*): //')
at_online=$(grep -m1 'wire counters (online)' "$log" | sed 's/.*): //')
at_exit=$(grep -m1 'wire counters (exit)' "$log" | sed 's/.*): //')

stats() {	# NAME UNIT VALUES...: min, median, max
	local name=$1 unit=$2
	shift 2
	printf '%s\n' "$@" | sort -g | awk -v name="$name" -v unit="$unit" '
	    { v[NR] = $1 }
	    END { printf "%-28s %10s %10s %10s  %s\n", name, v[1],
		v[int((NR + 1) / 2)], v[NR], unit }'
}
echo
echo "quire opening a $total-message folder from its cache, $runs runs"
printf '%-28s %10s %10s %10s\n' "" min median max
stats "first paint (warm)" ms "${first[@]}"
stats "online (reconciled)" ms "${online[@]}"
echo "wire, login to reconciled:    ${at_open:-?}"
echo "wire, login to online:        ${at_online:-?}"
echo "wire, whole run (2 s idle):   ${at_exit:-?}"

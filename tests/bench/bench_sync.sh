#!/bin/bash
# Benchmark: quire opens a folder of N messages (default 100,000) on the
# fixture's Dovecot, with no cache. For each of RUNS runs (default 5) it
# measures, from the exec of quire as seen by the terminal:
#   first paint  the first index row on screen (read through tmux)
#   full sync    the status line shows all N messages and no fetch
#   peak RSS     VmHWM of the quire process after the full sync
#   CPU          user + system seconds of quire up to then
# and prints min / median / max of each. Not part of make check.
#
#   make -C build bench              (all benchmarks)
#   tests/bench/bench_sync.sh [N] [RUNS]   (from a build dir's environment)
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
export LC_ALL=C.UTF-8
n=${1:-100000}
runs=${2:-5}
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "bench_sync: generating and indexing a $n-message folder..."
fixture_start --count-big "$n" >/dev/null || { echo "fixture failed"; exit 1; }
fixture_doveadm mailbox status messages Big >/dev/null
cfg=$(fixture_config)
total=$(printf '%d' "$n" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')

first=() full=() rss=() cpu=()
for ((r = 1; r <= runs; r++)); do
	home=$(mktemp -d "$QF_DIR/bench-home.XXXXXX")
	stamp="$QF_DIR/exec.$r"
	e2e_start -x 160 -y 50 -e "HOME=$home" -e "XDG_CACHE_HOME=$home/cache" \
	    -- sh -c 'date +%s%N > "$0"; exec "$@"' "$stamp" \
	    "$QUIRE_BIN" -c "$cfg" Big
	while [ ! -s "$stamp" ]; do sleep 0.005; done
	t0=$(( $(cat "$stamp") / 1000000 ))
	until e2e_screen | grep -qE '│[N ][! ][r ][@ ] +[A-Z0-9]'; do
		sleep 0.005
		[ $(( $(now_ms) - t0 )) -lt 60000 ] || break
	done
	t1=$(now_ms)
	until e2e_screen | grep -qF "Big $total msgs" &&
	    ! e2e_screen | grep -q fetching; do
		sleep 0.02
		[ $(( $(now_ms) - t0 )) -lt 300000 ] || break
	done
	t2=$(now_ms)
	pid=$(e2e_pid)
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	first+=($((t1 - t0))); full+=($((t2 - t0)))
	rss+=($((hwm / 1024))); cpu+=($(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" \
	    'BEGIN { printf "%.2f", t / hz }'))
	e2e_keys q
	e2e_wait_gone 10 >/dev/null 2>&1
	e2e_stop
done

stats() {	# NAME UNIT VALUES...: min, median, max
	local name=$1 unit=$2
	shift 2
	printf '%s\n' "$@" | sort -g | awk -v name="$name" -v unit="$unit" '
	    { v[NR] = $1 }
	    END { printf "%-28s %10s %10s %10s  %s\n", name, v[1],
		v[int((NR + 1) / 2)], v[NR], unit }'
}
echo
echo "quire opening a $total-message folder, no cache, $runs runs"
printf '%-28s %10s %10s %10s\n' "" min median max
stats "first paint (cold)" ms "${first[@]}"
stats "full sync" ms "${full[@]}"
stats "peak RSS after full sync" MB "${rss[@]}"
stats "CPU to full sync" s "${cpu[@]}"

#!/bin/bash
# run.sh: quire side by side with NeoMutt and aerc on one Dovecot folder.
#
# One fixture Dovecot with a Big folder of COUNT messages (genmail -r: a
# crowd of senders, encoded and plain subjects, plain, alternative and
# attachment bodies, threads, 70% read) plus one marker message, the
# newest, whose subject every client shows on its first screen. Every
# client talks to Dovecot through the same counting proxy
# (tests/fake/faultproxy), in plaintext, and runs in the same tmux pane
# size under paintwatch, the clock outside the client. Per client:
#
#   cold   RUNS runs, each with an empty cache (one untimed run first, so
#          Dovecot's own caches are warm and the client is what is timed):
#          first paint, peak RSS once the client is idle (whole folder
#          synced), bytes through the proxy up to then
#   warm   RUNS runs on the cache the last cold run left: first paint,
#          bytes up to idle
#   live   one warm session: CPU per cursor move (Down and Up, one key at
#          a time), and how long another IMAP client's STORE of \Flagged
#          on the marker takes to show on the screen (tmux capture-pane
#          polled without pause), set and cleared RUNS times each, beside
#          the time the same STORE takes to reach a bare client in IDLE
#
# Each figure is the median of its runs; the table puts the clients side
# by side with their ratio to quire and quire's target. Search is quire's
# engine against Dovecot's own time (bench_search.sh on this fixture).
#
#   tests/bench/run.sh [-n COUNT] [-r RUNS] [-c "quire neomutt aerc"] [-S]
#
# -S skips the search figures. NeoMutt and aerc are installed with
# apt-get when missing and running as root; otherwise their columns stay
# empty. Figures only, no pass or fail. Needs tmux, Dovecot and a build
# dir's quire, paintwatch, faultproxy and genmail (make bench builds them).
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
export LC_ALL=C.UTF-8

count=100000 runs=5 clients="quire neomutt aerc" search=1
while getopts n:r:c:S opt; do
	case $opt in
	n) count=$OPTARG ;;
	r) runs=$OPTARG ;;
	c) clients=$OPTARG ;;
	S) search=0 ;;
	*) echo "usage: run.sh [-n COUNT] [-r RUNS] [-c CLIENTS] [-S]" >&2
	   exit 2 ;;
	esac
done

. "$top_srcdir/tests/fixture/fixture.sh"
E2E_NAME=bench
. "$top_srcdir/tests/e2e/lib.sh"

PAINTWATCH=$top_builddir/tests/bench/paintwatch
PROXY=$top_builddir/tests/fake/faultproxy
for p in "$QUIRE_BIN" "$PAINTWATCH" "$PROXY"; do
	[ -x "$p" ] || { echo "run.sh: build $p first (make bench)"; exit 1; }
done
COLS=160 ROWS=50
MARK_SUBJECT="Bench marker pelican-jump"
MARK_PAT=pelican-jump
MARK_TIME=1893456000		# 2030-01-01: newer than all of genmail's

log() { printf 'run.sh: %s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median VALUES...: the median (the lower middle of an even count); "-"
# when there are none.
median() {
	[ $# -gt 0 ] || { echo -; return; }
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { print v[int((NR + 1) / 2)] }'
}

# ---- the clients installed ----

have_client() {
	case $1 in
	quire) return 0 ;;
	neomutt|aerc) command -v "$1" >/dev/null 2>&1 ;;
	*) return 1 ;;
	esac
}

install_clients() {
	local c missing=
	for c in $clients; do
		have_client "$c" || missing="$missing $c"
	done
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		log "installing$missing"
		DEBIAN_FRONTEND=noninteractive apt-get install -y $missing \
		    >/dev/null 2>&1 || log "apt-get install$missing failed"
	fi
	for c in $missing; do
		have_client "$c" ||
			log "$c not installed (apt-get install -y $c); its column stays empty"
	done
}

# ---- the fixture, the marker, the proxy ----

# put_marker: the newest message of Big, unread, written into the Maildir
# before Dovecot first looks at the folder.
put_marker() {
	local f=$QF_DIR/marker.eml name
	cat >"$f" <<-EOF
	From: Pelican Bench <bench@gen.quire.test>
	To: Quire Tester <quire@gen.quire.test>
	Subject: $MARK_SUBJECT
	Date: Tue, 1 Jan 2030 00:00:00 +0000
	Message-ID: <bench.marker@gen.quire.test>
	MIME-Version: 1.0
	Content-Type: text/plain; charset=us-ascii

	The message every client shows on its first screen.
	EOF
	name="$MARK_TIME.bench.marker,S=$(stat -c %s "$f"):2,"
	mv "$f" "$QF_MAILDIR/Big/cur/$name"
	touch -d "@$MARK_TIME" "$QF_MAILDIR/Big/cur/$name"
	[ "$(id -u)" -ne 0 ] || chown "$_QF_UID:$_QF_GID" "$QF_MAILDIR/Big/cur/$name"
}

start_fixture() {
	local t0
	# Dovecot's imap process needs more than its default 256M of address
	# space to open a million-message Maildir.
	QF_VSZ_LIMIT=4G
	log "generating $count messages..."
	fixture_start --count-big "$count" --realistic >/dev/null ||
		{ log "fixture failed"; exit 1; }
	put_marker
	log "generated in ${QF_TIME_GEN} s; Dovecot indexing Big..."
	t0=$(now_ms)
	fixture_doveadm mailbox status messages Big >/dev/null
	T_INDEX=$(( $(now_ms) - t0 ))
	log "Dovecot indexed Big in $T_INDEX ms"
	MARK_UID=$(fixture_doveadm -f flow search mailbox Big \
	    header Message-ID bench.marker@gen.quire.test | sed 's/.* //')
	[ -n "$MARK_UID" ] || { log "no marker in Big"; exit 1; }
}

start_proxy() {
	local out=$QF_DIR/proxy.out i
	"$PROXY" -c "127.0.0.1:$QF_PORT_IMAP" -t 86400 >"$out" 2>&1 &
	PROXY_PID=$!
	for i in $(seq 200); do
		[ "$(wc -l <"$out")" -ge 2 ] && break
		sleep 0.02
	done
	PROXY_PORT=$(awk '$1 == "port" { print $2 }' "$out")
	PROXY_CTL=$(awk '$1 == "control" { print $2 }' "$out")
	[ -n "$PROXY_PORT" ] && [ -n "$PROXY_CTL" ] ||
		{ log "faultproxy did not start"; exit 1; }
}

stop_proxy() {
	[ -n "${PROXY_PID:-}" ] || return 0
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	PROXY_PID=
}

# proxy_bytes: all bytes the proxy has passed so far, both ways.
proxy_bytes() {
	local line
	exec 7<>"/dev/tcp/127.0.0.1/$PROXY_CTL" || { echo 0; return; }
	printf 'stats\n' >&7
	while IFS= read -r -t 5 line <&7; do
		case $line in
		total*) set -- $line; echo $(( $5 + $7 )); break ;;
		esac
	done
	exec 7>&-
}

# ---- starting each client ----

# setup_CLIENT HOME: write the client's configuration below HOME (its
# cache goes there too); set CMD to the command line.
setup_quire() {
	local cfg
	cfg=$(fixture_config none "$PROXY_PORT")
	ENV=(-e "HOME=$1" -e "XDG_CACHE_HOME=$1/cache")
	CMD=("$QUIRE_BIN" -c "$cfg" "${QUIRE_ARGS[@]}" Big)
}

setup_neomutt() {
	mkdir -p "$1/hcache" "$1/bodies"
	cat >"$1/neomuttrc" <<-EOF
	set folder = "imap://$QF_USER@127.0.0.1:$PROXY_PORT/"
	set imap_user = "$QF_USER"
	set imap_pass = "$QF_PASS"
	set spoolfile = "+Big"
	set ssl_starttls = no
	set ssl_force_tls = no
	set header_cache = "$1/hcache/"
	set message_cachedir = "$1/bodies/"
	set imap_qresync = yes
	set imap_condstore = yes
	set imap_idle = yes
	set timeout = 1
	set mail_check = 1
	set sort = reverse-date
	set imap_check_subscribed = no
	EOF
	ENV=(-e "HOME=$1")
	CMD=(neomutt -n -F "$1/neomuttrc" -f "+Big")
}

setup_aerc() {
	mkdir -p "$1/config/aerc" "$1/cache"
	(umask 077 && cat >"$1/config/aerc/accounts.conf") <<-EOF
	[bench]
	source = imap+insecure://$QF_USER:$QF_PASS@127.0.0.1:$PROXY_PORT
	outgoing = /bin/false
	from = Quire Tester <quire@gen.quire.test>
	default = Big
	folders = Big
	cache-headers = true
	EOF
	ENV=(-e "HOME=$1" -e "XDG_CONFIG_HOME=$1/config" \
	    -e "XDG_CACHE_HOME=$1/cache")
	CMD=(aerc)
}

# launch CLIENT HOME: the client under paintwatch in a fresh tmux; sets
# WATCH (paintwatch's output), CPID (the client's pid) and CLIENT.
launch() {
	local i
	CLIENT=$1
	"setup_$1" "$2"
	WATCH=$(mktemp "$QF_DIR/watch.XXXXXX")
	e2e_start -x "$COLS" -y "$ROWS" "${ENV[@]}" -- \
	    "$PAINTWATCH" -o "$WATCH" -p "$MARK_PAT" -- "${CMD[@]}"
	CPID=
	for i in $(seq 500); do
		CPID=$(awk '$1 == "pid" { print $2 }' "$WATCH")
		[ -n "$CPID" ] && break
		sleep 0.01
	done
}

# wait_paint SECONDS: the ms from exec to the marker on screen, or fail.
wait_paint() {
	local deadline=$(( $(now_ms) + $1 * 1000 )) ms
	while [ "$(now_ms)" -lt "$deadline" ]; do
		ms=$(awk '$1 == "match" && $2 == 1 { print $3 }' "$WATCH")
		[ -n "$ms" ] && { echo "$ms"; return 0; }
		grep -q '^exit' "$WATCH" && break
		sleep 0.005
	done
	return 1
}

# cpu_ns PID: CPU time of all the process's threads so far, in ns.
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# synced_CLIENT: true unless the client's screen says it is still
# syncing. quire says so in its status line; NeoMutt paints its index
# only once it has every header; aerc shows no such state.
synced_quire() {
	local st
	st=$(e2e_screen)
	case $st in *"| online"*) ;; *) return 1 ;; esac
	case $st in *fetching*|*syncing*) return 1 ;; esac
}
synced_neomutt() { :; }
synced_aerc() { :; }

# wait_idle PID SECONDS: until the process used under 5 ms of CPU and no
# byte crossed the proxy in each of three 1 s windows in a row, and its
# screen does not say it is syncing: it has synced what it syncs on open.
# CPU alone is not enough: a client waiting for Dovecot's answer to a big
# FETCH uses none, and quiet is not either: Dovecot may think for many
# seconds before it answers a SORT of a million messages.
wait_idle() {
	local pid=$1 deadline=$(( $(now_ms) + $2 * 1000 )) a b w x quiet=0
	a=$(cpu_ns "$pid")
	w=$(proxy_bytes)
	while [ "$(now_ms)" -lt "$deadline" ]; do
		sleep 1
		[ -d "/proc/$pid" ] || return 1
		b=$(cpu_ns "$pid")
		x=$(proxy_bytes)
		if [ $((b - a)) -lt 5000000 ] && [ "$x" = "$w" ] &&
		    "synced_$CLIENT"; then
			quiet=$((quiet + 1))
			[ "$quiet" -ge 3 ] && return 0
		else
			quiet=0
		fi
		a=$b w=$x
	done
	return 1
}

rss_mb() {
	awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"
}

# quit CLIENT: its own quit key, then TERM if it lingers.
quit_client() {
	case $1 in
	aerc) e2e_keys Escape; e2e_type ":quit"; e2e_keys Enter ;;
	*) e2e_keys q ;;
	esac
	e2e_wait_gone 10 >/dev/null 2>&1 || {
		[ -n "$CPID" ] && kill "$CPID" 2>/dev/null
		e2e_wait_gone 5 >/dev/null 2>&1
	}
	e2e_stop
}

# ---- the measurements ----

# one_open CLIENT HOME KIND: one open, its figures into the KIND arrays.
one_open() {
	local c=$1 home=$2 kind=$3 b0 ms t0
	# Dovecot's SELECT costs more once sessions have filled its cache and
	# transaction log: its floor is taken just before each open.
	eval "${kind}_floor+=(\"\$(open_floor 1)\")"
	b0=$(proxy_bytes)
	t0=$(now_ms)
	launch "$c" "$home"
	if ! ms=$(wait_paint 900); then
		log "$c ($kind): the marker never showed"
		e2e_failure_screen "$c-$kind" 2>&1 | head -20 >&2
		quit_client "$c"
		return 1
	fi
	wait_idle "$CPID" 1800 || log "$c ($kind): never went idle"
	eval "${kind}_paint+=(\"\$ms\")"
	eval "${kind}_rss+=(\"\$(rss_mb \"\$CPID\")\")"
	eval "${kind}_bytes+=(\"\$(( \$(proxy_bytes) - b0 ))\")"
	log "$c ($kind): paint $ms ms, RSS $(rss_mb "$CPID") MB, idle after" \
	    "$(( $(now_ms) - t0 )) ms"
	quit_client "$c"
}

# cursor_cpu PID: ms of CPU per cursor move over 2 x 100 moves, all
# threads, then the main thread alone (what a fetch the move starts costs
# is in the first only).
cursor_cpu() {
	local pid=$1 key a b ma mb i
	sleep 0.5
	a=$(cpu_ns "$pid")
	ma=$(awk '{ print $1 }' "/proc/$pid/schedstat")
	for key in Down Up; do
		for i in $(seq 100); do
			e2e_keys "$key"
			sleep 0.01
		done
	done
	sleep 0.3
	b=$(cpu_ns "$pid")
	mb=$(awk '{ print $1 }' "/proc/$pid/schedstat")
	awk -v n=$((b - a)) -v m=$((mb - ma)) \
	    'BEGIN { printf "%.3f %.3f\n", n / 200 / 1e6, m / 200 / 1e6 }'
}

# marker_flagged: 0 when the marker's row shows the flagged mark, 1 when
# it shows none, 2 when the row is not on the screen (never a match).
marker_flagged() {
	local l
	l=$(e2e_screen | grep -F -- "$MARK_PAT") || return 2
	case $l in *'!'*) return 0 ;; esac
	return 1
}

# imap_open FD: a logged-in connection on FD with Big selected.
imap_open() {
	local line
	eval "exec $1<>/dev/tcp/127.0.0.1/$QF_PORT_IMAP" || return 1
	IFS= read -r -t 5 line <&"$1"
	printf 'a LOGIN %s %s\r\nb SELECT Big\r\n' "$QF_USER" "$QF_PASS" >&"$1"
	while IFS= read -r -t 30 line <&"$1"; do
		case $line in "b "*) return 0 ;; esac
	done
	return 1
}

# flag_latency: another client's STORE of \Flagged on the marker (set,
# then cleared, RUNS times each), sent on a connection of run.sh's own;
# per STORE a line "SCREEN IDLE": ms from sending it to the marker's row
# changing on the screen, and to the untagged FETCH reaching a third
# connection sitting in IDLE, which is what Dovecot takes to tell any
# IDLE session (it batches notifications for 500 ms, and a Maildir
# rescans its directory): the floor under the client's figure, in the
# same moment. Both are polled in one loop, a few ms a turn.
flag_latency() {
	local i op want t0 ts ti line now
	imap_open 8 && imap_open 9 || return 1
	printf 'c IDLE\r\n' >&9
	for i in $(seq $((2 * runs))); do
		if [ $((i % 2)) -eq 1 ]; then op=+ want=0; else op=- want=1; fi
		sleep 1
		while IFS= read -r -t 0.05 line <&9; do :; done
		t0=$(date +%s%N) ts= ti=
		printf 's%d UID STORE %s %sFLAGS.SILENT (\\Flagged)\r\n' \
		    "$i" "$MARK_UID" "$op" >&8
		while [ -z "$ts" ] || [ -z "$ti" ]; do
			now=$(date +%s%N)
			[ $(( (now - t0) / 1000000 )) -lt 10000 ] || break
			if [ -z "$ti" ] && read -r -t 0 <&9 &&
			    IFS= read -r -t 1 line <&9; then
				case $line in
				*FETCH*) ti=$(( (now - t0) / 1000000 )) ;;
				esac
			fi
			if [ -z "$ts" ]; then
				marker_flagged
				[ $? -eq "$want" ] &&
				    ts=$(( ($(date +%s%N) - t0) / 1000000 ))
			fi
		done
		echo "${ts:--} ${ti:--}"
		while IFS= read -r -t 5 line <&8; do
			case $line in "s$i "*) break ;; esac
		done
	done
	printf 'DONE\r\nz LOGOUT\r\n' >&9
	printf 'z LOGOUT\r\n' >&8
	exec 8>&- 9>&-
}

# open_floor [N]: a bare client's connect, LOGIN, ENABLE QRESYNC and
# SELECT Big (CONDSTORE) on a new connection, as quire opens it, N times
# (default RUNS): what Dovecot takes to open the folder
# (a Maildir SELECT reads the whole index), the floor under first paint.
open_floor() {
	local i t0 line
	for i in $(seq "${1:-$runs}"); do
		t0=$(date +%s%N)
		exec 8<>"/dev/tcp/127.0.0.1/$QF_PORT_IMAP" || return 1
		IFS= read -r -t 5 line <&8
		printf 'a LOGIN %s %s\r\ne ENABLE QRESYNC\r\nb SELECT Big (CONDSTORE)\r\n' \
		    "$QF_USER" "$QF_PASS" >&8
		while IFS= read -r -t 30 line <&8; do
			case $line in "b "*) break ;; esac
		done
		echo $(( ($(date +%s%N) - t0) / 1000000 ))
		printf 'z LOGOUT\r\n' >&8
		exec 8>&-
		sleep 0.2
	done
}

# bench_client CLIENT: all of one client's figures, into R_* entries.
bench_client() {
	local c=$1 r home
	cold_paint=() cold_rss=() cold_bytes=() cold_floor=() warm_floor=()
	warm_paint=() warm_rss=() warm_bytes=()
	for ((r = 0; r <= runs; r++)); do
		home=$(mktemp -d "$QF_DIR/home-$c.XXXXXX")
		if [ "$r" -eq 0 ]; then
			log "$c: untimed first open"
			one_open "$c" "$home" warmup || return 1
			continue
		fi
		log "$c: cold run $r"
		one_open "$c" "$home" cold || return 1
		[ "$r" -lt "$runs" ] && rm -rf "$home"
	done
	for ((r = 1; r <= runs; r++)); do
		log "$c: warm run $r"
		one_open "$c" "$home" warm || return 1
	done
	WARM_HOME=$home
	log "$c: cursor and flag changes"
	launch "$c" "$home"
	wait_paint 900 >/dev/null && wait_idle "$CPID" 600
	set -- $(cursor_cpu "$CPID")
	R[$c.cursor]=$1 R[$c.cursor_main]=$2
	flag_latency >"$QF_DIR/flag-$c"
	R[$c.flag]=$(median $(awk '$1 != "-" { print $1 }' "$QF_DIR/flag-$c"))
	R[$c.flagidle]=$(median $(awk '$2 != "-" { print $2 }' "$QF_DIR/flag-$c"))
	quit_client "$c"
	R[$c.cold]=$(median "${cold_paint[@]}")
	R[$c.floor]=$(median "${cold_floor[@]}")
	R[$c.warm]=$(median "${warm_paint[@]}")
	R[$c.rss]=$(median "${cold_rss[@]}")
	R[$c.bcold]=$(median "${cold_bytes[@]}")
	R[$c.bwarm]=$(median "${warm_bytes[@]}")
	R[$c.runs]="cold ${cold_paint[*]} | warm ${warm_paint[*]}"
	log "$c: paint cold ${R[$c.cold]} warm ${R[$c.warm]} ms," \
	    "RSS ${R[$c.rss]} MB, bytes cold ${R[$c.bcold]} warm" \
	    "${R[$c.bwarm]}, cursor ${R[$c.cursor]} (main" \
	    "${R[$c.cursor_main]}) ms CPU, flag ${R[$c.flag]} ms (bare IDLE" \
	    "${R[$c.flagidle]})"
}

# bench_search: quire's engine against Dovecot on this fixture: the sums
# over bench_search.sh's queries of the medians.
bench_search() {
	local out
	out=$(top_srcdir=$top_srcdir top_builddir=$top_builddir \
	    bash "$top_srcdir/tests/bench/bench_search.sh" "$count" 15 2>&1)
	printf '%s\n' "$out" | sed 's/^/  search: /' >&2
	R[quire.search]=$(printf '%s\n' "$out" | awk '$2 ~ /^[0-9.]+$/ &&
	    $3 ~ /^[0-9.]+$/ { q += $2; d += $3 } END { printf "%.1f", q }')
	R[dovecot.search]=$(printf '%s\n' "$out" | awk '$2 ~ /^[0-9.]+$/ &&
	    $3 ~ /^[0-9.]+$/ { q += $2; d += $3 } END { printf "%.1f", d }')
}

# ---- the table ----

# ratio A B: A / B to two places, or "-".
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
	    if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0)
		print "-"
	    else
		printf "%.2f\n", a / b }'
}

# row LABEL KEY TARGET [SCALE]: one line of the table; values divided by
# SCALE (bytes to KB).
row() {
	local label=$1 key=$2 target=$3 scale=${4:-1} c v q n a
	for c in quire neomutt aerc; do
		v=${R[$c.$key]:-}
		if [ -n "$v" ] && [ "$v" != - ] && [ "$scale" != 1 ]; then
			v=$(awk -v v="$v" -v s="$scale" 'BEGIN { printf "%.1f", v / s }')
		fi
		eval "$c=\$v"
	done
	printf '%-34s %9s %9s %9s %8s %8s   %s\n' "$label" "${quire:--}" \
	    "${neomutt:--}" "${aerc:--}" "$(ratio "$neomutt" "$quire")" \
	    "$(ratio "$aerc" "$quire")" "$target"
}

print_table() {
	local total
	total=$(printf '%d' "$((count + 1))" |
	    sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')
	echo
	echo "Big: $total messages on loopback Dovecot; medians of $runs runs;" \
	    "Dovecot indexed it in $T_INDEX ms before the runs"
	printf '%-34s %9s %9s %9s %8s %8s   %s\n' figure quire neomutt aerc \
	    nm/quire aerc/q target
	row "first paint, cold (ms)" cold "< 200 (1M: < 1000)"
	row "  Dovecot: LOGIN + SELECT (ms)" floor "the floor, before each"
	row "first paint, warm (ms)" warm "< 60"
	row "peak RSS after sync (MB)" rss "< 40 (1M: < 300)"
	row "bytes, cold open to idle (KB)" bcold "" 1024
	row "bytes, warm open, no change (KB)" bwarm "< 4" 1024
	row "cursor move (ms CPU)" cursor "< 1"
	row "  main thread only" cursor_main ""
	row "flag change on screen (ms)" flag "< 500"
	row "  Dovecot to a bare IDLE (ms)" flagidle "the floor, same STOREs"
	if [ -n "${R[quire.search]:-}" ]; then
		printf '%-34s %9s %9s %9s %8s %8s   %s\n' \
		    "search, 5 queries (ms)" "${R[quire.search]}" - - \
		    "dovecot" "${R[dovecot.search]}" "quire/dovecot $(ratio \
		    "${R[quire.search]}" "${R[dovecot.search]}")"
	fi
	echo
	for c in quire neomutt aerc; do
		[ -n "${R[$c.runs]:-}" ] && echo "$c paints (ms): ${R[$c.runs]}"
	done
	[ -z "${R[quire.wire]:-}" ] ||
		echo "quire's own wire counters, warm open: ${R[quire.wire]}"
}

# quire_wire HOME: quire's own counters on one more warm open, with its
# debug log, as a check on the proxy's.
quire_wire() {
	local logf=$QF_DIR/quire-warm.log
	QUIRE_ARGS=(-d "$logf")
	launch quire "$1"
	QUIRE_ARGS=()
	wait_paint 900 >/dev/null && wait_idle "$CPID" 600
	quit_client quire
	R[quire.wire]=$(grep -m1 'wire counters (online)' "$logf" |
	    sed 's/.*): //')
}

declare -A R
QUIRE_ARGS=()
install_clients
start_fixture
start_proxy
trap 'stop_proxy; e2e_stop; fixture_stop' EXIT
for c in $clients; do
	have_client "$c" || continue
	bench_client "$c" || log "$c: stopped early"
	if [ "$c" = quire ] && [ -n "${WARM_HOME:-}" ]; then
		quire_wire "$WARM_HOME"
	fi
done
stop_proxy
[ "$search" -eq 1 ] && bench_search
print_table

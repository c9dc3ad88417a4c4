#!/bin/bash
# BAD-INPUTS.md rows 1-16 (what a server can throw at quire) against the
# session engine, driven as the UI drives it (test_bad). One case or more
# per row, each named after its row. The hostile servers are
# tests/fake/fakeimap playing the scripts in tests/integration/bad/ (put
# together from pieces: head.imap is the greeting, login and LIST,
# select.imap opens INBOX, and so on) and, for what a real server does,
# the Dovecot fixture, once behind tests/fake/faultproxy. Every fake
# server gets a sane script for the reconnection, and the case "the
# server's script ran to its end" checks that the engine said exactly
# what the script expected, in that order.
#
# Measured figures (times, peak RSS of the driver) come out as comments.
# A row the engine gets wrong stays in the suite as a TODO case, named
# with the bug, until it is fixed (see TODO below).
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=${BAD_TEST:-$top_builddir/tests/integration/test_bad}
FAKEIMAP=$top_builddir/tests/fake/fakeimap
FAULTPROXY=$top_builddir/tests/fake/faultproxy
BAD=$top_srcdir/tests/integration/bad
[ -x "$prog" ] || tap_bail "no test program at $prog"
[ -x "$FAKEIMAP" ] || tap_bail "no fakeimap at $FAKEIMAP"
[ -x "$FAULTPROXY" ] || tap_bail "no faultproxy at $FAULTPROXY"
fixture_start || tap_bail "the Dovecot fixture did not start"
export QF_DIR
export USER=$QF_USER HOME=$QF_DIR/home/$QF_USER
command -v doveadm >/dev/null 2>&1 || export PATH=$PATH:/usr/sbin:/sbin
T=$QF_DIR/bad
mkdir "$T" || tap_bail "mkdir $T"
# The scripts that do TLS name these files next to themselves.
cp "$QF_CERTS"/*.pem "$QF_CERTS/server.key" "$T/" || tap_bail "certificates"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; fixture_stop' EXIT

# Cases the engine fails today: "PATTERN|REASON" lines. A case whose name
# matches PATTERN is reported as TODO with the reason; if it passes, TAP
# says so (a bonus pass) and the line should go.
TODO=(
)

# want ROW: true when the row is to run (BAD_ROWS="3 14" runs only those).
want() {
	[ -z "${BAD_ROWS:-}" ] || [[ " $BAD_ROWS " == *" $1 "* ]]
}

# report STATUS NAME [DIAG...]: one TAP line, TODO applied.
report() {
	local st=$1 name=$2 t why
	shift 2
	for t in "${TODO[@]}"; do
		if [[ $name == *"${t%%|*}"* ]]; then
			why=${t#*|}
			break
		fi
	done
	if [ -n "${why:-}" ]; then
		TAP_N=$((TAP_N + 1))
		if [ "$st" = ok ]; then
			echo "ok $TAP_N - $name # TODO engine bug: $why"
		else
			echo "not ok $TAP_N - $name # TODO engine bug: $why"
		fi
		[ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/# /'
	elif [ "$st" = ok ]; then
		ok "$name"
	else
		not_ok "$name" "$@"
	fi
}

# script NAME PIECE...: $T/NAME.imap from bad/PIECE.imap, in order.
script() {
	local n=$1 p
	shift
	for p in "$@"; do
		cat "$BAD/$p.imap" || tap_bail "no script piece $p"
	done >"$T/$n.imap"
}

# fake NAME CONNS SCRIPT...: fakeimap for CONNS connections playing
# $T/SCRIPT.imap in turn; sets PORT and FPID. Its log is $T/NAME.flog.
fake() {
	local n=$1 conns=$2 s args=() i
	shift 2
	for s in "$@"; do
		args+=("$T/$s.imap")
	done
	: >"$T/$n.port"
	: >"$T/$n.flog"
	"$FAKEIMAP" -t 120 -n "$conns" -l "$T/$n.flog" "${args[@]}" \
	    >"$T/$n.port" 2>"$T/$n.ferr" &
	FPID=$!
	PIDS="$PIDS $FPID"
	for i in $(seq 100); do
		PORT=$(sed -n 's/^port //p' "$T/$n.port")
		[ -n "$PORT" ] && return 0
		sleep 0.05
	done
	tap_bail "fakeimap did not start for $n"
}

# fake_done NAME DESC: wait for the fake server (it exits once its
# connections are over) and check that every script ran to its end.
fake_done() {
	local n=$1 rc i
	for i in $(seq 200); do
		kill -0 "$FPID" 2>/dev/null || break
		sleep 0.05
	done
	kill "$FPID" 2>/dev/null
	wait "$FPID" 2>/dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		report ok "$2: the server's script ran to its end"
	else
		report not_ok "$2: the server's script ran to its end" \
		    "fakeimap status $rc" "$(grep ' ! ' "$T/$n.flog" | tail -n 8)"
	fi
}

# conf NAME SECURITY [LINE...]: a config for the fake server on $PORT.
conf() {
	local f=$T/$1.conf
	{
		echo "[account $1]"
		echo "host = localhost"
		echo "port = $PORT"
		echo "security = $2"
		echo "user = $QF_USER"
		echo "password_cmd = echo fake-password"
		echo "ca_file = $QF_CA"
		shift 2
		printf '%s\n' "$@"
	} >"$f"
	echo "$f"
}

# run NAME MODE ARGS...: one test_bad run; its TAP lines become ours.
run() {
	local n=$1 line rc
	shift
	# A cold cache of its own for each case.
	XDG_CACHE_HOME=$T/cache-$n "$prog" "$@" >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			report ok "${line#ok [0-9]* - }" ;;
		"not ok "*)
			report not_ok "${line#not ok [0-9]* - }" ;;
		"Bail out!"*)
			report not_ok "test_bad $n: ${line#Bail out! }" ;;
		"#"*)
			printf '%s\n' "$line" ;;
		esac
	done <"$T/$n.out"
	if [ "$rc" -ne 0 ]; then
		report not_ok "test_bad $n exits 0" "status $rc" \
		    "$(tail -n 20 "$T/$n.err")"
	fi
}

# no_credentials NAME DESC: the fake server's log shows no login.
no_credentials() {
	if grep -qE '^[0-9]+ C: [^ ]+ (LOGIN|AUTHENTICATE)' "$T/$1.flog"; then
		report not_ok "$2: no credentials sent" \
		    "$(grep -E 'LOGIN|AUTHENTICATE' "$T/$1.flog")"
	else
		report ok "$2: no credentials sent"
	fi
}

# The sane reconnection after a failure in the first backfill.
script again head select resync rows summary rows
echo serve >>"$T/again.imap"

# ---- rows 1, 2, 5, 7: framing attacks in the backfill's answer ----

# frame ROW PIECE DESC REASON MAXKB
frame() {
	want "$1" || return 0
	script "$2" head select summary "$2"
	fake "$2" 2 "$2" again
	run "$2" frame "$(conf "$2" none)" "$3" "$4" "$5"
	fake_done "$2" "$3"
}
# Peak RSS limits: far below what the server announced (test_bad doubles
# them in an AddressSanitizer build). A 256 MiB line costs the 64 MiB
# the line cap lets libetpan buffer, and its doubling.
frame 1 row1 "row 1: literal {4294967295} with little data: rejected before allocation, reconnects" \
    "a literal of 4294967295 bytes, over the limit of 64 MiB" 65536
frame 2 row2a "row 2: literal {4294967296}: refused, never wrapped to 0" \
    "a literal of 4294967296 bytes, over the limit" 65536
frame 2 row2b "row 2: literal {99999999999}: refused, never wrapped" \
    "a literal of 99999999999 bytes, over the limit" 65536
frame 5 row5 "row 5: a 256 MiB line without CRLF: line cap, disconnect, memory bounded" \
    "a line longer than 64 MiB" 131072
frame 7 row7 "row 7: BODYSTRUCTURE nested 20,000 levels: depth cap, no crash" \
    "nested parentheses deeper than 64 levels" 65536

# ---- row 3: the end in the middle of a literal ----

for how in eof rst bye; do
	want 3 || break
	case $how in
	eof) d="row 3: EOF inside a literal" ;;
	rst) d="row 3: RST inside a literal" ;;
	bye) d="row 3: * BYE then EOF inside a literal" ;;
	esac
	script "row3-$how" head select summary rows "row3-$how"
	script "row3-$how-again" head select resync rows either either
	echo serve >>"$T/row3-$how-again.imap"
	fake "row3-$how" 2 "row3-$how" "row3-$how-again"
	run "row3-$how" cut "$(conf "row3-$how" none "timeout = 10")" "$d" \
	    "$T/row3-$how.flog"
	fake_done "row3-$how" "$d"
done

# ---- row 4: silence in the middle of a response ----

if want 4; then
	script row4 head select summary rows row4
	script row4-again head select resync rows either either
	echo serve >>"$T/row4-again.imap"
	fake row4 2 row4 row4-again
	run row4 stall "$(conf row4 none "timeout = 5")" "$T/row4.flog"
	fake_done row4 "row 4"
fi

# ---- row 6: Dovecot's answers 1 byte at a time ----

# proxy NAME [RULE...]: a faultproxy in front of Dovecot; sets PPORT.
proxy() {
	local out=$T/proxy.$1.out i
	shift
	"$FAULTPROXY" -t 900 -c "127.0.0.1:$QF_PORT_IMAP" "$@" >"$out" 2>&1 &
	PIDS="$PIDS $!"
	PPROXY=$!
	for i in $(seq 100); do
		PPORT=$(sed -n 's/^port //p' "$out")
		[ -n "$PPORT" ] && return 0
		sleep 0.05
	done
	tap_bail "faultproxy did not start"
}
for folder in INBOX Big; do
	want 6 || break
	t0=$(_qf_now)
	run "row6-$folder-whole" dump "$(fixture_config none)" "$folder" \
	    "$T/row6-$folder.whole"
	t_whole=$(_qf_elapsed "$t0")
	rule='slice 1'
	proxy "row6-$folder" "$rule"
	t0=$(_qf_now)
	run "row6-$folder-sliced" dump "$(fixture_config none "$PPORT")" \
	    "$folder" "$T/row6-$folder.sliced"
	t_sliced=$(_qf_elapsed "$t0")
	kill "$PPROXY" 2>/dev/null
	wait "$PPROXY" 2>/dev/null
	n=$(wc -l <"$T/row6-$folder.whole")
	if [ "$n" -gt 0 ] && cmp -s "$T/row6-$folder.whole" \
	    "$T/row6-$folder.sliced"; then
		report ok "row 6: $folder delivered by faultproxy '$rule': the same $n rows as delivered whole"
	else
		report not_ok "row 6: $folder delivered by faultproxy '$rule': the same $n rows as delivered whole" \
		    "$(diff "$T/row6-$folder.whole" "$T/row6-$folder.sliced" | head -n 10)"
	fi
	tap_diag "row 6: $folder whole ${t_whole} s, '$rule' ${t_sliced} s"
done

# ---- rows 8, 9, 11: refused before any credential goes out ----

# refuse NAME SECURITY DESC TEXT...: a fake server playing bad/NAME.imap.
refuse() {
	local n=$1 sec=$2 d=$3
	shift 3
	want "$(echo "$n" | sed 's/^row\([0-9]*\).*/\1/')" || return 0
	script "$n" "$n"
	fake "$n" 1 "$n"
	run "$n" refuse "$(conf "$n" "$sec")" "$d" "$@"
	fake_done "$n" "$d"
	no_credentials "$n" "$d"
}
refuse row8-garbage starttls "row 8: garbage greeting" \
    "did not greet as an IMAP server does"
refuse row8-preauth starttls "row 8: PREAUTH on plaintext when TLS is required" \
    "skipped authentication on an unencrypted connection (PREAUTH)"
refuse row8-logindisabled none "row 8: LOGINDISABLED without STARTTLS" \
    "(LOGINDISABLED)" "security = starttls"
refuse row9 starttls "row 9: bytes after the STARTTLS OK" \
    "after its STARTTLS reply"
if ! want 9; then
	:
elif grep -q 'tls established' "$T/row9.flog"; then
	report not_ok "row 9: aborted before the handshake" \
	    "$(grep ' ! ' "$T/row9.flog")"
else
	report ok "row 9: aborted before the handshake"
fi

fp() {
	local f
	f=$(openssl x509 -in "$1" -noout -fingerprint -sha256) || return 1
	printf 'sha256:%s\n' "${f#*=}"
}
refuse row11-selfsigned starttls "row 11: self-signed certificate" \
    "not trusted" "fingerprint = $(fp "$T/selfsigned.pem")"
refuse row11-expired starttls "row 11: expired certificate" \
    "expired" "$(fp "$T/expired.pem")"
refuse row11-wronghost starttls "row 11: certificate for another host" \
    "not trusted" "$(fp "$T/wronghost.pem")"

# ---- row 10: untagged data before STARTTLS completes ----

if want 10; then
	script row10 row10 select summary rows
	echo serve >>"$T/row10.imap"
	fake row10 1 row10
	run row10 untagged "$(conf row10 starttls)" "$T/row10.flog"
	fake_done row10 "row 10"
fi

# ---- row 12: replies without text, unknown codes, body-fld-lines -1 ----

if want 12; then
	script row12 head row12-select summary row12-rows row12-store
	fake row12 1 row12
	run row12 quirks "$(conf row12 none)" "$T/row12.flog"
	fake_done row12 "row 12 (tolerated)"
	script row12-bare1 head select summary rows row12-bare1
	for i in 2 3 4; do
		script "row12-bare$i" head select resync rows
	done
	for i in 2 3; do
		cat "$BAD/row12-bare$i.imap" >>"$T/row12-bare$i.imap"
	done
	cat "$BAD/row12-bare4.imap" >>"$T/row12-bare4.imap"
	fake row12-bare 4 row12-bare1 row12-bare2 row12-bare3 row12-bare4
	run row12-bare bare "$(conf row12-bare none)" "$T/row12-bare.flog"
	fake_done row12-bare "row 12 (refused)"
fi

# ---- row 13: an ENVELOPE libetpan cannot parse ----

if want 13; then
	script row13-1 head select summary row13-1
	script row13-2 head select resync rows row13-2
	script row13-3 head select resync rows row13-3
	echo serve >>"$T/row13-3.imap"
	fake row13 3 row13-1 row13-2 row13-3
	run row13 envelope "$(conf row13 none)"
	fake_done row13 "row 13"
fi

# ---- row 20: a NUL inside a quoted string or a literal ----

# dump NAME: test_bad dump of INBOX into $T/NAME.rows (its own case is
# named for row 6, so the cases here are checked from the file); sets rc.
dump() {
	XDG_CACHE_HOME=$T/cache-$1 "$prog" dump "$(conf "$1" none)" INBOX \
	    "$T/$1.rows" >"$T/$1.out" 2>"$T/$1.err"
	rc=$?
	grep '^#' "$T/$1.out"
}

# subject_of NAME UID DESC: the case DESC holds when UID's subject in
# $T/NAME.rows is "before<U+FFFD>after the NUL, not cut".
subject_of() {
	local subj
	subj=$(awk -F '\t' -v u="$2" '$1 == u { print $9 }' "$T/$1.rows" 2>/dev/null)
	if [ "$subj" = "before"$'\xef\xbf\xbd'"after the NUL, not cut" ]; then
		report ok "$3"
	else
		report not_ok "$3" \
		    "uid $2's subject: $(printf '%s' "$subj" | od -c | head -n 3)" \
		    "status $rc" "$(tail -n 5 "$T/$1.err")"
	fi
}

if want 20; then
	# A NUL in the header fields of row 13's fallback (a literal).
	script row20-1 head select summary row20-1
	script row20-2 head select resync rows row20-2
	script row20-3 head select resync rows row20-3
	echo serve >>"$T/row20-3.imap"
	fake row20 3 row20-1 row20-2 row20-3
	dump row20
	subject_of row20 20 "row 20: a NUL in the header fields of row 13's fallback shows as U+FFFD, the rest not cut"
	if [ "$rc" = 0 ] &&
	    [ "$(cut -f1 "$T/row20.rows" | tr '\n' ' ')" = "10 20 30 " ] &&
	    grep -q $'^10\t.*\tfirst message\t' "$T/row20.rows" &&
	    grep -q $'^30\t.*\tthird message\t' "$T/row20.rows" &&
	    grep -q $'^20\t.*\tBea Example' "$T/row20.rows"; then
		report ok "row 20: the other messages of the chunk load too, each once"
	else
		report not_ok "row 20: the other messages of the chunk load too, each once" \
		    "$(cut -f1,6,9 "$T/row20.rows" 2>&1 | head -n 5)"
	fi
	fake_done row20 "row 20"
	# A NUL in a quoted ENVELOPE string that is otherwise sound.
	script row20-env head select summary row20-env
	fake row20-env 1 row20-env
	dump row20-env
	subject_of row20-env 20 "row 20: a NUL in a quoted ENVELOPE Subject shows as U+FFFD, the rest not cut"
	fake_done row20-env "row 20 (ENVELOPE)"
fi

# ---- row 14: EXPUNGE in the middle of UID FETCHes ----

if want 14; then
	for part in new body; do
		script "row14-$part-all" head select summary rows \
		    "row14-$part"
		fake "row14-$part" 1 "row14-$part-all"
		run "row14-$part" "expunge-$part" "$(conf "row14-$part" none)" \
		    "$T/row14-$part.flog"
		fake_done "row14-$part" "row 14 ($part)"
	done
fi

# ---- row 15: expunged by another client between SEARCH and FETCH ----

if want 15; then
	run row15 gone "$(fixture_config starttls)" "$T/row15.trace"
fi

# ---- row 16: UIDVALIDITY changed across a reconnect ----

if want 16; then
	script row16-1 head select summary rows row16-1
	script row16-2 head row16-2
	fake row16 2 row16-1 row16-2
	run row16 renumber "$(conf row16 none)" "$T/row16.flog"
	fake_done row16 "row 16"
fi

tap_diag "fixture start: ${QF_TIME_START:-?} s"
tap_done

#!/bin/bash
# bench_search: a search on a 100,000-message folder, from the command to
# the result, against Dovecot's own SEARCH time.
#
#   quire:    test_search time: IC_SEARCH sent -> IE_SEARCH received (the
#             session parses the query, writes the criteria, the server
#             searches, the answer is read), median of N, once the folder
#             is loaded
#   Dovecot:  the same UID SEARCH, written by hand, on a plain connection
#             of this script's own: dove_wall is sent -> tagged OK read by
#             a client that only reads (python3), dove_own the command
#             time Dovecot reports in that OK ("(0.313 + ... secs)");
#             medians of N. over_ms = quire_ms - dove_wall
#   UI:       bench_ui's "search result (1 in 100) + repaint" at 100,000
#             rows is the rest of Enter -> painted result
#
# Figures only, no pass or fail:
#   tests/bench/bench_search.sh [COUNT] [N]
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/fixture/fixture.sh"

count=${1:-100000}
n=${2:-15}
prog=$top_builddir/tests/integration/test_search
[ -x "$prog" ] || { echo "bench_search: build $prog first (make check)"; exit 1; }
# A running fixture (run.sh's) is used as it is.
if [ -z "${QF_DIR:-}" ]; then
	fixture_start --count-big "$count" >/dev/null ||
		{ echo "no fixture"; exit 1; }
fi
cfg=$(fixture_config none)
echo "Big: $count messages; fixture started in ${QF_TIME_START:-?} s"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# dovecot_times CRITERIA: for N UID SEARCHes of CRITERIA in Big on one
# connection (after one untimed search), each "WALL OWN": the time from
# sending it to reading its tagged OK, by a client that reads in big
# blocks (python3), and the command's time Dovecot reports in that OK.
dovecot_times() {
	python3 - "$QF_PORT_IMAP" "$QF_USER" "$QF_PASS" "$n" "$1" <<'EOPY'
import socket, sys, time, re
port, user, pw, n, crit = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
s = socket.create_connection(("127.0.0.1", port))
buf = b""
def until(tag):
    global buf
    while True:
        while b"\r\n" in buf:
            line, buf = buf.split(b"\r\n", 1)
            if line.startswith(tag + b" "):
                return line
        buf += s.recv(1 << 20)
s.recv(4096)
s.sendall(b"a LOGIN %s %s\r\nb SELECT Big\r\n" % (user.encode(), pw.encode()))
until(b"b")
for k in range(n + 1):
    tag = b"s%d" % k
    t0 = time.monotonic()
    s.sendall(tag + b" UID SEARCH " + crit.encode() + b"\r\n")
    line = until(tag)
    wall = (time.monotonic() - t0) * 1000
    m = re.search(rb"\(([0-9.]+) \+", line)
    if k > 0:
        print("%.2f %.0f" % (wall, float(m.group(1)) * 1000 if m else -1))
s.sendall(b"z LOGOUT\r\n")
EOPY
}

queries=(
	'from:alice is:unread|FROM "alice" UNSEEN'
	'subject:budget|SUBJECT "budget"'
	'is:flagged|FLAGGED'
	'larger:2K since:2024-01-01|LARGER 2048 SINCE 1-Jan-2024'
	'subject:Grüße|CHARSET UTF-8 SUBJECT "Grüße"'
)
args=()
for q in "${queries[@]}"; do args+=("${q%%|*}"); done
t0=$EPOCHREALTIME
"$prog" time "$cfg" Big "$((n + 1))" "${args[@]}" >"$QF_DIR/times" 2>&1
echo "loaded Big and ran the searches in $(awk -v a="$t0" -v b="$EPOCHREALTIME" \
    'BEGIN { printf "%.1f", b - a }') s"
printf '%-28s %9s %9s %9s %9s %8s\n' query quire_ms dove_wall dove_own over_ms \
    matches
i=0
for q in "${queries[@]}"; do
	i=$((i + 1))
	set -- $(sed -n "${i}p" "$QF_DIR/times")
	qm=$2 hits=$6
	dovecot_times "${q#*|}" >"$QF_DIR/dove"
	dw=$(awk '{ print $1 }' "$QF_DIR/dove" | median)
	do=$(awk '{ print $2 }' "$QF_DIR/dove" | median)
	printf '%-28s %9s %9s %9s %9s %8s\n' "${q%%|*}" "$qm" "$dw" "$do" \
	    "$(awk -v a="$qm" -v b="$dw" 'BEGIN { printf "%.2f", a - b }')" \
	    "$hits"
done

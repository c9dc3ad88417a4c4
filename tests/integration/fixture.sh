#!/bin/bash
# The Dovecot fixture itself: every other integration test, the demo and
# the benchmarks trust it, so check that it serves what it promises (TLS
# that verifies, or fails to, for the right reason; the capabilities; the
# folders and counts of its manifest; doveadm as the other client) and that
# it leaves nothing running, also when the test using it fails.

. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/quire-fixture-test.XXXXXXXX") ||
	tap_bail "no scratch directory"
trap 'rm -rf "$scratch"' EXIT

# ---- the generator on its own ----

genmail=${QF_GENMAIL:-$top_builddir/tests/fixture/genmail}
[ -x "$genmail" ] || tap_bail "no genmail at $genmail"

gen_same() {
	"$genmail" -s 7 -b 50 -m "$scratch/m1" "$scratch/a" &&
	"$genmail" -s 7 -b 50 -m "$scratch/m2" "$scratch/b" &&
	diff -r "$scratch/a" "$scratch/b" && cmp "$scratch/m1" "$scratch/m2"
}
tap_check "genmail: the same seed gives the same files" gen_same

gen_other() {
	"$genmail" -s 8 -b 50 "$scratch/c" &&
	! diff -rq "$scratch/a" "$scratch/c" >/dev/null
}
tap_check "genmail: another seed gives other mail" gen_other

gen_mtime() {
	local f name
	f=$(ls "$scratch/a/Big/cur" | head -n 1)
	name=${f%%.*}
	[ "$(stat -c %Y "$scratch/a/Big/cur/$f")" = "$name" ] ||
		{ echo "mtime of $f is not its internal date"; return 1; }
}
tap_check "genmail: file mtime is the internal date in the name" gen_mtime

gen_nobig() {
	"$genmail" -b 0 -m "$scratch/m3" "$scratch/d" &&
	! grep -q '^Big' "$scratch/m3" && [ ! -e "$scratch/d/Big" ]
}
tap_check "genmail: -b 0 leaves Big out" gen_nobig

gen_usage() {
	! "$genmail" -b x "$scratch/e" 2>/dev/null && [ ! -e "$scratch/e" ]
}
tap_check "genmail: a bad count is refused" gen_usage
rm -rf "$scratch/a" "$scratch/b" "$scratch/c" "$scratch/d"

# ---- the fixture ----

fixture_start || tap_bail "the fixture did not start"
tap_diag "fixture start: ${QF_TIME_START}s, mail generation: ${QF_TIME_GEN}s"
tap_diag "ports: imap $QF_PORT_IMAP imaps $QF_PORT_IMAPS" \
    "wronghost $QF_PORT_IMAPS_WRONGHOST selfsigned $QF_PORT_IMAPS_SELFSIGNED" \
    "expired $QF_PORT_IMAPS_EXPIRED"

# tls PORT [starttls] [openssl options]: a handshake verified against QF_CA
# for host localhost.
tls() {
	local port=$1 st=
	shift
	if [ "${1:-}" = starttls ]; then
		st="-starttls imap"
		shift
	fi
	openssl s_client -connect "$QF_HOST:$port" $st -servername localhost \
	    -CAfile "$QF_CA" -verify_return_error -verify_hostname localhost \
	    "$@" </dev/null 2>&1
}

# expect_verify_error PORT REASON: the handshake fails, for that reason.
expect_verify_error() {
	local out
	if out=$(tls "$1"); then
		echo "verification passed on port $1"
		return 1
	fi
	printf '%s\n' "$out" | grep -q "$2" ||
		{ printf '%s\n' "$out"; echo "wanted: $2"; return 1; }
}

tap_check "STARTTLS on QF_PORT_IMAP verifies for localhost" \
    tls "$QF_PORT_IMAP" starttls
tap_check "implicit TLS on QF_PORT_IMAPS verifies for localhost" \
    tls "$QF_PORT_IMAPS"
tap_check "the wrong-host port fails verification for localhost" \
    expect_verify_error "$QF_PORT_IMAPS_WRONGHOST" "hostname mismatch"
wronghost_chain() {
	openssl s_client -connect "$QF_HOST:$QF_PORT_IMAPS_WRONGHOST" \
	    -CAfile "$QF_CA" -verify_return_error </dev/null 2>&1
}
tap_check "the wrong-host certificate is otherwise valid (CA-signed)" \
    wronghost_chain
tap_check "the self-signed port fails verification" \
    expect_verify_error "$QF_PORT_IMAPS_SELFSIGNED" "self-signed certificate"
tap_check "the expired port fails verification as expired" \
    expect_verify_error "$QF_PORT_IMAPS_EXPIRED" "certificate has expired"

# imaps COMMANDS...: one TLS session, each command tagged t1, t2...
imaps() {
	local i=0 c script=
	for c in "$@" LOGOUT; do
		i=$((i + 1))
		script="${script}t$i $c"$'\r\n'
	done
	printf '%s' "$script" | timeout 10 openssl s_client -quiet \
	    -connect "$QF_HOST:$QF_PORT_IMAPS" -CAfile "$QF_CA" \
	    -verify_return_error 2>/dev/null
}

# imap_plain COMMANDS...: the same on the plaintext port, over bash's
# /dev/tcp.
imap_plain() {
	local i=0 c script=
	for c in "$@" LOGOUT; do
		i=$((i + 1))
		script="${script}t$i $c"$'\r\n'
	done
	timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
	    printf "%s" "$2" >&3; cat <&3' _ "$QF_PORT_IMAP" "$script"
}

login_tls() {
	local out caps c
	out=$(imaps "LOGIN $QF_USER $QF_PASS" "LIST \"\" \"*\"") || true
	printf '%s\n' "$out" >"$scratch/session"
	caps=$(grep '^t1 OK \[CAPABILITY' "$scratch/session") ||
		{ cat "$scratch/session"; return 1; }
	for c in IDLE CONDSTORE QRESYNC UIDPLUS MOVE SORT LITERAL+ \
	    SPECIAL-USE NAMESPACE; do
		case " ${caps%%]*} " in
		*" $c "*) ;;
		*) echo "no $c in: $caps"; return 1 ;;
		esac
	done
}
tap_check "LOGIN over TLS works; CAPABILITY has IDLE CONDSTORE QRESYNC \
UIDPLUS MOVE SORT LITERAL+ SPECIAL-USE" login_tls

list_ok() {
	local want
	for want in '\\Sent) "/" Sent' '\\Trash) "/" Trash' \
	    '\\Drafts) "/" Drafts' '\\Archive) "/" Archive' \
	    '"/" Lists/dev' '\\HasChildren) "/" Lists' '"/" Entw&APw-rfe' \
	    '"/" Big' '"/" INBOX'; do
		grep -qF "${want//\\\\/\\}" "$scratch/session" ||
			{ echo "LIST lacks: $want"; cat "$scratch/session";
			  return 1; }
	done
}
tap_check "LIST: special-use folders, / separator, Lists/dev nested, \
the non-ASCII folder in modified UTF-7" list_ok

login_plain() {
	local out
	out=$(imap_plain "LOGIN $QF_USER $QF_PASS" "SELECT INBOX")
	printf '%s\n' "$out" | grep -q '^t1 OK' &&
	    printf '%s\n' "$out" | grep -q '^t2 OK \[READ-WRITE\]' ||
		{ printf '%s\n' "$out"; return 1; }
}
tap_check "LOGIN and SELECT on the plaintext port" login_plain

login_bad() {
	local out
	out=$(imap_plain "LOGIN $QF_USER wrong-$QF_PASS")
	printf '%s\n' "$out" | grep -q '^t1 NO' ||
		{ printf '%s\n' "$out"; return 1; }
}
tap_check "a wrong password is refused" login_bad

log_shows() {
	grep -q "Login: user=<$QF_USER>.*lport=$QF_PORT_IMAPS" "$QF_LOG" &&
	grep -q "auth failed" "$QF_LOG" ||
		{ tail -n 20 "$QF_LOG"; return 1; }
}
tap_check "QF_LOG shows logins with their port, and failed ones" log_shows

# ---- the mail, against the manifest ----

manifest_ok() {
	local name count unseen flagged got n=0
	while IFS=$'\t' read -r name count unseen flagged; do
		n=$((n + 1))
		got=$(fixture_doveadm -f tab mailbox status \
		    'messages unseen' "$name" | tail -n 1)
		[ "$got" = "$name"$'\t'"$count"$'\t'"$unseen" ] ||
			{ echo "$name: manifest $count $unseen, dovecot $got";
			  return 1; }
		got=$(fixture_doveadm search mailbox "$name" flagged | wc -l)
		[ "$got" -eq "$flagged" ] ||
			{ echo "$name: manifest $flagged flagged, dovecot $got";
			  return 1; }
	done <"$QF_MANIFEST"
	[ "$n" -eq 8 ] || { echo "$n folders in the manifest"; return 1; }
}
tap_check "every folder's messages, unseen and flagged match the manifest" \
    manifest_ok

big_ok() {
	grep -q $'^Big\t10000\t' "$QF_MANIFEST" &&
	grep -q $'^INBOX\t' "$QF_MANIFEST" &&
	grep -q $'^Entw\xc3\xbcrfe\t' "$QF_MANIFEST"
}
tap_check "Big has 10,000 messages by default; names are UTF-8" big_ok

hostile_ok() {
	local id n
	for id in 17a 17b 18a 18b 19a 19b 20a 21a 21b 21c 22a 23b 23c \
	    24a 24b 25a 25b 25c 26a 26b 26c 26d 26e 26f; do
		n=$(fixture_doveadm search mailbox INBOX \
		    header Message-ID "<bad-$id@evil.example>" | wc -l)
		[ "$n" -eq 1 ] || { echo "bad-$id: $n messages"; return 1; }
	done
	n=$(fixture_doveadm search mailbox INBOX subject "[bad-" | wc -l)
	[ "$n" -eq 24 ] || { echo "$n subjects with [bad-"; return 1; }
	n=$(fixture_doveadm search mailbox INBOX text "[bad-23a]" | wc -l)
	[ "$n" -eq 1 ] || { echo "23a: $n messages"; return 1; }
}
tap_check "INBOX holds the hostile messages, each found by its marker" \
    hostile_ok

flags_ok() {
	local out
	fixture_doveadm flags remove '\Flagged' mailbox INBOX uid 3 || return 1
	out=$(fixture_doveadm fetch flags mailbox INBOX uid 3) || return 1
	case $out in *'\Flagged'*) echo "still flagged: $out"; return 1 ;; esac
	fixture_doveadm flags add '\Flagged \Seen' mailbox INBOX uid 3 ||
		return 1
	out=$(fixture_doveadm fetch flags mailbox INBOX uid 3) || return 1
	case $out in
	*'\Flagged'*'\Seen'*|*'\Seen'*'\Flagged'*) ;;
	*) echo "flags after add: $out"; return 1 ;;
	esac
	out=$(imaps "LOGIN $QF_USER $QF_PASS" "EXAMINE INBOX" \
	    "UID FETCH 3 FLAGS")
	printf '%s\n' "$out" |
	    grep -Eq '^\* [0-9]+ FETCH \((UID 3 FLAGS \([^)]*\\Flagged|FLAGS \([^)]*\\Flagged[^)]*\) UID 3)' ||
		{ printf '%s\n' "$out"; return 1; }
}
tap_check "a doveadm flag change shows in doveadm fetch and over IMAP" flags_ok

config_ok() {
	local f g
	f=$(fixture_config tls "" "timeout = 7") || return 1
	[ "$(stat -c %a "$f")" = 600 ] || { echo "mode of $f"; return 1; }
	grep -qx "port = $QF_PORT_IMAPS" "$f" &&
	grep -qx "security = tls" "$f" &&
	grep -qx "ca_file = $QF_CA" "$f" &&
	grep -qx "user = $QF_USER" "$f" &&
	grep -qx "timeout = 7" "$f" || { cat "$f"; return 1; }
	[ "$(sh -c "$(sed -n 's/^password_cmd = //p' "$f")")" = "$QF_PASS" ] ||
		{ echo "password_cmd does not give QF_PASS"; return 1; }
	g=$(fixture_config) || return 1
	[ "$g" != "$f" ] || { echo "the same file twice: $f"; return 1; }
	f=$g
	grep -qx "port = $QF_PORT_IMAP" "$f" &&
	grep -qx "security = starttls" "$f" || { cat "$f"; return 1; }
}
tap_check "fixture_config writes a private config for the account" config_ok

if [ -x "${QUIRE_BIN:-}" ]; then
	check_config() {
		local sec f
		for sec in starttls tls none; do
			f=$(fixture_config "$sec") || return 1
			"$QUIRE_BIN" --check-config -c "$f" >"$scratch/check" 2>&1 ||
				{ echo "$sec:"; cat "$scratch/check"; return 1; }
		done
	}
	tap_check "quire --check-config accepts fixture_config's files" \
	    check_config
else
	tap_diag "no quire binary yet: fixture_config not checked by quire"
fi

# ---- stopping, also on failure ----

stop_ok() {
	local pids dir=$QF_DIR pid
	pids=$(fixture_pids)
	[ "$(printf '%s\n' "$pids" | wc -l)" -ge 8 ] ||
		{ echo "too few processes: $pids"; return 1; }
	fixture_stop || return 1
	for pid in $pids; do
		_qf_alive "$pid" &&
			{ echo "pid $pid still runs:"; ps -o pid=,ppid=,stat=,args= -p "$pid"; return 1; }
	done
	[ ! -e "$dir" ] || { echo "$dir still there"; return 1; }
	fixture_stop || { echo "a second fixture_stop failed"; return 1; }
}
tap_check "fixture_stop ends every Dovecot process and removes QF_DIR" \
    stop_ok

# A test body that fails: start, record, exit non-zero. The trap it had
# already set must still run too.
fail_ok() {
	local rc pid
	(
		trap 'echo earlier >"$scratch/earlier"' EXIT
		fixture_start --no-big || exit 3
		fixture_pids >"$scratch/pids"
		echo "$QF_DIR" >"$scratch/dir"
		false
		exit 7
	)
	rc=$?
	[ "$rc" -eq 7 ] || { echo "subshell ended with $rc"; return 1; }
	[ -s "$scratch/pids" ] || { echo "no pids recorded"; return 1; }
	for pid in $(cat "$scratch/pids"); do
		_qf_alive "$pid" &&
			{ echo "pid $pid still runs:"; ps -o pid=,ppid=,stat=,args= -p "$pid"; return 1; }
	done
	[ ! -e "$(cat "$scratch/dir")" ] || { echo "QF_DIR left"; return 1; }
	[ "$(cat "$scratch/earlier" 2>/dev/null)" = earlier ] ||
		{ echo "the earlier EXIT trap did not run"; return 1; }
}
tap_check "a failing test still stops the fixture (and keeps its own trap)" \
    fail_ok

# A test killed by SIGTERM while it waits.
term_ok() {
	local sub pid i
	rm -f "$scratch/pids" "$scratch/ready"
	(
		fixture_start --no-big || exit 3
		fixture_pids >"$scratch/pids"
		echo "$QF_DIR" >"$scratch/dir"
		sleep 30 &
		echo $! >"$scratch/sleep"
		: >"$scratch/ready"
		wait $!
	) &
	sub=$!
	for i in $(seq 200); do
		[ -e "$scratch/ready" ] && break
		sleep 0.05
	done
	kill -TERM "$sub"
	wait "$sub"
	kill -TERM "$(cat "$scratch/sleep")" 2>/dev/null
	[ -s "$scratch/pids" ] || { echo "no pids recorded"; return 1; }
	for pid in $(cat "$scratch/pids"); do
		_qf_alive "$pid" &&
			{ echo "pid $pid still runs:"; ps -o pid=,ppid=,stat=,args= -p "$pid"; return 1; }
	done
	[ ! -e "$(cat "$scratch/dir")" ] || { echo "QF_DIR left"; return 1; }
}
tap_check "a test killed by SIGTERM still stops the fixture" term_ok

tap_done

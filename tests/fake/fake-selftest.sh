#!/bin/bash
# The hostile-input tools test themselves: the engine tests will trust
# fakeimap and faultproxy to send exactly the bytes a script or a rule
# names, so each promise is checked here with a client that is not quire
# (bash /dev/tcp, and openssl s_client for TLS).

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"

FAKEIMAP=$top_builddir/tests/fake/fakeimap
FAULTPROXY=$top_builddir/tests/fake/faultproxy
[ -x "$FAKEIMAP" ] && [ -x "$FAULTPROXY" ] ||
	tap_bail "build tests/fake/fakeimap and tests/fake/faultproxy first"

T=$(mktemp -d "${TMPDIR:-/tmp}/fake-selftest.XXXXXX") || tap_bail "mktemp"
PIDS=
cleanup() {
	local p
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# wait_key FILE KEY: the number after "KEY " in FILE, once it is there.
wait_key() {
	local i v
	for i in $(seq 100); do
		v=$(sed -n "s/^$2 //p" "$1" 2>/dev/null)
		[ -n "$v" ] && { echo "$v"; return 0; }
		sleep 0.05
	done
	return 1
}

# fake NAME [OPTIONS] SCRIPT...: start fakeimap; sets PORT and FPID, logs
# to $T/NAME.log.
fake() {
	local name=$1
	shift
	"$FAKEIMAP" -t 20 -l "$T/$name.log" "$@" >"$T/$name.out" &
	FPID=$!
	PIDS="$PIDS $FPID"
	PORT=$(wait_key "$T/$name.out" port) ||
		tap_bail "fakeimap did not start"
}

# proxy NAME UPSTREAM_PORT [RULE...]: start faultproxy; sets PPORT, CPORT
# and PPID_.
proxy() {
	local name=$1 up=$2
	shift 2
	"$FAULTPROXY" -t 20 -c "127.0.0.1:$up" "$@" >"$T/$name.out" &
	PPID_=$!
	PIDS="$PIDS $PPID_"
	PPORT=$(wait_key "$T/$name.out" port) ||
		tap_bail "faultproxy did not start"
	CPORT=$(wait_key "$T/$name.out" control) || tap_bail "no control port"
}

# finish PID SECONDS: wait at most SECONDS for PID; its exit status (or
# "running") goes to STATUS. Not in a subshell: only this shell can wait.
finish() {
	local i
	for i in $(seq $(($2 * 20))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$1" 2>/dev/null; then
		STATUS=running
	else
		wait "$1"
		STATUS=$?
	fi
}

# control LINE: send one control command; prints the reply up to "ok"/"err".
control() {
	local line
	exec 4<>"/dev/tcp/127.0.0.1/$CPORT" || return 1
	printf '%s\n' "$1" >&4
	while read -r -t 5 line <&4; do
		echo "$line"
		case $line in ok|err*) break ;; esac
	done
	exec 4<&-
}

# fetch PORT FILE: read the connection to its end into FILE.
fetch() {
	timeout 10 bash -c 'cat <"/dev/tcp/127.0.0.1/$1"' _ "$1" >"$2"
}

# expect_eq DESCRIPTION WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "want: $2" "got:  $3"
	fi
}

# ---- fakeimap ----

cat >"$T/capa.imap" <<'EOF'
# greeting, CAPABILITY, a LOGIN with a literal
send * OK [CAPABILITY IMAP4rev1] fakeimap ready
expect ^[a-z0-9]+ CAPABILITY$
send * CAPABILITY IMAP4rev1 IDLE
send {{TAG}} OK CAPABILITY done
expect ^[a-z0-9]+ LOGIN
send {{TAG}} OK LOGIN done
serve
EOF
fake capa "$T/capa.imap"
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
read -r -t 5 greeting <&3
printf 'x1 CAPABILITY\r\n' >&3
read -r -t 5 capa <&3
read -r -t 5 done1 <&3
printf 'x2 LOGIN {4}\r\n' >&3
read -r -t 5 go <&3
printf 'user pass\r\nx3 LOGOUT\r\n' >&3
read -r -t 5 done2 <&3
rest=$(timeout 5 cat <&3)
exec 3<&-
expect_eq "fakeimap sends the greeting" \
	"* OK [CAPABILITY IMAP4rev1] fakeimap ready" "${greeting%$'\r'}"
expect_eq "fakeimap answers with the client's tag" \
	"* CAPABILITY IMAP4rev1 IDLE|x1 OK CAPABILITY done" \
	"${capa%$'\r'}|${done1%$'\r'}"
expect_eq "fakeimap asks for a synchronizing literal" "+ go" "${go%$'\r'}"
expect_eq "serve answers LOGOUT and closes" \
	"x2 OK LOGIN done|* BYE fakeimap logging out|x3 OK LOGOUT done" \
	"${done2%$'\r'}|$(printf '%s' "$rest" | tr -d '\r' | paste -sd'|')"
tap_check "the log shows the client's line" \
	grep -qxF '1 C: x1 CAPABILITY' "$T/capa.log"
tap_check "the log holds the LOGIN command, literal included" \
	grep -qxF '1 C: x2 LOGIN {4}\r\nuser pass' "$T/capa.log"
finish $FPID 5
expect_eq "fakeimap exits 0 after its one connection" 0 "$STATUS"

cat >"$T/strict.imap" <<'EOF'
send * OK ready
expect ^[a-z0-9]+ LOGIN
send {{TAG}} OK
EOF
fake strict "$T/strict.imap"
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
read -r -t 5 greeting <&3
printf 'y1 NOOP\r\n' >&3
timeout 5 cat <&3 >/dev/null
exec 3<&-
finish $FPID 5
expect_eq "an expect that does not match fails the run" 1 "$STATUS"
tap_check "the mismatch is in the log" \
	grep -q '^1 ! line 2: expected /^\[a-z0-9\]+ LOGIN/' "$T/strict.log"

line='* 1 FETCH (UID 7 FLAGS (\Seen) INTERNALDATE "01-Jan-2024 00:00:00 +0000")'
printf 'sendslow 5 %s\n' "${line//\\/\\\\}" >"$T/slow.imap"
fake slow "$T/slow.imap"
t0=${EPOCHREALTIME/[.,]/}
fetch "$PORT" "$T/slow.got"
t1=${EPOCHREALTIME/[.,]/}
expect_eq "sendslow delivers the line intact" \
	"$line"$'\r' "$(cat "$T/slow.got")"
# 79 bytes in pieces of 1-3 bytes, 5 ms apart: at least 39 pauses.
if [ $(( (t1 - t0) / 1000 )) -ge 190 ]; then
	ok "sendslow takes its time ($(( (t1 - t0) / 1000 )) ms)"
else
	not_ok "sendslow takes its time" "$(( (t1 - t0) / 1000 )) ms"
fi

cat >"$T/repeat.imap" <<'EOF'
sendraw * 1 FETCH (BODY[]\x20
repeat 3M a
send
sendraw * 2 FETCH (BODYSTRUCTURE\x20
repeat 20000 (
send
EOF
fake repeat "$T/repeat.imap"
fetch "$PORT" "$T/repeat.got"
p1='* 1 FETCH (BODY[] ' p2='* 2 FETCH (BODYSTRUCTURE '
expect_eq "repeat sends N copies" \
	$((${#p1} + 3 * 1048576 + 2 + ${#p2} + 20000 + 2)) \
	"$(wc -c <"$T/repeat.got")"
expect_eq "repeat 20000 ( nests 20,000 levels" \
	20002 "$(tr -cd '(' <"$T/repeat.got" | wc -c)"
expect_eq "repeat keeps the lines' starts" "${p1}aaa|${p2}(((" \
	"$(head -c $((${#p1} + 3)) "$T/repeat.got")|$(sed -n 2p \
	"$T/repeat.got" | head -c $((${#p2} + 3)))"

cat >"$T/reset.imap" <<'EOF'
send * OK about to reset
expect-any
reset
EOF
fake reset "$T/reset.imap"
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
read -r -t 5 greeting <&3
printf 'z1 NOOP\r\n' >&3
err=$(timeout 5 cat <&3 2>&1 >/dev/null)
exec 3<&-
case $err in
*reset*) ok "reset gives the client a connection reset" ;;
*) not_ok "reset gives the client a connection reset" "cat said: $err" ;;
esac

printf 'send * OK bye\nclose\n' >"$T/close.imap"
fake close "$T/close.imap"
err=$(fetch "$PORT" /dev/null 2>&1)
expect_eq "close gives the client a clean end of file" "" "$err"

# TLS: a certificate made here, a real TLS client.
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -subj /CN=localhost -days 1 -keyout "$T/key.pem" \
    -out "$T/cert.pem" >/dev/null 2>&1; then
	cat >"$T/tls.imap" <<'EOF'
send * OK [CAPABILITY IMAP4rev1 STARTTLS] ready
expect CAPABILITY$
send * CAPABILITY IMAP4rev1 STARTTLS
send {{TAG}} OK CAPABILITY done
expect STARTTLS$
send {{TAG}} OK Begin TLS negotiation now
starttls cert.pem key.pem
send * OK over TLS
serve
EOF
	fake tls "$T/tls.imap"
	printf 't1 NOOP\r\nt2 LOGOUT\r\n' | timeout 10 openssl s_client \
	    -starttls imap -connect "127.0.0.1:$PORT" -quiet -ign_eof \
	    >"$T/tls.got" 2>"$T/tls.err"
	tap_check "starttls completes a TLS handshake" \
		grep -qx '1 ! tls established' "$T/tls.log"
	tap_check "commands and answers go over TLS" \
		grep -q '^t1 OK NOOP done' "$T/tls.got"
else
	not_ok "starttls completes a TLS handshake" "openssl made no cert"
	not_ok "commands and answers go over TLS" "no cert"
fi

# ---- faultproxy, in front of fakeimap ----

head -c 100000 /dev/urandom >"$T/data"
printf 'sendfile data\n' >"$T/data.imap"

fake up "$T/data.imap" -n 100
UP=$PORT UPPID=$FPID
proxy plain "$UP"
fetch "$PPORT" "$T/plain.got"
tap_check "the proxy forwards a byte stream unchanged" \
	cmp "$T/data" "$T/plain.got"
stats=$(control stats)
tap_check "stats count the bytes" \
	grep -qx 'conn 1 up 0 down 100000 server 100000 closed' <<<"$stats"

expect_eq "rule: accepted from the control port" \
	ok "$(control 'rule cut-after 1000')"
fetch "$PPORT" "$T/cut.got"
expect_eq "cut-after 1000 cuts after exactly 1000 bytes" \
	1000 "$(wc -c <"$T/cut.got")"
tap_check "the 1000 bytes are the server's first" \
	cmp "$T/cut.got" <(head -c 1000 "$T/data")

control clear-rules >/dev/null
control 'rule slice 1' >/dev/null
fetch "$PPORT" "$T/slice.got"
tap_check "slice 1 delivers byte-exact data" cmp "$T/data" "$T/slice.got"

control clear-rules >/dev/null
control 'rule slice 10' >/dev/null
control 'rule delay 20' >/dev/null
control 'rule cut-after 200' >/dev/null
t0=${EPOCHREALTIME/[.,]/}
fetch "$PPORT" "$T/delay.got"
t1=${EPOCHREALTIME/[.,]/}
ms=$(( (t1 - t0) / 1000 ))
if [ "$ms" -ge 370 ] && cmp -s "$T/delay.got" <(head -c 200 "$T/data"); then
	ok "slice 10 + delay 20: 200 bytes in 20 writes ($ms ms)"
else
	not_ok "slice 10 + delay 20: 200 bytes in 20 writes" "$ms ms"
fi
control clear-rules >/dev/null

cat >"$T/lines.imap" <<'EOF'
send * OK hello
send * 1 EXISTS
send * 1 EXISTS
send * 2 EXISTS
EOF
fake lines "$T/lines.imap"
proxy inject "$PORT" 'inject-match "1 EXISTS" * INJECTED\r\n' \
	'inject-line 3 * THIRD\r\n'
fetch "$PPORT" "$T/inject.got"
expect_eq "inject puts exactly the text in, once, at its line" \
	"* OK hello|* 1 EXISTS|* INJECTED|* 1 EXISTS|* THIRD|* 2 EXISTS" \
	"$(tr -d '\r' <"$T/inject.got" | paste -sd'|')"
control quit >/dev/null
finish $PPID_ 5
expect_eq "quit stops the proxy with status 0" 0 "$STATUS"

printf 'send * OK hi\nstall\n' >"$T/stall.imap"
fake stall "$T/stall.imap" -n 2
proxy ctl "$PORT"
exec 3<>"/dev/tcp/127.0.0.1/$PPORT"
read -r -t 5 greeting <&3
expect_eq "control: cut is accepted" ok "$(control cut)"
if timeout 5 cat <&3 >/dev/null; then
	ok "control: cut closes the client's connection"
else
	not_ok "control: cut closes the client's connection" "no EOF in 5 s"
fi
exec 3<&-
exec 3<>"/dev/tcp/127.0.0.1/$PPORT"
read -r -t 5 greeting <&3
expect_eq "the proxy accepts the reconnection" "* OK hi" "${greeting%$'\r'}"
expect_eq "control: reset with @2 is accepted" ok "$(control '@2 reset')"
err=$(timeout 5 cat <&3 2>&1 >/dev/null)
exec 3<&-
case $err in
*reset*) ok "control: reset resets the client" ;;
*) not_ok "control: reset resets the client" "cat said: $err" ;;
esac
expect_eq "control: an unknown command is refused" \
	"err unknown command" "$(control explode)"
control quit >/dev/null

cat >"$T/steps.imap" <<'EOF'
send * OK hi
expect-any
send * TWO
expect-any
send * THREE
expect-eof
EOF
fake steps "$T/steps.imap"
proxy steps "$PORT"
exec 3<>"/dev/tcp/127.0.0.1/$PPORT"
read -r -t 5 greeting <&3
control stall >/dev/null
printf 's1 NOOP\r\n' >&3
if read -r -t 1 two <&3; then
	not_ok "control: stall holds the server's bytes back" "got: $two"
else
	ok "control: stall holds the server's bytes back"
fi
control resume >/dev/null
read -r -t 5 two <&3
expect_eq "control: resume lets them through" "* TWO" "${two%$'\r'}"
control 'inject * NOW\r\n' >/dev/null
read -r -t 5 now <&3
printf 's2 NOOP\r\n' >&3
read -r -t 5 three <&3
expect_eq "control: inject puts the text in at once" "* NOW|* THREE" \
	"${now%$'\r'}|${three%$'\r'}"
exec 3<&-
finish $FPID 5
expect_eq "the client's close reaches the server (expect-eof)" 0 "$STATUS"
tap_check "the server saw both commands through the proxy" \
	grep -qx '1 C: s2 NOOP' "$T/steps.log"

# ---- time limits ----

kill "$UPPID" 2>/dev/null
printf 'send * OK hi\nstall\n' >"$T/limit.imap"
"$FAKEIMAP" -t 2 -l "$T/limit.log" "$T/limit.imap" >"$T/limit.out" &
lpid=$!
PIDS="$PIDS $lpid"
PORT=$(wait_key "$T/limit.out" port)
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
read -r -t 5 greeting <&3
"$FAULTPROXY" -t 1 -c "127.0.0.1:$PORT" >"$T/plimit.out" &
ppid=$!
PIDS="$PIDS $ppid"
finish $ppid 5
expect_eq "faultproxy exits by itself at its time limit" 124 "$STATUS"
tap_check "faultproxy prints its counts on the way out" \
	grep -qx 'total conns 0 up 0 down 0' "$T/plimit.out"
finish $lpid 5
expect_eq "fakeimap exits by itself at its time limit" 124 "$STATUS"
exec 3<&-
child=$(sed -n 's/^1 ! connected, pid \([0-9]*\),.*/\1/p' "$T/limit.log")
if [ -n "$child" ] && ! kill -0 "$child" 2>/dev/null; then
	ok "fakeimap leaves no connection process behind"
else
	not_ok "fakeimap leaves no connection process behind" "child: $child"
fi

tap_done

#!/bin/bash
# The wire (src/net) against the Dovecot fixture and against small servers
# of the test program's own: TLS verification and pins, STARTTLS, read
# timeout, cancel, EOF inside a literal, the scanner, wire_wait and the
# trace. test_wire prints the cases; this script adds what only Dovecot's
# log can tell: no credential ever reached a server that was refused.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=${WIRE_TEST:-$top_builddir/tests/integration/test_wire}
[ -x "$prog" ] || tap_bail "no test program at $prog"
fixture_start --no-big || tap_bail "the Dovecot fixture did not start"

# fp FILE: the certificate's SHA-256 fingerprint as the wire prints it.
fp() {
	local f
	f=$(openssl x509 -in "$1" -noout -fingerprint -sha256) || return 1
	printf 'sha256:%s\n' "${f#*=}"
}
WIRE_FP_LOCALHOST=$(fp "$QF_CERTS/localhost.pem") ||
	tap_bail "cannot read the fixture's certificate"
WIRE_FP_SELFSIGNED=$(fp "$QF_CERTS/selfsigned.pem") ||
	tap_bail "cannot read the fixture's self-signed certificate"
export WIRE_FP_LOCALHOST WIRE_FP_SELFSIGNED

out=$QF_DIR/wire.tap
"$prog" "$QF_DIR/wire-trace.log" | tee "$out"
TAP_N=$(grep -cE '^(not )?ok ' "$out")
TAP_FAILED=$(grep -c '^not ok ' "$out")
grep -q '^Bail out!' "$out" && exit 1

# logins PORT: successful logins Dovecot saw on that port.
logins() {
	grep -c "Login: user=<$QF_USER>.*lport=$1[ ,]" "$QF_LOG"
}
# auths PORT: connections on that port that got as far as authenticating.
auths() {
	grep "lport=$1[ ,]" "$QF_LOG" | grep -v 'no auth attempts' |
		grep -c 'user=<'"$QF_USER"'>'
}

sleep 0.2		# Dovecot writes its disconnect lines a bit later
for p in "$QF_PORT_IMAPS_WRONGHOST" "$QF_PORT_IMAPS_EXPIRED" \
    "$QF_PORT_IMAPS_SELFSIGNED"; do
	n=$(auths "$p")
	if [ "$n" -eq 0 ]; then
		ok "Dovecot on port $p saw no login attempt"
	else
		not_ok "Dovecot on port $p saw no login attempt" \
		    "$(grep "lport=$p[ ,]" "$QF_LOG")"
	fi
done
n=$(logins "$QF_PORT_IMAPS")
if [ "$n" -eq 1 ]; then
	ok "port $QF_PORT_IMAPS: one login, from the verified connection"
else
	not_ok "port $QF_PORT_IMAPS: one login, from the verified connection" \
	    "$n logins" "$(grep "lport=$QF_PORT_IMAPS[ ,]" "$QF_LOG")"
fi
tap_diag "fixture start: ${QF_TIME_START:-?} s"
tap_done

#!/bin/bash
# The connection layer (src/imap/conn.c) and quire --check-account.
#
# Against the Dovecot fixture: TLS verified with ca_file, refused without
# it, for a wrong host, an expired or a self-signed certificate (each
# before any login attempt, which Dovecot's log confirms) unless pinned;
# STARTTLS with the capabilities asked again; plaintext on loopback; a
# wrong password; the --check-account report against the fixture's
# manifest; no password in any -d log. Against scripted fake servers
# (tests/fake/fakeimap), what no real server sends: garbage and BYE
# greetings, PREAUTH on plaintext, LOGINDISABLED, no STARTTLS, bytes
# behind the STARTTLS OK, untagged data before TLS, a user name with a
# line break, hostile text in a NO, BYE after login, silence and cancel.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=${CONN_TEST:-$top_builddir/tests/integration/test_conn}
FAKEIMAP=$top_builddir/tests/fake/fakeimap
QUIRE=${QUIRE_BIN:-$top_builddir/quire}
[ -x "$prog" ] || tap_bail "no test program at $prog"
[ -x "$FAKEIMAP" ] || tap_bail "no fakeimap at $FAKEIMAP"
[ -x "$QUIRE" ] || tap_bail "no quire at $QUIRE"
fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
T=$QF_DIR/conn
mkdir "$T" || tap_bail "mkdir $T"
FPIDS=
trap 'for p in $FPIDS; do kill "$p" 2>/dev/null; done; fixture_stop' EXIT

# fp FILE: the certificate's SHA-256 fingerprint as quire writes it.
fp() {
	local f
	f=$(openssl x509 -in "$1" -noout -fingerprint -sha256) || return 1
	printf 'sha256:%s\n' "${f#*=}"
}
FP_GOOD=$(fp "$QF_CERTS/localhost.pem") || tap_bail "openssl x509"
FP_WRONGHOST=$(fp "$QF_CERTS/wronghost.pem")
FP_SELF=$(fp "$QF_CERTS/selfsigned.pem")
FP_EXPIRED=$(fp "$QF_CERTS/expired.pem")

# conf NAME SECURITY PORT [LINE...]: a config for the test account (no
# ca_file unless a LINE gives it); prints its path.
conf() {
	local f=$T/$1.conf
	{
		echo "[account $1]"
		echo "host = $QF_HOST"
		echo "port = $3"
		echo "security = $2"
		echo "user = $QF_USER"
		echo "password_cmd = cat $QF_PASS_FILE"
		shift 3
		printf '%s\n' "$@"
	} >"$f"
	echo "$f"
}

# drive NAME [ARGS...]: run test_conn; its lines go to $T/NAME.out.
drive() {
	local n=$1
	shift
	"$prog" "$@" >"$T/$n.out" 2>"$T/$n.err" ||
		echo "driver: exit $?" >>"$T/$n.out"
}
# field NAME KEY: the value of "KEY: " in NAME's output.
field() {
	sed -n "s/^$2: //p" "$T/$1.out" | head -n 1
}
show() {
	cat "$T/$1.out" "$T/$1.err" 2>/dev/null
}
# expect NAME FAIL TEXT...: conn_open's class is FAIL and its sentence
# holds every TEXT.
expect() {
	local n=$1 want=$2 got t bad=
	shift 2
	got=$(field "$n" fail)
	[ "$got" = "$want" ] || bad="fail is $got, not $want"
	for t in "$@"; do
		field "$n" err | grep -qF -- "$t" || bad="$bad; no \"$t\""
	done
	if [ -z "$bad" ]; then
		ok "$n: $want${1:+: $1}"
	else
		not_ok "$n: $want${1:+: $1}" "$bad" "$(show "$n")"
	fi
}
# check DESC COMMAND...: ok when the command succeeds.
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d" "${DIAG:-}"; fi
	DIAG=
}

# Dovecot's lines that show a login attempt by the test user on PORT.
auths() {
	grep "lport=$1[ ,]" "$QF_LOG" | grep -v 'no auth attempts' |
		grep -c "user=<$QF_USER>"
}
# no_auth NAME PORT BEFORE: Dovecot saw no new login attempt on PORT.
no_auth() {
	local now
	sleep 0.3		# Dovecot logs the disconnect a bit later
	now=$(auths "$2")
	if [ "$now" -eq "$3" ]; then
		ok "$1: Dovecot saw no login attempt on port $2"
	else
		not_ok "$1: Dovecot saw no login attempt on port $2" \
		    "$(grep "lport=$2[ ,]" "$QF_LOG" | tail -n 5)"
	fi
}

# ---- Dovecot: TLS and its refusals ----

c=$(conf tls_ca tls "$QF_PORT_IMAPS" "ca_file = $QF_CA")
drive tls_ca -d "$T/tls_ca.log" "$c"
expect tls_ca OK
DIAG=$(show tls_ca)
check "tls_ca: TLS, the server's fingerprint, AUTHENTICATE PLAIN" \
    test "$(field tls_ca tls) $(field tls_ca fingerprint) $(field tls_ca auth)" \
    = "yes $FP_GOOD AUTHENTICATE PLAIN"
DIAG=$(show tls_ca)
check "tls_ca: capabilities after login (IDLE, QRESYNC, SPECIAL-USE)" \
    eval 'grep -qE "^cap: +IDLE +yes" "$T/tls_ca.out" &&
    grep -qE "^cap: +QRESYNC +yes" "$T/tls_ca.out" &&
    grep -qE "^cap: +SPECIAL-USE +yes" "$T/tls_ca.out"'
tap_diag "conn_open over TLS with login: $(field tls_ca ms) ms," \
    "conn_close with LOGOUT: $(field tls_ca close_ms) ms"

before=$(auths "$QF_PORT_IMAPS")
drive tls_noca "$(conf tls_noca tls "$QF_PORT_IMAPS")"
expect tls_noca FATAL "not trusted" "$FP_GOOD" "fingerprint = $FP_GOOD" \
    "ca_file"
no_auth tls_noca "$QF_PORT_IMAPS" "$before"

before=$(auths "$QF_PORT_IMAPS_WRONGHOST")
drive wronghost "$(conf wronghost tls "$QF_PORT_IMAPS_WRONGHOST" \
    "ca_file = $QF_CA")"
expect wronghost FATAL "not trusted" "$FP_WRONGHOST"
no_auth wronghost "$QF_PORT_IMAPS_WRONGHOST" "$before"

before=$(auths "$QF_PORT_IMAPS_EXPIRED")
drive expired "$(conf expired tls "$QF_PORT_IMAPS_EXPIRED" \
    "ca_file = $QF_CA")"
expect expired FATAL "expired" "$FP_EXPIRED"
no_auth expired "$QF_PORT_IMAPS_EXPIRED" "$before"

before=$(auths "$QF_PORT_IMAPS_SELFSIGNED")
drive selfsigned "$(conf selfsigned tls "$QF_PORT_IMAPS_SELFSIGNED" \
    "ca_file = $QF_CA")"
expect selfsigned FATAL "not trusted" "fingerprint = $FP_SELF"
no_auth selfsigned "$QF_PORT_IMAPS_SELFSIGNED" "$before"

drive pinned "$(conf pinned tls "$QF_PORT_IMAPS_SELFSIGNED" \
    "fingerprint = $FP_SELF")"
expect pinned OK
DIAG=$(show pinned)
check "pinned: the self-signed certificate is accepted by its pin" \
    test "$(field pinned fingerprint)" = "$FP_SELF"

before=$(auths "$QF_PORT_IMAPS")
drive wrongpin "$(conf wrongpin tls "$QF_PORT_IMAPS" "ca_file = $QF_CA" \
    "fingerprint = $FP_SELF")"
expect wrongpin FATAL "not the pinned" "$FP_GOOD" "fingerprint option"
no_auth wrongpin "$QF_PORT_IMAPS" "$before"

# ---- Dovecot: STARTTLS, plaintext, a wrong password ----

drive starttls -d "$T/starttls.log" "$(conf starttls starttls \
    "$QF_PORT_IMAP" "ca_file = $QF_CA")"
expect starttls OK
# STARTTLS, then TLS, then CAPABILITY asked again, then the login.
order=$(grep -nE 'C: [0-9]+ STARTTLS|TLS up|C: [0-9]+ CAPABILITY|C: [0-9]+ AUTHENTICATE' \
    "$T/starttls.log" | sed -E 's/^[0-9]+:.*(STARTTLS|TLS up|CAPABILITY|AUTHENTICATE).*/\1/' |
    tr '\n' ' ')
DIAG="order: $order"
check "starttls: STARTTLS, TLS up, CAPABILITY again, then AUTHENTICATE" \
    test "$order" = "STARTTLS TLS up CAPABILITY AUTHENTICATE "

drive plain -d "$T/plain.log" "$(conf plain none "$QF_PORT_IMAP")"
expect plain OK
DIAG=$(show plain)
check "plain: security none on loopback logs in without TLS" \
    test "$(field plain tls)" = no

drive badpass -p "not-$QF_PASS" "$(conf badpass tls "$QF_PORT_IMAPS" \
    "ca_file = $QF_CA")"
expect badpass FATAL "the server refused the login for $QF_USER: " \
    "check user and password_cmd"

drive refused "$(conf refused tls 1)"
expect refused RETRY "cannot connect"

drive tlsplain "$(conf tlsplain tls "$QF_PORT_IMAP" "ca_file = $QF_CA")"
expect tlsplain FATAL "does not seem to speak TLS" "usually 993"

# ---- quire --check-account ----

c=$(conf check tls "$QF_PORT_IMAPS" "ca_file = $QF_CA")
"$QUIRE" -c "$c" -d "$T/check.log" --check-account >"$T/check.out" \
    2>"$T/check.err"
rc=$?
DIAG=$(cat "$T/check.out" "$T/check.err")
check "--check-account: exit 0" test "$rc" -eq 0
missing=
while IFS=$'\t' read -r name msgs unseen flagged; do
	row=$(printf '  %8u %8u  %s' "$msgs" "$unseen" "$name")
	grep -qxF -- "$row" "$T/check.out" || missing="$missing [$row]"
done <"$QF_MANIFEST"
DIAG="missing:$missing"
check "--check-account: every folder of the manifest with its counts" \
    test -z "$missing"
DIAG=$(cat "$T/check.out")
check "--check-account: capabilities, fingerprint and login" \
    eval 'grep -qE "^  IDLE +yes" "$T/check.out" &&
    grep -qE "^  CONDSTORE +yes" "$T/check.out" &&
    grep -qF "certificate:  $FP_GOOD" "$T/check.out" &&
    grep -qF "login:        AUTHENTICATE PLAIN as $QF_USER" "$T/check.out"'

c=$(conf checkself tls "$QF_PORT_IMAPS_SELFSIGNED" "ca_file = $QF_CA")
"$QUIRE" -c "$c" --check-account checkself >"$T/checkself.out" \
    2>"$T/checkself.err"
rc=$?
DIAG=$(cat "$T/checkself.out" "$T/checkself.err")
check "--check-account refused: exit 1, the fingerprint and how to pin it" \
    eval '[ "$rc" -eq 1 ] &&
    grep -qF "fingerprint = $FP_SELF" "$T/checkself.err"'

c=$(conf checkst starttls "$QF_PORT_IMAP" "ca_file = $QF_CA")
"$QUIRE" -c "$c" -d "$T/checkst.log" --check-account=checkst \
    >"$T/checkst.out" 2>&1
rc=$?
DIAG=$(cat "$T/checkst.out")
check "--check-account=NAME over STARTTLS: exit 0" test "$rc" -eq 0
DIAG=$(grep -h 'AUTHENTICATE\|LOGIN' "$T"/*.log)
check "-d logs hold AUTHENTICATE PLAIN <redacted>" \
    grep -q 'C: [0-9]* AUTHENTICATE PLAIN <redacted>$' "$T/checkst.log"
DIAG=$(grep -lF -- "$QF_PASS" "$T"/*.log)
check "no -d log holds the password" \
    eval '! grep -qF -- "$QF_PASS" "$T"/*.log'

# ---- scripted fake servers ----

# fake NAME: start fakeimap on $T/NAME.imap (the script, from stdin); sets
# PORT. Its log is $T/NAME.flog.
fake() {
	local n=$1 i
	cat >"$T/$n.imap"
	: >"$T/$n.port"
	"$FAKEIMAP" -t 30 -l "$T/$n.flog" "$T/$n.imap" >"$T/$n.port" &
	FPID=$!
	FPIDS="$FPIDS $FPID"
	for i in $(seq 100); do
		PORT=$(sed -n 's/^port //p' "$T/$n.port")
		[ -n "$PORT" ] && return 0
		sleep 0.05
	done
	tap_bail "fakeimap did not start for $n"
}
# done_fake: wait for the fake server to finish (it exits by itself).
done_fake() {
	wait "$FPID" 2>/dev/null
}
# sent NAME REGEX: the client sent a command matching REGEX.
sent() {
	grep -qE "^[0-9]+ C: $2" "$T/$1.flog"
}
# nothing_sent NAME REGEX DESC: an ok line if it did not.
nothing_sent() {
	if sent "$1" "$2"; then
		not_ok "$1: $3" "$(cat "$T/$1.flog")"
	else
		ok "$1: $3"
	fi
}
CERT="$QF_CERTS/localhost.pem $QF_CERTS/server.key"
FCONF_CA="ca_file = $QF_CA"

fake garbage <<'EOF'
send \x16\x03\x01garbage greeting
expect-eof
EOF
drive garbage "$(conf garbage starttls "$PORT" "$FCONF_CA")"
done_fake
expect garbage FATAL "did not greet as an IMAP server does" "check host"
nothing_sent garbage '.' "nothing sent after a garbage greeting"

fake smtp <<'EOF'
send 220 mail.example ESMTP ready
expect-eof
EOF
drive smtp "$(conf smtp none "$PORT")"
done_fake
expect smtp FATAL "did not greet as an IMAP server does"

fake bye <<'EOF'
send * BYE [UNAVAILABLE] too many connections from your address
EOF
# libetpan 1.9.4 leaks the greeting it refuses (115 bytes per BYE
# greeting, lost inside mailimap_connect): not ours to free.
printf 'leak:libetpan.so\n' >"$T/lsan-bye.supp"
LSAN_OPTIONS="suppressions=$T/lsan-bye.supp:print_suppressions=0" \
    drive bye "$(conf bye none "$PORT")"
done_fake
expect bye RETRY "(BYE)" "too many connections from your address"

fake preauth <<'EOF'
send * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] on plaintext
expect-eof
EOF
drive preauth "$(conf preauth starttls "$PORT" "$FCONF_CA")"
done_fake
expect preauth FATAL "the server skipped authentication on an unencrypted connection (PREAUTH); refusing"
nothing_sent preauth '.' "nothing at all sent after PREAUTH on plaintext"

fake preauth_none <<'EOF'
send * PREAUTH [CAPABILITY IMAP4rev1 IDLE] chosen plaintext
serve
EOF
drive preauth_none "$(conf preauth_none none "$PORT")"
done_fake
expect preauth_none OK
DIAG=$(show preauth_none; cat "$T/preauth_none.flog")
check "preauth_none: PREAUTH with security = none: no login, LOGOUT at close" \
    eval 'test "$(field preauth_none auth)" = PREAUTH &&
    ! sent preauth_none "[^ ]+ (LOGIN|AUTHENTICATE)" &&
    sent preauth_none "[^ ]+ LOGOUT"'

fake logindisabled <<'EOF'
send * OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN] no STARTTLS here
expect-eof
EOF
drive logindisabled "$(conf logindisabled none "$PORT")"
done_fake
expect logindisabled FATAL "(LOGINDISABLED)" "security = starttls"
nothing_sent logindisabled '[^ ]+ (LOGIN|AUTHENTICATE)' "no credentials sent"

fake nostarttls <<'EOF'
send * OK [CAPABILITY IMAP4rev1 LOGINDISABLED] no STARTTLS here
expect-eof
EOF
drive nostarttls "$(conf nostarttls starttls "$PORT" "$FCONF_CA")"
done_fake
expect nostarttls FATAL "the server does not offer STARTTLS; set security = tls if it supports port 993"
nothing_sent nostarttls '.' "nothing sent"

fake askcaps <<'EOF'
send * OK hello
expect CAPABILITY$
send * CAPABILITY IMAP4rev1 AUTH=PLAIN
send {{TAG}} OK done
expect-eof
EOF
drive askcaps "$(conf askcaps starttls "$PORT" "$FCONF_CA")"
done_fake
expect askcaps FATAL "does not offer STARTTLS"
nothing_sent askcaps '[^ ]+ (STARTTLS|LOGIN|AUTHENTICATE)' \
    "capabilities asked, then nothing more"

fake appended <<EOF
send * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready
expect STARTTLS\$
send {{TAG}} OK Begin TLS negotiation now\\r\\n* OK [ALERT] injected
starttls $CERT
expect-any
EOF
drive appended "$(conf appended starttls "$PORT" "$FCONF_CA")"
done_fake
expect appended FATAL "after its STARTTLS reply"
DIAG=$(cat "$T/appended.flog")
check "appended: refused before the handshake, no credentials" \
    eval '! grep -q "tls established" "$T/appended.flog" &&
    ! sent appended "[^ ]+ (LOGIN|AUTHENTICATE)"'

# Untagged data before the STARTTLS OK, among it a CAPABILITY that offers
# more than the server does after TLS. The login takes the AUTHENTICATE
# continuation path (no SASL-IR).
fake untagged <<EOF
send * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready
expect STARTTLS\$
send * CAPABILITY IMAP4rev1 STARTTLS IDLE QRESYNC MOVE AUTH=PLAIN SASL-IR
send * LIST () "/" Evil
send * 1 FETCH (UID 1 FLAGS (\\\\Seen))
send * OK [ALERT] trust me
send {{TAG}} OK Begin TLS negotiation now
starttls $CERT
expect CAPABILITY\$
send * CAPABILITY IMAP4rev1 AUTH=PLAIN
send {{TAG}} OK done
expect AUTHENTICATE PLAIN\$
send +\x20
expect-any
send {{TAG}} OK [CAPABILITY IMAP4rev1 UIDPLUS] logged in
serve
EOF
drive untagged -p s3cret-pw "$(conf untagged starttls "$PORT" "$FCONF_CA")"
done_fake
expect untagged OK
DIAG=$(show untagged)
check "untagged: only the capabilities sent after TLS and login count" \
    eval 'grep -qE "^cap: +UIDPLUS +yes" "$T/untagged.out" &&
    grep -qE "^cap: +IDLE +no" "$T/untagged.out" &&
    grep -qE "^cap: +QRESYNC +no" "$T/untagged.out" &&
    grep -qE "^cap: +MOVE +no" "$T/untagged.out"'
DIAG=$(cat "$T/untagged.flog")
check "untagged: CAPABILITY asked again after TLS" \
    eval 'grep -A1 "tls established" "$T/untagged.flog" |
    grep -qE "C: [^ ]+ CAPABILITY$"'
b64=$(printf '\0%s\0%s' "$QF_USER" s3cret-pw | base64)
check "untagged: AUTHENTICATE PLAIN answers the continuation with PLAIN" \
    grep -qE "^[0-9]+ C: $b64\$" "$T/untagged.flog"

fake login <<'EOF'
send * OK [CAPABILITY IMAP4rev1] LOGIN only
expect LOGIN
send {{TAG}} OK logged in
expect CAPABILITY$
send * CAPABILITY IMAP4rev1 IDLE
send {{TAG}} OK done
serve
EOF
drive login -p "lg-$QF_PASS" -d "$T/login.log" "$(conf login none "$PORT")"
done_fake
expect login OK
DIAG=$(show login; grep LOGIN "$T/login.log")
check "login: LOGIN without AUTH=PLAIN, redacted in the -d log" \
    eval 'test "$(field login auth)" = LOGIN &&
    grep -q "C: [0-9]* LOGIN <redacted>" "$T/login.log" &&
    sent login "[^ ]+ LOGIN .*lg-$QF_PASS" &&
    ! grep -qF -- "lg-$QF_PASS" "$T/login.log"'

fake crlfuser <<'EOF'
send * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi
expect-eof
EOF
drive crlfuser -u $'quire\r\nA1 DELETE INBOX' "$(conf crlfuser none "$PORT")"
done_fake
expect crlfuser FATAL "the user name holds a line break"
nothing_sent crlfuser '.' "nothing sent for a user name with CR LF"

fake hostile_no <<'EOF'
send * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi
expect AUTHENTICATE PLAIN
send {{TAG}} NO [AUTHENTICATIONFAILED] bad \x1b]0;owned\x07\x1b[2J password
expect-eof
EOF
drive hostile_no "$(conf hostile_no none "$PORT")"
done_fake
expect hostile_no FATAL "the server refused the login for $QF_USER: " \
    "bad ^[]0;owned^G^[[2J password"
DIAG=$(od -c "$T/hostile_no.out" | grep -F '033')
check "hostile_no: no escape byte reaches the sentence" \
    eval '! grep -q "$(printf "\033")" "$T/hostile_no.out"'

fake notext <<'EOF'
send * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] greeting text
expect AUTHENTICATE PLAIN
send {{TAG}} NO
expect-eof
EOF
drive notext "$(conf notext none "$PORT")"
done_fake
expect notext FATAL "the server refused the login for $QF_USER: (no text)"

fake notextlogin <<'EOF'
send * OK [CAPABILITY IMAP4rev1] LOGIN only
expect LOGIN
send {{TAG}} NO
expect-eof
EOF
drive notextlogin "$(conf notextlogin none "$PORT")"
done_fake
expect notextlogin FATAL "the server refused the login for $QF_USER: (no text)"

fake byebusy <<'EOF'
send * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi
expect AUTHENTICATE PLAIN
send * BYE shutting down for maintenance
close
EOF
drive byebusy "$(conf byebusy none "$PORT")"
done_fake
expect byebusy RETRY "(BYE): shutting down for maintenance"

fake cancel <<'EOF'
send * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi
expect AUTHENTICATE PLAIN
send {{TAG}} OK [CAPABILITY IMAP4rev1 IDLE] in
expect CAPABILITY$
stall
EOF
drive cancel -x 300 "$(conf cancel none "$PORT")"
kill "$FPID" 2>/dev/null
done_fake
expect cancel OK
DIAG=$(show cancel)
check "cancel: conn_cancel ends a stalled command at once, close skips LOGOUT" \
    eval '[ "$(field cancel cancel_ms)" -lt 2000 ] &&
    field cancel cancel_err | grep -q cancelled &&
    [ "$(field cancel close_ms)" -lt 500 ]'
tap_diag "cancel: the stalled CAPABILITY ended $(field cancel cancel_ms) ms" \
    "after it began (cancel at 300 ms); close took $(field cancel close_ms) ms"

fake silent <<'EOF'
stall
EOF
drive silent "$(conf silent none "$PORT" "timeout = 5")"
kill "$FPID" 2>/dev/null
done_fake
expect silent RETRY "no data from the server for 5 s"
DIAG=$(show silent)
check "silent: given up after the 5 s read timeout, not later" \
    eval '[ "$(field silent ms)" -ge 4500 ] && [ "$(field silent ms)" -lt 8000 ]'

fake cancelopen <<'EOF'
stall
EOF
drive cancelopen -X 300 "$(conf cancelopen none "$PORT")"
kill "$FPID" 2>/dev/null
done_fake
expect cancelopen RETRY "cancelled"
DIAG=$(show cancelopen)
check "cancelopen: a cancel ends conn_open while it waits for the greeting" \
    eval '[ "$(field cancelopen ms)" -lt 2000 ]'

tap_diag "fixture start: ${QF_TIME_START:-?} s"
tap_done

#!/bin/bash
# The command line: options, exit statuses (0 ok, 1 run time, 2 usage,
# 3 configuration), --check-config on good and bad files, and a debug log
# that never holds the password.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/e2e/lib.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/quire-cli.XXXXXX") || tap_bail "mktemp"
e2e_atexit "rm -rf '$T'"

# q ARGS...: run quire without a terminal on stdin; sets $out, $err, $st.
q() {
	"$QUIRE_BIN" "$@" < /dev/null > "$T/out" 2> "$T/err"
	st=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# expect DESC STATUS [CHECK...]: one case: quire's status is STATUS and
# each CHECK (a shell condition on $out/$err) holds.
expect() {
	local desc=$1 want=$2 c bad=""

	shift 2
	[ "$st" = "$want" ] || bad="exit status $st, wanted $want"
	for c in "$@"; do
		eval "$c" || bad="${bad:+$bad; }failed: $c"
	done
	if [ -z "$bad" ]; then
		ok "$desc"
	else
		not_ok "$desc" "$bad" "stdout: $out" "stderr: $err"
	fi
}

# has TEXT / err_has TEXT / err_re REGEX: conditions for expect.
has() { grep -qiF -- "$1" <<< "$out"; }
err_has() { grep -qiF -- "$1" <<< "$err"; }
err_re() { grep -qiE -- "$1" <<< "$err"; }

# conf NAME MODE: write stdin to $T/NAME.conf with MODE; prints the path.
conf() {
	cat > "$T/$1.conf"
	chmod "${2:-600}" "$T/$1.conf"
	echo "$T/$1.conf"
}

# A good configuration: a loopback account, the password from a command.
printf 'not-the-secret\n' > "$T/pass"
good=$(conf good <<EOF
# a comment
sort = date

[account test]
host = localhost
port = 143
security = starttls
user = alice
password_cmd = cat $T/pass
EOF
)

# ---- options ----
q --help
expect "--help exits 0 and prints the usage on stdout" 0 \
    'has "usage: quire"' '[ -z "$err" ]'
missing=""
for opt in -c -a -d --offline --check-config --help --version; do
	grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" <<< "$out" ||
	    missing="$missing $opt"
done
if [ -z "$missing" ]; then
	ok "--help lists -c -a -d --offline --check-config --help --version"
else
	not_ok "--help lists every option" "missing:$missing"
fi

q --version
expect "--version prints \"quire X.Y.Z\" and exits 0" 0 \
    'grep -qE "^quire [0-9]+\.[0-9]+\.[0-9]+$" <<< "$out"'

q --no-such-option
expect "an unknown option exits 2 with the usage on stderr" 2 \
    'err_has "usage: quire"' '[ -z "$out" ]'

q -c "$good" INBOX Sent
expect "two folders exit 2 with a message on stderr" 2 \
    'err_re "folder"' '[ -z "$out" ]'

q -c "$good" INBOX
expect "without a terminal quire exits 1 and says why" 1 \
    'err_re "terminal"'

q -c "$good" --check-config
expect "--check-config on a good file exits 0 and says it is OK" 0 \
    'has "configuration OK"'

q -c "$good" -a test --check-config
expect "--check-config -a test (an account in the file) exits 0" 0

# ---- configuration mistakes: exit 3, FILE:LINE, what to do ----

# bad NAME DESC LINE MODE CHECK...: --check-config on the config on stdin
# exits 3 and names FILE:LINE (LINE empty: the file) plus the checks.
bad() {
	local name=$1 desc=$2 line=$3 mode=$4 f
	shift 4
	f=$(conf "$name" "$mode")
	q -c "$f" --check-config
	if [ -n "$line" ]; then
		expect "$desc: exit 3 and $name.conf:$line" 3 \
		    "err_has \"$f:$line:\"" "$@"
	else
		expect "$desc: exit 3 and the file named" 3 \
		    "err_has \"$f\"" "$@"
	fi
}

# Each file below is good but for the one mistake its case is about.
bad unknown-key "an unknown key" 2 600 'err_has "sortt"' \
    'err_has "did you mean"' <<EOF
# sort is meant
sortt = date
[account test]
host = localhost
user = alice
password_cmd = true
EOF

bad bad-value "a bad value" 2 600 'err_has "sort"' 'err_has "arrival"' <<EOF
# sort takes date, arrival, from, subject, size
sort = sideways
[account test]
host = localhost
user = alice
password_cmd = true
EOF

bad no-account "no account section" "" 600 'err_has "[account"' <<EOF
sort = date
EOF

bad duplicate "a duplicate account section" 5 600 'err_has "twice"' <<EOF
[account twice]
host = localhost
user = alice
password_cmd = true
[account twice]
host = localhost
user = bob
password_cmd = true
EOF

bad no-host "an account without host" 1 600 'err_has "host ="' <<EOF
[account nohost]
user = alice
password_cmd = true
EOF

bad plaintext "security none on a remote host" 4 600 \
    'err_has "security"' 'err_has "allow_plaintext"' <<EOF
[account remote]
host = mail.example.org
user = alice
security = none
password_cmd = true
EOF

bad readable "a password in a group-readable file" 4 640 \
    'err_has "chmod"' <<EOF
[account test]
host = localhost
user = alice
password = hunter2-in-the-file
EOF
if err_has "hunter2-in-the-file" || has "hunter2-in-the-file"; then
	not_ok "the complaint about a readable password does not print it"
else
	ok "the complaint about a readable password does not print it"
fi

bad no-password "an account without password_cmd" 2 600 \
    'err_has "password_cmd ="' <<EOF
# the account starts on the next line
[account nopass]
host = localhost
user = alice
EOF

q -c "$good" -a nosuchaccount --check-config
expect "-a naming an unknown account exits 3 and names it" 3 \
    'err_has "nosuchaccount"'

q -c "$good" -a nosuchaccount
expect "-a naming an unknown account exits 3 without --check-config too" 3 \
    'err_has "nosuchaccount"'

q -c "$T/does-not-exist.conf" --check-config
expect "-c naming a missing file exits 3 and names the file" 3 \
    'err_has "$T/does-not-exist.conf"'

q -c "$T/does-not-exist.conf"
expect "-c naming a missing file exits 3 without --check-config too" 3 \
    'err_has "$T/does-not-exist.conf"'

f=$(conf unknown-run 600 <<EOF
[account test]
host = localhost
sortt = date
EOF
)
q -c "$f"
expect "a configuration mistake stops quire (exit 3) with FILE:LINE" 3 \
    "err_has \"$f:3:\"" 'err_re "check-config"'

# ---- the debug log never holds the password ----
# ---- BAD-INPUTS 30: what stops a start, in a terminal ----

# start DESC STATUS CONFIG [CHECK...]: quire -c CONFIG in a terminal
# (script(1) gives it one) exits by itself within 15 s with STATUS; each
# CHECK (a shell condition on $err, what it wrote) holds.
start() {
	local desc=$1 want=$2 f=$3 c bad=""
	shift 3
	timeout 15 script -qefc "$(printf '%q -c %q' "$QUIRE_BIN" "$f")" \
	    /dev/null < /dev/null > "$T/start.out" 2>&1
	st=$?
	err=$(tr -d '\r' < "$T/start.out")
	out=
	[ "$st" = "$want" ] || bad="exit status $st, wanted $want"
	for c in "$@"; do
		eval "$c" || bad="${bad:+$bad; }failed: $c"
	done
	if [ -z "$bad" ]; then
		ok "$desc"
	else
		not_ok "$desc" "$bad" "output: $err"
	fi
}

f=$(conf row30-key <<EOF
[account test]
host = localhost
user = alice
password_cmd = true
sortt = date
EOF
)
start "row 30: an unknown key stops the start: exit 3, FILE:LINE, what to do" 3 \
    "$f" "err_has \"$f:5:\"" 'err_has "sortt"' 'err_has "check-config"'
f=$(conf row30-value <<EOF
sort = sideways
[account test]
host = localhost
user = alice
password_cmd = true
EOF
)
start "row 30: a bad value stops the start: exit 3, FILE:LINE, the values it takes" 3 \
    "$f" "err_has \"$f:1:\"" 'err_has "arrival"' 'err_has "check-config"'

# A password_cmd that fails: a run-time failure (exit 1, quire(1)) that
# starts with the FILE:LINE of the password_cmd line, as a config mistake
# does, and names the account, its status, what it said on stderr (never
# what it printed on stdout) and what to do.
f=$(conf row30-fails <<EOF
[account test]
host = localhost
user = alice
password_cmd = echo hunter2-not-shown; echo no-such-key >&2; exit 7
EOF
)
# err_starts TEXT: the first line of the output starts with TEXT.
err_starts() { [ "$(head -n 1 <<< "$err" | cut -c1-${#1})" = "$1" ]; }
start "row 30: a password_cmd that fails: exit 1, FILE:LINE, its status, its stderr, what to do" 1 \
    "$f" "err_starts \"$f:4: password_cmd for account 'test'\"" \
    'err_has "status 7: no-such-key"' 'err_has "run the command in a shell"' \
    '! err_has "hunter2"'

# One that hangs: killed at password_cmd_timeout, its children too.
f=$(conf row30-hangs <<EOF
[account test]
host = localhost
user = alice
password_cmd = sh -c 'echo \$\$ > $T/hang.pid; exec sleep 300'
password_cmd_timeout = 1s
EOF
)
t0=$(date +%s)
start "row 30: a password_cmd that hangs times out: exit 1, FILE:LINE, said so, what to do" 1 \
    "$f" "err_starts \"$f:4: password_cmd for account 'test'\"" \
    'err_has "did not finish within 1 s"' 'err_has "raise password_cmd_timeout"'
t1=$(( $(date +%s) - t0 ))
hang=$(cat "$T/hang.pid" 2>/dev/null)
sleep 0.5
# Dead, or a zombie that init has not reaped yet.
state=$(ps -o stat= -p "${hang:-0}" 2>/dev/null)
if [ -n "$hang" ] && [ "${state:-Z}" != "${state#Z}" ] && [ "$t1" -le 10 ]; then
	ok "row 30: the hanging command was killed at its timeout (${t1} s), no child left"
else
	not_ok "row 30: the hanging command was killed at its timeout, no child left" \
	    "pid ${hang:-none} (state ${state:-gone}), ${t1} s"
	[ -n "$hang" ] && kill "$hang" 2>/dev/null
fi

# The fixture's account: its password_cmd prints a password made for this
# run, so any trace of it in a log, the output or the screen is a leak.
. "$top_srcdir/tests/fixture/fixture.sh"
if fixture_start --no-big; then
	ok "the Dovecot fixture starts"
else
	not_ok "the Dovecot fixture starts"
fi
logcfg=$(fixture_config)
secret=${QF_PASS:-no-fixture-$$-$RANDOM$RANDOM}
# The password as an AUTHENTICATE PLAIN or LOGIN trace would carry it.
secret64=$(printf '\0%s\0%s' "$QF_USER" "$secret" | base64 -w0)
secret64b=$(printf '%s' "$secret" | base64 -w0)

q -d "$T/check.log" -c "$logcfg" --check-config
expect "--check-config -d LOG exits 0" 0
tap_check "-d LOG writes the log" test -s "$T/check.log"

e2e_start -- "$QUIRE_BIN" -d "$T/run.log" -c "$logcfg"
e2e_wait_text fixture 10
sleep 1
screen=$(e2e_screen)
e2e_keys q
e2e_wait_gone 5
e2e_stop
tap_check "a run with -d LOG writes the log" test -s "$T/run.log"
leak=""
for f in "$T/check.log" "$T/run.log" "$T/out" "$T/err"; do
	grep -qF -e "$secret" -e "$secret64" -e "$secret64b" "$f" && leak="$leak $f"
done
grep -qF -e "$secret" -e "$secret64" -e "$secret64b" <<< "$screen" && leak="$leak screen"
if [ -z "$leak" ]; then
	ok "the password is in no log, output or screen"
else
	not_ok "the password is in no log, output or screen" "found in:$leak"
fi

tap_done

#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot with one cache kept
# across starts: offline reading through the real pager. Online, a plain
# message and a multipart one with an attachment are read in the pager
# (IC_FETCH_PARTS, which keeps a small message whole in the body cache);
# then, once with --offline and once with Dovecot stopped, INBOX paints
# from the cache, both messages show the same text lines as online, a
# message never opened says it is not in the cache and what to do, and a
# flag change made offline reaches the server (doveadm) once it is back.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"
. "$top_srcdir/tests/e2e/pager_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"

# Dated 2035, so they sort above the fixture's mail, newest first: the
# cursor starts on the plain one, J reaches the multipart one, and the
# third is never under the cursor while quire is online.
msg_plain() {
	cat <<'EOF'
From: Olga Offline <olga@example.org>
To: Bob <bob@example.org>
Subject: pager-offline plain
Date: Wed, 09 May 2035 10:00:00 +0000
Message-ID: <pager-offline-plain@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

OFFLINE-PLAIN first line
second line: Grüße aus dem Cache
> a quoted line
the last line of the plain one
EOF
}
msg_multi() {
	cat <<'EOF'
From: Mia Multi <mia@example.org>
To: Bob <bob@example.org>
Subject: pager-offline multipart
Date: Tue, 08 May 2035 10:00:00 +0000
Message-ID: <pager-offline-multi@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="om"

--om
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

OFFLINE-MULTI text part, caf=C3=A9 in quoted-printable
its second line
--om
Content-Type: application/pdf; name="offline-report.pdf"
Content-Disposition: attachment; filename="offline-report.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKT0ZGTElORS1BVFRBQ0hNRU5ULUJZVEVTCg==
--om--
EOF
}
msg_never() {
	cat <<'EOF'
From: Nora Never <nora@example.org>
To: Bob <bob@example.org>
Subject: pager-offline never opened
Date: Mon, 07 May 2035 10:00:00 +0000
Message-ID: <pager-offline-never@example.org>

NEVER-OPENED-TEXT
EOF
}
pager_save msg_never
pager_save msg_multi
pager_save msg_plain
never=$(ui_uid "pager-offline never")
[ -n "$never" ] || tap_bail "the messages are not there"

home=$(mktemp -d "$QF_DIR/home-pager-offline.XXXXXX") || tap_bail "mktemp"
cache=$home/cache
cfg=$(fixture_config) || tap_bail "fixture_config failed"
total=$(fixture_doveadm -f tab mailbox status messages INBOX | tail -n 1 |
    cut -f2)

# start [ARGS...]: quire on INBOX with the test's HOME and cache.
start() {
	e2e_start -x 100 -y 30 -e "HOME=$home" -e "XDG_CACHE_HOME=$cache" \
	    -- "$QUIRE_BIN" -c "$cfg" "$@" || tap_bail "e2e_start failed"
}

quit() {
	e2e_keys q q
	e2e_wait_gone 10 >/dev/null || e2e_stop
	e2e_stop
}

# pager_text: the pager's pane (below the index's rule, above the status
# and message lines, which say online or offline), trailing blanks cut.
pager_text() {
	e2e_screen | sed '$d' | sed '$d' | sed -n '/───/,$p' | sed 1d |
	    sed 's/^[^│]*│//; s/[[:space:]]*$//'
}

# pager_says TEXT: TEXT is in the pager, maybe wrapped over lines.
pager_says() {
	pager_text | tr '\n' ' ' | grep -qF -- "$1"
}

# has_lines LINE...: every LINE is a whole line of the pager's text.
has_lines() {
	local l text

	text=$(pager_text)
	for l in "$@"; do
		printf '%s\n' "$text" | grep -qxF -- "$l" || {
			echo "# no line \"$l\"" >&2
			return 1
		}
	done
}

plain_lines=("OFFLINE-PLAIN first line" "second line: Grüße aus dem Cache"
    "> a quoted line" "the last line of the plain one")
multi_lines=("OFFLINE-MULTI text part, café in quoted-printable"
    "its second line")

# ---- online: read both in the pager ----
start
e2e_wait_re "\\| INBOX $total msgs?, .* \\| online" 15 ||
    tap_bail "quire did not come online"
ui_wait_subject 10 "pager-offline plain" || tap_bail "the plain one is not first"
e2e_keys Enter
e2e_wait_text "the last line of the plain one" 10 ||
    tap_bail "the plain message did not open"
sleep 0.3
online_plain=$(pager_text)
has_lines "${plain_lines[@]}" &&
    ok "online: the plain message reads in the pager" ||
    not_ok "online: the plain message reads in the pager"
e2e_keys J
e2e_wait_text "its second line" 10 ||
    tap_bail "the multipart message did not open"
e2e_wait_text "offline-report.pdf" 5
sleep 0.3
online_multi=$(pager_text)
has_lines "${multi_lines[@]}" && printf '%s\n' "$online_multi" |
    grep -q "offline-report.pdf" &&
    ok "online: the multipart message reads, its attachment listed" ||
    not_ok "online: the multipart message reads, its attachment listed"
quit

# read_offline HOW HINT KEY: INBOX from the cache, both messages with the
# lines they showed online, the third one not cached (its text says HINT),
# and KEY on it: a flag change for the journal.
read_offline() {
	local how=$1

	if e2e_wait_re "\\| INBOX $total msgs?, " 10 &&
	    ui_wait_subject 5 "pager-offline plain"; then
		ok "$how: INBOX paints from the cache ($total msgs)"
	else
		not_ok "$how: INBOX paints from the cache"
	fi
	e2e_keys Enter
	if e2e_wait_text "the last line of the plain one" 5 &&
	    has_lines "${plain_lines[@]}" &&
	    [ "$(pager_text)" = "$online_plain" ]; then
		ok "$how: the plain message reads in the pager, as online"
	else
		not_ok "$how: the plain message reads in the pager, as online" \
		    "$(diff <(printf '%s\n' "$online_plain") \
		    <(pager_text) | head -n 20)"
	fi
	e2e_keys J
	if e2e_wait_text "offline-report.pdf" 5 &&
	    has_lines "${multi_lines[@]}" &&
	    [ "$(pager_text)" = "$online_multi" ]; then
		ok "$how: the multipart message reads, its attachment listed, as online"
	else
		not_ok "$how: the multipart message reads, its attachment listed, as online" \
		    "$(diff <(printf '%s\n' "$online_multi") \
		    <(pager_text) | head -n 20)"
	fi
	e2e_keys J
	if ui_wait_subject 5 "pager-offline never" &&
	    e2e_wait_text "not in the cache" 5 && pager_says "$2" &&
	    ! e2e_screen | grep -q "NEVER-OPENED-TEXT"; then
		ok "$how: a message never opened says it is not cached, and what to do"
	else
		not_ok "$how: a message never opened says it is not cached, and what to do"
	fi
	e2e_keys "$3"
	sleep 0.5
}

# ---- --offline ----
start --offline
read_offline "--offline" "start quire without --offline" F
quit
ui_wait_flags "$never" '!\\Flagged' 1 &&
    ok "--offline: F is not on the server while quire is offline" ||
    not_ok "--offline: F is not on the server while quire is offline"

# ---- Dovecot stopped ----
fixture_pause || tap_bail "fixture_pause failed"
start
if e2e_wait_text "offline, retrying" 15; then
	read_offline "server stopped" "once quire is back online" N
else
	not_ok "server stopped: quire says it is offline and retrying"
fi
quit
fixture_resume || tap_bail "fixture_resume failed"
flags=$(ui_flags "$never")
case $flags in
*Flagged*|*Seen*)
	not_ok "server stopped: no change reached the server while it was gone" \
	    "flags: $flags" ;;
*)	ok "server stopped: no change reached the server while it was gone" ;;
esac

# ---- back online: the journal's changes go out ----
start
e2e_wait_re "\\| INBOX $total msgs?, .* \\| online" 15 ||
    not_ok "quire comes back online"
if ui_wait_flags "$never" '\\Flagged' 10 &&
    ui_wait_flags "$never" '\\Seen' 5; then
	ok "F made with --offline and N made with the server stopped reach the server (doveadm: $(ui_flags "$never"))"
else
	not_ok "the changes made offline reach the server" \
	    "flags: $(ui_flags "$never")"
fi
quit
tap_done

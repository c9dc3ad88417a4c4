#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: a message with a 20 MB
# attachment (15 MiB of random bytes, base64) opens in the pager for less
# than 1 MB on the wire: the session fetches its BODYSTRUCTURE and its
# text part only. The figure is the session's own wire counters for the
# open, from the -d log ("parts of INBOX UID n: N bytes in"). Then s saves
# the attachment whole: the saved file is the random bytes, byte for byte.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"
. "$top_srcdir/tests/e2e/pager_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
bin="$QF_DIR/big.bin"
head -c 15728640 /dev/urandom > "$bin" || tap_bail "no random bytes"
big_msg() {
	cat <<'EOF'
From: Big Sender <big@example.org>
To: Bob <bob@example.org>
Subject: pager-big with a 20 MB attachment
Date: Sun, 06 May 2035 10:00:00 +0000
Message-ID: <pager-big@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="bb"

--bb
Content-Type: text/plain; charset=utf-8

BIG-MESSAGE-TEXT: the attachment below is 15 MiB.
--bb
Content-Type: application/octet-stream; name="big.bin"
Content-Disposition: attachment; filename="big.bin"
Content-Transfer-Encoding: base64

EOF
	base64 -w 76 "$bin"
	echo "--bb--"
}
pager_save big_msg
uid=$(ui_uid "pager-big")
size=$(fixture_doveadm fetch size.physical mailbox INBOX uid "$uid" |
    sed -n 's/^size.physical: *//p')
tap_diag "the message is $size bytes on the server"
[ "${size:-0}" -gt 20000000 ] || not_ok "the message is over 20 MB" "$size"

log="$QF_DIR/big.log"
ui_start -d "$log"
ui_wait_subject 5 "pager-big" || tap_bail "pager-big is not under the cursor"
e2e_keys Enter
if e2e_wait_text "BIG-MESSAGE-TEXT" 15 &&
    e2e_wait_text "[Attachment 2: big.bin (application/octet-stream" 2; then
	ok "the message opens: its text, and the attachment listed"
else
	not_ok "the message opens: its text, and the attachment listed"
	e2e_failure_screen big
fi

in=""
i=0
while [ -z "$in" ] && [ $((i += 1)) -le 50 ]; do
	in=$(sed -n "s/.*parts of INBOX UID $uid: \\([0-9]*\\) bytes in.*/\\1/p" \
	    "$log" | tail -n 1)
	[ -n "$in" ] || sleep 0.1
done
tap_diag "opening it cost $in bytes in on the wire (wire counters)"
if [ -n "$in" ] && [ "$in" -lt 1000000 ]; then
	ok "opening a 20 MB message reads under 1 MB from the wire ($in bytes)"
else
	not_ok "opening a 20 MB message reads under 1 MB from the wire" \
	    "bytes in: ${in:-none logged}"
fi

# s: the folder prompt, then the whole attachment, decoded.
mkdir -p "$QF_DIR/dl"
e2e_keys s
e2e_wait_text "Save to folder:" 5 || not_ok "s asks for the folder"
e2e_keys C-u
e2e_type "$QF_DIR/dl"
e2e_keys Enter
t0=$(ui_ms)
if e2e_wait_text "Saved 15,728,640 bytes to" 60; then
	tap_diag "saving the 20 MB attachment took $(( $(ui_ms) - t0 )) ms"
	if cmp -s "$bin" "$QF_DIR/dl/big.bin" &&
	    [ "$(stat -c %a "$QF_DIR/dl/big.bin")" = 600 ]; then
		ok "s saves the 15 MiB attachment byte for byte, mode 0600"
	else
		not_ok "s saves the 15 MiB attachment byte for byte, mode 0600" \
		    "$(ls -l "$QF_DIR/dl" 2>&1)"
	fi
else
	not_ok "s saves the 15 MiB attachment byte for byte, mode 0600"
	e2e_failure_screen save
fi

e2e_keys q q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop
tap_done

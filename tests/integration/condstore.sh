#!/bin/bash
# The warm start's reconcile on a server with CONDSTORE but no QRESYNC
# (src/imap/sync.c, DESIGN.md 5): the Dovecot fixture started with
# --no-qresync, doveadm as the other client between runs of
# test_condstore, and after each run the rows quire shows compared with
# the server's own list of UIDs and flags:
#
#  - nothing changed: SELECT (CONDSTORE) gives the cached HIGHESTMODSEQ,
#    UIDNEXT and count, and no FETCH and no SEARCH go out;
#  - flags changed by another client: one UID FETCH with CHANGEDSINCE
#    over the cached UIDs, no full flag fetch, and no SEARCH, as the
#    count shows nothing vanished;
#  - a new message: it arrives, still with no SEARCH;
#  - a message expunged by another client: a UID SEARCH finds it gone,
#    and it leaves the UI and the cache;
#  - a change in the journal (\Flagged, made offline) on a message whose
#    other flags another client changed meanwhile: both survive, per flag,
#    on the server, in the UI and in the cache;
#  - every message of a folder expunged: an empty UID SEARCH answer
#    empties the folder.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=$top_builddir/tests/integration/test_condstore
[ -x "$prog" ] || tap_bail "no test program at $prog"
fixture_start --no-big --no-qresync || tap_bail "the Dovecot fixture did not start"
command -v doveadm >/dev/null 2>&1 || export PATH=$PATH:/usr/sbin:/sbin
export XDG_CACHE_HOME=$QF_DIR/cache
CFG=$(fixture_config starttls)
F=Lists/dev

# The fixture must really hide QRESYNC, or this tests the other path.
caps=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && read -r _ <&3 &&
    printf "a LOGIN %s %s\r\nb LOGOUT\r\n" "$2" "$3" >&3 && cat <&3' _ \
    "$QF_PORT_IMAP" "$QF_USER" "$QF_PASS" | sed -n 's/^a OK \[CAPABILITY \(.*\)\].*/\1/p')
case " $caps " in
*" CONDSTORE "*" QRESYNC "* | *" QRESYNC "*) not_ok "the server hides QRESYNC" "$caps" ;;
*" CONDSTORE "*) ok "the server offers CONDSTORE and hides QRESYNC" ;;
*) not_ok "the server offers CONDSTORE" "$caps" ;;
esac

# run NAME ARGS...: one test_condstore open; its TAP lines renumbered into
# this script's; the trace in $QF_DIR/NAME.log, the rows in $QF_DIR/NAME.rows.
run() {
	local name=$1 line rc out=$QF_DIR/$1.out
	shift
	CONDSTORE_LOG=$QF_DIR/$name.log "$prog" open "$CFG" "$F" \
	    "$QF_DIR/$name.rows" "$@" >"$out" 2>"$QF_DIR/$name.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok [0-9]* - }" ;;
		"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
		"Bail out!"*) not_ok "test_condstore $name: ${line#Bail out! }" ;;
		"#"*) printf '%s\n' "$line" ;;
		esac
	done <"$out"
	[ "$rc" -eq 0 ] || not_ok "test_condstore $name exits 0" \
	    "status $rc" "$(tail -n 20 "$QF_DIR/$name.err")"
}

# sent NAME: the commands the run sent, one per line, without the tag.
sent() {
	sed -n 's/.* C: [^ ]* //p' "$QF_DIR/$1.log"
}

# norm: "UID FLAG..." lines with the flags sorted, system flags only.
norm() {
	local uid rest f
	while read -r uid rest; do
		printf '%s' "$uid"
		for f in $(printf '%s\n' $rest | grep -E '^\\(Seen|Answered|Flagged|Deleted|Draft)$' | sort); do
			printf ' %s' "$f"
		done
		printf '\n'
	done
}

# server: the folder's UIDs and flags as doveadm sees them.
server() {
	fixture_doveadm -f tab fetch 'uid flags' mailbox "$F" all |
	    tail -n +2 | tr '\t' ' ' | norm
}

# same_as_server NAME WHAT: the run's rows are the server's.
same_as_server() {
	local want got
	want=$(server)
	got=$(norm <"$QF_DIR/$1.rows")
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		ok "$2: $(printf '%s\n' "$got" | wc -l) rows, as on the server"
	else
		not_ok "$2" "$(diff <(printf '%s\n' "$want") \
		    <(printf '%s\n' "$got") | head -n 20)"
	fi
}

# flags_of NAME UID: UID's flags in the run's rows.
flags_of() {
	norm <"$QF_DIR/$1.rows" | sed -n "s/^$2 //p; s/^$2\$//p"
}

# ---- a cold open fills the cache ----
run cold
same_as_server cold "the cold open shows the folder"
sent cold | grep -q '^SELECT .*(CONDSTORE)' &&
    ok "the SELECT asks for CONDSTORE" ||
    not_ok "the SELECT asks for CONDSTORE" "$(sent cold)"
sent cold | grep -q '^ENABLE' &&
    not_ok "no ENABLE QRESYNC goes to a server without it" ||
    ok "no ENABLE QRESYNC goes to a server without it"

# ---- nothing changed ----
run same
same_as_server same "a warm open with nothing changed"
if sent same | grep -Eq '^(UID )?(FETCH|SEARCH)'; then
	not_ok "nothing changed: no FETCH and no SEARCH are sent" \
	    "$(sent same | grep -E '^(UID )?(FETCH|SEARCH)')"
else
	ok "nothing changed: no FETCH and no SEARCH are sent ($(sent same |
	    grep -c .) commands: $(sent same | cut -d' ' -f1 | sort -u | tr '\n' ' '))"
fi

# ---- flags changed by another client ----
set -- $(server | awk 'NF == 1 || !/Flagged/ { print $1 }' | head -n 1) \
    $(server | awk '/Seen/ { print $1 }' | tail -n 1)
a=$1 b=$2
fixture_doveadm flags add '\Flagged' mailbox "$F" uid "$a"
fixture_doveadm flags remove '\Seen' mailbox "$F" uid "$b"
run flags
same_as_server flags "another client's flag changes arrive (uid $a flagged, uid $b unread)"
case $(flags_of flags "$a") in *'\Flagged'*) ok "uid $a shows \\Flagged" ;;
*) not_ok "uid $a shows \\Flagged" "$(flags_of flags "$a")" ;; esac
fetch=$(sent flags | grep -E '^(UID )?FETCH')
top=$(( $(fixture_doveadm -f tab mailbox status uidnext "$F" | tail -n 1 | cut -f2) - 1 ))
if [ "$(printf '%s\n' "$fetch" | grep -c .)" -eq 1 ] &&
    printf '%s\n' "$fetch" | grep -Eq "^UID FETCH 1:$top \(UID FLAGS\) \(CHANGEDSINCE [0-9]+\)$"; then
	ok "one UID FETCH 1:$top with CHANGEDSINCE, no full flag fetch ($fetch)"
else
	not_ok "one UID FETCH 1:$top with CHANGEDSINCE, no full flag fetch" "$fetch"
fi
sent flags | grep -q '^UID SEARCH' &&
    not_ok "nothing vanished: no UID SEARCH" "$(sent flags | grep SEARCH)" ||
    ok "nothing vanished: no UID SEARCH"

# ---- a new message ----
msgid="<condstore-new-$$@quire.test>"
printf 'From: Other <other@quire.test>\r\nTo: quire@quire.test\r\nSubject: arrived between runs\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: %s\r\n\r\nNew.\r\n' \
    "$msgid" | fixture_doveadm save -m "$F" || not_ok "doveadm save"
new=$(fixture_doveadm -f tab search mailbox "$F" header Message-ID "$msgid" |
    tail -n 1 | cut -f2)
run new
same_as_server new "a message another client added arrives (uid $new)"
sent new | grep -q '^UID SEARCH' &&
    not_ok "a new message alone needs no UID SEARCH" "$(sent new | grep SEARCH)" ||
    ok "a new message alone needs no UID SEARCH"

# ---- a message expunged by another client ----
gone=$(server | sed -n 5p | cut -d' ' -f1)
fixture_doveadm expunge mailbox "$F" uid "$gone"
run expunged
same_as_server expunged "a message another client expunged is gone (uid $gone)"
n=$(norm <"$QF_DIR/expunged.rows" | grep -c "^$gone\( \|\$\)")
[ "$n" -eq 0 ] && ok "uid $gone is not among the rows" ||
    not_ok "uid $gone is not among the rows"
sent expunged | grep -Eq "^UID SEARCH UID 1:[0-9]+$" &&
    ok "the expunge is found with one UID SEARCH ($(sent expunged | grep '^UID SEARCH'))" ||
    not_ok "the expunge is found with one UID SEARCH" "$(sent expunged)"
run expunged-cache offline
same_as_server expunged-cache "and the cache forgot it (an offline open)"

# ---- the journal and another client, per flag ----
# x is read and not flagged: the user flags it offline; meanwhile another
# client marks it unread and answered. Each side keeps its own flags.
x=$(server | awk '/Seen/ && !/Flagged/ && !/Answered/ { print $1 }' | head -n 1)
[ -n "$x" ] || tap_bail "no read, unflagged, unanswered message in $F"
run journal offline flag "$x"
fixture_doveadm flags remove '\Seen' mailbox "$F" uid "$x"
fixture_doveadm flags add '\Answered' mailbox "$F" uid "$x"
run merged
want='\Answered \Flagged'
srv=$(server | sed -n "s/^$x //p")
[ "$srv" = "$want" ] &&
    ok "the server has both changes on uid $x: $srv" ||
    not_ok "the server has both changes on uid $x" "got: $srv"
got=$(flags_of merged "$x")
[ "$got" = "$want" ] && ok "the UI shows them merged: $got" ||
    not_ok "the UI shows them merged" "got: $got"
sent merged | grep -Eq "^UID STORE $x .*\+FLAGS.SILENT \(\\\\Flagged\)" &&
    ok "the journal sent its delta alone (+FLAGS \\Flagged)" ||
    not_ok "the journal sent its delta alone (+FLAGS \\Flagged)" "$(sent merged | grep STORE)"
same_as_server merged "the folder as on the server after the merge"
run merged-cache offline
got=$(flags_of merged-cache "$x")
[ "$got" = "$want" ] && ok "the cache keeps them merged: $got" ||
    not_ok "the cache keeps them merged" "got: $got"

# ---- every message expunged ----
F=Drafts
run drafts
same_as_server drafts "$F opens"
had=$(grep -c . "$QF_DIR/drafts.rows")
fixture_doveadm expunge mailbox "$F" all
run drafts-gone
rows=$(grep -c . "$QF_DIR/drafts-gone.rows")
left=$(server | grep -c .)
[ "$rows" -eq 0 ] && [ "$left" -eq 0 ] &&
    ok "every message of $F expunged by another client: no rows left" ||
    not_ok "every message of $F expunged by another client: no rows left" \
    "rows $rows, on the server $left"
# The session's own count, from its log: the answer was taken, not refused.
sent drafts-gone | grep -Eq '^UID SEARCH UID 1:[0-9]+$' &&
    grep -q "0 of $had known messages still there, $had gone" "$QF_DIR/drafts-gone.log" &&
    ok "found by the UID SEARCH's empty answer" ||
    not_ok "found by the UID SEARCH's empty answer" "$(sent drafts-gone)" \
    "$(grep resync "$QF_DIR/drafts-gone.log")"
run drafts-cache offline
rows=$(grep -c . "$QF_DIR/drafts-cache.rows")
[ "$rows" -eq 0 ] && ok "and the cache is empty too" ||
    not_ok "and the cache is empty too" "$rows rows"

tap_done

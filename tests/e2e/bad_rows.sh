#!/bin/bash
# BAD-INPUTS.md rows 17-27, 29 and 33 that no other test covers in full,
# each case named "row N: ...", against the real quire in tmux with the
# raw bytes it writes to the terminal captured from the first one.
#
# Part one, the fixture's Dovecot: every hostile message genmail put in
# INBOX ([bad-17a] ... [bad-26f]) is opened in the pager, its headers
# (h) and attachment list (a) shown, and what the row names is checked on
# the screen: the sequences of row 17 in From, body and filename as text,
# the body's bidi and zero-width characters of row 19, the NUL of row 20,
# the fallbacks of rows 21 and 22, the broken framing of row 23 (the
# message that starts with a blank line, its marker in the body only,
# found with the index's search), the caps of row 24 within a bounded
# time, the damaged encodings of row 25, and the names of row 26 saved
# only inside the folder chosen. Then the raw capture must hold no OSC,
# no CSI from a message, no C1, bidi, zero-width or BOM character and no
# NUL. A second start with fallback_charset = iso-8859-7 reads row 22's
# raw 8-bit header as iconv reads those bytes in that charset.
#
# Part two, tests/fake/fakeimap playing bad/ui-rows.imap: a server
# without UIDPLUS (row 33: $ warns that only a plain EXPUNGE can go, and
# n sends nothing) whose folder list holds the names of row 29 (drawn as
# text, never given to a shell, never used as a path; quire stays up,
# even selecting them).
#
# Part three, fakeimap playing bad/ui-row33.imap: row 33 in full (the
# question names the other clients' deleted messages; n sends nothing; y
# sends one plain EXPUNGE, after asking again when more were marked
# meanwhile, and the rows go), then row 27 (CR, LF and NUL typed or
# pasted into the search and folder prompts are refused with a message
# and never sent).
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

FAKEIMAP=$top_builddir/tests/fake/fakeimap
[ -x "$FAKEIMAP" ] || tap_bail "no fakeimap at $FAKEIMAP"
fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
T=$QF_DIR/rows
mkdir -p "$T/save" || tap_bail "mkdir $T"
raw=$T/raw
ui_start -r "$raw" -x 160 -y 50

# goto ID: move the cursor (j, then from the top) to [bad-ID].
goto() {
	local pass i
	for pass in 1 2; do
		for ((i = 0; i < 70; i++)); do
			case $(ui_subject) in "[bad-$1]"*) return 0 ;; esac
			e2e_keys j
			sleep 0.03
		done
		e2e_keys g
		sleep 0.2
	done
	e2e_failure_screen "goto-$1"
	return 1
}

# open ID TEXT: open [bad-ID] in the full pager, wait for TEXT.
open() {
	goto "$1" || return 1
	e2e_keys Enter
	e2e_wait_text "$2" 10
}

# back: from the pager (or its parts list) to the index with the
# message shown in the split pane below it.
back() {
	local i
	for ((i = 0; i < 4; i++)); do
		e2e_screen | grep -q '^>INBOX' &&
		    e2e_screen | grep -q '^[^│]*│From: ' && return 0
		e2e_keys q
		sleep 0.3
	done
	e2e_failure_screen back
	return 1
}

# index_search QUERY: the index's search (not the pager's find, which /
# is while the pager has the focus: leave it with q first), then wait for
# the result; an empty QUERY shows the whole folder again.
index_search() {
	local i
	for ((i = 0; i < 2; i++)); do
		e2e_keys /
		e2e_wait_re '^(Search|Find in the message):' 5 2>/dev/null ||
		    break
		if e2e_screen | grep -q '^Search:'; then
			[ -n "$1" ] && e2e_type "$1"
			e2e_keys Enter
			if [ -n "$1" ]; then
				e2e_wait_re ' [0-9]+ of [0-9,]+ match' 15 && return 0
			else
				e2e_wait_no_text ' match' 15 && return 0
			fi
			break
		fi
		# The pager's find: drop it, and leave the pager.
		e2e_keys Escape
		e2e_wait_no_text "Find in the message:" 5 || break
		e2e_keys q
		sleep 0.3
	done
	e2e_failure_screen "search-${1:-all}"
	return 1
}

# shows DESC TEXT...: one case, ok when the screen shows every TEXT.
shows() {
	local desc=$1 t
	shift
	for t in "$@"; do
		if ! e2e_wait_text "$t" 5 2>/dev/null; then
			not_ok "$desc" "not on the screen: $t"
			return 1
		fi
	done
	ok "$desc"
}

# saved DESC: s in the parts list, into $T/save/ID; prints the one file
# it made there, fails when there is not exactly one.
save_part() {
	local dir=$T/save/$1
	mkdir -p "$dir"
	e2e_keys s
	e2e_wait_text "Save to folder:" 5 || return 1
	e2e_keys C-u
	e2e_type "$dir"
	e2e_keys Enter
	e2e_wait_text "Saved" 10 || return 1
	[ "$(find "$dir" -mindepth 1 | wc -l)" = 1 ] || return 1
	find "$dir" -mindepth 1
}

# ---- row 26: every name saved inside the chosen folder, made safe ----

# save_case ID DESC TEST: open [bad-ID], save its first attachment, and
# run TEST (a shell function) on the saved file's name.
save_case() {
	local id=$1 desc=$2 check=$3 f
	if ! open "$id" "[bad-$id]"; then
		not_ok "$desc" "[bad-$id] did not open"
		back
		return
	fi
	e2e_keys a
	sleep 0.3
	if f=$(save_part "$id") && "$check" "$(basename "$f")" &&
	    [ "$(dirname "$f")" = "$T/save/$id" ] && [ -f "$f" ] &&
	    [ ! -L "$f" ] && [ "$(stat -c %a "$f")" = 600 ]; then
		ok "$desc ($(basename "$f" | cut -c1-40))"
	else
		not_ok "$desc" "saved: $(find "$T/save/$id" -mindepth 1 | od -c | head -n 5)"
		e2e_failure_screen "save-$id"
	fi
	back
}
# The name holds no control character, no bidi control, no slash.
plain_name() {
	! printf '%s' "$1" | LC_ALL=C grep -qaE $'[\x01-\x1f\x7f/]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]'
}
name_26b() { [ "$1" = passwd ]; }
name_26c() { plain_name "$1" && case $1 in a*.pdf) true ;; *) false ;; esac; }
name_26d() { plain_name "$1" && case $1 in evil*fdp.exe) true ;; *) false ;; esac; }
name_26e() { plain_name "$1" && [ "$(printf '%s' "$1" | wc -c)" -le 255 ] &&
    case $1 in long-name-part-*) true ;; *) false ;; esac; }
name_26f() { plain_name "$1" && case $1 in ctl*tab*.txt) true ;; *) false ;; esac; }

save_case 26f "row 26: control characters in a name are not saved in it" name_26f
save_case 26e "row 26: a 4 KB name is cut to at most 255 bytes" name_26e
save_case 26d "row 26: evil<U+202E>fdp.exe saves without the override" name_26d
save_case 26c "row 26: a<NUL>.pdf saves with no NUL, as a name with no control" name_26c
save_case 26b "row 26: /etc/passwd saves as passwd inside the chosen folder" name_26b
if [ "$(find "$T/save" -type f | wc -l)" = 5 ] &&
    [ -z "$(find "$QF_DIR" -newer "$raw" -type f -name passwd -not -path "$T/save/*")" ]; then
	ok "row 26: nothing was saved outside the chosen folders"
else
	not_ok "row 26: nothing was saved outside the chosen folders" \
	    "$(find "$T/save" -type f)"
fi

# ---- row 25: damaged encodings, decoded as far as they go ----

open 25c "[bad-25c]" &&
    shows "row 25: uuencode with bogus lengths: marked damaged, the rest shown" \
    "[The uuencoded file above is damaged; what decoded is kept]" \
    "#86)C9&5F9V(V;&UN;W!Q<G-T=79W>'EZ" "../../.bashrc"
back
open 25b "[bad-25b]" &&
    shows "row 25: garbage quoted-printable: marked damaged, the rest shown" \
    "[Part 1 is damaged (quoted-printable); what decoded is shown]" \
    "bad hex =ZZ and =4 and = lone equals" "ends with an equals sign"
back
open 25a "[bad-25a]" &&
    shows "row 25: garbage base64: marked damaged, what decoded shown" \
    "[Part 1 is damaged (base64)" "Hello wor"
back

# ---- row 24: the caps, in a bounded time ----

t0=$(ui_ms)
if open 24b "[bad-24b]"; then
	t1=$(( $(ui_ms) - t0 ))
	shows "row 24: 2000 MIME parts open in bounded time (${t1} ms)" \
	    "part 1" && [ "$t1" -lt 15000 ] || not_ok "row 24: 2000 parts in under 15 s" "$t1 ms"
else
	not_ok "row 24: 2000 MIME parts open in bounded time"
fi
back
t0=$(ui_ms)
if open 24a "[bad-24a]"; then
	t1=$(( $(ui_ms) - t0 ))
	if e2e_wait_re 'deeper than|levels|nested' 5 &&
	    ! e2e_screen | grep -qF "The bottom, 60 levels down." &&
	    [ "$t1" -lt 15000 ]; then
		ok "row 24: MIME nested 60 levels: cut at the depth cap, said so (${t1} ms)"
	else
		not_ok "row 24: MIME nested 60 levels: cut at the depth cap, said so" \
		    "$(e2e_screen | grep -v '^ *│* *$' | tail -n 12)"
	fi
else
	not_ok "row 24: MIME nested 60 levels: cut at the depth cap, said so"
fi
back

# ---- row 23: broken framing ----

open 23c "[bad-23c]" &&
    shows "row 23: LF and CRLF mixed: the multipart's text shown line by line" \
    "line one" "line two" "line three"
back
open 23b "[bad-23b]" &&
    shows "row 23: a header line without a colon: the headers around it kept" \
    "From: Colon" "Body."
back
# [bad-23a] starts with a blank line, so its header is empty (as the
# server has it: ENVELOPE all NIL, BODYSTRUCTURE 5 lines of text) and
# everything after that line is its body. Its marker is in the body only:
# found by the index's search, opened, left with q, the search undone.
if index_search '"[bad-23a]"'; then
	e2e_keys Enter
	if e2e_wait_text "[bad-23a] The headers above are body text." 10 &&
	    e2e_screen | grep -q '^[^│]*│Subject: *$' && ! e2e_dead; then
		ok "row 23: a message that starts with a blank line opens: an empty header, its text shown"
	else
		not_ok "row 23: a message that starts with a blank line opens: an empty header, its text shown" \
		    "$(e2e_screen | grep -v '^ *│* *$' | tail -n 12)"
		e2e_failure_screen open-23a
	fi
	if e2e_screen | grep -q '^[^│]*│From: Blank <blank@evil.example>' &&
	    e2e_screen | grep -qF '│Subject: [bad-23a] starts with a blank line'; then
		ok "row 23: a message that starts with a blank line: the lines after it are its body"
	else
		not_ok "row 23: a message that starts with a blank line: the lines after it are its body" \
		    "$(e2e_screen | grep -v '^ *│* *$' | tail -n 8)"
	fi
	e2e_keys q
	sleep 0.3
	index_search "" || not_ok "row 23: the whole folder shown again after [bad-23a]"
else
	not_ok "row 23: a message that starts with a blank line opens: an empty header, its text shown" \
	    "the index search found no [bad-23a]"
fi
# ---- rows 21 and 22: undecodable text, raw 8-bit headers ----

open 22a "[bad-22a]" &&
    shows "row 22: raw Latin-1 headers: decoded by the fallback charset" \
    "From: Jürgen Müller" "Subject: [bad-22a] Grüße aus Köln © été" "Köln."
back
open 21c "[bad-21c]" &&
    shows "row 21: invalid base64 in an encoded word: kept raw, the rest decoded" \
    "badb64 =?utf-8?B?!!!not*base64?= short Hello pad" "=?utf-8?B?=====?= end"
back
open 21b "[bad-21b]" &&
    shows "row 21: an unknown charset: raw fallback, the rest of the header kept" \
    "unknown hello world and empty-lang end" "Body in a charset nobody knows"
back
open 21a "[bad-21a]" &&
    shows "row 21: invalid and overlong UTF-8: U+FFFD, the rest kept" \
    "invalid ��bad�� overlong" "end" "Invalid UTF-8 body: ��"
back

# ---- row 20: NUL as U+FFFD, nothing cut off after it ----

if open 20a "[bad-20a]"; then
	shows "row 20: a NUL in the body shows as U+FFFD, the text after it kept" \
	    "NUL in the body: [�]"
	# Dovecot hands a NUL in a header out as 0x80, which the fallback
	# charset (windows-1252) shows as one character: nothing cut.
	e2e_keys h
	if e2e_wait_re 'X-Nul: "a.{1,4}b"' 5 2>/dev/null &&
	    e2e_wait_re 'Subject: \[bad-20a\] before.{1,4}after x.{1,4}y end' 5 2>/dev/null; then
		ok "row 20: a NUL in raw headers is one visible character, the text after it kept"
	else
		not_ok "row 20: a NUL in raw headers is one visible character, the text after it kept"
	fi
	e2e_keys h
else
	not_ok "row 20: [bad-20a] opens"
fi
back

# ---- row 19: bidi and invisible characters in bodies ----

open 19b "[bad-19b]" &&
    shows "row 19: zero-width, BOM and soft hyphens removed from the body" \
    "Zerowidth and softhyphen."
back
open 19a "[bad-19a]" &&
    shows "row 19: bidi controls in the body marked, LRM/RLM removed" \
    "Bidi in the body: <U+202E>reversed<U+202C>." "lrm rlm enc"
back

# ---- row 18: TAB and LF from encoded words ----

open 18a "[bad-18a]" &&
    shows "row 18: TAB and LF from encoded words replaced; the line intact" \
    "tab c d lf e f"
back

# ---- row 17: escape sequences in From, body and filename; C1 ----

open 17b "[bad-17b]" &&
    shows "row 17: C1 U+009B and raw 0x9B in a body never reach the terminal raw" \
    "C1 in the body: <9B>2J"
back
if open 17a "[bad-17a]"; then
	shows "row 17: OSC 0/52 and CSI 2J in a body show as text" \
	    "body: title^[]0;PWNED-BODY^G clip^[]52;c;cHduZWQK^G clear^[[2J^[[31m red"
	shows "row 17: OSC 0 and CSI 2J in an attachment's filename show as text" \
	    "a^[]0;PWNED-FILE^G^[[2J.txt"
	e2e_keys h
	if e2e_wait_re 'From: \^\[\]0;PWNED-FROM\^G\^\[\[2J Evil' 5; then
		ok "row 17: OSC 0 and CSI 2J in From show as text"
	else
		not_ok "row 17: OSC 0 and CSI 2J in From show as text"
	fi
	e2e_keys h
else
	not_ok "row 17: [bad-17a] opens"
fi
back

sleep 0.3

# ---- rows 17-26: the raw bytes of everything above ----

esc=$'\033'
leak=
for s in "${esc}]" "${esc}[2J" "${esc}[31m red" "${esc}[H end"; do
	LC_ALL=C grep -qaF -- "$s" "$raw" && leak="$leak $(printf '%q' "$s")"
done
if [ -s "$raw" ] && [ -z "$leak" ]; then
	ok "rows 17-26: no OSC and no message's CSI in the raw output ($(wc -c < "$raw") bytes)"
else
	not_ok "rows 17-26: no OSC and no message's CSI in the raw output" \
	    "found:${leak:- an empty capture}"
fi
if iconv -f UTF-8 -t UTF-32 "$raw" > /dev/null 2>&1; then
	ok "rows 17-26: the raw output is valid UTF-8 (no raw 0x9B or NUL-cut sequence)"
else
	not_ok "rows 17-26: the raw output is valid UTF-8 (no raw 0x9B or NUL-cut sequence)"
fi
found=$(LC_ALL=C grep -aoE $'\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf|\xc2\xad' \
    "$raw" | od -An -tx1 | tr -s ' \n' ' ' | cut -c1-200)
nul=$(tr -cd '\000' < "$raw" | wc -c)
if [ -z "$found" ] && [ "$nul" = 0 ]; then
	ok "rows 17-20: no C1, bidi, LRM/RLM, zero-width, BOM, soft hyphen or NUL in the raw output"
else
	not_ok "rows 17-20: no C1, bidi, LRM/RLM, zero-width, BOM, soft hyphen or NUL in the raw output" \
	    "bytes: $found; NULs: $nul"
fi
# q leaves the pager pane if it has the focus, then quits.
e2e_keys q
e2e_wait_gone 3 2>/dev/null || e2e_keys q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "rows 17-26: q quits with status 0" "status $(e2e_exit_status)"
e2e_stop

# ---- row 22 again: the fallback charset is the user's to choose ----

# The same raw 8-bit [bad-22a] with fallback_charset = iso-8859-7: its
# header's bytes now read as Greek, exactly as iconv reads them, and no
# longer as the Latin-1 the sender meant; nothing raw reaches the
# terminal. Its body, which declares no charset either, should follow.
cs=iso-8859-7
greek() { printf '%b' "$1" | iconv -f "$cs" -t UTF-8; }
g_from=$(greek 'J\xfcrgen M\xfcller')
g_subj=$(greek 'Gr\xfc\xdfe aus K\xf6ln \xa9 \xe9t\xe9')
g_body=$(greek 'K\xf6ln.')
[ -n "$g_from" ] && [ -n "$g_subj" ] && [ -n "$g_body" ] ||
    tap_bail "iconv cannot convert from $cs"
cfg22=$T/charset.conf
{ echo "fallback_charset = $cs"; cat "$UI_CFG"; } >"$cfg22" ||
    tap_bail "cannot write $cfg22"
raw22=$T/raw22
UI_CFG=$cfg22 ui_start -r "$raw22" -x 160 -y 50
if open 22a "[bad-22a]"; then
	shows "row 22: another fallback_charset decodes the raw 8-bit header as iconv does ($cs)" \
	    "From: $g_from" "Subject: [bad-22a] $g_subj"
	# (The index may list other mail that names Köln in encoded words.)
	latin=$(e2e_screen | grep -E '│(From|Subject): ' |
	    grep -F -e "Jürgen" -e "Köln")
	if [ -z "$latin" ]; then
		ok "row 22: another fallback_charset leaves no Latin-1 reading in the header ($cs)"
	else
		not_ok "row 22: another fallback_charset leaves no Latin-1 reading in the header ($cs)" \
		    "$latin"
	fi
	body=$(e2e_screen | grep -F "no MIME at all")
	case $body in
	*": $g_body"*)
		ok "row 22: another fallback_charset also decodes a body that declares no charset ($cs)" ;;
	*)
		not_ok "row 22: another fallback_charset also decodes a body that declares no charset ($cs)" \
		    "wanted: $g_body" "shown: $body" ;;
	esac
else
	not_ok "row 22: another fallback_charset decodes the raw 8-bit header as iconv does ($cs)" \
	    "[bad-22a] did not open"
fi
sleep 0.3
found=$(LC_ALL=C grep -aoE $'\xc2[\x80-\x9f]' "$raw22" | od -An -tx1 | head -c 100)
if iconv -f UTF-8 -t UTF-32 "$raw22" > /dev/null 2>&1 && [ -s "$raw22" ] &&
    [ -z "$found" ]; then
	ok "row 22: another fallback_charset: the raw output is valid UTF-8 with no C1 ($cs)"
else
	not_ok "row 22: another fallback_charset: the raw output is valid UTF-8 with no C1 ($cs)" \
	    "C1: ${found:-none}"
fi
e2e_stop

# ---- part two: a server without UIDPLUS, with hostile folder names ----

flog=$T/fake.log
"$FAKEIMAP" -t 120 -n 1 -l "$flog" \
    "$top_srcdir/tests/integration/bad/ui-rows.imap" >"$T/fake.port" \
    2>"$T/fake.err" &
FPID=$!
e2e_atexit "kill $FPID 2>/dev/null"
for _ in $(seq 100); do
	PORT=$(sed -n 's/^port //p' "$T/fake.port")
	[ -n "$PORT" ] && break
	sleep 0.05
done
[ -n "$PORT" ] || tap_bail "fakeimap did not start"
cat >"$T/fake.conf" <<EOF
[account fake]
host = localhost
port = $PORT
security = none
allow_plaintext = yes
user = $QF_USER
password_cmd = echo fake-password
EOF
work=$T/work
mkdir -p "$work"
home=$T/fakehome
mkdir -p "$home"
e2e_start -x 120 -y 30 -r "$T/raw2" -e "HOME=$home" \
    -e "XDG_CACHE_HOME=$home/cache" -- \
    sh -c 'cd "$1" && exec "$2" -c "$3"' sh "$work" "$QUIRE_BIN" \
    "$T/fake.conf" || tap_bail "e2e_start failed"
e2e_wait_re '\| INBOX 1 msg, .* \| online' 15 ||
    tap_bail "quire did not come online on the fake server"

# Row 29: each name drawn as text, in full or cut with an ellipsis.
missing=
for n in '..' 'row29-up' 'row29-abs' ' *' ' %' 'row29-q"uote' \
    'row29-back\slash' 'row29-`touch row29-tic' 'row29-$(touch row29-do' \
    'row29-long-yyyy' 'row29-utf7-&Jjo' 'row29-utf7-&AGE-'; do
	e2e_screen | grep -qF -- "$n" || missing="$missing [$n]"
done
if [ -z "$missing" ]; then
	ok "row 29: .., ../x, /abs, *, %, quote, backslash, backquote, \$(), 1100 bytes, bad UTF-7: all listed as text"
else
	not_ok "row 29: .., ../x, /abs, *, %, quote, backslash, backquote, \$(), 1100 bytes, bad UTF-7: all listed as text" \
	    "missing:$missing"
	e2e_failure_screen row29
fi

# Row 33: d on the one message, then $ and y: no other message is
# marked deleted, but a plain EXPUNGE is all this server has, and quire
# says so before sending it; n sends nothing.
e2e_keys d
sleep 0.5
e2e_keys '$'
e2e_wait_text "Expunge 1 deleted message? (y/n)" 5 && e2e_keys y
if e2e_wait_text "No UIDPLUS: a plain EXPUNGE removes every deleted message (now only your 1). Expunge? (y/n)" 10 &&
    e2e_keys n && e2e_wait_text "Nothing expunged: no EXPUNGE was sent" 5 &&
    ! grep -qE '^[0-9]+ C: [^ ]+ (UID )?EXPUNGE' "$flog"; then
	ok "row 33: without UIDPLUS, \$ warns of a plain EXPUNGE even with no other deleted message; n sends nothing"
else
	not_ok "row 33: without UIDPLUS, \$ warns of a plain EXPUNGE even with no other deleted message; n sends nothing" \
	    "$(e2e_screen | tail -n 2)" "$(grep -E 'EXPUNGE|STORE|SEARCH' "$flog")"
	e2e_failure_screen row33
fi

# Row 29 again: open the folders with the worst names; quire stays up.
e2e_keys Tab
for ((i = 0; i < 13; i++)); do
	e2e_keys j Enter
	sleep 0.3
done
sleep 1
if ! e2e_dead && e2e_screen | grep -q ' | online'; then
	ok "row 29: opening every hostile folder leaves quire up and online"
else
	not_ok "row 29: opening every hostile folder leaves quire up and online" \
	    "status $(e2e_exit_status)"
	e2e_failure_screen row29-open
fi
e2e_keys q
e2e_wait_text "quit?" 3 >/dev/null 2>&1 && e2e_keys y
e2e_wait_gone 10
made=$(find "$work" "$home" "$T" -name 'row29-*' 2>/dev/null)
if [ -z "$made" ] && [ ! -e "$top_builddir/row29-tick" ] &&
    [ ! -e "$top_builddir/row29-dollar" ]; then
	ok "row 29: no name reached a shell or a path (no file named after one)"
else
	not_ok "row 29: no name reached a shell or a path (no file named after one)" "$made"
fi
if [ -s "$T/raw2" ] && ! LC_ALL=C grep -qaF "${esc}]" "$T/raw2" &&
    iconv -f UTF-8 -t UTF-32 "$T/raw2" > /dev/null 2>&1; then
	ok "row 29: the raw output holds no OSC and is valid UTF-8"
else
	not_ok "row 29: the raw output holds no OSC and is valid UTF-8"
fi
if grep -qF ' STATUS "row29-$(touch row29-dollar)" (' "$flog" &&
    grep -qF ' STATUS "row29-q\\"uote" (' "$flog"; then
	ok "row 29: names go back to the server quoted and escaped as listed"
else
	not_ok "row 29: names go back to the server quoted and escaped as listed" \
	    "$(grep -E ' C: [^ ]+ (STATUS|SELECT)' "$flog" | cut -c1-80)"
fi
e2e_stop
kill "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null

# ---- part three: a plain EXPUNGE asked for (row 33); prompts (row 27) ----

# fake_start SCRIPT NAME: fakeimap playing SCRIPT for one connection, its
# log $T/NAME.flog; sets PORT and FPID.
fake_start() {
	"$FAKEIMAP" -t 120 -n 1 -l "$T/$2.flog" "$1" >"$T/$2.port" \
	    2>"$T/$2.err" &
	FPID=$!
	e2e_atexit "kill $FPID 2>/dev/null"
	PORT=
	for _ in $(seq 100); do
		PORT=$(sed -n 's/^port //p' "$T/$2.port")
		[ -n "$PORT" ] && break
		sleep 0.05
	done
	[ -n "$PORT" ] || tap_bail "fakeimap did not start for $2"
}

# flog_wait REGEX [SECONDS]: the fake server's log ($flog) gets a line
# matching REGEX (grep -E).
flog_wait() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		grep -qE -- "$1" "$flog" && return 0
		sleep 0.05
	done
	return 1
}

# client_sent REGEX: the number of the client's commands matching REGEX.
client_sent() {
	grep -cE "^[0-9]+ C: [^ ]+ $1" "$flog"
}

flog=$T/row33.flog
fake_start "$top_srcdir/tests/integration/bad/ui-row33.imap" row33
home=$T/home33
mkdir -p "$home"
{
	echo "layout = full"
	echo "[account fake]"
	echo "host = localhost"
	echo "port = $PORT"
	echo "security = none"
	echo "allow_plaintext = yes"
	echo "user = $QF_USER"
	echo "password_cmd = echo fake-password"
} >"$T/row33.conf"
e2e_start -x 120 -y 30 -e "HOME=$home" -e "XDG_CACHE_HOME=$home/cache" -- \
    "$QUIRE_BIN" -c "$T/row33.conf" -d "$T/row33.dlog" ||
    tap_bail "e2e_start failed"
e2e_wait_re '\| INBOX 3 msgs, .* \| online' 15 ||
    tap_bail "quire did not come online on the fake server (row 33)"

# d on uid 12 (the newest, at the top), then $ and y: the session asks
# the server which messages are \Deleted before anything else.
ok33=1
e2e_wait_text "[row33] mine to delete" 5 && e2e_keys g d &&
    flog_wait ' C: [^ ]+ UID STORE 12 \+FLAGS' &&
    flog_wait ' S: [0-9]+ OK STATUS done.*' || ok33=0
sleep 0.3
e2e_keys '$'
e2e_wait_text "Expunge 1 deleted message? (y/n)" 5 && e2e_keys y || ok33=0
if [ "$ok33" = 1 ] && e2e_wait_text "No UIDPLUS: a plain EXPUNGE also removes 1 message other clients marked deleted. Expunge all 2? (y/n)" 10; then
	ok "row 33: without UIDPLUS, \$ asks, naming the 1 message another client marked deleted"
else
	not_ok "row 33: without UIDPLUS, \$ asks, naming the 1 message another client marked deleted" \
	    "$(e2e_screen | tail -n 2)"
	e2e_failure_screen row33-ask
fi
e2e_keys n
if e2e_wait_text "Nothing expunged: no EXPUNGE was sent" 5 && sleep 1 &&
    [ "$(client_sent 'EXPUNGE')" = 0 ] &&
    [ "$(client_sent 'UID SEARCH DELETED')" = 1 ] &&
    e2e_screen | grep -qF "[row33] theirs, deleted" &&
    e2e_screen | grep -qF "[row33] mine to delete"; then
	ok "row 33: n sends no EXPUNGE; every row stays"
else
	not_ok "row 33: n sends no EXPUNGE; every row stays" \
	    "$(grep -E ' C: ' "$flog" | tail -n 4)"
	e2e_failure_screen row33-n
fi

# Again, y: the search just before the EXPUNGE finds uid 10 deleted too
# (by another client, meanwhile): quire asks again rather than send it.
e2e_keys '$'
e2e_wait_text "Expunge 1 deleted message? (y/n)" 5 && e2e_keys y
e2e_wait_text "Expunge all 2? (y/n)" 10 && e2e_keys y
if e2e_wait_text "No UIDPLUS: a plain EXPUNGE also removes 2 messages other clients marked deleted. Expunge all 3? (y/n)" 10 &&
    [ "$(client_sent 'EXPUNGE')" = 0 ]; then
	ok "row 33: one more deleted meanwhile: asked again, naming 2, nothing sent"
else
	not_ok "row 33: one more deleted meanwhile: asked again, naming 2, nothing sent" \
	    "$(e2e_screen | tail -n 2)" "$(grep -E ' C: ' "$flog" | tail -n 4)"
	e2e_failure_screen row33-again
fi
e2e_keys y
if flog_wait ' C: [^ ]+ EXPUNGE$' 10 &&
    e2e_wait_text "Expunged 3 messages" 10 &&
    e2e_wait_no_text "[row33]" 5 &&
    [ "$(client_sent 'EXPUNGE')" = 1 ] &&
    [ "$(client_sent 'UID EXPUNGE')" = 0 ]; then
	ok "row 33: y sends one plain EXPUNGE; the rows disappear"
else
	not_ok "row 33: y sends one plain EXPUNGE; the rows disappear" \
	    "$(grep -E ' C: ' "$flog" | tail -n 5)"
	e2e_failure_screen row33-y
fi

# Row 27: CR, LF and NUL typed or pasted into the search prompt and the
# folder prompt are refused with a message and never sent. A bracketed
# paste holds them (tmux paste-buffer -p, -r to keep LF as it is).
r27_paste() {
	printf "$1" >"$T/r27.paste"
	e2e_tmux load-buffer -b r27 "$T/r27.paste" &&
	    e2e_tmux paste-buffer -p -r -d -b r27 -t "$E2E_TARGET"
}
before=$(grep -c ' C: ' "$flog")
e2e_keys /
e2e_wait_re 'Search|search' 5
r27_paste 'row27a\r\nLOGOUT\r\n1 DELETE INBOX'
if e2e_wait_text "Line breaks and control characters cannot go in" 5; then
	ok "row 27: CR LF pasted into the search prompt: refused with a message"
else
	not_ok "row 27: CR LF pasted into the search prompt: refused with a message" \
	    "$(e2e_screen | tail -n 2)"
	e2e_failure_screen row27-search
fi
e2e_keys Escape
e2e_keys /
sleep 0.3
e2e_tmux send-keys -t "$E2E_TARGET" -H 00
r27_paste 'row27b\0x'
if e2e_wait_text "Line breaks and control characters cannot go in" 5; then
	ok "row 27: NUL typed and pasted into the search prompt: refused with a message"
else
	not_ok "row 27: NUL typed and pasted into the search prompt: refused with a message" \
	    "$(e2e_screen | tail -n 2)"
fi
e2e_keys Escape
e2e_keys c
e2e_wait_re 'older' 5
r27_paste 'Archive\r\n2 DELETE INBOX'
e2e_tmux send-keys -t "$E2E_TARGET" -H 00
if e2e_wait_text "Line breaks and control characters cannot go in" 5; then
	ok "row 27: CR LF and NUL into the folder prompt: refused with a message"
else
	not_ok "row 27: CR LF and NUL into the folder prompt: refused with a message" \
	    "$(e2e_screen | tail -n 2)"
	e2e_failure_screen row27-folder
fi
e2e_keys Escape
sleep 1
if [ "$(grep -c ' C: ' "$flog")" = "$before" ]; then
	ok "row 27: the refused prompts sent nothing"
else
	not_ok "row 27: the refused prompts sent nothing" \
	    "$(grep ' C: ' "$flog" | tail -n +$((before + 1)) | head -n 5)"
fi
# What is left once the controls are out goes as one command: the pasted
# line breaks never start a second one.
e2e_keys /
sleep 0.3
r27_paste 'row27c\r\nLOGOUT'
e2e_keys Enter
if flog_wait ' C: [^ ]+ UID SEARCH .*row27cLOGOUT' 10 &&
    ! grep -qE ' C: (LOGOUT|[0-9]+ DELETE)' "$flog"; then
	ok "row 27: the search goes as one command, without the line break"
else
	not_ok "row 27: the search goes as one command, without the line break" \
	    "$(grep ' C: ' "$flog" | tail -n 3)"
fi
e2e_keys q
e2e_wait_text "quit?" 3 >/dev/null 2>&1 && e2e_keys y
e2e_wait_gone 10
if [ "$(e2e_exit_status)" = 0 ] && ! grep -qE ' C: [0-9]+ DELETE' "$flog"; then
	ok "row 27: quire quits normally; no DELETE was ever sent"
else
	not_ok "row 27: quire quits normally; no DELETE was ever sent" \
	    "status $(e2e_exit_status)"
fi
e2e_stop
kill "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null
tap_done

#!/bin/bash
# The soak test (issue 9; `make soak`, never part of `make check`).
#
# The real quire stays open in tmux on the fixture's Big folder for
# SOAK_SECONDS (default 600), connected to Dovecot through a faultproxy
# that cuts the connection every SOAK_CUT_EVERY seconds (default 60,
# alternating FIN and RST). Meanwhile doveadm, as another client, makes
# SOAK_FLAGS flag changes (default 10,000 for 600 s, scaled for shorter
# runs), SOAK_APPENDS appends and SOAK_EXPUNGES expunges (500 each),
# spread evenly, and the "user" presses N, F, d, u and $ in quire at
# random moments.
#
# The two clients keep out of each other's way except on purpose: the
# user acts on the oldest SOAK_USER_MSGS messages (the top of the index,
# sorted by arrival) and only on \Seen, \Flagged and \Deleted; the other
# client changes every flag of the rest, expunges only the rest, and
# also toggles \Answered on the user's messages, so the end state tests
# BAD-INPUTS row 32 (the user's flags as the user left them, the other
# flags as the server has them) with no race to adjudicate.
#
# At the end:
#  - quire's view equals the server's: the status line's counts; every
#    index row's flag column, read off the screen page by page in full
#    layout, against doveadm's flags for the same UIDs in the same order;
#    and, after a clean quit, its cache (UIDs and flags) with an empty
#    journal;
#  - every user change is on the server as intended, expunged messages
#    are gone and nothing else went (the other client's \Deleted stay);
#  - quire's RSS grew by less than 2 MB (SOAK_RSS_LIMIT_KB) from just
#    after the first sync to the end.
# The figures (changes made, cuts and reconnects, RSS every minute, the
# time to converge after the last change) are TAP comments.
#
# Needs sqlite3 (the CLI) besides what the e2e tests need. SOAK_KEEP=1
# keeps the fixture's directory (quire's debug log is in it).
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_CUT_EVERY=${SOAK_CUT_EVERY:-60}
SOAK_MESSAGES=${SOAK_MESSAGES:-3000}
SOAK_USER_MSGS=${SOAK_USER_MSGS:-60}
SOAK_FLAGS=${SOAK_FLAGS:-$((10000 * SOAK_SECONDS / 600))}
SOAK_APPENDS=${SOAK_APPENDS:-$((500 * SOAK_SECONDS / 600))}
SOAK_EXPUNGES=${SOAK_EXPUNGES:-$((500 * SOAK_SECONDS / 600))}
SOAK_RSS_LIMIT_KB=${SOAK_RSS_LIMIT_KB:-2048}
SOAK_OUTAGE=${SOAK_OUTAGE:-8}
FOLDER=Big
FAULTPROXY=$top_builddir/tests/fake/faultproxy
ROWS=50

[ -x "$QUIRE_BIN" ] || tap_bail "no quire at $QUIRE_BIN"
[ -x "$FAULTPROXY" ] || tap_bail "no faultproxy at $FAULTPROXY"
command -v sqlite3 >/dev/null 2>&1 ||
    tap_bail "sqlite3 not found (apt-get install sqlite3)"
[ "$SOAK_USER_MSGS" -lt "$SOAK_MESSAGES" ] || tap_bail "SOAK_USER_MSGS too big"
[ "${QF_KEEP:-}" ] || QF_KEEP=${SOAK_KEEP:-0}
export QF_KEEP

fixture_start --count-big "$SOAK_MESSAGES" ||
    tap_bail "the Dovecot fixture did not start"
tap_diag "fixture: $SOAK_MESSAGES messages in $FOLDER, started in ${QF_TIME_START}s"

# ---- the proxy ----
PROXY_PID=
soak_cleanup() {
	exec 9>&- 2>/dev/null
	if [ -n "$PROXY_PID" ]; then
		kill "$PROXY_PID" 2>/dev/null
		wait "$PROXY_PID" 2>/dev/null
	fi
	PROXY_PID=
}
proxy_out=$QF_DIR/proxy.out
"$FAULTPROXY" -t $((SOAK_SECONDS + 1800)) -c "127.0.0.1:$QF_PORT_IMAP" \
    >"$proxy_out" 2>&1 &
PROXY_PID=$!
e2e_atexit soak_cleanup
for _ in $(seq 100); do
	PPORT=$(sed -n 's/^port //p' "$proxy_out" 2>/dev/null)
	CPORT=$(sed -n 's/^control //p' "$proxy_out" 2>/dev/null)
	[ -n "$PPORT" ] && [ -n "$CPORT" ] && break
	sleep 0.05
done
[ -n "$CPORT" ] || tap_bail "faultproxy did not start"
exec 9<>"/dev/tcp/127.0.0.1/$CPORT" || tap_bail "no faultproxy control port"

# ctl COMMAND: one control command; its reply lines (without the final
# "ok") on stdout; fails on "err".
ctl() {
	local line

	printf '%s\n' "$1" >&9
	while IFS= read -r -t 10 line <&9; do
		case $line in
		ok) return 0 ;;
		err*) printf '%s\n' "$line"; return 1 ;;
		*) printf '%s\n' "$line" ;;
		esac
	done
	return 1
}

# ---- helpers on the server's side ----

# server_flags: "UID<TAB>FLAGS" per message of the folder, in UID order.
server_flags() {
	fixture_doveadm -f tab fetch 'uid flags' mailbox "$FOLDER" all |
	    tail -n +2
}

# letters FLAGS: the system flags as letters in a fixed order (ADFS).
letters() {
	local f=$1 l=""
	case $f in *'\Answered'*) l=${l}A ;; esac
	case $f in *'\Deleted'*) l=${l}D ;; esac
	case $f in *'\Flagged'*) l=${l}F ;; esac
	case $f in *'\Seen'*) l=${l}S ;; esac
	printf '%s\n' "$l"
}

# flag_col LETTERS: the index's first three flag columns for them.
flag_col() {
	local c1=N c2=' ' c3=' '
	case $1 in *S*) c1=' ' ;; esac
	case $1 in *D*) c1=D ;; esac
	case $1 in *F*) c2='!' ;; esac
	case $1 in *A*) c3=r ;; esac
	printf '%s%s%s\n' "$c1" "$c2" "$c3"
}

status_value() {
	fixture_doveadm -f tab mailbox status "$1" "$FOLDER" | tail -n 1
}

rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$(e2e_pid)/status" \
	    2>/dev/null
}

# cpu_ms: the CPU time quire has used (user + system), in ms.
cpu_ms() {
	local stat
	stat=$(cat "/proc/$(e2e_pid)/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	echo "$stat" | awk -v hz="$(getconf CLK_TCK)" \
	    '{ printf "%d\n", ($12 + $13) * 1000 / hz }'
}

# ---- helpers on quire's side ----

# commas N: N as the status line writes it (3,000).
commas() {
	printf '%s\n' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# index_rows: the index part of each screen line that has one.
index_rows() {
	e2e_screen | grep '│' | sed 's/^[^│]*│//'
}

# cursor_row: the index row in reverse video, without attributes.
cursor_row() {
	e2e_screen -e | grep '│' | sed 's/^[^│]*│//' |
	    grep $'\033\\[[0-9;]*7m' | head -n 1 |
	    sed $'s/\033\\[[0-9;]*m//g'
}

# status_counts: "MSGS UNREAD" from the status line, commas dropped.
status_counts() {
	e2e_screen | sed -n "s/.* | $FOLDER \\([0-9,]*\\) msgs\\{0,1\\}, \\([0-9,]*\\) unread.*/\\1 \\2/p" |
	    tail -n 1 | tr -d ,
}

# folder_unread: the folder list's unread count for the folder.
folder_unread() {
	e2e_screen | sed -n "s/^.$FOLDER  *\([0-9,]*\)│.*/\1/p" | head -n 1 |
	    tr -d ,
}

# scan_index FILE: every index row, top to bottom, into FILE, by pages in
# full layout (v). Consecutive pages overlap (PageDown keeps a line, the
# last page ends at the bottom): each page is joined at the longest
# overlap of its head with the tail so far. Leaves the layout split.
scan_index() {
	local out=$1 page prev="" tries
	local pages=$QF_DIR/scan.pages

	: >"$pages"
	e2e_keys v g
	sleep 0.5
	while :; do
		page=$(index_rows)
		[ "$page" = "$prev" ] && break
		printf '%s\n\f\n' "$page" >>"$pages"
		prev=$page
		e2e_keys NPage
		tries=0
		while [ "$tries" -lt 20 ]; do
			sleep 0.05
			[ "$(index_rows)" != "$prev" ] && break
			tries=$((tries + 1))
		done
	done
	e2e_keys v g
	awk '
	$0 == "\f" {
		# Join: the longest o with page[1..o] == all[n-o+1..n].
		best = 0
		for (o = (np < n ? np : n); o > 0; o--) {
			same = 1
			for (i = 1; i <= o; i++)
				if (page[i] != all[n - o + i]) { same = 0; break }
			if (same) { best = o; break }
		}
		for (i = best + 1; i <= np; i++)
			all[++n] = page[i]
		np = 0
		next
	}
	{ page[++np] = $0 }
	END { for (i = 1; i <= n; i++) print all[i] }' "$pages" |
	    sed '/^[[:space:]]*$/d' >"$out"
}

# compare_view WHAT: scan the index and compare its flag columns, row by
# row, with the server's flags in UID order. Prints the differences
# (at most 10) and fails when there are any.
compare_view() {
	local what=$1 srv=$QF_DIR/view-$1.server scr=$QF_DIR/view-$1.screen
	local uid flags

	scan_index "$QF_DIR/view-$what.rows"
	cut -c1-3 "$QF_DIR/view-$what.rows" >"$scr"
	server_flags | while IFS=$'\t' read -r uid flags; do
		printf '%s\t%s\n' "$(flag_col "$(letters "$flags")")" "$uid"
	done >"$srv.uids"
	cut -f1 "$srv.uids" >"$srv"
	if cmp -s "$scr" "$srv"; then
		echo "$(wc -l <"$scr") rows"
		return 0
	fi
	echo "screen $(wc -l <"$scr") rows, server $(wc -l <"$srv") messages"
	paste "$scr" "$srv.uids" | awk -F'\t' '$1 != $2 {
		printf "row %d (uid %s): screen \"%s\", server \"%s\"\n",
		    NR, $3, $1, $2; if (++n == 10) exit }'
	return 1
}

# ---- start ----
base_cfg=$(fixture_config starttls "$PPORT") || tap_bail "fixture_config failed"
UI_CFG=$QF_DIR/soak.conf
{
	echo "# The soak test: the index in UID order, so screen rows map to UIDs."
	echo "sort = arrival"
	cat "$base_cfg"
} >"$UI_CFG"
QLOG=$QF_DIR/quire.log
ui_start -d "$QLOG" -y "$ROWS" "$FOLDER"
e2e_wait_re "\\| $FOLDER $(commas "$SOAK_MESSAGES") msgs" 60 ||
    tap_bail "quire did not load all of $FOLDER"
CACHE_DB=$(ls "$QF_DIR"/home-ui.*/cache/quire/fixture.db 2>/dev/null |
    head -n 1)

# Each user message's row text (the flag column dropped) from the first
# scan: how the user's cursor is checked before each key.
declare -A ROWTEXT US UF UD UX UGONE UA
declare -a UUIDS=()
if out=$(compare_view start); then
	ok "after the first sync the index equals the server ($out)"
else
	not_ok "after the first sync the index equals the server" "$out"
fi
i=0
while IFS=$'\t' read -r uid flags; do
	i=$((i + 1))
	[ "$i" -le "$SOAK_USER_MSGS" ] || break
	UUIDS+=("$uid")
	l=$(letters "$flags")
	US[$uid]=0 UF[$uid]=0 UD[$uid]=0 UA[$uid]=0 UX[$uid]=0 UGONE[$uid]=0
	case $l in *S*) US[$uid]=1 ;; esac
	case $l in *F*) UF[$uid]=1 ;; esac
	case $l in *D*) UD[$uid]=1 ;; esac
	case $l in *A*) UA[$uid]=1 ;; esac
	ROWTEXT[$uid]=$(sed -n "${i}p" "$QF_DIR/view-start.rows" | cut -c5-)
done < <(server_flags)
USER_MAX=${UUIDS[$((SOAK_USER_MSGS - 1))]}
dups=$(for u in "${UUIDS[@]}"; do printf '%s\n' "${ROWTEXT[$u]}"; done |
    sort | uniq -d | wc -l)
[ "$dups" = 0 ] || tap_bail "the user's rows are not told apart by their text"
sleep 2
RSS0=$(rss_kb)
CPU0=$(cpu_ms)
tap_diag "RSS after the first sync: $RSS0 kB"

# ---- the other client ----
declare -A RF		# UID -> letters, for the other client's messages
declare -a RU=()	# their UIDs (some may be gone until the next refresh)
N_FLAGS=0 N_APPENDS=0 N_EXPUNGES=0 N_ANSWERED_USER=0 N_DOVEADM=0
T_LAST_CHANGE=0

refresh_remote() {
	local uid flags
	RU=()
	RF=()
	while IFS=$'\t' read -r uid flags; do
		[ "$uid" -gt "$USER_MAX" ] || continue
		RU+=("$uid")
		RF[$uid]=$(letters "$flags")
	done < <(server_flags)
}

# pick_remote: a random UID of the other client's that is still there.
pick_remote() {
	local uid tries=0
	while [ "$tries" -lt 50 ]; do
		uid=${RU[$(( (RANDOM * 32768 + RANDOM) % ${#RU[@]} ))]}
		[ -n "${RF[$uid]+x}" ] && { echo "$uid"; return 0; }
		tries=$((tries + 1))
	done
	return 1
}

# remote_flags N: N flag changes on the other client's messages: one
# flag, N random messages; those without it get it, the others lose it.
remote_flags() {
	local n=$1 flag letter add="" del="" uid i nd=0 na=0
	local -A seen=()

	case $((RANDOM % 10)) in
	0|1|2) flag='\Seen' letter=S ;;
	3|4|5) flag='\Flagged' letter=F ;;
	6|7|8) flag='\Answered' letter=A ;;
	*) flag='\Deleted' letter=D ;;
	esac
	for ((i = 0; i < n; i++)); do
		uid=$(pick_remote) || break
		[ -z "${seen[$uid]+x}" ] || continue
		seen[$uid]=1
		if [[ ${RF[$uid]} == *$letter* ]]; then
			del=$del${del:+,}$uid
			RF[$uid]=${RF[$uid]//$letter/}
			nd=$((nd + 1))
		else
			add=$add${add:+,}$uid
			RF[$uid]=${RF[$uid]}$letter
			na=$((na + 1))
		fi
	done
	if [ -n "$add" ]; then
		fixture_doveadm flags add "$flag" mailbox "$FOLDER" uid "$add" &&
		    N_FLAGS=$((N_FLAGS + na))
		N_DOVEADM=$((N_DOVEADM + 1))
	fi
	if [ -n "$del" ]; then
		fixture_doveadm flags remove "$flag" mailbox "$FOLDER" uid "$del" &&
		    N_FLAGS=$((N_FLAGS + nd))
		N_DOVEADM=$((N_DOVEADM + 1))
	fi
}

# remote_answered_user: toggle \Answered on one of the user's messages.
remote_answered_user() {
	local uid=${UUIDS[$((RANDOM % SOAK_USER_MSGS))]} op
	[ "${UGONE[$uid]}" = 0 ] || return 0
	if [ "${UA[$uid]}" = 1 ]; then op=remove; else op=add; fi
	fixture_doveadm flags "$op" '\Answered' mailbox "$FOLDER" uid "$uid" ||
	    return 0
	UA[$uid]=$((1 - UA[$uid]))
	N_FLAGS=$((N_FLAGS + 1))
	N_ANSWERED_USER=$((N_ANSWERED_USER + 1))
	N_DOVEADM=$((N_DOVEADM + 1))
}

remote_append() {
	local n=$1
	{
		printf 'From: Other Client <other@example.org>\r\n'
		printf 'To: quire@gen.quire.test\r\n'
		printf 'Subject: [soak-append-%d] saved by another client\r\n' "$n"
		printf 'Date: %s\r\n' "$(LC_ALL=C date -R)"
		printf 'Message-ID: <soak-append-%d.%d@example.org>\r\n' "$n" "$$"
		printf '\r\nAppend %d of the soak test.\r\n' "$n"
	} | fixture_doveadm save -m "$FOLDER" && N_APPENDS=$((N_APPENDS + 1))
	N_DOVEADM=$((N_DOVEADM + 1))
}

# remote_expunge N: expunge N of the other client's messages.
remote_expunge() {
	local n=$1 uids="" uid i k=0
	for ((i = 0; i < n; i++)); do
		uid=$(pick_remote) || break
		unset "RF[$uid]"
		uids=$uids${uids:+,}$uid
		k=$((k + 1))
	done
	[ -n "$uids" ] || return 0
	fixture_doveadm expunge mailbox "$FOLDER" uid "$uids" &&
	    N_EXPUNGES=$((N_EXPUNGES + k))
	N_DOVEADM=$((N_DOVEADM + 1))
}

# ---- the user ----
N_USER=0 N_USER_EXPUNGED=0 N_USER_MISSED=0 N_USER_SLOW=0
USER_LOG=$QF_DIR/user.log
: >"$USER_LOG"

# user_goto UID: move quire's cursor onto UID's row (its rank among the
# user's messages still there: they are the top of the index).
user_goto() {
	local uid=$1 u pos=0 try keys i deadline
	for u in "${UUIDS[@]}"; do
		[ "$u" = "$uid" ] && break
		[ "${UGONE[$u]}" = 1 ] || pos=$((pos + 1))
	done
	for try in 1 2 3; do
		keys=(g)
		for ((i = 0; i < pos; i++)); do keys+=(j); done
		e2e_keys "${keys[@]}"
		deadline=$(( $(ui_ms) + 2000 ))
		while [ "$(ui_ms)" -lt "$deadline" ]; do
			[ "$(cursor_row | cut -c5-)" = "${ROWTEXT[$uid]}" ] &&
			    return 0
			sleep 0.05
		done
	done
	return 1
}

# user_row_flags UID: the flag column of UID's row as shown now.
user_row_flags() {
	index_rows | grep -F -- "${ROWTEXT[$1]}" | head -n 1 | cut -c1-3
}

# user_wait_row UID: until UID's row shows what the model says (3 s).
user_wait_row() {
	local uid=$1 want l="" deadline
	[ "${US[$uid]}" = 1 ] && l=${l}S
	[ "${UF[$uid]}" = 1 ] && l=${l}F
	[ "${UD[$uid]}" = 1 ] && l=${l}D
	# \Answered is the other client's: do not judge that column here.
	want=$(flag_col "$l" | cut -c1-2)
	deadline=$(( $(ui_ms) + 3000 ))
	while [ "$(ui_ms)" -lt "$deadline" ]; do
		[ "$(user_row_flags "$uid" | cut -c1-2)" = "$want" ] && return 0
		sleep 0.05
	done
	return 1
}

# user_act: one random action of the user's.
# user_act [noexpunge]: one random action of the user's; a flag change
# leaves its UID and flag letter in ACT_UID and ACT_FLAG, else they are
# empty.
user_act() {
	local uid key what n=0 u
	ACT_UID= ACT_FLAG=
	for u in "${UUIDS[@]}"; do
		[ "${UX[$u]}" = 1 ] && n=$((n + 1))
	done
	if [ "$n" -gt 0 ] && [ -z "${1:-}" ] && [ $((RANDOM % 12)) = 0 ]; then
		user_expunge "$n"
		return
	fi
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		uid=${UUIDS[$((RANDOM % SOAK_USER_MSGS))]}
		[ "${UGONE[$uid]}" = 1 ] || break
	done
	[ "${UGONE[$uid]}" = 0 ] || return 0
	if ! user_goto "$uid"; then
		N_USER_MISSED=$((N_USER_MISSED + 1))
		printf '%s missed uid %s: cursor on "%s"\n' "$(date +%T)" \
		    "$uid" "$(cursor_row)" >>"$USER_LOG"
		return 0
	fi
	# N and F two times in five, d or u once.
	case $((RANDOM % 5)) in
	0|1) key=N what=seen ACT_FLAG=S; US[$uid]=$((1 - US[$uid])) ;;
	2|3) key=F what=flagged ACT_FLAG=F; UF[$uid]=$((1 - UF[$uid])) ;;
	*)
		ACT_FLAG=D
		if [ "${UD[$uid]}" = 1 ]; then
			key=u what=undeleted; UD[$uid]=0 UX[$uid]=0
		else
			key=d what=deleted; UD[$uid]=1 UX[$uid]=1
		fi
		;;
	esac
	ACT_UID=$uid
	e2e_keys "$key"
	N_USER=$((N_USER + 1))
	printf '%s %s on uid %s: %s\n' "$(date +%T)" "$key" "$uid" "$what" \
	    >>"$USER_LOG"
	if ! user_wait_row "$uid"; then
		N_USER_SLOW=$((N_USER_SLOW + 1))
		printf '%s   row of uid %s shows "%s"\n' "$(date +%T)" "$uid" \
		    "$(user_row_flags "$uid")" >>"$USER_LOG"
	fi
}

# user_expunge N: $ and y for the N messages the user marked deleted.
user_expunge() {
	local n=$1 u word=messages
	[ "$n" = 1 ] && word=message
	e2e_keys '$'
	if ! e2e_wait_text "Expunge $n deleted $word? (y/n)" 5 >/dev/null 2>&1
	then
		N_USER_MISSED=$((N_USER_MISSED + 1))
		printf '%s $ did not ask about %s %s: "%s"\n' "$(date +%T)" "$n" \
		    "$word" "$(e2e_screen | tail -n 2 | tr '\n' ' ')" >>"$USER_LOG"
		e2e_keys n
		return
	fi
	e2e_keys y
	N_USER=$((N_USER + 1))
	for u in "${UUIDS[@]}"; do
		if [ "${UX[$u]}" = 1 ]; then
			UGONE[$u]=1 UX[$u]=0
			N_USER_EXPUNGED=$((N_USER_EXPUNGED + 1))
			printf '%s $ expunges uid %s\n' "$(date +%T)" "$u" \
			    >>"$USER_LOG"
		fi
	done
}

# remote_catch_up ELAPSED_MS: the other client's changes due by then
# (cumulative targets keep the rates even when a tick runs late).
remote_catch_up() {
	local el=$1 want

	[ "$el" -le "$DUR_MS" ] || el=$DUR_MS
	want=$((SOAK_FLAGS * el / DUR_MS - N_FLAGS))
	if [ "$want" -gt 0 ]; then
		[ "$want" -le 60 ] || want=60
		if [ $((RANDOM % 8)) = 0 ]; then
			remote_answered_user
			want=$((want - 1))
		fi
		[ "$want" -le 0 ] || remote_flags "$want"
	fi
	want=$((SOAK_APPENDS * el / DUR_MS - N_APPENDS))
	while [ "$want" -gt 0 ]; do
		remote_append "$((N_APPENDS + 1))"
		want=$((want - 1))
	done
	want=$((SOAK_EXPUNGES * el / DUR_MS - N_EXPUNGES))
	[ "$want" -le 0 ] || remote_expunge "$want"
	T_LAST_CHANGE=$(ui_ms)
}

# outage: the connection cut and every new one held before the greeting
# for SOAK_OUTAGE seconds. Meanwhile the user changes two flags, and the
# other client sets each of those flags the other way on the same
# message and toggles its \Answered: BAD-INPUTS row 32 for real, the
# user's pending flag must win and \Answered follow the server.
N_OUTAGES=0 N_CONFLICTS=0
outage() {
	local t_end=$(( $(ui_ms) + SOAK_OUTAGE * 1000 )) k flag v op

	ctl "rule stall" >/dev/null || return 1
	ctl cut >/dev/null
	N_OUTAGES=$((N_OUTAGES + 1))
	sleep 0.5
	for k in 1 2; do
		user_act noexpunge
		[ -n "$ACT_UID" ] || continue
		case $ACT_FLAG in
		S) flag='\Seen' v=${US[$ACT_UID]} ;;
		F) flag='\Flagged' v=${UF[$ACT_UID]} ;;
		D) flag='\Deleted' v=${UD[$ACT_UID]} ;;
		esac
		if [ "$v" = 1 ]; then op=remove; else op=add; fi
		fixture_doveadm flags "$op" "$flag" mailbox "$FOLDER" \
		    uid "$ACT_UID" && N_CONFLICTS=$((N_CONFLICTS + 1))
		printf '%s   other client: %s %s and toggles \\Answered on uid %s\n' \
		    "$(date +%T)" "$op" "$flag" "$ACT_UID" >>"$USER_LOG"
		if [ "${UA[$ACT_UID]}" = 1 ]; then op=remove; else op=add; fi
		fixture_doveadm flags "$op" '\Answered' mailbox "$FOLDER" \
		    uid "$ACT_UID" && UA[$ACT_UID]=$((1 - UA[$ACT_UID]))
		N_DOVEADM=$((N_DOVEADM + 2))
	done
	while [ "$(ui_ms)" -lt "$t_end" ]; do
		remote_catch_up $(( $(ui_ms) - T0 ))
		sleep 1
	done
	ctl clear-rules >/dev/null
	ctl resume >/dev/null
	return 0
}

# ---- the soak ----
refresh_remote
TICK=0 N_CUTS=0 N_CUT_MISSED=0 OFFLINE_TICKS=0
T0=$(ui_ms)
DUR_MS=$((SOAK_SECONDS * 1000))
next_user=$((T0 + 2000 + RANDOM % 4000))
next_cut=$((T0 + SOAK_CUT_EVERY * 1000))
next_minute=$((T0 + 60000))
tap_diag "soak: ${SOAK_SECONDS}s, the other client makes $SOAK_FLAGS flag" \
    "changes, $SOAK_APPENDS appends, $SOAK_EXPUNGES expunges; a cut every" \
    "${SOAK_CUT_EVERY}s"
while :; do
	now=$(ui_ms)
	el=$((now - T0))
	if [ "$el" -ge "$DUR_MS" ]; then
		# The last of the other client's changes, then the end.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			remote_catch_up "$DUR_MS"
			[ "$N_FLAGS" -lt "$SOAK_FLAGS" ] || break
		done
		break
	fi
	TICK=$((TICK + 1))
	remote_catch_up "$el"
	[ $((TICK % 10)) != 0 ] || refresh_remote

	if [ "$(ui_ms)" -ge "$next_user" ]; then
		user_act
		next_user=$(( $(ui_ms) + 2000 + RANDOM % 8000 ))
	fi
	# No cut in the last 15 s: the end is for checking, not reconnecting.
	if [ "$(ui_ms)" -ge "$next_cut" ] && [ $((el + 15000)) -lt "$DUR_MS" ]
	then
		# In turn: FIN now, RST in the middle of what comes next, and
		# an outage of SOAK_OUTAGE seconds.
		case $((N_CUTS % 3)) in
		0) c=cut ;;
		1) c="reset-after $((RANDOM % 4000))" ;;
		*) c=outage ;;
		esac
		# No outage the end would cut short.
		[ "$c" != outage ] ||
		    [ $((el + (SOAK_OUTAGE + 5) * 1000)) -lt "$DUR_MS" ] || c=cut
		if [ "$c" = outage ]; then
			outage && N_CUTS=$((N_CUTS + 1))
		elif ctl "$c" >/dev/null; then
			N_CUTS=$((N_CUTS + 1))
			# A change made while the session is down.
			[ "$c" != cut ] || user_act
		else
			N_CUT_MISSED=$((N_CUT_MISSED + 1))
		fi
		next_cut=$((next_cut + SOAK_CUT_EVERY * 1000))
	fi
	if [ "$(ui_ms)" -ge "$next_minute" ]; then
		tap_diag "minute $(( ($(ui_ms) - T0 + 30000) / 60000 )): RSS" \
		    "$(rss_kb) kB; so far $N_FLAGS flag changes, $N_APPENDS" \
		    "appends, $N_EXPUNGES expunges, $N_USER user actions," \
		    "$N_CUTS cuts, $(ctl stats | tail -n 1 | awk '{ print $3 }')" \
		    "connections"
		next_minute=$((next_minute + 60000))
	fi
	e2e_screen | tail -n 2 | grep -q '| online' ||
	    OFFLINE_TICKS=$((OFFLINE_TICKS + 1))
	e2e_dead && break
	# About one tick a second.
	left=$((1000 - ($(ui_ms) - now)))
	[ "$left" -le 0 ] || sleep "$(printf '0.%03d' "$left")"
done
T_END=$(ui_ms)
CPU1=$(cpu_ms)
if e2e_dead; then
	not_ok "quire runs through the soak" "exit status $(e2e_exit_status)"
	e2e_failure_screen died
	tail -n 20 "$QLOG" | sed 's/^/# log: /'
	tap_done
fi
ok "quire ran through ${SOAK_SECONDS}s of soak ($TICK ticks)"

# Back online before counting the connections.
e2e_wait_re '\| online' 30 >/dev/null 2>&1
all_stats=$(ctl stats)
stats=$(printf '%s\n' "$all_stats" | tail -n 1)
conns=$(printf '%s\n' "$stats" | awk '{ print $3 }')
tap_diag "the other client: $N_FLAGS flag changes ($N_ANSWERED_USER of them" \
    "\\Answered on the user's messages), $N_APPENDS appends, $N_EXPUNGES" \
    "expunges, in $N_DOVEADM doveadm calls"
tap_diag "the user: $N_USER actions ($N_USER_EXPUNGED messages expunged with \$)," \
    "$N_USER_MISSED missed, $N_USER_SLOW rows slow to show the change"
tap_diag "cuts: $N_CUTS made ($N_OUTAGES of them ${SOAK_OUTAGE}s outages with" \
    "$N_CONFLICTS conflicting changes; $N_CUT_MISSED found no open connection);" \
    "proxy: $stats; quire's log: $(grep -c 'logged in as' "$QLOG")" \
    "logins, $(grep -c 'trace_log: -- failed' "$QLOG") connections failed;" \
    "$OFFLINE_TICKS of $TICK ticks not online"
tap_diag "bytes to quire per connection (the first one holds the first sync):" \
    "$(printf '%s\n' "$all_stats" | awk '$1 == "conn" { printf "%s%d", sep, $6; sep = ", " }')"
[ -z "$CPU1" ] || tap_diag "quire's CPU time during the soak:" \
    "$(( (CPU1 - CPU0) / 1000 )).$(printf '%03d' $(( (CPU1 - CPU0) % 1000 ))) s" \
    "in $(( (T_END - T0) / 1000 )) s"
[ "$N_FLAGS" -ge "$SOAK_FLAGS" ] && [ "$N_APPENDS" -ge "$SOAK_APPENDS" ] &&
    [ "$N_EXPUNGES" -ge "$SOAK_EXPUNGES" ] &&
    ok "the other client made its $SOAK_FLAGS flag changes, $SOAK_APPENDS appends and $SOAK_EXPUNGES expunges" ||
    not_ok "the other client made its $SOAK_FLAGS flag changes, $SOAK_APPENDS appends and $SOAK_EXPUNGES expunges"
want_cuts=$(( (SOAK_SECONDS - 16) / SOAK_CUT_EVERY ))
[ "$N_CUTS" -ge "$want_cuts" ] && [ "${conns:-0}" -gt "$N_CUTS" ] &&
    ok "the connection was cut $N_CUTS times and quire came back each time ($conns connections)" ||
    not_ok "the connection was cut $want_cuts times and quire came back each time" \
        "$N_CUTS cuts, $N_CUT_MISSED missed, $conns connections"
if [ "$N_USER_MISSED" = 0 ] && [ "$N_USER_SLOW" = 0 ]; then
	ok "each of the user's $N_USER actions found its row and showed at once"
else
	not_ok "each of the user's $N_USER actions found its row and showed at once" \
	    "$N_USER_MISSED missed, $N_USER_SLOW slow" "$(grep -A1 'missed\|   row' "$USER_LOG" | head -n 20)"
fi

# ---- convergence ----
srv_msgs=$(status_value messages | cut -f2)
srv_unseen=$(status_value unseen | cut -f2)
deadline=$((T_END + 60000))
conv=
while [ "$(ui_ms)" -lt "$deadline" ]; do
	if [ "$(status_counts)" = "$srv_msgs $srv_unseen" ] &&
	    [ "$(folder_unread)" = "$srv_unseen" ]; then
		conv=$(( $(ui_ms) - T_LAST_CHANGE ))
		break
	fi
	sleep 0.1
done
if [ -n "$conv" ]; then
	ok "the status line and the folder list converge on the server's $srv_msgs msgs, $srv_unseen unread"
	tap_diag "time to converge after the last change: $conv ms"
else
	not_ok "the status line and the folder list converge on the server's $srv_msgs msgs, $srv_unseen unread" \
	    "the status line shows \"$(status_counts)\", the folder list $(folder_unread) unread"
fi

# The user's changes, as intended, on the server (they may trail a cut).
# check_user: prints each difference; fails when there is one.
check_user() {
	local uid flags l want bad=0
	declare -A have=()
	while IFS=$'\t' read -r uid flags; do
		[ "$uid" -le "$USER_MAX" ] || break
		have[$uid]=$(letters "$flags")
	done < <(server_flags)
	for uid in "${UUIDS[@]}"; do
		if [ "${UGONE[$uid]}" = 1 ]; then
			[ -z "${have[$uid]+x}" ] && continue
			echo "uid $uid: expunged by the user, still on the server"
			bad=1
			continue
		fi
		if [ -z "${have[$uid]+x}" ]; then
			echo "uid $uid: gone from the server"
			bad=1
			continue
		fi
		want=""
		[ "${UA[$uid]}" = 1 ] && want=${want}A
		[ "${UD[$uid]}" = 1 ] && want=${want}D
		[ "${UF[$uid]}" = 1 ] && want=${want}F
		[ "${US[$uid]}" = 1 ] && want=${want}S
		[ "${have[$uid]}" = "$want" ] && continue
		echo "uid $uid: server \"${have[$uid]}\", intended \"$want\""
		bad=1
	done
	return "$bad"
}
deadline=$(( $(ui_ms) + 30000 ))
until out=$(check_user); do
	[ "$(ui_ms)" -lt "$deadline" ] || break
	sleep 0.5
done
if [ -z "$out" ]; then
	ok "every user change is on the server as intended; \\Answered as the other client left it"
else
	not_ok "every user change is on the server as intended; \\Answered as the other client left it" \
	    "$out" "$(cat "$USER_LOG")"
fi
want_msgs=$((SOAK_MESSAGES + N_APPENDS - N_EXPUNGES - N_USER_EXPUNGED))
srv_msgs=$(status_value messages | cut -f2)
[ "$srv_msgs" = "$want_msgs" ] &&
    ok "the server holds $want_msgs messages: nothing went but what the two clients expunged" ||
    not_ok "the server holds $want_msgs messages: nothing went but what the two clients expunged" \
        "it holds $srv_msgs"

# ---- memory ----
sleep 2
RSS1=$(rss_kb)
grow=$((RSS1 - RSS0))
tap_diag "RSS: $RSS0 kB after the first sync, $RSS1 kB at the end: grew $grow kB"
if [ "$grow" -lt "$SOAK_RSS_LIMIT_KB" ]; then
	ok "RSS grew by less than $SOAK_RSS_LIMIT_KB kB ($grow kB)"
else
	not_ok "RSS grew by less than $SOAK_RSS_LIMIT_KB kB ($grow kB)"
fi

# ---- the view, row by row ----
if out=$(compare_view end); then
	ok "at the end the index equals the server, flag by flag ($out)"
else
	first=$out
	sleep 10
	if out=$(compare_view end2); then
		not_ok "at the end the index equals the server, flag by flag" \
		    "only 10 s later ($out); first:" "$first"
	else
		not_ok "at the end the index equals the server, flag by flag" \
		    "$first" "10 s later:" "$out"
	fi
fi
tap_diag "RSS after the scan of the whole index: $(rss_kb) kB"

# ---- quit, then the cache ----
e2e_keys q
if e2e_wait_text "(y/n" 2 >/dev/null 2>&1; then
	e2e_keys n
fi
if e2e_wait_gone 15 && [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits cleanly"
else
	not_ok "q quits cleanly" "status $(e2e_exit_status)"
fi
e2e_stop
if [ -z "$CACHE_DB" ] || [ ! -f "$CACHE_DB" ]; then
	not_ok "the cache equals the server" "no cache database"
else
	server_flags | while IFS=$'\t' read -r uid flags; do
		printf '%s|%s\n' "$uid" "$(letters "$flags")"
	done >"$QF_DIR/cache.server"
	# MF_SEEN 1, MF_ANSWERED 2, MF_FLAGGED 4, MF_DELETED 8 as letters.
	sqlite3 "$CACHE_DB" "SELECT m.uid, (CASE WHEN m.flags & 2 THEN 'A' ELSE '' END) ||
	    (CASE WHEN m.flags & 8 THEN 'D' ELSE '' END) ||
	    (CASE WHEN m.flags & 4 THEN 'F' ELSE '' END) ||
	    (CASE WHEN m.flags & 1 THEN 'S' ELSE '' END)
	    FROM messages m JOIN folders f ON f.id = m.folder
	    WHERE f.name = '$FOLDER' ORDER BY m.uid" >"$QF_DIR/cache.quire" 2>&1
	pending=$(sqlite3 "$CACHE_DB" "SELECT count(*) FROM pending" 2>&1)
	if cmp -s "$QF_DIR/cache.quire" "$QF_DIR/cache.server" &&
	    [ "$pending" = 0 ]; then
		ok "the cache equals the server ($(wc -l <"$QF_DIR/cache.quire") messages) and its journal is empty"
	else
		not_ok "the cache equals the server and its journal is empty" \
		    "pending: $pending" \
		    "$(diff "$QF_DIR/cache.quire" "$QF_DIR/cache.server" | head -n 20)"
	fi
fi

tap_done

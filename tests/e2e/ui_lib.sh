# ui_lib.sh: helpers for the ui_*.sh tests, which drive the real quire
# against the fixture's real Dovecot in tmux and check, through doveadm as
# a second client, what reached the server.
#
#   . "$top_srcdir/tests/tap.sh"
#   . "$top_srcdir/tests/fixture/fixture.sh"
#   . "$top_srcdir/tests/e2e/lib.sh"
#   . "$top_srcdir/tests/e2e/ui_lib.sh"
#   fixture_start --no-big || tap_bail ...
#   ui_start [-r RAW] [-d LOG] [-x COLS] [-y ROWS] [FOLDER]  # until online
#
# The screen: the folder list left of the first "│", the index to its
# right, the pager below the index. The pager's "Subject:" line names the
# message under the index cursor (the cursor row itself is only reverse
# video, which plain capture-pane text does not show).

: "${QUIRE_BIN:=$top_builddir/quire}"

# ui_ms: a clock in milliseconds.
ui_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# ui_start [-r RAW] [-d LOG] [-x COLS] [-y ROWS] [FOLDER]: quire on the
# fixture's account with a private HOME and cache, so each start is cold
# (-d: its debug log with the protocol trace), then wait until the folder
# is online with its rows drawn. Bails out if it never gets there.
ui_start() {
	local raw="" cols=100 rows=30 home
	local -a dbg=()

	while [ $# -gt 0 ]; do
		case $1 in
		-r) raw=$2; shift 2 ;;
		-d) dbg=(-d "$2"); shift 2 ;;
		-x) cols=$2; shift 2 ;;
		-y) rows=$2; shift 2 ;;
		*) break ;;
		esac
	done
	UI_CFG=${UI_CFG:-$(fixture_config)} || tap_bail "fixture_config failed"
	home=$(mktemp -d "$QF_DIR/home-ui.XXXXXX") || tap_bail "mktemp"
	e2e_start -x "$cols" -y "$rows" ${raw:+-r "$raw"} -e "HOME=$home" \
	    -e "XDG_CACHE_HOME=$home/cache" \
	    -- "$QUIRE_BIN" "${dbg[@]}" -c "$UI_CFG" "$@" || tap_bail "e2e_start failed"
	e2e_wait_re "\\| ${1:-INBOX} [0-9,]+ msgs?, .* \\| online" 15 ||
	    tap_bail "quire did not come online with ${1:-INBOX}"
	ui_wait_subject 10 || tap_bail "no message under the cursor"
}

# ui_subject: the Subject of the message under the cursor, from the pager.
ui_subject() {
	e2e_screen | sed -n 's/^[^│]*│Subject: //p' | head -n 1 |
	    sed 's/[[:space:]]*$//'
}

# ui_wait_subject SECONDS [TEXT]: until the pager shows a Subject line
# (containing TEXT, if given).
ui_wait_subject() {
	local secs=$1 text=${2:-} deadline

	deadline=$(( $(ui_ms) + secs * 1000 ))
	while [ "$(ui_ms)" -lt "$deadline" ]; do
		case $(ui_subject) in
		"") ;;
		*"$text"*) return 0 ;;
		esac
		sleep 0.05
	done
	e2e_failure_screen subject
	return 1
}

# ui_row TEXT: the index part of the first screen line holding TEXT.
ui_row() {
	e2e_screen | grep -F -- "$1" | head -n 1 | sed 's/^[^│]*│//'
}

# ui_row_flags TEXT: the flag column (four characters: N or D, !, r, @)
# of the index row holding TEXT.
ui_row_flags() {
	ui_row "$1" | cut -c1-4
}

# ui_wait_row_flags TEXT REGEX SECONDS: until that row's flags match.
ui_wait_row_flags() {
	local deadline=$(( $(ui_ms) + $3 * 1000 ))

	while :; do
		ui_row_flags "$1" | grep -qE -- "$2" && return 0
		[ "$(ui_ms)" -lt "$deadline" ] || break
		sleep 0.01
	done
	e2e_failure_screen row-flags
	return 1
}

# ui_uid SUBJECT-TEXT [MAILBOX]: the UID of the one message whose Subject
# holds the text, as Dovecot knows it.
ui_uid() {
	fixture_doveadm search mailbox "${2:-INBOX}" subject "$1" |
	    awk 'NR == 1 { print $2 }'
}

# ui_flags UID [MAILBOX]: the message's flags on the server.
ui_flags() {
	fixture_doveadm fetch flags mailbox "${2:-INBOX}" uid "$1" |
	    sed -n 's/^flags: *//p'
}

# ui_wait_flags UID REGEX SECONDS [MAILBOX]: until the server's flags
# match (an extended regex; "!" negates: '!\\Seen').
ui_wait_flags() {
	local deadline=$(( $(ui_ms) + $3 * 1000 )) pat=$2 neg=0 f

	case $pat in '!'*) neg=1; pat=${pat#!} ;; esac
	while :; do
		f=$(ui_flags "$1" "${4:-INBOX}")
		if printf '%s\n' "$f" | grep -qE -- "$pat"; then
			[ "$neg" = 0 ] && return 0
		else
			[ "$neg" = 1 ] && return 0
		fi
		[ "$(ui_ms)" -lt "$deadline" ] || break
		sleep 0.01
	done
	echo "# UID $1 has flags \"$f\"" >&2
	return 1
}

# ui_count: the message count on the status line ("61" for "61 msgs").
ui_count() {
	e2e_screen | sed -n 's/^.* | [^|]* \([0-9,]*\) msgs\{0,1\}, .*/\1/p' |
	    tail -n 1 | tr -d ,
}

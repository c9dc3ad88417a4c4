#!/bin/bash
# Search and sort on the server (src/imap/search.c) against the Dovecot
# fixture: each query of the language goes through the real engine
# (test_search), and the equivalent UID SEARCH, written by hand below,
# goes to Dovecot over a plain connection of this script's own; the two
# sets of UIDs must be equal. Then a query that does not parse (nothing
# sent), a search of every folder (one result per folder, Dovecot's sets),
# and SORT: the engine's order is Dovecot's, and the first screen's
# summaries come before the backfill reaches them.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"

prog=${SEARCH_TEST:-$top_builddir/tests/integration/test_search}
[ -x "$prog" ] || tap_bail "no test program at $prog"
fixture_start || tap_bail "the Dovecot fixture did not start"
cfg=$(fixture_config starttls) || tap_bail "fixture_config failed"
export LC_ALL=C.UTF-8

# lit TEXT: {LIT:x} in TEXT becomes a LITERAL+ literal of x's bytes.
lit() {
	local s=$1 out= w n
	while [[ $s =~ \{LIT:([^}]*)\} ]]; do
		w=${BASH_REMATCH[1]}
		out+=${s%%"${BASH_REMATCH[0]}"*}
		n=$(printf '%s' "$w" | LC_ALL=C wc -c)
		out+="{$n+}"$'\r\n'"$w"
		s=${s#*"${BASH_REMATCH[0]}"}
	done
	printf '%s' "$out$s"
}

# dovecot_search FOLDER CRITERIA: Dovecot's own UID SEARCH, the UIDs
# sorted on one line (or "ERROR ..."); DOVECOT_MS gets the time from
# sending the SEARCH to its tagged OK.
dovecot_search() {
	local crit line out= t0 rc=
	crit=$(lit "$2")
	exec 3<>"/dev/tcp/127.0.0.1/$QF_PORT_IMAP" || return 1
	IFS= read -r -t 10 line <&3
	printf 'a LOGIN %s %s\r\nb SELECT "%s"\r\n' "$QF_USER" "$QF_PASS" \
	    "$1" >&3
	while IFS= read -r -t 30 line <&3; do
		case $line in "b "*) break ;; esac
	done
	t0=$EPOCHREALTIME
	printf 'c UID SEARCH %s\r\n' "$crit" >&3
	while IFS= read -r -t 60 line <&3; do
		line=${line%$'\r'}
		case $line in
		"* SEARCH"*) out=${line#\* SEARCH} ;;
		"c OK"*) rc=ok; break ;;
		"c "*) rc="ERROR $line"; break ;;
		esac
	done
	DOVECOT_MS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" \
	    'BEGIN { printf "%.2f", (b - a) * 1000 }')
	printf 'd LOGOUT\r\n' >&3
	exec 3<&- 3>&-
	if [ "$rc" != ok ]; then
		echo "${rc:-ERROR no answer}"
		return
	fi
	echo $out | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ' | sed 's/ $//'
}

day() { date -d "$1" '+%-d-%b-%Y'; }

# FOLDER | quire's query | the same as IMAP search criteria, by hand.
QUERIES=$(cat <<EOQ
INBOX|from:alice|FROM "alice"
INBOX|from:alice is:unread|FROM "alice" UNSEEN
INBOX|subject:"[bad-26"|SUBJECT "[bad-26"
INBOX|report -is:flagged|TEXT "report" NOT FLAGGED
Big|to:bob|TO "bob"
Big|cc:nikos|CC "nikos"
Big|subject:budget|SUBJECT "budget"
Big|body:coffee|BODY "coffee"
Big|invoice|TEXT "invoice"
Big|"release checklist"|TEXT "release checklist"
Big|since:2024-06-01 before:2024-07-01|SINCE 1-Jun-2024 BEFORE 1-Jul-2024
Big|on:2025-03-15|ON 15-Mar-2025
Big|since:400d|SINCE $(day '400 days ago')
Big|larger:2K|LARGER 2048
Big|smaller:2000|SMALLER 2000
Big|is:flagged|FLAGGED
Big|is:answered is:unread|ANSWERED UNSEEN
Big|is:deleted|DELETED
Big|has:attachment|HEADER Content-Type "multipart/mixed"
Big|not is:read|NOT SEEN
Big|-from:alice subject:report|NOT FROM "alice" SUBJECT "report"
Big|from:alice or from:carol|OR FROM "alice" FROM "carol"
Big|(from:bob or to:dana) is:flagged|OR FROM "bob" TO "dana" FLAGGED
Big|(from:yamada since:2025-01-01) or (subject:agenda larger:4K)|OR (FROM "yamada" SINCE 1-Jan-2025) (SUBJECT "agenda" LARGER 4096)
Big|subject:Grüße|CHARSET UTF-8 SUBJECT {LIT:Grüße}
Big|from:Müller|CHARSET UTF-8 FROM {LIT:Müller}
Big|body:Köln is:unread|CHARSET UTF-8 BODY {LIT:Köln} UNSEEN
Big|subject:会議|CHARSET UTF-8 SUBJECT {LIT:会議}
Archive|imap:SUBJECT weekly UNSEEN|SUBJECT weekly UNSEEN
EOQ
)

qfile=$QF_DIR/queries.txt
printf '%s\n' "$QUERIES" | awk -F'|' '{ print $1 "\t" $2 }' >"$qfile"
export SEARCH_TRACE=$QF_DIR/search-trace.log
"$prog" queries "$cfg" "$qfile" >"$QF_DIR/quire.out" 2>"$QF_DIR/quire.err" ||
    tap_bail "test_search queries failed: $(tail -5 "$QF_DIR/quire.err")"
i=0
while IFS='|' read -r folder query crit; do
	i=$((i + 1))
	got=$(sed -n "${i}p" "$QF_DIR/quire.out")
	want=$(dovecot_search "$folder" "$crit")
	n=$(printf '%s' "$want" | wc -w)
	case $want in
	ERROR*) not_ok "$folder: $query: Dovecot refused \"$crit\"" "$want" ;;
	*)
		if [ "$got" = "$want" ] && [ "$n" -gt 0 ]; then
			ok "$folder: $query = Dovecot's $crit ($n)"
		else
			not_ok "$folder: $query = Dovecot's $crit" \
			    "quire:   $(echo "$got" | cut -c1-200)" \
			    "Dovecot: $(echo "$want" | cut -c1-200)"
		fi ;;
	esac
done <<<"$QUERIES"

# The engine sent the language's criteria, never the text, and never
# ESEARCH; non-ASCII went as UTF-8 literals.
if grep -q 'UID SEARCH CHARSET UTF-8 SUBJECT {7+}' "$SEARCH_TRACE" &&
    ! grep 'C: ' "$SEARCH_TRACE" | grep -q 'RETURN\|ESEARCH' &&
    ! grep -q 'UID SEARCH from:' "$SEARCH_TRACE"; then
	ok "row 28: non-ASCII goes as a CHARSET UTF-8 literal; no ESEARCH; no raw text"
else
	not_ok "row 28: non-ASCII goes as a CHARSET UTF-8 literal; no ESEARCH; no raw text" \
	    "$(grep 'UID SEARCH' "$SEARCH_TRACE" | head -5)"
fi

# A query that does not parse: its column, and nothing sent.
printf 'Big\tfrom:alice (is:read\nBig\tform:alice\nBig\timap:FOO bar\n' \
    >"$QF_DIR/bad.txt"
: >"$SEARCH_TRACE"
"$prog" queries "$cfg" "$QF_DIR/bad.txt" >"$QF_DIR/bad.out" 2>&1
if [ "$(sed -n 1p "$QF_DIR/bad.out")" = "ERROR query:12: unclosed parenthesis" ] ||
    grep -q '^ERROR query:12:' "$QF_DIR/bad.out"; then
	if [ "$(grep -c '^ERROR query:[0-9]*: ' "$QF_DIR/bad.out")" = 3 ] &&
	    ! grep -q 'UID SEARCH' "$SEARCH_TRACE"; then
		ok "queries that do not parse give their column and send nothing"
	else
		not_ok "queries that do not parse give their column and send nothing" \
		    "$(cat "$QF_DIR/bad.out")" "$(grep 'UID SEARCH' "$SEARCH_TRACE")"
	fi
else
	not_ok "a query that does not parse gives its column" "$(cat "$QF_DIR/bad.out")"
fi
unset SEARCH_TRACE

# Every folder: one IE_SEARCH per selectable folder, each Dovecot's set,
# with the newest matches' summaries (at most 500).
"$prog" all "$cfg" 'subject:report' >"$QF_DIR/all.out" 2>"$QF_DIR/all.err"
bad=0 nf=0
while IFS=$'\t' read -r folder nrows uids; do
	case $folder in DONE*) continue ;; esac
	nf=$((nf + 1))
	raw=$folder
	[ "$folder" = "Entwürfe" ] && raw='Entw&APw-rfe'	# modified UTF-7
	want=$(dovecot_search "$raw" 'SUBJECT "report"')
	n=$(printf '%s' "$want" | wc -w)
	lim=$(( n < 500 ? n : 500 ))
	if [ "$uids" != "$want" ] || [ "$nrows" != "$lim" ]; then
		bad=$((bad + 1))
		tap_diag "$folder: rows $nrows (want $lim)," \
		    "quire: $(echo "$uids" | cut -c1-100)," \
		    "Dovecot: $(echo "$want" | cut -c1-100)"
	fi
done <"$QF_DIR/all.out"
folders=$(wc -l <"$QF_MANIFEST")
if [ "$bad" = 0 ] && [ "$nf" = "$folders" ] && grep -q '^DONE ok' "$QF_DIR/all.out"
then
	ok "a search of all $nf folders gives Dovecot's set in each, with its rows"
else
	not_ok "a search of all folders gives Dovecot's set in each" \
	    "folders: $nf of $folders, wrong: $bad" "$(tail -3 "$QF_DIR/all.out")"
fi

# SORT: the engine's order is Dovecot's own, and the first screen (200
# rows in that order) comes before the backfill (newest arrival first)
# would have reached most of them.
for spec in "date 1 REVERSE DATE" "subject 0 SUBJECT" "size 1 REVERSE SIZE" \
    "from 0 FROM"; do
	set -- $spec
	key=$1 rev=$2
	shift 2
	"$prog" sort "$cfg" Big "$key" "$rev" >"$QF_DIR/sort.out" 2>&1
	got=$(sed -n 's/^ORDER //p' "$QF_DIR/sort.out")
	first=$(sed -n 's/^FIRST //p' "$QF_DIR/sort.out")
	exec 3<>"/dev/tcp/127.0.0.1/$QF_PORT_IMAP"
	IFS= read -r -t 10 line <&3
	printf 'a LOGIN %s %s\r\nb SELECT Big\r\nc UID SORT (%s) UTF-8 ALL\r\nd LOGOUT\r\n' \
	    "$QF_USER" "$QF_PASS" "$*" >&3
	want=
	while IFS= read -r -t 60 line <&3; do
		line=${line%$'\r'}
		case $line in
		"* SORT"*) want=$(echo ${line#\* SORT}) ;;
		"d OK"*) break ;;
		esac
	done
	exec 3<&- 3>&-
	n=$(printf '%s' "$want" | wc -w)
	if [ -n "$got" ] && [ "$got" = "$want" ] && [ "$first" = 200 ]; then
		ok "UID SORT ($*): Dovecot's order of $n, first 200 rows fetched in it"
	else
		not_ok "UID SORT ($*): Dovecot's order, first 200 rows fetched in it" \
		    "first: $first" "$(grep DONE "$QF_DIR/sort.out")" \
		    "quire: $(echo "$got" | cut -c1-80)" "Dovecot: $(echo "$want" | cut -c1-80)"
	fi
done

tap_done

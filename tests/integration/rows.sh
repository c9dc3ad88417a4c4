#!/bin/bash
# Every row of BAD-INPUTS.md (1-35) maps to named test cases
# (tests/bad-inputs.map), and each mapped case still exists: its file is
# in the tree and names it. A case renamed or deleted fails here, so the
# map cannot quietly go stale.
#
# When the test that runs a case has finished in this tree (its .trs is
# there and newer than its sources, so the result is not left from an
# older version), the case must also have passed: its .log holds
# "ok N - PREFIX..." and no "not ok N - PREFIX...". A test that has not
# run yet is not held against the row (make check runs the tests in any
# order, and TESTS= may name this one alone); the names are checked
# always.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/tap.sh"

MAP=$top_srcdir/tests/bad-inputs.map
[ -r "$MAP" ] || tap_bail "no map at $MAP"

# named FILE PREFIX: FILE holds PREFIX as written, or as a shell string
# writes it ("\$" for "$").
named() {
	grep -qF -- "$2" "$1" || grep -qF -- "${2//\$/\\\$}" "$1"
}

# passed TEST PREFIX SOURCE: "" when TEST has not finished since SOURCE
# last changed; "ok" when its log shows the case passed; else the failing
# lines.
passed() {
	local test=$1 prefix=$2 src=$3 log trs lines
	log=$top_builddir/${test%.sh}.log
	trs=$top_builddir/${test%.sh}.trs
	[ -f "$trs" ] && [ -f "$log" ] && [ "$trs" -nt "$src" ] || return 0
	lines=$(grep -F -- " - $prefix" "$log" | grep -E '^(ok|not ok) [0-9]+ - ')
	if [ -z "$lines" ]; then
		echo "no case \"$prefix\" in $log"
	elif printf '%s\n' "$lines" | grep -q '^not ok'; then
		# A TODO case does not pass either: the row wants one that does.
		printf '%s\n' "$lines" | grep '^not ok' | head -n 3
	else
		echo ok
	fi
}

declare -A have
while IFS=$'\t' read -r row file prefix test; do
	case $row in '' | '#'*) continue ;; esac
	test=${test:-$file}
	have[$row]=1
	desc="row $row: $file names \"$prefix\""
	if [ ! -f "$top_srcdir/$file" ]; then
		not_ok "$desc" "$file is not in the tree"
		continue
	fi
	if ! named "$top_srcdir/$file" "$prefix"; then
		not_ok "$desc" "no \"$prefix\" in $file"
		continue
	fi
	ok "$desc"
	r=$(passed "$test" "$prefix" "$top_srcdir/$file")
	case $r in
	"") ;;
	ok) ok "row $row: \"$prefix\" passed in $test" ;;
	*) not_ok "row $row: \"$prefix\" passed in $test" "$r" ;;
	esac
done < "$MAP"

missing=
for ((r = 1; r <= 35; r++)); do
	[ -n "${have[$r]:-}" ] || missing="$missing $r"
done
if [ -z "$missing" ]; then
	ok "every row 1-35 of BAD-INPUTS.md has a test in the map"
else
	not_ok "every row 1-35 of BAD-INPUTS.md has a test in the map" \
	    "rows without one:$missing"
fi
tap_done

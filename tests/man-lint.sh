#!/bin/sh
# The manual pages lint clean (mandoc -Tlint, else groff -ww -z), and every
# option quire --help lists is documented in quire.1.
: "${top_srcdir:=.}"
n=0; fail=0
echo "1..3"
lint() {
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -Tlint -W warning "$1" 2>&1
	else
		groff -man -ww -z "$1" 2>&1
	fi
}
for page in quire.1 quire.conf.5; do
	n=$((n + 1))
	out=$(lint "$top_srcdir/man/$page")
	if [ -z "$out" ]; then
		echo "ok $n - man/$page lints clean"
	else
		echo "not ok $n - man/$page lints clean"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
n=$((n + 1))
if command -v mandoc >/dev/null 2>&1; then
	page=$(mandoc -Tascii "$top_srcdir/man/quire.1" | col -b)
else
	page=$(groff -mandoc -Tascii "$top_srcdir/man/quire.1" 2>/dev/null | col -b)
fi
missing=""
for opt in $("$QUIRE_BIN" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	printf '%s\n' "$page" | grep -qF -- "$opt" || missing="$missing $opt"
done
if [ -n "$page" ] && [ -z "$missing" ]; then
	echo "ok $n - every --help option is in quire.1"
else
	echo "not ok $n - every --help option is in quire.1 (missing:$missing)"
fi

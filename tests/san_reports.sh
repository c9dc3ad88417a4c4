#!/bin/bash
# The sanitizer build's last test: every report the other tests left.
# A sanitized process writes its report to NAME.san.PID beside the test's
# NAME.log (tests/san.mk); a leak found at exit or a report from a
# process the test did not watch fails no case by itself. This test runs
# after all the others and fails once per test with a report, showing it.
. "$top_srcdir/tests/tap.sh"

[ "${QUIRE_SANITIZED:-0}" = 1 ] ||
    tap_bail "not a sanitizer build (configure --enable-sanitizers)"

found=$(find "$top_builddir/tests" -name '*.san.[0-9]*' -type f | sort)
if [ -z "$found" ]; then
	ok "no AddressSanitizer, LeakSanitizer or UBSan report from any test"
	tap_done
fi
for t in $(printf '%s\n' "$found" | sed 's/\.san\.[0-9]*$//' | sort -u); do
	name=${t#"$top_builddir"/}
	msg=()
	for f in "$t".san.*; do
		msg+=("== ${f#"$top_builddir"/}" "$(head -n 60 "$f")")
	done
	not_ok "$name: no sanitizer report" "${msg[@]}"
done
tap_done

# TAP for the shell tests: source this, call tap_plan (or let tap_done
# print the plan), then ok/not_ok per case. Each case line is what
# automake's tap-driver counts.
#
#   . "$top_srcdir/tests/tap.sh"
#   tap_check "quire --version prints the version" \
#       sh -c '"$QUIRE_BIN" --version | grep -q "^quire "'
#   tap_done

TAP_N=0
TAP_FAILED=0

# ok DESCRIPTION
ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

# not_ok DESCRIPTION [DIAGNOSTIC...]: diagnostics go out as TAP comments.
not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}

# tap_check DESCRIPTION COMMAND [ARGS...]: ok if the command succeeds; its
# output is shown as diagnostics when it fails.
tap_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc" "$out"
	fi
}

# tap_diag TEXT: a comment line, for measured figures and context.
tap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# tap_bail REASON: the test cannot go on (the fixture did not start...).
tap_bail() {
	echo "Bail out! $*"
	exit 1
}

# tap_done: print the plan (at the end, which TAP allows) and exit 0: the
# "not ok" lines already carry the failures, and a non-zero status would
# make the driver count them once more. A script that dies early exits
# non-zero on its own and shows up as an error.
tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ] || tap_diag "$TAP_FAILED of $TAP_N failed"
	exit 0
}

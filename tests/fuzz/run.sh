#!/bin/bash
# tests/fuzz/run.sh SECONDS [NAME...]: build the libFuzzer targets and run
# each for SECONDS, one after another (./quickstart fuzz calls this).
#
# The build goes to build-fuzz/ beside build/ (out of tree, clang with
# --enable-fuzzing --enable-sanitizers), configured once. Every target in
# tests/fuzz/*.mk runs (or only the NAMEs given: frame, mime...) at nice 10
# on a scratch copy of its seeds in tests/fuzz/corpus/NAME, so nothing is
# ever written into the tree. Logs, the grown corpora and any crash,
# leak, timeout or out-of-memory input go to a results directory, named at
# the end. One line per fuzzer: name, runs, seconds, and "clean" or
# "FOUND: path". Exit status 1 if anything was found (or the build failed).
set -u

SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
case $SECONDS_EACH in
'' | *[!0-9]*)
	echo "usage: tests/fuzz/run.sh SECONDS [NAME...]" >&2
	exit 2
	;;
esac

cd "$(dirname "$0")/../.." || exit 1
SRC=$(pwd)
BUILD="$SRC/build-fuzz"

say() {
	printf 'fuzz: %s\n' "$*" >&2
}

if ! command -v clang >/dev/null 2>&1; then
	say "the fuzzers need clang (libFuzzer); install it with:"
	echo "apt-get install clang"
	exit 1
fi

# The targets, as the .mk fragments list them: tests/fuzz/fuzz_NAME.
TARGETS=$(sed -n 's/^FUZZ_TARGETS += //p' "$SRC"/tests/fuzz/*.mk | tr '\n' ' ')
if [ $# -gt 0 ]; then
	want=""
	for name in "$@"; do
		case " $TARGETS " in
		*" tests/fuzz/fuzz_$name "*) want="$want tests/fuzz/fuzz_$name" ;;
		*) say "no fuzzer called $name"; exit 2 ;;
		esac
	done
	TARGETS=$want
fi

# Configure when there is no build yet or configure changed since; make
# itself reruns automake when a Makefile.am or .mk fragment changes.
if [ ! -x configure ]; then
	say "autoreconf -fi"
	autoreconf -fi || exit 1
fi
mkdir -p "$BUILD" || exit 1
if [ ! -f "$BUILD/Makefile" ] || [ configure -nt "$BUILD/config.status" ]; then
	say "configure CC=clang --enable-fuzzing --enable-sanitizers"
	(cd "$BUILD" && "$SRC/configure" CC=clang --enable-fuzzing \
	    --enable-sanitizers >configure.log) ||
	    { say "configure failed; see $BUILD/config.log"; exit 1; }
fi
# shellcheck disable=SC2086
set -- $TARGETS
say "make:" "${@#tests/fuzz/fuzz_}"
# shellcheck disable=SC2086
make -C "$BUILD" -j"$(nproc)" $TARGETS >"$BUILD/make.log" 2>&1 ||
    { tail -n 30 "$BUILD/make.log"; say "the build failed"; exit 1; }

# The config fuzzer must not even contain the code that runs password_cmd.
if [ -x "$BUILD/tests/fuzz/fuzz_config" ] &&
    nm "$BUILD/tests/fuzz/fuzz_config" | grep -q ' config_password$'; then
	say "fuzz_config links config_password: it could run a command"
	exit 1
fi

# runs LOG: the number of inputs libFuzzer ran, from its final stats.
runs() {
	sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n 1
}

found=0
mkdir -p "$BUILD/results" || exit 1
RESULTS=$(mktemp -d "$BUILD/results/$(date +%Y%m%d-%H%M%S)-XXXX") || exit 1
for t in $TARGETS; do
	name=${t#tests/fuzz/fuzz_}
	dir="$RESULTS/$name"
	mkdir -p "$dir/corpus" "$dir/artifacts" || exit 1
	cp -R "$SRC/tests/fuzz/corpus/$name/." "$dir/corpus/" || exit 1
	start=$(date +%s)
	nice -n 10 "$BUILD/$t" -max_total_time="$SECONDS_EACH" \
	    -timeout=30 -print_final_stats=1 \
	    -artifact_prefix="$dir/artifacts/" "$dir/corpus" \
	    >"$dir/log" 2>&1
	st=$?
	secs=$(( $(date +%s) - start ))
	n=$(runs "$dir/log")
	hit=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o \
	    -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) |
	    head -n 1)
	if [ -z "$hit" ] && [ "$st" -ne 0 ]; then
		hit="$dir/log"		# died without saving an input
	fi
	if [ -n "$hit" ]; then
		found=1
		verdict="FOUND: $hit"
	else
		verdict=clean
	fi
	printf '%-8s %12s runs %6s s  %s\n' "$name" "${n:-?}" "$secs" \
	    "$verdict"
done
say "results (logs, corpora, findings): $RESULTS"
exit "$found"

#!/bin/bash
# End-to-end: the screen without a server (--offline, nothing cached).
# The frame names the account and says offline; ? shows the help built
# from the operation table and the user's bind lines; an unbound key says
# so; v toggles the layout; resizes down to 20x5, past it to "too small",
# and up to 400x120 keep the state (the help stays up); colour lines reach
# the terminal, and NO_COLOR leaves only attributes; q closes the help,
# then quits with status 0.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/e2e/lib.sh"

dir=$(mktemp -d "${TMPDIR:-/tmp}/quire-ui.XXXXXX") || tap_bail "mktemp"
e2e_atexit "rm -rf '$dir'"
cfg="$dir/config"
cat > "$cfg" <<'EOF'
bind index <F5> sync
bind index X help
color status bold 208 blue
[account uitest]
host = 127.0.0.1
user = tester
password_cmd = echo not-used
EOF
chmod 600 "$cfg"

# start [-e VAR=VALUE]...: quire offline on a 100x30 terminal, raw bytes
# captured into $dir/raw.N.
runs=0
start() {
	runs=$((runs + 1))
	raw="$dir/raw.$runs"
	e2e_start -x 100 -y 30 -r "$raw" -e "XDG_CACHE_HOME=$dir/cache" "$@" \
	    -- "$QUIRE_BIN" -c "$cfg" --offline
}

# until_fn WANT SECONDS FN: wait until FN's success is WANT (0 or 1).
until_fn() {
	local want=$1 i n=$(( $2 * 20 ))

	shift 2
	for ((i = 0; i < n; i++)); do
		"$@"
		[ $? -eq "$want" ] && return 0
		sleep 0.05
	done
	return 1
}
# The status line: the account, the user, the connection state.
status_re='uitest: tester@127\.0\.0\.1 .*\| offline'

start
if e2e_wait_re "$status_re" 10; then
	ok "the status line names the account and says offline"
else
	not_ok "the status line names the account and says offline"
	tap_bail "quire did not start"
fi

# Help: generated from the table, with the user's own bindings in it.
e2e_keys '?'
if e2e_wait_text "Keys in the index view" 5 &&
    e2e_screen | grep -qE '^ +N +toggle-read +mark the message read or unread' &&
    e2e_screen | grep -qE '^ +<F5> +sync +check the server for changes now'; then
	ok "? shows the bindings of the index view, the user's <F5> among them"
else
	e2e_failure_screen help
	not_ok "? shows the bindings of the index view, the user's <F5> among them"
fi

# Resizes keep the state: the help is still up after "too small".
e2e_resize 20 5
if e2e_wait_text "Keys in the index v…" 5 && e2e_wait_no_text "too small" 5
then
	ok "20x5 still draws the screen, help and all"
else
	not_ok "20x5 still draws the screen, help and all"
fi
e2e_resize 19 5
tap_check "19x5 says too small" e2e_wait_text "too small" 5
e2e_resize 100 30
if e2e_wait_text "Keys in the index view" 5 && e2e_wait_re "$status_re" 5;
then
	ok "back at 100x30 the help and the status line return"
else
	not_ok "back at 100x30 the help and the status line return"
fi
# status_on LINE: the status line is on that line of the screen.
status_on() { e2e_screen | sed -n "${1}p" | grep -qE "$status_re"; }
e2e_resize 400 120
if until_fn 0 5 status_on 119 &&
    e2e_screen | grep -q "Keys in the index view"; then
	ok "at 400x120 the status line is on line 119 of 120"
else
	e2e_failure_screen big
	not_ok "at 400x120 the status line is on line 119 of 120"
fi
e2e_resize 100 30

# q closes the help and does not quit.
e2e_keys q
if e2e_wait_no_text "Keys in the index view" 5 && ! e2e_dead; then
	ok "q closes the help and quire keeps running"
else
	not_ok "q closes the help and quire keeps running"
fi

# A user binding runs its operation: X is help here.
e2e_keys X
tap_check "a bind line's key runs its operation" \
    e2e_wait_text "Keys in the index view" 5
e2e_keys Escape
e2e_wait_no_text "Keys in the index view" 5

e2e_keys Z
tap_check "an unbound key says it is not bound" \
    e2e_wait_text "Z is not bound here; ? shows the keys" 5

# Offline, the operations that need the server refuse and say why.
e2e_keys R
tap_check "sync offline says it needs the server" \
    e2e_wait_text "sync needs the server, and quire is offline" 5

# v: split shows the rule between index and pager; full does not.
rule() { e2e_screen | grep -q '──────────'; }
if until_fn 0 5 rule && e2e_keys v && until_fn 1 5 rule &&
    e2e_keys v && until_fn 0 5 rule; then
	ok "v toggles between split and full layout"
else
	e2e_failure_screen layout
	not_ok "v toggles between split and full layout"
fi

e2e_keys q
if e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ]; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0" "status $(e2e_exit_status)"
fi

# Colours: the status line's colour line reaches the terminal (256-colour
# foreground 208, background blue), and NO_COLOR keeps only attributes.
esc=$(printf '\033')
if grep -qaE "${esc}\\[([0-9;]*;)?38;5;208[;m]" "$raw" &&
    grep -qaE "${esc}\\[([0-9;]*;)?44m" "$raw"; then
	ok "the status colour line is drawn in colour 208 on blue"
else
	not_ok "the status colour line is drawn in colour 208 on blue"
fi
start -e NO_COLOR=1
e2e_wait_re "$status_re" 10
e2e_keys q
e2e_wait_gone 5
if ! grep -qaE "${esc}\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)m" \
    "$raw" && grep -qaE "${esc}\\[([0-9;]*;)?1m" "$raw"; then
	ok "NO_COLOR: no colour sequence, the attribute (bold) stays"
else
	not_ok "NO_COLOR: no colour sequence, the attribute (bold) stays"
fi
e2e_stop

tap_done

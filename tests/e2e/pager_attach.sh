#!/bin/bash
# End-to-end, real quire on the fixture's Dovecot: attachments (BAD-INPUTS
# 26). An attachment named ../../x saves as x inside the folder the user
# chose, and nothing is written anywhere else; a symlink already at that
# name is never followed: n leaves it, y replaces the link with a file
# while its target keeps its bytes. o hands the part to the viewer a
# ~/.mailcap line names, as a file that is gone afterwards; | pipes the
# whole message to a command that has the terminal. The hostile names of [bad-26a] to
# [bad-26f] show safely in the parts list (a): a bidi override visible as
# <U+202E> and flagged with "!", control characters as ^[ and ^G; and
# [bad-26a]'s ../../.bashrc saves as bashrc inside the folder.
: "${top_srcdir:=.}" "${top_builddir:=.}" "${QUIRE_BIN:=$top_builddir/quire}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/fixture/fixture.sh"
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/ui_lib.sh"
. "$top_srcdir/tests/e2e/pager_lib.sh"

fixture_start --no-big || tap_bail "the Dovecot fixture did not start"
dotdot_msg() {
	cat <<'EOF'
From: Mallory <mallory@example.org>
To: Bob <bob@example.org>
Subject: pager-dotdot attachment ../../x
Date: Sun, 06 May 2035 10:00:00 +0000
Message-ID: <pager-dotdot@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="dd"

--dd
Content-Type: text/plain

DOTDOT-TEXT
--dd
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="../../x"
Content-Transfer-Encoding: base64

RE9URE9ULUNPTlRFTlQK
--dd--
EOF
}
pager_save dotdot_msg
top="$QF_DIR/save"
inner="$top/inner"
mkdir -p "$inner"
printf 'VICTIM\n' > "$QF_DIR/victim"

# save_to DIR: s, then DIR at the folder prompt.
save_to() {
	e2e_keys s
	e2e_wait_text "Save to folder:" 5 || return 1
	e2e_keys C-u
	e2e_type "$1"
	e2e_keys Enter
}

# goto_subject TEXT: j until the pager shows a Subject holding TEXT.
goto_subject() {
	local i
	for ((i = 0; i < 30; i++)); do
		case $(ui_subject) in *"$1"*) return 0 ;; esac
		e2e_keys j
		sleep 0.05
	done
	ui_wait_subject 1 "$1"
}

ui_start
ui_wait_subject 5 "pager-dotdot" || tap_bail "pager-dotdot is not first"
e2e_keys Enter
e2e_wait_text "DOTDOT-TEXT" 10 || tap_bail "the message did not open"

save_to "$inner"
if e2e_wait_text "Saved 15 bytes to $inner/x" 10 &&
    [ "$(cat "$inner/x" 2>/dev/null)" = "DOTDOT-CONTENT" ]; then
	ok "row 26: ../../x saves as x inside the chosen folder"
else
	not_ok "row 26: ../../x saves as x inside the chosen folder" \
	    "$(ls -laR "$top" 2>&1)"
	e2e_failure_screen dotdot
fi
outside=$(find "$QF_DIR" -maxdepth 2 -name x -not -path "$inner/x")
if [ -z "$outside" ] && [ "$(find "$top" -type f | wc -l)" = 1 ]; then
	ok "row 26: nothing was written outside the chosen folder"
else
	not_ok "row 26: nothing was written outside the chosen folder" "$outside" \
	    "$(find "$top" -type f)"
fi

# A symlink at the name: asked about, never followed.
rm -f "$inner/x"
ln -s "$QF_DIR/victim" "$inner/x"
save_to "$inner"
if e2e_wait_text "The file x exists: overwrite? (y/n)" 10; then
	ok "row 26: a name that exists (a symlink) is asked about"
else
	not_ok "row 26: a name that exists (a symlink) is asked about"
	e2e_failure_screen exists
fi
e2e_keys n
if e2e_wait_text "Not saved" 5 && [ -L "$inner/x" ] &&
    [ "$(cat "$QF_DIR/victim")" = VICTIM ]; then
	ok "row 26: n leaves the symlink and its target as they were"
else
	not_ok "row 26: n leaves the symlink and its target as they were" \
	    "$(ls -la "$inner")"
fi
save_to "$inner"
e2e_wait_text "overwrite? (y/n)" 10
e2e_keys y
if e2e_wait_text "Saved 15 bytes to $inner/x" 10 && [ ! -L "$inner/x" ] &&
    [ "$(cat "$inner/x")" = DOTDOT-CONTENT ] &&
    [ "$(cat "$QF_DIR/victim")" = VICTIM ] &&
    [ "$(stat -c %a "$inner/x")" = 600 ] &&
    [ "$(find "$inner" -name '.quire-save-*' | wc -l)" = 0 ]; then
	ok "row 26: y replaces the symlink with a file (0600); its target is untouched"
else
	not_ok "row 26: y replaces the symlink with a file (0600); its target is untouched" \
	    "$(ls -la "$inner")" "victim: $(cat "$QF_DIR/victim")"
fi

# o: the viewer mailcap names gets the part as a file, removed after.
home=$(ls -d "$QF_DIR"/home-ui.* | head -n 1)
printf '%s\n' "# pager_attach.sh" "text/html; false %s" \
    "application/octet-stream; echo %s > $QF_DIR/opened.path \\; cp %s $QF_DIR/opened.out" \
    > "$home/.mailcap"
e2e_keys o
if e2e_wait_text "The viewer exited with status 0" 10 &&
    [ "$(cat "$QF_DIR/opened.out" 2>/dev/null)" = DOTDOT-CONTENT ] &&
    path=$(cat "$QF_DIR/opened.path") && [ -n "$path" ] &&
    [ ! -e "$path" ] && [ ! -e "$(dirname "$path")" ]; then
	ok "o runs the mailcap viewer on the part; its file is removed after"
else
	not_ok "o runs the mailcap viewer on the part; its file is removed after" \
	    "$(ls -la "$QF_DIR/opened.out" "$(cat "$QF_DIR/opened.path" 2>&1)" 2>&1)"
	e2e_failure_screen open
fi

# |: the whole message to a command, which gets the terminal; Enter back.
e2e_keys '|'
e2e_wait_text "Pipe to command:" 5 || not_ok "| asks for the command"
e2e_type "cat > $QF_DIR/piped.out; echo PIPE-RAN"
e2e_keys Enter
if e2e_wait_text "PIPE-RAN" 10 && e2e_wait_text "[press Enter to return to quire]" 5
then
	e2e_keys Enter
	if e2e_wait_text "The command exited with status 0" 5 &&
	    grep -q "^Subject: pager-dotdot" "$QF_DIR/piped.out" &&
	    grep -q "^RE9URE9ULUNPTlRFTlQK" "$QF_DIR/piped.out"; then
		ok "| pipes the whole message to the command and shows its status"
	else
		not_ok "| pipes the whole message to the command and shows its status" \
		    "$(head -c 300 "$QF_DIR/piped.out" 2>&1)"
		e2e_failure_screen pipe
	fi
else
	not_ok "| pipes the whole message to the command and shows its status"
	e2e_failure_screen pipe-term
fi

# ---- the hostile names of BAD-INPUTS 26 in the parts list ----
e2e_keys q
goto_subject "[bad-26f]" || tap_bail "no [bad-26f]"
e2e_keys Enter a
if e2e_wait_text "ctl^[[2J^G tab^M.txt" 10; then
	ok "row 26: [bad-26f]: control characters in the name show as ^[ ^G ^M"
else
	not_ok "row 26: [bad-26f]: control characters in the name show as ^[ ^G ^M"
	e2e_failure_screen 26f
fi
e2e_keys q q
goto_subject "[bad-26d]" || tap_bail "no [bad-26d]"
e2e_keys Enter a
if e2e_wait_re '│! [0-9.]+ +evil<U\+202E>fdp\.exe' 10; then
	ok "row 26: [bad-26d]: the bidi override shows as <U+202E>, the row flagged !"
else
	not_ok "row 26: [bad-26d]: the bidi override shows as <U+202E>, the row flagged !"
	e2e_failure_screen 26d
fi
e2e_keys q q
goto_subject "[bad-26a]" || tap_bail "no [bad-26a]"
e2e_keys Enter a
if e2e_wait_text "../../.bashrc" 10; then
	ok "row 26: [bad-26a]: ../../.bashrc is listed as text"
else
	not_ok "row 26: [bad-26a]: ../../.bashrc is listed as text"
	e2e_failure_screen 26a
fi
save_to "$inner"
if e2e_wait_text "Saved" 10 && [ -f "$inner/bashrc" ] &&
    [ ! -e "$top/.bashrc" ] && [ ! -e "$QF_DIR/.bashrc" ] &&
    [ "$(find "$QF_DIR" -name '*bashrc*' | wc -l)" = 1 ]; then
	ok "row 26: [bad-26a] saves as bashrc inside the chosen folder, nowhere else"
else
	not_ok "row 26: [bad-26a] saves as bashrc inside the chosen folder, nowhere else" \
	    "$(find "$QF_DIR" -name '*bashrc*')"
	e2e_failure_screen 26a-save
fi

e2e_keys q q q
e2e_wait_gone 5 && [ "$(e2e_exit_status)" = 0 ] ||
    not_ok "q quits" "status $(e2e_exit_status)"
e2e_stop
tap_done

# pager_lib.sh: messages and helpers for the pager_*.sh tests, which open
# messages in the real quire against the fixture's real Dovecot.
#
#   . "$top_srcdir/tests/e2e/pager_lib.sh"
#   pager_save pager_msg_alt		# into INBOX, before ui_start
#   pager_config 'html_filter = w3m -dump -T text/html'	# a config path
#
# The messages are dated 2035, so they sort above the fixture's own mail:
# the newest is under the cursor when quire starts, the next one a j away.

# pager_save FUNCTION: the message FUNCTION prints, into INBOX.
pager_save() {
	"$1" | fixture_doveadm save -m INBOX ||
	    tap_bail "doveadm save of $1 failed"
}

# pager_config [GLOBAL-LINE...]: a config for the fixture's account with
# the global lines first; prints its path.
pager_config() {
	local base f

	base=$(fixture_config) || return 1
	f=$(mktemp "$QF_DIR/quire-pager-XXXXXX.conf") || return 1
	{
		for line in "$@"; do
			printf '%s\n' "$line"
		done
		cat "$base"
	} > "$f"
	printf '%s\n' "$f"
}

# pager_body_line TEXT: the pager-side part of the first screen line
# holding TEXT, with its attributes (capture-pane -e).
pager_line_e() {
	e2e_screen -e | grep -F -- "$1" | head -n 1
}

# A multipart/alternative message: plain and HTML, quotes two deep, a
# URL, a line of wide characters.
pager_msg_alt() {
	cat <<'EOF'
From: Alice Example <alice@example.org>
To: Bob <bob@example.org>
Cc: Carol <carol@example.org>
Subject: pager-alt plain and html
Date: Sat, 05 May 2035 10:00:00 +0000
Message-ID: <pager-alt@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

PLAIN-PART-TEXT see https://example.org/plain-link for more.
> quoted once by Bob
>> quoted twice by Alice
wide: 日本語のテキストが続きます日本語のテキストが続きます日本語のテキストが続きます日本語のテキストが続きます end
needle one
needle two
--b1
Content-Type: text/html; charset=utf-8

<html><body><p>HTML-PART-TEXT</p></body></html>
--b1--
EOF
}

# An HTML-only message: a style sheet and a script that must not show,
# entities, a list.
pager_msg_html() {
	cat <<'EOF'
From: Html Sender <html@example.org>
To: Bob <bob@example.org>
Subject: pager-html only
Date: Fri, 04 May 2035 10:00:00 +0000
Message-ID: <pager-html@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p { color: red; } .HIDDEN-STYLE {}</style>
<script>var HIDDEN_SCRIPT = 1;</script></head>
<body><h1>Newsletter Title</h1>
<p>Readable&nbsp;paragraph &amp; caf&eacute; text.</p>
<ul><li>first item</li><li>second item</li></ul>
</body></html>
EOF
}

/*
 * Unit tests: whole messages rendered to the pager's lines (src/mail:
 * mimeparse.c, mimehdr.c, params.c, decode.c, text.c, flowed.c, render.c,
 * html.c). Each case is a message and the exact lines it must give.
 *
 * A line is written as its kind (H header, B body, Q quote with its level,
 * N notice, A attachment), a '+' per embedded message level, a space and
 * its text.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quire/mail.h"
#include "unit.h"

#define FFFD "\xef\xbf\xbd"

#define O_HEADERS	0x01
#define O_HTML		0x02
#define O_SMALL		0x04	/* text_max 64 */
#define O_GREEK		0x08	/* fallback charset ISO-8859-7 */

static const struct {
	const char	*name;
	unsigned	 opts;
	const char	*msg;
	const char	*want;
} cases[] = {
	/* Charsets and transfer encodings. */
	{ "us-ascii with headers", O_HEADERS,
	  "From: Ann <ann@example.org>\r\n"
	  "To: bob@example.org\r\n"
	  "Subject: Lunch\r\n"
	  "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
	  "Message-ID: <1@example.org>\r\n"
	  "Content-Type: text/plain; charset=us-ascii\r\n"
	  "\r\n"
	  "Noon?\r\n"
	  "\r\n"
	  "Ann\r\n",
	  "H From: Ann <ann@example.org>\n"
	  "H To: bob@example.org\n"
	  "H Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
	  "H Subject: Lunch\n"
	  "B \n"
	  "B Noon?\n"
	  "B \n"
	  "B Ann" },
	{ "utf-8 8bit", 0,
	  "Content-Type: text/plain; charset=UTF-8\n"
	  "Content-Transfer-Encoding: 8bit\n"
	  "\n"
	  "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac\n",
	  "B Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac" },
	{ "latin-1 8bit", 0,
	  "Content-Type: text/plain; charset=iso-8859-1\n"
	  "Content-Transfer-Encoding: 8bit\n"
	  "\n"
	  "caf\xe9 cr\xe8me\n",
	  "B caf\xc3\xa9 cr\xc3\xa8me" },
	{ "windows-1252 quoted-printable", 0,
	  "Content-Type: text/plain; charset=windows-1252\n"
	  "Content-Transfer-Encoding: quoted-printable\n"
	  "\n"
	  "=80 5 =93quoted=94, a soft=\n"
	  " break and trailing blanks   \n"
	  "end\n",
	  "B \xe2\x82\xac 5 \xe2\x80\x9cquoted\xe2\x80\x9d, a soft break and "
	  "trailing blanks\n"
	  "B end" },
	{ "koi8-r base64", 0,
	  "Content-Type: text/plain; charset=koi8-r\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "8NLJ18XULCDNydIhCg==\n",
	  "B \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	  "\xd0\xbc\xd0\xb8\xd1\x80!" },
	{ "iso-2022-jp", 0,
	  "Content-Type: text/plain; charset=ISO-2022-JP\n"
	  "Content-Transfer-Encoding: 7bit\n"
	  "\n"
	  "\x1b$B$3$s$K$A$O!\"@$3&\x1b(B\n",
	  "B \xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf"
	  "\xe3\x80\x81\xe4\xb8\x96\xe7\x95\x8c" },
	{ "unknown charset falls back", 0,
	  "Content-Type: text/plain; charset=x-no-such-charset\n"
	  "\n"
	  "caf\xe9\n",
	  "N [Unknown charset \"x-no-such-charset\" in part 1]\n"
	  "B caf\xc3\xa9" },
	{ "unknown charset holding utf-8", 0,
	  "Content-Type: text/plain; charset=x-mac-klingon\n"
	  "\n"
	  "caf\xc3\xa9\n",
	  "N [Unknown charset \"x-mac-klingon\" in part 1]\n"
	  "B caf\xc3\xa9" },
	{ "8-bit bytes in a charset name", 0,
	  "Content-Type: text/plain; charset=x-\xccn\n"
	  "\n"
	  "ok\n",
	  "N [Unknown charset \"x-" FFFD "n\" in part 1]\n"
	  "B ok" },
	{ "invalid utf-8", 0,
	  "Content-Type: text/plain; charset=utf-8\n"
	  "\n"
	  "a\xff" "b \xc0\xaf overlong, \xed\xa0\x80 surrogate, nul \0 end\n",
	  "B a" FFFD "b " FFFD FFFD " overlong, " FFFD FFFD FFFD
	  " surrogate, nul " FFFD " end" },
	{ "no charset, raw 8-bit", 0,
	  "Subject: x\n"
	  "\n"
	  "na\xefve\n",
	  "B na\xc3\xafve" },
	{ "us-ascii label on utf-8 text", 0,
	  "Content-Type: text/plain; charset=us-ascii\n"
	  "\n"
	  "\xe2\x82\xac" "5\n",
	  "B \xe2\x82\xac" "5" },
	{ "base64 utf-8 without padding", 0,
	  "Content-Transfer-Encoding: BASE64\n"
	  "Content-Type: text/plain; charset=utf-8\n"
	  "\n"
	  "R3LDvMOf\n"
	  "ZSBhdXMgS8O2bG4K\n",
	  "B Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln" },
	{ "comments and case in content-type", 0,
	  "Content-Type: TEXT/Plain (comment (nested)); CHARSET = "
	  "\"ISO-8859-1\" (latin)\n"
	  "Content-Transfer-Encoding: Quoted-Printable (qp)\n"
	  "\n"
	  "=E9t=E9\n",
	  "B \xc3\xa9t\xc3\xa9" },

	/* Damaged encodings: what decodes, and a notice. */
	{ "garbage base64", 0,
	  "Content-Type: text/plain\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "SGVs!!bG8g*d29y\n"
	  "bGQ=\n"
	  "this is not base64 at all\n",
	  "N [Part 1 is damaged (base64); what decoded is shown]\n"
	  "B Hello world" },
	{ "base64 cut short", 0,
	  "Content-Type: text/plain\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "SGVsbG8gd29ybGQhI",
	  "N [Part 1 is damaged (base64); what decoded is shown]\n"
	  "B Hello world!" },
	{ "quoted-printable bad escapes", 0,
	  "Content-Type: text/plain; charset=utf-8\n"
	  "Content-Transfer-Encoding: quoted-printable\n"
	  "\n"
	  "a=ZZb =3d =C3=A9 =4\n"
	  "x=\n",
	  "N [Part 1 is damaged (quoted-printable); what decoded is shown]\n"
	  "B a=ZZb = \xc3\xa9 =4\n"
	  "B x" },
	{ "uuencode inside text", 0,
	  "Content-Type: text/plain\n"
	  "\n"
	  "Here it is:\n"
	  "\n"
	  "begin 644 hello.txt\n"
	  "&:&5L;&\\*\n"
	  "`\n"
	  "end\n"
	  "Bye\n",
	  "B Here it is:\n"
	  "B \n"
	  "A [Attachment 1: hello.txt (application/octet-stream, 6 B)]\n"
	  "B Bye" },
	{ "uuencode with bogus lengths", 0,
	  "Content-Type: text/plain\n"
	  "\n"
	  "begin 600 x.bin\n"
	  "M86)C\n"
	  "_\n"
	  "Text again, no end line\n",
	  "A [Attachment 1: x.bin (application/octet-stream, 3 B)]\n"
	  "N [The uuencoded file above is damaged; what decoded is kept]\n"
	  "B Text again, no end line" },

	/* Quotes and format=flowed. */
	{ "quote levels", 0,
	  "\n"
	  "On Monday Ann wrote:\n"
	  "> first\n"
	  "> > second\n"
	  ">>> third\n"
	  "back\n",
	  "B On Monday Ann wrote:\n"
	  "Q1 > first\n"
	  "Q2 > > second\n"
	  "Q3 >>> third\n"
	  "B back" },
	{ "format=flowed with quotes", 0,
	  "Content-Type: text/plain; charset=utf-8; format=flowed\n"
	  "\n"
	  "> This is a quoted \n"
	  "> paragraph.\n"
	  ">> Deeper \n"
	  "> changes depth\n"
	  "Reply that \n"
	  "flows \n"
	  "on.\n"
	  " >not a quote\n"
	  "-- \n"
	  "Sig\n",
	  "Q1 > This is a quoted paragraph.\n"
	  "Q2 >> Deeper \n"
	  "Q1 > changes depth\n"
	  "B Reply that flows on.\n"
	  "B >not a quote\n"
	  "B -- \n"
	  "B Sig" },
	{ "format=flowed delsp=yes", 0,
	  "Content-Type: text/plain; format=flowed; delsp=yes\n"
	  "\n"
	  "Japan \n"
	  "ese words join\n",
	  "B Japanese words join" },

	/* Structure. */
	{ "alternative: plain chosen", 0,
	  "Content-Type: multipart/alternative; boundary=b1\n"
	  "\n"
	  "--b1\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "plain text\n"
	  "--b1\n"
	  "Content-Type: text/html\n"
	  "\n"
	  "<p>html <b>text</b></p>\n"
	  "--b1--\n",
	  "B plain text" },
	{ "alternative: html chosen", O_HTML,
	  "Content-Type: multipart/alternative; boundary=b1\n"
	  "\n"
	  "--b1\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "plain text\n"
	  "--b1\n"
	  "Content-Type: text/html\n"
	  "\n"
	  "<p>html <b>text</b></p>\n"
	  "--b1--\n",
	  "B html text" },
	{ "alternative: html only, plain preferred", 0,
	  "Content-Type: multipart/alternative; boundary=\"=_x\"\n"
	  "\n"
	  "--=_x\n"
	  "Content-Type: text/html; charset=utf-8\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "PHA+aGk8L3A+\n"
	  "--=_x--\n",
	  "B hi" },
	{ "html only", 0,
	  "Content-Type: text/html; charset=iso-8859-1\n"
	  "\n"
	  "<html><head><title>T</title><style>p { x: y }</style></head>"
	  "<body><script>alert(1)</script>"
	  "<h1>Caf\xe9</h1><p>One &amp; two&nbsp;&lt;3 &#8364; &#x263A; "
	  "&bogus; &#0;</p>\n"
	  "<ul><li>apple<li>pear</ul><ol><li>first</li><li>second</li></ol>"
	  "<p>See <a href=\"https://example.org/\">the site</a>.</p>"
	  "</body></html>\n",
	  "B # Caf\xc3\xa9\n"
	  "B \n"
	  "B One & two <3 \xe2\x82\xac \xe2\x98\xba &bogus; " FFFD "\n"
	  "B \n"
	  "B - apple\n"
	  "B - pear\n"
	  "B \n"
	  "B 1. first\n"
	  "B 2. second\n"
	  "B \n"
	  "B See the site[1].\n"
	  "B \n"
	  "B Links:\n"
	  "B [1] https://example.org/" },
	{ "html blockquote and pre", 0,
	  "Content-Type: text/html\n"
	  "\n"
	  "<div>Hi,<br>you wrote:</div><blockquote>old   text"
	  "<blockquote>older</blockquote></blockquote>"
	  "<pre>  a  b\n c</pre>",
	  "B Hi,\n"
	  "B you wrote:\n"
	  "B \n"
	  "Q1 > old text\n"
	  "Q1 >\n"
	  "Q2 > > older\n"
	  "B \n"
	  "B   a  b\n"
	  "B  c" },
	{ "mixed: text and attachments", 0,
	  "Content-Type: multipart/mixed; boundary=\"outer\"\n"
	  "\n"
	  "This is a multi-part message in MIME format.\n"
	  "--outer\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "See attached.\n"
	  "--outer\n"
	  "Content-Type: application/pdf; name=\"report.pdf\"\n"
	  "Content-Disposition: attachment; filename=\"report.pdf\"\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "JVBERi0xLjQK\n"
	  "--outer\n"
	  "Content-Type: image/png\n"
	  "\n"
	  "PNG\n"
	  "--outer\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "Second text.\n"
	  "--outer--\n"
	  "epilogue\n",
	  "B See attached.\n"
	  "A [Attachment 2: report.pdf (application/pdf, 9 B)]\n"
	  "A [Attachment 3: image/png, 3 B]\n"
	  "B Second text." },
	{ "text marked attachment", 0,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "\n"
	  "Body\n"
	  "--m\n"
	  "Content-Type: text/plain; name=notes.txt\n"
	  "Content-Disposition: ATTACHMENT\n"
	  "\n"
	  "notes\n"
	  "--m--\n",
	  "B Body\n"
	  "A [Attachment 2: notes.txt (text/plain, 5 B)]" },
	{ "alternative inside mixed", O_HTML,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "Content-Type: multipart/alternative; boundary=a\n"
	  "\n"
	  "--a\n"
	  "\n"
	  "plain\n"
	  "--a\n"
	  "Content-Type: multipart/related; boundary=r\n"
	  "\n"
	  "--r\n"
	  "Content-Type: text/html\n"
	  "\n"
	  "<b>rich</b> <img src=\"cid:1\" alt=\"logo\">\n"
	  "--r\n"
	  "Content-Type: image/gif\n"
	  "Content-ID: <1>\n"
	  "\n"
	  "GIF\n"
	  "--r--\n"
	  "--a--\n"
	  "--m\n"
	  "Content-Type: application/zip; name=a.zip\n"
	  "\n"
	  "PK\n"
	  "--m--\n",
	  "B rich logo\n"
	  "A [Attachment 1.2.2: image/gif, 3 B]\n"
	  "A [Attachment 2: a.zip (application/zip, 2 B)]" },
	{ "message/rfc822 inline", 0,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "\n"
	  "Forwarding this.\n"
	  "--m\n"
	  "Content-Type: message/rfc822\n"
	  "\n"
	  "From: Carl <carl@example.org>\n"
	  "Subject: =?utf-8?Q?R=C3=A9union?=\n"
	  "Date: Tue, 2 Jan 2024 09:00:00 +0100\n"
	  "X-Other: not shown\n"
	  "Content-Type: multipart/mixed; boundary=inner\n"
	  "\n"
	  "--inner\n"
	  "\n"
	  "> inner text\n"
	  "--inner\n"
	  "Content-Type: image/jpeg; name=p.jpg\n"
	  "\n"
	  "JPG\n"
	  "--inner--\n"
	  "--m--\n",
	  "B Forwarding this.\n"
	  "N [-- Attached message (part 2) --]\n"
	  "H+ From: Carl <carl@example.org>\n"
	  "H+ Date: Tue, 2 Jan 2024 09:00:00 +0100\n"
	  "H+ Subject: R\xc3\xa9union\n"
	  "B+ \n"
	  "Q1+ > inner text\n"
	  "A+ [Attachment 2.2: p.jpg (image/jpeg, 3 B)]\n"
	  "N [-- End of attached message --]" },
	{ "a message whose body is a message", O_HEADERS,
	  "Subject: outer\n"
	  "Content-Type: message/rfc822\n"
	  "\n"
	  "Subject: inner\n"
	  "\n"
	  "text\n",
	  "H Subject: outer\n"
	  "B \n"
	  "N [-- Attached message (part 1) --]\n"
	  "H+ Subject: inner\n"
	  "B+ \n"
	  "B+ text\n"
	  "N [-- End of attached message --]" },
	{ "multipart/digest", 0,
	  "Content-Type: multipart/digest; boundary=d\n"
	  "\n"
	  "--d\n"
	  "\n"
	  "Subject: one\n"
	  "\n"
	  "first\n"
	  "--d--\n",
	  "N [-- Attached message (part 1) --]\n"
	  "H+ Subject: one\n"
	  "B+ \n"
	  "B+ first\n"
	  "N [-- End of attached message --]" },
	{ "multipart/signed shows the first part", 0,
	  "Content-Type: multipart/signed; boundary=s; "
	  "protocol=\"application/pgp-signature\"\n"
	  "\n"
	  "--s\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "signed text\n"
	  "--s\n"
	  "Content-Type: application/pgp-signature\n"
	  "\n"
	  "-----BEGIN PGP SIGNATURE-----\n"
	  "--s--\n",
	  "B signed text" },
	{ "multipart/encrypted is a notice", 0,
	  "Content-Type: multipart/encrypted; boundary=e\n"
	  "\n"
	  "--e\n"
	  "Content-Type: application/pgp-encrypted\n"
	  "\n"
	  "Version: 1\n"
	  "--e--\n",
	  "N [This part is encrypted; quire does not decrypt it]" },
	{ "html part inline in mixed", 0,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "Content-Type: text/html\n"
	  "\n"
	  "<p>a</p><p>b</p>\n"
	  "--m--\n",
	  "B a\n"
	  "B \n"
	  "B b" },

	/* Names. */
	{ "rfc 2231 filenames", 0,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "Content-Type: application/octet-stream\n"
	  "Content-Disposition: attachment;\n"
	  " filename*=utf-8''%E2%82%AC.txt\n"
	  "\n"
	  "x\n"
	  "--m\n"
	  "Content-Type: application/octet-stream\n"
	  "Content-Disposition: attachment;\n"
	  " filename*0*=iso-8859-1'fr'r%E9sum;\n"
	  " filename*1=\"e of the \";\n"
	  " filename*2*=%E9t%E9.pdf\n"
	  "\n"
	  "x\n"
	  "--m\n"
	  "Content-Type: application/octet-stream;\n"
	  " name=\"=?utf-8?B?w6nDqS5kb2M=?=\"\n"
	  "\n"
	  "x\n"
	  "--m\n"
	  "Content-Type: application/octet-stream; name=plain.bin\n"
	  "Content-Disposition: attachment; filename*1=\"b.bin\";"
	  " filename*0=\"a\"; filename=\"ignored\"\n"
	  "\n"
	  "x\n"
	  "--m--\n",
	  "A [Attachment 1: \xe2\x82\xac.txt (application/octet-stream, 1 B)]\n"
	  "A [Attachment 2: r\xc3\xa9sume of the \xc3\xa9t\xc3\xa9.pdf "
	  "(application/octet-stream, 1 B)]\n"
	  "A [Attachment 3: \xc3\xa9\xc3\xa9.doc (application/octet-stream, "
	  "1 B)]\n"
	  "A [Attachment 4: ab.bin (application/octet-stream, 1 B)]" },

	/* Broken framing (BAD-INPUTS 23). */
	{ "starts with a blank line", O_HEADERS,
	  "\r\n"
	  "Subject: late\r\n"
	  "Content-Type: text/plain; charset=iso-8859-1\r\n"
	  "\r\n"
	  "caf\xe9\r\n",
	  "B \n"
	  "B Subject: late\n"
	  "B Content-Type: text/plain; charset=iso-8859-1\n"
	  "B \n"
	  "B caf\xc3\xa9" },
	/* BAD-INPUTS 22: 8-bit bytes under an ASCII label (Dovecot's default
	 * for a message without MIME headers) are the fallback's. */
	{ "8-bit under us-ascii reads in the fallback charset", O_GREEK,
	  "Content-Type: text/plain; charset=us-ascii\n"
	  "\n"
	  "\xe1\xe8\xde\xed\xe1\n",
	  "B \xce\xb1\xce\xb8\xce\xae\xce\xbd\xce\xb1" },
	{ "8-bit without a label reads in the fallback charset", O_GREEK,
	  "Subject: x\n"
	  "\n"
	  "\xe1\xe8\xde\xed\xe1\n",
	  "B \xce\xb1\xce\xb8\xce\xae\xce\xbd\xce\xb1" },
	{ "header line without a colon", O_HEADERS,
	  "Subject: one\n"
	  "this line has no colon\n"
	  "Content-Type: text/plain; charset=utf-8\n"
	  "\n"
	  "body\n",
	  "H Subject: one\n"
	  "B \n"
	  "B body" },
	{ "header block without a blank line", O_HEADERS,
	  "Subject: two\n"
	  "The body starts here\n"
	  "and goes on\n",
	  "H Subject: two\n"
	  "B \n"
	  "B The body starts here\n"
	  "B and goes on" },
	{ "mixed LF and CRLF", O_HEADERS,
	  "Subject: mixed\r\n"
	  "Content-Type: multipart/mixed;\n"
	  "\tboundary=\"zz\"\r\n"
	  "\n"
	  "--zz\r\n"
	  "Content-Type: text/plain\n"
	  "\r\n"
	  "line one\r\n"
	  "line two\n"
	  "--zz--\r\n",
	  "H Subject: mixed\n"
	  "B \n"
	  "B line one\n"
	  "B line two" },
	{ "missing final boundary", 0,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "\n"
	  "first\n"
	  "--m\n"
	  "\n"
	  "last, never closed\n",
	  "B first\n"
	  "B last, never closed" },
	{ "a delimiter inside a base64 body ends it", 0,
	  "Content-Type: multipart/mixed; boundary=b64\n"
	  "\n"
	  "--b64\n"
	  "Content-Type: text/plain\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "SGVsbG8g\n"
	  "--b64\n"
	  "d29ybGQ=\n"
	  "--b64--\n",
	  "B Hello \n"
	  "B d29ybGQ=" },
	{ "boundary look-alikes are text", 0,
	  "Content-Type: multipart/mixed; boundary=m\n"
	  "\n"
	  "--m\n"
	  "\n"
	  "a --m in the middle\n"
	  "--mx is longer\n"
	  "--m trailing words\n"
	  " --m indented\n"
	  "--m \t\n"
	  "\n"
	  "second\n"
	  "--m--junk after the close\n"
	  "--m\n"
	  "\n"
	  "after the close: never shown\n",
	  "B a --m in the middle\n"
	  "B --mx is longer\n"
	  "B --m trailing words\n"
	  "B  --m indented\n"
	  "B second" },
	{ "multipart without a boundary", 0,
	  "Content-Type: multipart/mixed\n"
	  "\n"
	  "just text\n",
	  "B just text" },
	{ "multipart without any delimiter", 0,
	  "Content-Type: multipart/mixed; boundary=nope\n"
	  "\n"
	  "text anyway\n",
	  "B text anyway" },
	{ "empty message", 0, "", "" },
	{ "header only", O_HEADERS, "Subject: only", "H Subject: only\nB " },
	{ "line breaks inside a header value", O_HEADERS,
	  "Subject: =?utf-8?Q?a=0D=0Ab?=\n\nx\n",
	  "H Subject: a\r b\n"
	  "B \n"
	  "B x" },
	{ "text cap", O_SMALL,
	  "\n"
	  "0123456789012345678901234567890123456789\n"
	  "0123456789012345678901234567890123456789\n"
	  "never\n",
	  "B 0123456789012345678901234567890123456789\n"
	  "N [The rest is not shown: the text is longer than 64 B]" },
};

/* The lines of r as the table writes them. */
static void
dump(const struct mail_render *r, struct buf *out)
{
	const struct mail_line	*l;
	size_t			 i;
	unsigned		 k;

	buf_reset(out);
	buf_add(out, "", 0);
	for (i = 0; i < r->nlines; i++) {
		l = &r->lines[i];
		if (i > 0)
			buf_addch(out, '\n');
		buf_addch(out, "HBQNA"[l->kind]);
		if (l->kind == ML_QUOTE)
			buf_printf(out, "%u", l->quote);
		for (k = 0; k < l->level; k++)
			buf_addch(out, '+');
		buf_addch(out, ' ');
		assert_int_equal(strlen(l->text), l->len);
		assert_null(memchr(l->text, '\n', l->len));
		buf_add(out, l->text, l->len);
	}
}

/* The invalid utf-8 case holds a NUL: its length is given by its end. */
static size_t
msg_len(const char *name, const char *msg)
{
	size_t	 n = strlen(msg);

	if (strcmp(name, "invalid utf-8") == 0)
		n += 1 + strlen(msg + n + 1);
	return n;
}

/* One message of the table: its state is its index. */
static void
test_message(void **state)
{
	struct mail_render_opts	 o;
	struct mail_render	 r;
	struct buf		 got = BUF_INIT;
	size_t			 i = *(size_t *)*state;

	memset(&o, 0, sizeof o);
	o.fallback_charset = (cases[i].opts & O_GREEK) ? "iso-8859-7" :
	    "windows-1252";
	o.headers = (cases[i].opts & O_HEADERS) != 0;
	o.prefer_html = (cases[i].opts & O_HTML) != 0;
	o.text_max = (cases[i].opts & O_SMALL) ? 64 : 0;
	mail_render_message(cases[i].msg, msg_len(cases[i].name, cases[i].msg),
	    &o, &r);
	dump(&r, &got);
	assert_string_equal(got.data, cases[i].want);
	assert_true(utf8_valid(r.text.data != NULL ? r.text.data : "",
	    r.text.len));
	mail_render_free(&r);
	buf_free(&got);
}

int
main(void)
{
	static size_t		 index[nitems(cases)];
	struct CMUnitTest	 tests[nitems(cases)];
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		index[i] = i;
		memset(&tests[i], 0, sizeof tests[i]);
		tests[i].name = cases[i].name;
		tests[i].test_func = test_message;
		tests[i].initial_state = &index[i];
	}
	return _cmocka_run_group_tests("mime", tests, nitems(cases), NULL,
	    NULL);
}

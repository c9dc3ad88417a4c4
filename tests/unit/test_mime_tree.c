/*
 * Unit tests: the MIME tree (src/mail: mime.c, mimeparse.c, mimehdr.c,
 * params.c, render.c): IMAP sections, parameters and RFC 2231, the caps
 * on depth and parts with their cost measured, the choice of sections to
 * fetch, and rendering from fetched sections as the engine will.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quire/mail.h"
#include "unit.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "section type/subtype" per part, in document order, one per line. */
static void
outline(struct mail_part *p, struct buf *out, unsigned depth)
{
	assert_true(depth <= MAIL_MIME_DEPTH_MAX);
	for (; p != NULL; p = p->next) {
		buf_printf(out, "%s %s/%s\n", p->section, p->type, p->subtype);
		outline(p->child, out, depth + 1);
	}
}

static const char complex_msg[] =
	"Subject: tree\n"
	"Content-Type: multipart/mixed; boundary=m\n"
	"\n"
	"--m\n"
	"Content-Type: multipart/alternative; boundary=a\n"
	"\n"
	"--a\n"
	"Content-Type: text/plain\n"
	"\n"
	"plain\n"
	"--a\n"
	"Content-Type: multipart/related; boundary=r\n"
	"\n"
	"--r\n"
	"Content-Type: text/html\n"
	"\n"
	"<p>html</p>\n"
	"--r\n"
	"Content-Type: image/gif\n"
	"\n"
	"GIF\n"
	"--r--\n"
	"--a--\n"
	"--m\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"Subject: inner\n"
	"Content-Type: multipart/mixed; boundary=i\n"
	"\n"
	"--i\n"
	"\n"
	"inner text\n"
	"--i\n"
	"Content-Type: image/jpeg\n"
	"\n"
	"JPG\n"
	"--i--\n"
	"--m\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"Subject: single\n"
	"\n"
	"single body\n"
	"--m\n"
	"Content-Type: application/pdf\n"
	"\n"
	"PDF\n"
	"--m--\n";

static void
test_sections(void **state)
{
	struct mail_part	*root, *p;
	struct buf		 b = BUF_INIT;

	(void)state;
	root = mail_mime_parse(complex_msg, sizeof complex_msg - 1, NULL);
	outline(root, &b, 0);
	assert_string_equal(b.data,
	    "TEXT multipart/mixed\n"
	    "1 multipart/alternative\n"
	    "1.1 text/plain\n"
	    "1.2 multipart/related\n"
	    "1.2.1 text/html\n"
	    "1.2.2 image/gif\n"
	    "2 message/rfc822\n"
	    "2.TEXT multipart/mixed\n"
	    "2.1 text/plain\n"
	    "2.2 image/jpeg\n"
	    "3 message/rfc822\n"
	    "3.1 text/plain\n"
	    "4 application/pdf\n");
	assert_int_equal(root->nparts, 13);
	p = mail_part_find(root, "1.2.2");
	assert_non_null(p);
	assert_string_equal(p->type, "image");
	assert_int_equal(p->body_len, 3);
	assert_memory_equal(p->body, "GIF", 3);
	p = mail_part_find(root, "2.HEADER");
	assert_non_null(p);
	assert_string_equal(p->subtype, "rfc822");
	assert_int_equal(p->header_len, 57);
	assert_memory_equal(p->header, "Subject: inner\n", 15);
	p = mail_part_find(root, "3.1");
	assert_int_equal(p->body_len, 11);
	assert_memory_equal(p->body, "single body", 11);
	assert_null(mail_part_find(root, "5"));
	assert_null(mail_part_find(root, "1.2.2.1"));
	mail_part_free(&root);
	assert_null(root);

	buf_reset(&b);
	root = mail_mime_parse("Subject: x\n\nbody\n", 17, NULL);
	outline(root, &b, 0);
	assert_string_equal(b.data, "1 text/plain\n");
	mail_part_free(&root);
	mail_part_free(&root);		/* NULL is fine */
	buf_free(&b);
}

/* A header value, then what the part holds. */
static const struct {
	const char	*field;
	const char	*value;
	const char	*want;	/* type/sub charset boundary filename f d a */
} param_cases[] = {
	{ "Content-Type", "text/plain", "text/plain - - - 0 0 0" },
	{ "Content-Type", "Text/HTML; Charset=\"UTF-8\"",
	  "text/html UTF-8 - - 0 0 0" },
	{ "Content-Type", "text/plain; charset=us-ascii (Plain text)",
	  "text/plain us-ascii - - 0 0 0" },
	{ "Content-Type", "text/plain;format=flowed;delsp=YES",
	  "text/plain - - - 1 1 0" },
	{ "Content-Type", "text/plain; format=fixed; delsp=no",
	  "text/plain - - - 0 0 0" },
	{ "Content-Type", "multipart/mixed;\r\n\tboundary=\"----=_Part_1\"",
	  "multipart/mixed - ----=_Part_1 - 0 0 0" },
	{ "Content-Type", "multipart/mixed; boundary=simple; x=\"y\"",
	  "multipart/mixed - simple - 0 0 0" },
	{ "Content-Type", "multipart/mixed; boundary=\"a\\\"b\"",
	  "multipart/mixed - a\"b - 0 0 0" },
	{ "Content-Type", "(lead) text (c) / (c) plain (c) ; (c) charset "
	  "(c) = (c) koi8-r (c)", "text/plain koi8-r - - 0 0 0" },
	{ "Content-Type", "nonsense", "text/plain - - - 0 0 0" },
	{ "Content-Type", "text/", "text/plain - - - 0 0 0" },
	{ "Content-Type", "", "text/plain - - - 0 0 0" },
	{ "Content-Type", "application/pdf; name=my report (1).pdf",
	  "application/pdf - - my report (1).pdf 0 0 0" },
	{ "Content-Type", "application/pdf; name=\"unterminated.pdf",
	  "application/pdf - - unterminated.pdf 0 0 0" },
	{ "Content-Type", "application/pdf; name==?utf-8?Q?caf=C3=A9?=.pdf",
	  "application/pdf - - caf\xc3\xa9.pdf 0 0 0" },
	{ "Content-Type", "application/pdf; name=\"na\xefve.pdf\"",
	  "application/pdf - - na\xc3\xafve.pdf 0 0 0" },
	{ "Content-Disposition", "attachment; filename=a.txt",
	  "text/plain - - a.txt 0 0 1" },
	{ "Content-Disposition", "Attachment; FILENAME=\"b.txt\"",
	  "text/plain - - b.txt 0 0 1" },
	{ "Content-Disposition", "inline; filename=c.txt",
	  "text/plain - - c.txt 0 0 0" },
	{ "Content-Disposition", "attachment; filename*=UTF-8''%e2%82%ac.txt",
	  "text/plain - - \xe2\x82\xac.txt 0 0 1" },
	{ "Content-Disposition", "attachment; filename*=iso-8859-1'de'"
	  "%FCber.txt", "text/plain - - \xc3\xbc" "ber.txt 0 0 1" },
	{ "Content-Disposition", "attachment; filename*=''%41%zz.txt",
	  "text/plain - - A%zz.txt 0 0 1" },
	{ "Content-Disposition", "attachment; filename*=x-bogus''caf%E9",
	  "text/plain - - caf\xc3\xa9 0 0 1" },
	{ "Content-Disposition", "attachment; filename*2=c; filename*0=a; "
	  "filename*1*=%62", "text/plain - - abc 0 0 1" },
	{ "Content-Disposition", "attachment; filename*0=a; filename*2=c",
	  "text/plain - - a 0 0 1" },
	{ "Content-Disposition", "attachment; filename*0*=utf-8'en'%E2%82;"
	  " filename*1*=%AC", "text/plain - - \xe2\x82\xac 0 0 1" },
	{ "Content-Disposition", "attachment; filename=plain; "
	  "filename*=utf-8''wins", "text/plain - - wins 0 0 1" },
	{ "Content-Disposition", "attachment; filename*x=bad; filename*01x=b",
	  "text/plain - - - 0 0 1" },
};

static void
part_describe(const struct mail_part *p, struct buf *b)
{
	buf_reset(b);
	buf_printf(b, "%s/%s %s %s %s %d %d %d", p->type, p->subtype,
	    p->charset != NULL ? p->charset : "-",
	    p->boundary != NULL ? p->boundary : "-",
	    p->filename != NULL ? p->filename : "-", p->flowed, p->delsp,
	    p->attachment);
}

static void
test_params(void **state)
{
	struct mail_part	*p;
	struct buf		 hdr = BUF_INIT, got = BUF_INIT;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(param_cases); i++) {
		p = mail_part_new(NULL);
		buf_reset(&hdr);
		buf_printf(&hdr, "%s: %s\r\n", param_cases[i].field,
		    param_cases[i].value);
		mail_part_set_mime(p, hdr.data, hdr.len, "windows-1252");
		part_describe(p, &got);
		if (strcmp(got.data, param_cases[i].want) != 0)
			print_error("case %zu: %s\n", i, param_cases[i].value);
		assert_string_equal(got.data, param_cases[i].want);
		mail_part_free(&p);
	}
	buf_free(&hdr);
	buf_free(&got);
}

/* Parameters as BODYSTRUCTURE gives them, one by one. */
static void
test_params_bodystructure(void **state)
{
	static const char *const ct_names[] = { "NAME", "charset" };
	static const char *const ct_values[] = { "=?utf-8?B?w6k=?=.bin",
	    "UTF-8" };
	static const char *const cd_names[] = { "filename*1", "FILENAME*0*" };
	static const char *const cd_values[] = { " part.pdf",
	    "utf-8''%E2%82%AC" };
	struct mail_part	*p;
	struct buf		 got = BUF_INIT;

	(void)state;
	p = mail_part_new(NULL);
	mail_part_set_type(p, "APPLICATION", "Octet-Stream");
	mail_part_set_params(p, false, ct_names, ct_values, 2, NULL);
	mail_part_set_encoding(p, "BASE64");
	part_describe(p, &got);
	assert_string_equal(got.data,
	    "application/octet-stream UTF-8 - \xc3\xa9.bin 0 0 0");
	assert_int_equal(p->encoding, MAIL_ENC_BASE64);
	mail_part_set_disposition(p, "ATTACHMENT");
	mail_part_set_params(p, true, cd_names, cd_values, 2, NULL);
	part_describe(p, &got);
	assert_string_equal(got.data,
	    "application/octet-stream UTF-8 - \xe2\x82\xac part.pdf 0 0 1");
	mail_part_set_encoding(p, "x-something");
	assert_int_equal(p->encoding, MAIL_ENC_UNKNOWN);
	mail_part_set_encoding(p, "x-uuencode");
	assert_int_equal(p->encoding, MAIL_ENC_UUENCODE);
	mail_part_free(&p);
	buf_free(&got);
}

/* n multiparts nested in each other, a text at the bottom. */
static char *
nested(size_t n, size_t *len)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	buf_addstr(&b, "Subject: deep\n");
	for (i = 0; i < n; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=b%zu\n"
		    "\n--b%zu\n", i, i);
	buf_addstr(&b, "Content-Type: text/plain\n\nbottom\n");
	for (i = n; i > 0; i--)
		buf_printf(&b, "--b%zu--\n", i - 1);
	*len = b.len;
	return buf_detach(&b);
}

static void
test_depth_cap(void **state)
{
	static const size_t	 levels[] = { 49, 50, 51, 60, 20000 };
	struct mail_render_opts	 o;
	struct mail_render	 r;
	struct mail_part	*root, *p;
	char			*msg;
	size_t			 len, i, d;
	double			 t;

	(void)state;
	memset(&o, 0, sizeof o);
	for (i = 0; i < nitems(levels); i++) {
		msg = nested(levels[i], &len);
		t = now();
		root = mail_mime_parse(msg, len, NULL);
		mail_render(root, &o, &r);
		t = now() - t;
		print_message("# %zu levels (%zu bytes): %.1f ms\n", levels[i],
		    len, t * 1000);
		assert_true(t < 2.0);
		for (p = root, d = 0; p->child != NULL; p = p->child)
			d++;
		assert_true(d <= MAIL_MIME_DEPTH_MAX);
		if (levels[i] <= MAIL_MIME_DEPTH_MAX) {
			assert_int_equal(d, levels[i]);
			assert_false(r.truncated);
			assert_string_equal(r.lines[r.nlines - 1].text,
			    "bottom");
		} else {
			assert_int_equal(d, MAIL_MIME_DEPTH_MAX);
			assert_true(p->flags & MAIL_PART_CUT_DEPTH);
			assert_true(r.truncated);
			assert_int_equal(r.nlines, 1);
			assert_string_equal(r.lines[0].text, "[This message "
			    "nests deeper than 50 levels; the rest is not "
			    "shown]");
			assert_int_equal(r.lines[0].kind, ML_NOTICE);
		}
		mail_render_free(&r);
		mail_part_free(&root);
		free(msg);
	}
}

static void
test_parts_cap(void **state)
{
	struct mail_render_opts	 o;
	struct mail_render	 r;
	struct mail_part	*root;
	struct buf		 b = BUF_INIT;
	size_t			 i;
	double			 t;

	(void)state;
	buf_addstr(&b, "Content-Type: multipart/mixed; boundary=p\n\n");
	for (i = 0; i < 100000; i++)
		buf_printf(&b, "--p\nContent-Type: image/png\n\n%zu\n", i);
	buf_addstr(&b, "--p--\n");
	memset(&o, 0, sizeof o);
	t = now();
	root = mail_mime_parse(b.data, b.len, NULL);
	mail_render(root, &o, &r);
	t = now() - t;
	print_message("# 100,000 parts (%zu bytes): %.1f ms\n", b.len,
	    t * 1000);
	assert_true(t < 2.0);
	assert_int_equal(root->nparts, MAIL_MIME_PARTS_MAX);
	assert_true(root->flags & MAIL_PART_CUT_PARTS);
	assert_int_equal(r.nattachments, MAIL_MIME_PARTS_MAX - 1);
	assert_string_equal(r.attachments[998].section, "999");
	assert_true(r.truncated);
	assert_string_equal(r.lines[r.nlines - 1].text, "[This message has "
	    "more than 1000 parts; the rest are not shown]");
	mail_render_free(&r);
	mail_part_free(&root);
	buf_free(&b);
}

/* The caps hold for trees the engine builds too. */
static void
test_caps_by_hand(void **state)
{
	struct mail_part	*root, *p;
	size_t			 i;

	(void)state;
	root = p = mail_part_new(NULL);
	mail_part_set_type(root, "multipart", "mixed");
	for (i = 0; i < MAIL_MIME_DEPTH_MAX; i++) {
		p = mail_part_new(p);
		assert_non_null(p);
		mail_part_set_type(p, "multipart", "mixed");
	}
	assert_null(mail_part_new(p));
	assert_true(p->flags & MAIL_PART_CUT_DEPTH);
	for (i = root->nparts; i < MAIL_MIME_PARTS_MAX; i++)
		assert_non_null(mail_part_new(root));
	assert_null(mail_part_new(root));
	assert_true(root->flags & MAIL_PART_CUT_PARTS);
	mail_part_free(&root);
}

/* A tree as the engine builds it from BODYSTRUCTURE: no bodies yet. */
static struct mail_part *
bodystructure(void)
{
	struct mail_part	*root, *alt, *p, *msg;
	static const char *const n[] = { "name" };
	static const char *const v[] = { "big.iso" };

	root = mail_part_new(NULL);
	mail_part_set_type(root, "multipart", "mixed");
	alt = mail_part_new(root);
	mail_part_set_type(alt, "multipart", "alternative");
	p = mail_part_new(alt);
	mail_part_set_type(p, "text", "plain");
	p->size = 6;
	p = mail_part_new(alt);
	mail_part_set_type(p, "text", "html");
	p->size = 20;
	p = mail_part_new(root);
	mail_part_set_type(p, "application", "octet-stream");
	mail_part_set_params(p, false, n, v, 1, NULL);
	mail_part_set_encoding(p, "base64");
	p->size = 27983872;	/* 20 MB once decoded */
	msg = mail_part_new(root);
	mail_part_set_type(msg, "message", "rfc822");
	p = mail_part_new(msg);
	mail_part_set_type(p, "text", "plain");
	return root;
}

static void
sections_of(struct mail_part *root, bool html, struct buf *out)
{
	struct mail_render_opts	 o;
	struct ptrarray		 a = PTRARRAY_INIT;
	size_t			 i;

	memset(&o, 0, sizeof o);
	o.prefer_html = html;
	mail_text_sections(root, &o, &a);
	buf_reset(out);
	buf_add(out, "", 0);
	for (i = 0; i < a.len; i++)
		buf_printf(out, "%s%s", i > 0 ? " " : "",
		    (char *)a.items[i]);
	ptrarray_free(&a, free);
}

static void
test_choose_sections(void **state)
{
	struct mail_part	*root, *p;
	struct buf		 got = BUF_INIT;

	(void)state;
	root = bodystructure();
	sections_of(root, false, &got);
	assert_string_equal(got.data, "1.1 3.HEADER 3.1");
	sections_of(root, true, &got);
	assert_string_equal(got.data, "1.2 3.HEADER 3.1");

	/* What is held is not asked for again. */
	p = mail_part_find(root, "1.1");
	mail_part_set_body(p, "hello\n", 6);
	mail_part_set_header(mail_part_find(root, "3.HEADER"),
	    "Subject: in\r\n", 13);
	sections_of(root, false, &got);
	assert_string_equal(got.data, "3.1");
	mail_part_free(&root);

	/* A parsed message holds everything. */
	root = mail_mime_parse(complex_msg, sizeof complex_msg - 1, NULL);
	sections_of(root, false, &got);
	assert_string_equal(got.data, "");
	mail_part_free(&root);
	buf_free(&got);
}

/* Fetch what the chooser names, then render, as the pager will. */
static void
test_render_sections(void **state)
{
	struct mail_render_opts	 o;
	struct mail_render	 r;
	struct mail_part	*root, *p;
	static const char	 mime[] = "Content-Type: text/plain; "
				    "charset=iso-8859-1; format=flowed\r\n"
				    "Content-Transfer-Encoding: "
				    "quoted-printable\r\n\r\n";
	static const char	 inner[] = "From: x@y\r\n"
				    "Subject: =?utf-8?Q?=C3=A0?=\r\n\r\n";

	(void)state;
	root = bodystructure();
	memset(&o, 0, sizeof o);
	mail_render(root, &o, &r);
	assert_int_equal(r.nlines, 5);
	assert_string_equal(r.lines[0].text, "[Part 1.1 was not fetched]");
	mail_render_free(&r);

	/* BODY.PEEK[1.1.MIME] and BODY.PEEK[1.1]. */
	p = mail_part_find(root, "1.1.MIME");
	mail_part_set_mime(p, mime, sizeof mime - 1, NULL);
	mail_part_set_body(p, "caf=E9=20\r\nau lait\r\n", 20);
	p = mail_part_find(root, "3");
	mail_part_set_header(p, inner, sizeof inner - 1);
	mail_part_set_body(mail_part_find(root, "3.1"), "inner\r\n", 7);
	mail_render(root, &o, &r);
	assert_int_equal(r.nlines, 8);
	assert_string_equal(r.lines[0].text, "caf\xc3\xa9 au lait");
	assert_string_equal(r.lines[1].text,
	    "[Attachment 2: big.iso (application/octet-stream, 20 MB)]");
	assert_int_equal(r.lines[1].kind, ML_ATTACHMENT);
	assert_string_equal(r.lines[2].text,
	    "[-- Attached message (part 3) --]");
	assert_string_equal(r.lines[3].text, "From: x@y");
	assert_string_equal(r.lines[4].text, "Subject: \xc3\xa0");
	assert_int_equal(r.lines[4].level, 1);
	assert_string_equal(r.lines[6].text, "inner");
	assert_int_equal(r.nattachments, 1);
	assert_string_equal(r.attachments[0].section, "2");
	assert_string_equal(r.attachments[0].type,
	    "application/octet-stream");
	assert_string_equal(r.attachments[0].filename, "big.iso");
	assert_int_equal(r.attachments[0].encoding, MAIL_ENC_BASE64);
	assert_true(r.attachments[0].size > 20400000 &&
	    r.attachments[0].size < 20600000);
	mail_render_free(&r);
	mail_render_free(&r);		/* freed twice is fine */
	mail_part_free(&root);
}

/* A 20 MB attachment in a whole message costs only its scan. */
static void
test_big_attachment(void **state)
{
	struct mail_render_opts	 o;
	struct mail_render	 r;
	struct buf		 b = BUF_INIT;
	size_t			 i;
	double			 t;

	(void)state;
	buf_addstr(&b, "Content-Type: multipart/mixed; boundary=z\n\n--z\n\n"
	    "text\n--z\nContent-Type: video/mp4\nContent-Transfer-Encoding:"
	    " base64\n\n");
	for (i = 0; i < 20 * 1024 * 1024 / 57; i++)
		buf_addstr(&b, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
	buf_addstr(&b, "--z--\n");
	memset(&o, 0, sizeof o);
	t = now();
	mail_render_message(b.data, b.len, &o, &r);
	t = now() - t;
	print_message("# 20 MB attachment (%zu bytes): %.1f ms\n", b.len,
	    t * 1000);
	assert_int_equal(r.nlines, 2);
	assert_string_equal(r.lines[0].text, "text");
	assert_string_equal(r.lines[1].text,
	    "[Attachment 2: video/mp4, 20 MB]");
	mail_render_free(&r);
	buf_free(&b);
}

/* The user's html_filter is used, and the built-in one when it fails. */
static int
filter_ok(void *arg, const char *html, size_t n, struct buf *out)
{
	(*(int *)arg)++;
	buf_printf(out, "filtered %zu bytes\n\xff", n);
	(void)html;
	return 0;
}

static int
filter_fails(void *arg, const char *html, size_t n, struct buf *out)
{
	(*(int *)arg)++;
	(void)html;
	(void)n;
	buf_addstr(out, "half");
	return -1;
}

static void
test_html_filter(void **state)
{
	static const char	 msg[] = "Content-Type: text/html\n\n<p>x</p>";
	struct mail_render_opts	 o;
	struct mail_render	 r;
	int			 calls = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.html_filter = filter_ok;
	o.html_arg = &calls;
	mail_render_message(msg, sizeof msg - 1, &o, &r);
	assert_int_equal(calls, 1);
	assert_int_equal(r.nlines, 2);
	assert_string_equal(r.lines[0].text, "filtered 8 bytes");
	assert_string_equal(r.lines[1].text, "\xef\xbf\xbd");
	mail_render_free(&r);
	o.html_filter = filter_fails;
	mail_render_message(msg, sizeof msg - 1, &o, &r);
	assert_int_equal(calls, 2);
	assert_int_equal(r.nlines, 1);
	assert_string_equal(r.lines[0].text, "x");
	mail_render_free(&r);
}

/* A name longer than the cap is cut at a character boundary: the fuzzer
 * found a cut inside a two-byte character. */
static void
test_long_name_stays_utf8(void **state)
{
	struct buf		 hdr = BUF_INIT;
	struct mail_part	*p;
	int			 i;

	(void)state;
	buf_addstr(&hdr, "Content-Type: text/plain; name=x");
	for (i = 0; i < 5000; i++)
		buf_addch(&hdr, (char)0xE9);	/* é in windows-1252 */
	p = mail_part_new(NULL);
	mail_part_set_mime(p, hdr.data, hdr.len, "windows-1252");
	assert_non_null(p->filename);
	assert_true(utf8_valid(p->filename, strlen(p->filename)));
	assert_true(strlen(p->filename) > 100);
	mail_part_free(&p);
	buf_free(&hdr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_params_bodystructure),
		cmocka_unit_test(test_depth_cap),
		cmocka_unit_test(test_parts_cap),
		cmocka_unit_test(test_caps_by_hand),
		cmocka_unit_test(test_choose_sections),
		cmocka_unit_test(test_render_sections),
		cmocka_unit_test(test_big_attachment),
		cmocka_unit_test(test_html_filter),
		cmocka_unit_test(test_long_name_stays_utf8),
	};

	return cmocka_run_group_tests_name("mime_tree", tests, NULL, NULL);
}

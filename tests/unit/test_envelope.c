/* Unit tests: FETCH responses to summaries (src/imap/envelope.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "../../src/imap/session_priv.h"
#include "unit.h"

/* libetpan frees string fields with mmap_string_unref(): give it its
 * own kind of string. */
static char *
estr(const char *s)
{
	MMAPString	*m;

	if (s == NULL)
		return NULL;
	if ((m = mmap_string_new(s)) == NULL || mmap_string_ref(m) != 0)
		fatal("out of memory");
	return m->str;
}

static clist *
list_of(void *a, void *b)
{
	clist	*l = clist_new();

	if (a != NULL)
		clist_append(l, a);
	if (b != NULL)
		clist_append(l, b);
	return l;
}

static struct mailimap_msg_att_item *
static_item(struct mailimap_msg_att_static *st)
{
	return mailimap_msg_att_item_new(MAILIMAP_MSG_ATT_ITEM_STATIC, NULL,
	    st, NULL);
}

static void
add_static(clist *items, int type, struct mailimap_envelope *env,
    struct mailimap_date_time *dt, uint32_t size,
    struct mailimap_msg_att_body_section *sec, uint32_t uid)
{
	clist_append(items, static_item(mailimap_msg_att_static_new(type, env,
	    dt, NULL, NULL, NULL, 0, size, NULL, NULL, sec, uid)));
}

/* A msg_att as libetpan builds one for
 *   * 7 FETCH (UID 42 FLAGS (\Seen \Flagged $Junk) RFC822.SIZE 1234
 *     INTERNALDATE "..." ENVELOPE (...) BODY[HEADER.FIELDS (...)] {..})
 */
static struct mailimap_msg_att *
sample(const char *from_name, const char *hdrs)
{
	clist				*items = clist_new(), *flags;
	struct mailimap_envelope	*env;
	char				*h;

	flags = list_of(mailimap_flag_fetch_new(MAILIMAP_FLAG_FETCH_OTHER,
	    mailimap_flag_new(MAILIMAP_FLAG_SEEN, NULL, NULL)),
	    mailimap_flag_fetch_new(MAILIMAP_FLAG_FETCH_OTHER,
	    mailimap_flag_new(MAILIMAP_FLAG_FLAGGED, NULL, NULL)));
	clist_append(flags, mailimap_flag_fetch_new(MAILIMAP_FLAG_FETCH_OTHER,
	    mailimap_flag_new(MAILIMAP_FLAG_KEYWORD, xstrdup("$Junk"), NULL)));
	clist_append(items, mailimap_msg_att_item_new(
	    MAILIMAP_MSG_ATT_ITEM_DYNAMIC, mailimap_msg_att_dynamic_new(flags),
	    NULL, NULL));
	add_static(items, MAILIMAP_MSG_ATT_UID, NULL, NULL, 0, NULL, 42);
	add_static(items, MAILIMAP_MSG_ATT_RFC822_SIZE, NULL, NULL, 1234,
	    NULL, 0);
	add_static(items, MAILIMAP_MSG_ATT_INTERNALDATE, NULL,
	    mailimap_date_time_new(2, 3, 2026, 10, 0, 0, 100), 0, NULL, 0);
	env = mailimap_envelope_new(
	    estr("Mon, 2 Mar 2026 10:00:00 -0500"),
	    estr("=?utf-8?q?Gr=C3=BC=C3=9Fe?= aus K\xf6ln"),
	    mailimap_env_from_new(list_of(mailimap_address_new(
	    estr(from_name), NULL, estr("alice"),
	    estr("example.org")), NULL)),
	    NULL, NULL,
	    mailimap_env_to_new(list_of(mailimap_address_new(estr("Bob"),
	    NULL, estr("bob"), estr("example.com")),
	    mailimap_address_new(NULL, NULL, estr("carol"),
	    estr("example.net")))),
	    NULL, NULL, NULL, estr("<m42@example.org>"));
	add_static(items, MAILIMAP_MSG_ATT_ENVELOPE, env, NULL, 0, NULL, 0);
	if (hdrs != NULL) {
		h = estr(hdrs);
		add_static(items, MAILIMAP_MSG_ATT_BODY_SECTION, NULL, NULL, 0,
		    mailimap_msg_att_body_section_new(
		    mailimap_section_new_header(), 0, h, strlen(h)), 0);
	}
	return mailimap_msg_att_new(items);
}

static void
test_item_and_summary(void **state)
{
	struct mailimap_msg_att	*att;
	struct msg_item		 it;
	struct msg_summary	 m;

	(void)state;
	att = sample("=?iso-8859-1?q?Alice_M=FCller?=",
	    "References: <a@x>\r\n <b@x>\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
	att->att_number = 7;
	msg_item_parse(att, &it);
	assert_int_equal(it.seq, 7);
	assert_int_equal(it.uid, 42);
	assert_true(it.has_flags);
	assert_int_equal(it.flags, MF_SEEN | MF_FLAGGED);
	assert_true(it.has_size);
	assert_int_equal(it.size, 1234);
	assert_non_null(it.env);
	assert_non_null(it.idate);
	assert_true(it.has_section);

	summary_from_envelope(&it, "windows-1252", &m);
	assert_int_equal(m.uid, 42);
	assert_int_equal(m.flags, MF_SEEN | MF_FLAGGED | MF_ATTACHMENT);
	assert_int_equal(m.size, 1234);
	assert_string_equal(m.from, "Alice M\xc3\xbcller");
	assert_string_equal(m.to, "Bob, carol@example.net");
	assert_null(m.cc);
	/* An encoded word, then raw Latin-1 read as the fallback charset. */
	assert_string_equal(m.subject,
	    "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
	assert_string_equal(m.message_id, "<m42@example.org>");
	assert_string_equal(m.references, "<a@x> <b@x>");
	/* 2 Mar 2026 10:00 -0500 = 15:00 UTC; INTERNALDATE 10:00 +0100. */
	assert_int_equal(m.date, 1772463600);
	assert_int_equal(m.internal_date, 1772442000);
	msg_summary_clear(&m);
	mailimap_msg_att_free(att);
}

/* No display name: the address; no header section: no references. */
static void
test_summary_bare(void **state)
{
	struct mailimap_msg_att	*att;
	struct msg_item		 it;
	struct msg_summary	 m;

	(void)state;
	att = sample(NULL, NULL);
	msg_item_parse(att, &it);
	summary_from_envelope(&it, "windows-1252", &m);
	assert_string_equal(m.from, "alice@example.org");
	assert_null(m.references);
	assert_false(m.flags & MF_ATTACHMENT);
	msg_summary_clear(&m);
	mailimap_msg_att_free(att);
}

/* The fallback when libetpan cannot parse an ENVELOPE: header fields. */
static void
test_summary_from_headers(void **state)
{
	struct msg_item		 it;
	struct msg_summary	 m;
	const char		*h =
	    "From: \"Dana =?utf-8?q?Sc=C3=BClly?=\" <dana@example.org>\r\n"
	    "To: quire@gen.quire.test,\r\n\tother@example.org\r\n"
	    "Subject: a \"stray quote\r\n"
	    "Date: Tue, 3 Mar 2026 01:02:03 +0000\r\n"
	    "Message-ID: <bad\"quote@icloud.example>\r\n"
	    "content-type: Multipart/Mixed;\r\n boundary=x\r\n"
	    "\r\n";

	(void)state;
	memset(&it, 0, sizeof it);
	it.uid = 9;
	it.has_section = true;
	it.section = h;
	it.section_len = strlen(h);
	summary_from_headers(&it, "windows-1252", &m);
	assert_string_equal(m.from, "Dana Sc\xc3\xbclly");
	assert_string_equal(m.to, "quire@gen.quire.test,\tother@example.org");
	assert_string_equal(m.subject, "a \"stray quote");
	assert_string_equal(m.message_id, "<bad\"quote@icloud.example>");
	assert_int_equal(m.date, 1772499723);
	assert_true(m.flags & MF_ATTACHMENT);
	msg_summary_clear(&m);

	h = "From: <only@example.org>\n\n";
	it.section = h;
	it.section_len = strlen(h);
	summary_from_headers(&it, NULL, &m);
	assert_string_equal(m.from, "only@example.org");
	assert_null(m.subject);
	assert_int_equal(m.date, 0);
	msg_summary_clear(&m);
}

static void
test_header_field(void **state)
{
	struct buf	 b = BUF_INIT;
	const char	*h = "X-To: no\r\nTo : yes\r\n  folded\r\nToo: no\r\n"
	    "\r\nTo: body, not header\r\n";

	(void)state;
	assert_true(header_field(h, strlen(h), "to", &b));
	assert_string_equal(buf_str(&b), "yes  folded");
	buf_reset(&b);
	assert_false(header_field(h, strlen(h), "Cc", &b));
	/* Cut short in the middle of a line: no overrun. */
	assert_true(header_field(h, 8, "X-To", &b));
	assert_string_equal(buf_str(&b), "no");
	buf_reset(&b);
	assert_false(header_field("", 0, "To", &b));
	buf_free(&b);
}

static void
test_content_type(void **state)
{
	(void)state;
	assert_true(content_type_mixed("multipart/mixed"));
	assert_true(content_type_mixed("  MULTIPART/MIXED; boundary=x"));
	assert_false(content_type_mixed("multipart/alternative"));
	assert_false(content_type_mixed("multipart/mixedup"));
	assert_false(content_type_mixed("text/plain"));
	assert_false(content_type_mixed(""));
}

static void
test_dates(void **state)
{
	struct mailimap_date_time dt = { 1, 1, 1970, 0, 0, 0, 0 };

	(void)state;
	assert_int_equal(date_parse_rfc5322("Thu, 1 Jan 1970 00:00:00 +0000"),
	    0);
	assert_int_equal(date_parse_rfc5322("Fri, 13 Feb 2009 23:31:30 +0000"),
	    1234567890);
	assert_int_equal(date_parse_rfc5322("13 Feb 2009 18:31:30 -0500"),
	    1234567890);
	assert_int_equal(date_parse_rfc5322("Sat, 14 Feb 2009 05:01:30 +0530"),
	    1234567890);
	assert_int_equal(date_parse_rfc5322("13 Feb 09 23:31:30 +0000"),
	    1234567890);
	assert_int_equal(date_parse_rfc5322("not a date"), 0);
	assert_int_equal(date_parse_rfc5322("32 Feb 2009 23:31:30 +0000"), 0);
	assert_int_equal(date_parse_rfc5322(NULL), 0);
	assert_int_equal(date_from_imap(&dt), 0);
	dt.dt_day = 13;
	dt.dt_month = 2;
	dt.dt_year = 2009;
	dt.dt_hour = 23;
	dt.dt_min = 31;
	dt.dt_sec = 30;
	assert_int_equal(date_from_imap(&dt), 1234567890);
	dt.dt_zone = -230;	/* -02:30 */
	assert_int_equal(date_from_imap(&dt), 1234567890 + 9000);
	dt.dt_month = 13;
	assert_int_equal(date_from_imap(&dt), 0);
	assert_int_equal(date_from_imap(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_and_summary),
		cmocka_unit_test(test_summary_bare),
		cmocka_unit_test(test_summary_from_headers),
		cmocka_unit_test(test_header_field),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests_name("envelope", tests, NULL, NULL);
}

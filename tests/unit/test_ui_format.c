/*
 * The text of the screen: dates against a fixed now in fixed time zones,
 * sizes, flag columns, counts, index_format parsing, whole index rows
 * fitted to N columns with CJK, emoji, combining marks and hostile bytes,
 * and the layout of the panes from 20x5 to 400x120.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "ui_priv.h"

#define NOW	1710082800	/* 2024-03-10 15:00:00 UTC, a Sunday */

static void
use_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void
check_date(int64_t t, const char *want)
{
	struct buf	 b = BUF_INIT;

	format_date(&b, t, NOW);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_dates_utc(void **state)
{
	(void)state;
	use_tz("UTC");
	check_date(1710079500, "14:05");	/* today */
	check_date(1710028800, "00:00");	/* today, midnight */
	check_date(1710028799, "Mar 09");	/* a second before */
	check_date(1709456400, "Mar 03");	/* this year */
	check_date(1704067200, "Jan 01");	/* the year's first second */
	check_date(1704067140, "2023-12-31");	/* last year */
	check_date(0, "");			/* unknown */
}

static void
test_dates_local(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	/* 20:00 UTC on the 10th is 05:00 on the 11th in Tokyo, and now is
	 * midnight of the 11th there: today. */
	use_tz("JST-9");
	check_date(1710100800, "05:00");
	check_date(1710079500, "Mar 10");
	/* New York, five hours behind: 14:05 UTC is 09:05 the same day. */
	use_tz("EST5");
	check_date(1710079500, "09:05");
	format_date_long(&b, 1710079500);
	assert_string_equal(buf_str(&b), "Sun, 10 Mar 2024 09:05 -0500");
	buf_free(&b);
	use_tz("UTC");
}

static void
check_size(uint64_t n, const char *want)
{
	struct buf	 b = BUF_INIT;

	format_size(&b, n);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_sizes(void **state)
{
	(void)state;
	check_size(0, "0");
	check_size(999, "999");
	check_size(1023, "1023");
	check_size(1024, "1.0K");
	check_size(4300, "4.2K");
	check_size(10188, "9.9K");
	check_size(10200, "10K");
	check_size(43000, "42K");
	check_size(1048000, "1023K");
	check_size(1048500, "1.0M");
	check_size(1153434, "1.1M");
	check_size(3221225472ull, "3.0G");
}

static void
check_flags(uint32_t f, const char *want)
{
	struct buf	 b = BUF_INIT;

	format_flags(&b, f);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_flags_and_counts(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	check_flags(MF_SEEN, "    ");
	check_flags(0, "N   ");
	check_flags(MF_FLAGGED, "N!  ");
	check_flags(MF_SEEN | MF_ANSWERED | MF_ATTACHMENT, "  r@");
	check_flags(MF_DELETED, "D   ");
	check_flags(MF_DELETED | MF_FLAGGED | MF_ANSWERED | MF_ATTACHMENT,
	    "D!r@");
	format_count(&b, 0);
	buf_addch(&b, ' ');
	format_count(&b, 1234);
	buf_addch(&b, ' ');
	format_count(&b, 100000);
	buf_addch(&b, ' ');
	format_count(&b, 1234567);
	assert_string_equal(buf_str(&b), "0 1,234 100,000 1,234,567");
	buf_free(&b);
}

static void
test_columns(void **state)
{
	struct column	 c[MAX_COLUMNS];

	(void)state;
	assert_int_equal(format_columns("flags date from size subject", c,
	    MAX_COLUMNS), 5);
	assert_int_equal(c[0].kind, COL_FLAGS);
	assert_int_equal(c[0].width, 4);
	assert_int_equal(c[2].kind, COL_FROM);
	assert_int_equal(c[2].width, 20);
	assert_int_equal(c[4].kind, COL_SUBJECT);
	assert_int_equal(c[4].width, 0);
	assert_int_equal(format_columns("date:16 to:30  subject:12 bogus",
	    c, MAX_COLUMNS), 3);
	assert_int_equal(c[0].width, 16);
	assert_int_equal(c[1].kind, COL_TO);
	assert_int_equal(c[1].width, 30);
	assert_int_equal(c[2].width, 12);
	assert_int_equal(format_columns("", c, MAX_COLUMNS), 0);
	assert_int_equal(format_columns("from from from", c, 2), 2);
}

static struct msg_summary
summary(const char *from, const char *subject)
{
	struct msg_summary m;

	memset(&m, 0, sizeof m);
	m.uid = 1;
	m.flags = MF_FLAGGED;
	m.date = 1710079500;
	m.size = 4300;
	m.from = (char *)from;
	m.to = (char *)"Bob <bob@example.org>";
	m.subject = (char *)subject;
	return m;
}

static void
row(struct buf *b, const struct msg_summary *m, const char *fmt,
    size_t width, bool sent)
{
	struct column	 c[MAX_COLUMNS];
	size_t		 n = format_columns(fmt, c, MAX_COLUMNS);

	buf_reset(b);
	format_row(b, m, c, n, width, NOW, sent);
}

static void
test_row_ascii(void **state)
{
	struct msg_summary m = summary("Ann <ann@example.net>", "Lunch?");
	struct buf	 b = BUF_INIT;

	(void)state;
	use_tz("UTC");
	row(&b, &m, "flags date from size subject", 60, false);
	assert_string_equal(buf_str(&b),
	    "N!   14:05      Ann <ann@example.ne…  4.2K Lunch?           ");
	row(&b, &m, "flags date from:21 size subject", 60, false);
	assert_string_equal(buf_str(&b),
	    "N!   14:05      Ann <ann@example.net>  4.2K Lunch?          ");
	/* In a Sent folder, the recipient. */
	row(&b, &m, "from:12", 12, true);
	assert_string_equal(buf_str(&b), "To Bob <bob…");
	buf_free(&b);
}

static void
test_row_wide_text_fits(void **state)
{
	static const char *const subjects[] = {
		"日本語のメールの件名はとても長いです",
		"📧📧 new mail 📧📧📧📧📧📧📧📧",
		"cafe\xcc\x81 re\xcc\x81sume\xcc\x81 na\xcc\x88ive",
		/* Split so that \x9b does not swallow the 31. */
		("\x1b]0;owned\x07\x1b[2Jbell\r\nnext\tline\xc2\x9b" "31m"),
		"\xff\xfe invalid \xc0\xaf bytes",
	};
	struct buf	 b = BUF_INIT;
	size_t		 i, w;

	(void)state;
	use_tz("UTC");
	for (i = 0; i < nitems(subjects); i++) {
		struct msg_summary m = summary("山田 太郎 <taro@example.jp>",
		    subjects[i]);

		for (w = 20; w <= 130; w += 7) {
			row(&b, &m, "flags date from:11 size subject", w,
			    false);
			assert_int_equal(utf8_width(buf_str(&b), b.len), w);
			assert_true(utf8_valid(b.data, b.len));
			assert_null(memchr(b.data, 0x1b, b.len));
			assert_null(memchr(b.data, '\r', b.len));
			assert_null(memchr(b.data, '\n', b.len));
			assert_null(strstr(b.data, "\xc2\x9b"));
		}
	}
	/* The from column is cut with an ellipsis, never half a character:
	 * 11 columns hold five wide ones and the ellipsis. */
	{
		struct msg_summary m = summary("山田太郎山田太郎", "x");

		row(&b, &m, "from:11", 11, false);
		assert_string_equal(buf_str(&b), "山田太郎山…");
		row(&b, &m, "from:10", 10, false);
		assert_string_equal(buf_str(&b), "山田太郎… ");
	}
	buf_free(&b);
}

static void
layout(int cols, int rows, enum layout lay, bool open,
    struct layout_out *o)
{
	struct layout_in in;

	in.rows = rows;
	in.cols = cols;
	in.folder_width = 24;
	in.layout = lay;
	in.pager_open = open;
	layout_compute(&in, o);
}

static void
test_layout(void **state)
{
	struct layout_out o;

	(void)state;
	layout(100, 30, LAYOUT_SPLIT, false, &o);
	assert_false(o.too_small);
	assert_int_equal(o.status.y, 28);
	assert_int_equal(o.message.y, 29);
	assert_int_equal(o.folders.w, 24);
	assert_int_equal(o.folders.h, 28);
	assert_int_equal(o.index.x, 25);
	assert_int_equal(o.index.w, 75);
	assert_int_equal(o.index.h + o.hline.h + o.pager.h, 28);
	assert_true(o.pager.h > o.index.h);
	layout(100, 30, LAYOUT_FULL, false, &o);
	assert_int_equal(o.index.h, 28);
	assert_int_equal(o.pager.h, 0);
	layout(100, 30, LAYOUT_FULL, true, &o);
	assert_int_equal(o.pager.h, 28);
	assert_int_equal(o.pager.w, 100);
	assert_int_equal(o.folders.h, 0);
	assert_int_equal(o.index.h, 0);
	/* The smallest that works, and the first sizes that do not. */
	layout(20, 5, LAYOUT_SPLIT, false, &o);
	assert_false(o.too_small);
	assert_true(o.index.h >= 1 && o.pager.h >= 1);
	assert_true(o.folders.w >= 1 && o.index.w >= 1);
	layout(19, 5, LAYOUT_SPLIT, false, &o);
	assert_true(o.too_small);
	layout(20, 4, LAYOUT_SPLIT, false, &o);
	assert_true(o.too_small);
	layout(400, 120, LAYOUT_SPLIT, true, &o);
	assert_int_equal(o.folders.w, 24);
	assert_int_equal(o.index.w, 375);
	assert_int_equal(o.index.h + o.hline.h + o.pager.h, 118);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_utc),
		cmocka_unit_test(test_dates_local),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_flags_and_counts),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_row_ascii),
		cmocka_unit_test(test_row_wide_text_fits),
		cmocka_unit_test(test_layout),
	};

	return cmocka_run_group_tests_name("ui_format", tests, NULL, NULL);
}

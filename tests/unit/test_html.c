/*
 * Unit tests: the built-in HTML to text converter (src/mail/html.c):
 * blocks, lists, quotes, pre, links as footnotes, entities, skipped
 * elements, broken markup, and hostile nesting in bounded time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quire/mail.h"
#include "unit.h"

#define FFFD "\xef\xbf\xbd"

static const struct {
	const char	*html;
	const char	*want;
} cases[] = {
	{ "", "" },
	{ "plain", "plain\n" },
	{ "  lots \n\t of   space  ", "lots of space\n" },
	{ "<p>one</p><p>two</p>", "one\n\ntwo\n" },
	{ "<P>upper</P><DIV>case</DIV>", "upper\n\ncase\n" },
	{ "<div>a</div><div>b</div>", "a\nb\n" },
	{ "a<br>b<br/><br />c", "a\nb\n\nc\n" },
	{ "<h1>Title</h1><h3>Sub</h3>text", "# Title\n\n### Sub\n\ntext\n" },
	{ "<ul><li>a</li><li>b<ul><li>c</li></ul></li><li>d</ul>",
	  "- a\n- b\n  - c\n- d\n" },
	{ "<ol><li>x<li>y<li>z</ol>", "1. x\n2. y\n3. z\n" },
	{ "<ol><li>x<ul><li>in</ul><li>y</ol>", "1. x\n  - in\n2. y\n" },
	{ "<blockquote>q<blockquote>qq</blockquote>back</blockquote>out",
	  "> q\n>\n> > qq\n>\n> back\n\nout\n" },
	{ "<pre>  keep\n    this  </pre>after",
	  "  keep\n    this  \n\nafter\n" },
	{ "<p>see <a href=\"http://a.example/\">A</a> and "
	  "<a href='http://b.example/?x=1&amp;y=2'>B</a></p>",
	  "see A[1] and B[2]\n\nLinks:\n[1] http://a.example/\n"
	  "[2] http://b.example/?x=1&y=2\n" },
	{ "<a href=\"#top\">top</a> <a href=\"javascript:x()\">js</a> "
	  "<a name=x>anchor</a>", "top js anchor\n" },
	{ "<a href=http://unquoted.example/>u</a>",
	  "u[1]\n\nLinks:\n[1] http://unquoted.example/\n" },
	{ "<a href=\"http://never.closed/\">open",
	  "open[1]\n\nLinks:\n[1] http://never.closed/\n" },
	/* Entities. */
	{ "&amp; &lt; &gt; &quot; &apos; &nbsp;|", "& < > \" '  |\n" },
	{ "&copy; &euro; &hellip; &mdash; &eacute;&Eacute;",
	  "\xc2\xa9 \xe2\x82\xac \xe2\x80\xa6 \xe2\x80\x94 "
	  "\xc3\xa9\xc3\x89\n" },
	{ "&#65;&#x42;&#X43;&#100 &#150;", "ABCd \xe2\x80\x93\n" },
	{ "&#0; &#xD800; &#x110000; &#99999999999;",
	  FFFD " " FFFD " " FFFD " " FFFD "\n" },
	{ "&unknown; &amp &lt3 & alone &#; &#x;",
	  "&unknown; & <3 & alone &#; &#x;\n" },
	{ "&eacute", "&eacute\n" },
	/* What is not text. */
	{ "<head><title>t</title><meta charset=x>head text</head>body",
	  "body\n" },
	{ "<script>if (a < b) alert('</p>')</script>x"
	  "<style>p{}</style>y<SCRIPT type=x>z</Script >w", "xyw\n" },
	{ "<script>never closed", "" },
	{ "<script>a</script", "" },
	{ "<style>a</styl", "" },
	{ "a<!-- <p>comment</p> -->b<!DOCTYPE html><?xml x?>c", "abc\n" },
	{ "a<!-- never closed", "a\n" },
	{ "<img src=x alt=\"[logo]\"> <img src=y>", "[logo]\n" },
	/* Broken markup. */
	{ "a < b > c", "a < b > c\n" },
	{ "1<2", "1<2\n" },
	{ "x <p class=\"a>b\">y", "x\n\ny\n" },
	{ "<b>unclosed <i>tags", "unclosed tags\n" },
	{ "</p></li></ul></blockquote>stray ends", "stray ends\n" },
	{ "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
	  "a b\nc\n" },
	{ "<p>text <span\n", "text\n" },
};

static void
test_table(void **state)
{
	struct buf	 out = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&out);
		mail_html_to_text(cases[i].html, strlen(cases[i].html), &out);
		if (strcmp(out.data, cases[i].want) != 0)
			print_error("case %zu: %s\n--- got\n%s--- want\n%s",
			    i, cases[i].html, out.data, cases[i].want);
		assert_string_equal(out.data, cases[i].want);
	}
	buf_free(&out);
}

/* Deep nesting is cheap and keeps working past the stack. */
static void
test_nesting(void **state)
{
	struct buf	 in = BUF_INIT, out = BUF_INIT;
	size_t		 i;
	clock_t		 t;

	(void)state;
	for (i = 0; i < 100000; i++)
		buf_addstr(&in, "<blockquote><ul><li><a href=x>");
	buf_addstr(&in, "deep");
	for (i = 0; i < 100000; i++)
		buf_addstr(&in, "</a></ul></blockquote>");
	buf_addstr(&in, "<p>after</p>");
	t = clock();
	mail_html_to_text(in.data, in.len, &out);
	t = clock() - t;
	print_message("# 100,000 nested levels (%zu bytes): %.1f ms, "
	    "%zu bytes out\n", in.len, (double)t * 1000 / CLOCKS_PER_SEC,
	    out.len);
	assert_true((double)t / CLOCKS_PER_SEC < 2.0);
	assert_non_null(strstr(out.data, "deep"));
	assert_non_null(strstr(out.data, "\nafter\n"));
	assert_true(out.len < in.len);
	buf_free(&in);
	buf_free(&out);
}

/* Appends to what is in out already. */
static void
test_appends(void **state)
{
	struct buf	 out = BUF_INIT;

	(void)state;
	buf_addstr(&out, "before|");
	mail_html_to_text("<p>x</p>", 8, &out);
	assert_string_equal(out.data, "before|x\n");
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_appends),
	};

	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}

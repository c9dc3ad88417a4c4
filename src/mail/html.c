/*
 * The built-in HTML to text converter, for when no html_filter is set (or
 * it fails). It is small and bounded rather than faithful: one pass over
 * the input, no tree, no recursion.
 *
 *   - script, style and the like are skipped to their end tag; text in
 *     head is dropped; comments and declarations vanish;
 *   - block elements become paragraphs (a blank line) or lines, br a line
 *     break, li a "- " or "1. " item indented by list depth, headings "# ",
 *     blockquote "> " per level, pre keeps its white space;
 *   - links keep their text and get a footnote "[1]", listed under
 *     "Links:" at the end;
 *   - entities are decoded: a common named set, &#NNN; and &#xHH; (invalid
 *     code points become U+FFFD); an unknown one is kept as written;
 *   - other white space runs collapse to one space.
 * Open elements that matter (lists, quotes, pre, links, headings) live in
 * a stack of HTML_STACK_MAX entries; deeper ones are counted, not kept, so
 * hostile nesting costs nothing. Output is capped at MAIL_RENDER_TEXT_MAX.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime_priv.h"

#define HTML_STACK_MAX	64
#define HTML_LINKS_MAX	1000
#define HTML_NAME_MAX	16

enum html_kind {
	HK_OTHER,
	HK_UL,
	HK_OL,
	HK_LI,
	HK_QUOTE,
	HK_PRE,
	HK_A,
	HK_HEADING,
};

struct html_elem {
	char		 name[HTML_NAME_MAX + 1];
	enum html_kind	 kind;
	unsigned	 count;		/* ol: items so far */
	char		*href;		/* a */
};

struct html_state {
	struct buf		*out;
	size_t			 start;		/* out->len at the start */
	unsigned		 breaks;	/* line ends owed: 1 or 2 */
	bool			 space;		/* a space owed */
	bool			 line_open;	/* text since the last LF */
	char			 lead[24];	/* bullet or "# " for the line */
	unsigned		 quotes, lists, pre, head;
	unsigned		 last_quotes;	/* of the last line */
	struct html_elem	 stack[HTML_STACK_MAX];
	size_t			 depth;
	size_t			 overflow;	/* open beyond the stack */
	struct ptrarray		 links;
};

static const struct {
	const char	*name;
	uint32_t	 cp;
} html_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "copy", 0xa9 },
	{ "reg", 0xae }, { "trade", 0x2122 }, { "hellip", 0x2026 },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "sbquo", 0x201a }, { "bdquo", 0x201e }, { "laquo", 0xab },
	{ "raquo", 0xbb }, { "bull", 0x2022 }, { "middot", 0xb7 },
	{ "euro", 0x20ac }, { "pound", 0xa3 }, { "yen", 0xa5 },
	{ "cent", 0xa2 }, { "deg", 0xb0 }, { "times", 0xd7 },
	{ "divide", 0xf7 }, { "sect", 0xa7 }, { "para", 0xb6 },
	{ "shy", 0xad }, { "zwnj", 0x200c }, { "zwj", 0x200d },
	{ "iexcl", 0xa1 }, { "iquest", 0xbf }, { "plusmn", 0xb1 },
	{ "frac12", 0xbd }, { "frac14", 0xbc }, { "frac34", 0xbe },
	{ "larr", 0x2190 }, { "rarr", 0x2192 }, { "uarr", 0x2191 },
	{ "darr", 0x2193 }, { "agrave", 0xe0 }, { "aacute", 0xe1 },
	{ "acirc", 0xe2 }, { "auml", 0xe4 }, { "aring", 0xe5 },
	{ "ccedil", 0xe7 }, { "egrave", 0xe8 }, { "eacute", 0xe9 },
	{ "ecirc", 0xea }, { "euml", 0xeb }, { "iacute", 0xed },
	{ "iuml", 0xef }, { "ntilde", 0xf1 }, { "oacute", 0xf3 },
	{ "ocirc", 0xf4 }, { "ouml", 0xf6 }, { "oslash", 0xf8 },
	{ "uacute", 0xfa }, { "uuml", 0xfc }, { "szlig", 0xdf },
	{ "Agrave", 0xc0 }, { "Aacute", 0xc1 }, { "Auml", 0xc4 },
	{ "Ccedil", 0xc7 }, { "Eacute", 0xc9 }, { "Ntilde", 0xd1 },
	{ "Ouml", 0xd6 }, { "Uuml", 0xdc },
};

/* Windows-1252 for &#128; to &#159;, as browsers read them. */
static const uint16_t html_c1[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static bool
html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
html_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
html_full(const struct html_state *st)
{
	return st->out->len - st->start >= MAIL_RENDER_TEXT_MAX;
}

/* The marks at the start of a line: quotes, list indent, then the lead. */
static void
html_line_start(struct html_state *st)
{
	unsigned	 i;

	for (i = 0; i < st->quotes; i++)
		buf_addstr(st->out, "> ");
	st->last_quotes = st->quotes;
	for (i = 1; i < st->lists; i++)
		buf_addstr(st->out, "  ");
	if (st->lead[0] != '\0')
		buf_addstr(st->out, st->lead);
	else if (st->lists > 0)
		buf_addstr(st->out, "  ");
	st->lead[0] = '\0';
	st->line_open = true;
}

/* A blank line between paragraphs, inside the quotes both share. */
static void
html_blank_line(struct html_state *st)
{
	unsigned	 i, q;

	q = st->quotes < st->last_quotes ? st->quotes : st->last_quotes;
	for (i = 0; i < q; i++)
		buf_addstr(st->out, i + 1 < q ? "> " : ">");
	buf_addch(st->out, '\n');
}

/* Write what is owed (line ends, a space) before text. */
static void
html_before_text(struct html_state *st)
{
	size_t		 have = 0, len = st->out->len;

	if (st->breaks > 0 && len > st->start) {
		while (have < len - st->start && have < 2 &&
		    st->out->data[len - 1 - have] == '\n')
			have++;
		if (have == 0)
			buf_addch(st->out, '\n');
		if (have < 2 && st->breaks == 2)
			html_blank_line(st);
		st->line_open = false;
	}
	st->breaks = 0;
	if (!st->line_open)
		html_line_start(st);
	else if (st->space)
		buf_addch(st->out, ' ');
	st->space = false;
}

/* One character of text (a code point as UTF-8); literal ones (from
 * entities, or in pre) are never collapsed. */
static void
html_put(struct html_state *st, const char *s, size_t n, bool literal)
{
	if (st->head > 0 || html_full(st))
		return;
	if (n == 1 && s[0] == '\n' && st->pre > 0) {
		buf_addch(st->out, '\n');
		st->line_open = false;
		return;
	}
	if (!literal && n == 1 && html_space(s[0])) {
		if (st->line_open)
			st->space = true;
		return;
	}
	html_before_text(st);
	buf_add(st->out, s, n);
}

static void
html_put_cp(struct html_state *st, uint32_t cp)
{
	char	 u[4];

	html_put(st, u, utf8_encode(cp, u), true);
}

/* Owe line ends: 1 a new line, 2 a blank line. */
static void
html_break(struct html_state *st, unsigned n)
{
	if (n == 0)
		return;
	if (st->breaks < n)
		st->breaks = n;
	st->space = false;
}

/* A numeric reference's code point, browsers' way. */
static uint32_t
html_number(uint32_t v, bool ok)
{
	if (!ok || v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return UTF8_REPLACEMENT;
	if (v >= 0x80 && v <= 0x9f)
		return html_c1[v - 0x80];
	return v;
}

/* "&#...;" at s; returns the bytes used, 0 if it is not one. */
static size_t
html_numeric(struct html_state *st, const char *s, size_t n)
{
	size_t		 i = 2, d = 0;
	uint32_t	 v = 0;
	bool		 hex = false, ok = true;
	int		 x;

	if (n > 2 && (s[2] == 'x' || s[2] == 'X')) {
		hex = true;
		i++;
	}
	for (; i < n; i++, d++) {
		if (s[i] >= '0' && s[i] <= '9')
			x = s[i] - '0';
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			x = s[i] - 'a' + 10;
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			x = s[i] - 'A' + 10;
		else
			break;
		if (v > 0x10ffff)
			ok = false;
		else
			v = v * (hex ? 16 : 10) + (uint32_t)x;
	}
	if (d == 0)
		return 0;
	html_put_cp(st, html_number(v, ok));
	return i < n && s[i] == ';' ? i + 1 : i;
}

/* An entity at s ('&'); returns the bytes used (the '&' alone when it is
 * not one, which is then kept as text). */
static size_t
html_entity(struct html_state *st, const char *s, size_t n)
{
	size_t	 i, k, len;

	if (n > 1 && s[1] == '#' && (i = html_numeric(st, s, n)) > 0)
		return i;
	for (i = 1; i < n && i <= 10 && (html_alpha(s[i]) ||
	    (s[i] >= '0' && s[i] <= '9')); i++)
		;
	for (k = 0; i < n && s[i] == ';' && k < nitems(html_entities); k++) {
		if (strlen(html_entities[k].name) == i - 1 &&
		    strncmp(html_entities[k].name, s + 1, i - 1) == 0) {
			html_put_cp(st, html_entities[k].cp);
			return i + 1;
		}
	}
	/* The old ones (the first six) also work without ';'. */
	for (k = 0; k < 6; k++) {
		len = strlen(html_entities[k].name);
		if (n > len && strncmp(html_entities[k].name, s + 1, len) == 0) {
			html_put_cp(st, html_entities[k].cp);
			return len + 1;
		}
	}
	html_put(st, "&", 1, true);
	return 1;
}

/* Append text with entities decoded to b (for attribute values). */
static void
html_attr_text(const char *s, size_t n, struct buf *b)
{
	struct html_state	 st;
	size_t			 i = 0;

	memset(&st, 0, sizeof st);
	st.out = b;
	st.start = b->len;
	st.line_open = true;
	while (i < n) {
		if (s[i] == '&')
			i += html_entity(&st, s + i, n - i);
		else
			buf_addch(b, s[i++]);
	}
}

/* The value of attribute name in a tag's attribute text, or NULL. */
static char *
html_attr(const char *s, size_t n, const char *name)
{
	struct buf	 v = BUF_INIT;
	size_t		 i = 0, k, len = strlen(name), vs;
	char		 q;

	while (i < n) {
		while (i < n && (html_space(s[i]) || s[i] == '/'))
			i++;
		for (k = i; i < n && !html_space(s[i]) && s[i] != '=' &&
		    s[i] != '/'; i++)
			;
		if (i == k)
			break;
		if (i - k == len && strncasecmp(s + k, name, len) == 0)
			k = SIZE_MAX;
		while (i < n && html_space(s[i]))
			i++;
		if (i >= n || s[i] != '=')
			continue;
		for (i++; i < n && html_space(s[i]); i++)
			;
		q = i < n && (s[i] == '"' || s[i] == '\'') ? s[i++] : '\0';
		for (vs = i; i < n && (q != '\0' ? s[i] != q :
		    !html_space(s[i])); i++)
			;
		if (k == SIZE_MAX) {
			html_attr_text(s + vs, i - vs, &v);
			buf_add(&v, "", 0);
			return buf_detach(&v);
		}
		if (q != '\0' && i < n)
			i++;
	}
	return NULL;
}

/* How each element shapes the text. */
static const struct {
	const char	*name;
	unsigned	 breaks;	/* before and after: 1 line, 2 paragraph */
	enum html_kind	 kind;
} html_tags[] = {
	{ "p", 2, HK_OTHER }, { "div", 1, HK_OTHER },
	{ "h1", 2, HK_HEADING }, { "h2", 2, HK_HEADING },
	{ "h3", 2, HK_HEADING }, { "h4", 2, HK_HEADING },
	{ "h5", 2, HK_HEADING }, { "h6", 2, HK_HEADING },
	{ "ul", 2, HK_UL }, { "ol", 2, HK_OL }, { "li", 1, HK_LI },
	{ "blockquote", 2, HK_QUOTE }, { "pre", 2, HK_PRE },
	{ "a", 0, HK_A }, { "table", 2, HK_OTHER }, { "tr", 1, HK_OTHER },
	{ "hr", 2, HK_OTHER }, { "dl", 2, HK_OTHER }, { "dt", 1, HK_OTHER },
	{ "dd", 1, HK_OTHER }, { "section", 1, HK_OTHER },
	{ "article", 1, HK_OTHER }, { "header", 1, HK_OTHER },
	{ "footer", 1, HK_OTHER }, { "nav", 1, HK_OTHER },
	{ "aside", 1, HK_OTHER }, { "main", 1, HK_OTHER },
	{ "form", 1, HK_OTHER }, { "fieldset", 1, HK_OTHER },
	{ "address", 2, HK_OTHER }, { "figure", 2, HK_OTHER },
	{ "figcaption", 1, HK_OTHER }, { "center", 1, HK_OTHER },
	{ "caption", 1, HK_OTHER },
};

/* Elements whose content is never text: skipped to their end tag. */
static const char *html_raw[] = {
	"script", "style", "title", "template", "svg", "object", "iframe",
};

static int
html_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(html_tags); i++) {
		if (strcmp(html_tags[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Close the top element of the stack. */
static void
html_pop(struct html_state *st)
{
	struct html_elem	*e = &st->stack[--st->depth];
	char			 note[16];

	switch (e->kind) {
	case HK_UL:
	case HK_OL:
		st->lists--;
		break;
	case HK_QUOTE:
		st->quotes--;
		break;
	case HK_PRE:
		st->pre--;
		break;
	case HK_A:
		if (e->href == NULL || st->links.len >= HTML_LINKS_MAX)
			break;
		ptrarray_push(&st->links, e->href);
		e->href = NULL;
		snprintf(note, sizeof note, "[%zu]", st->links.len);
		html_before_text(st);
		buf_addstr(st->out, note);
		break;
	default:
		break;
	}
	free(e->href);
	e->href = NULL;
}

/* A link worth a footnote: not a fragment, not script. */
static char *
html_href(const char *attrs, size_t n)
{
	char	*href = html_attr(attrs, n, "href");

	if (href != NULL && (href[0] == '\0' || href[0] == '#' ||
	    strncasecmp(href, "javascript:", 11) == 0)) {
		free(href);
		href = NULL;
	}
	return href;
}

/* The bullet of a new list item. */
static void
html_item(struct html_state *st)
{
	size_t	 i;

	for (i = st->depth; i > 0; i--) {
		if (st->stack[i - 1].kind == HK_OL) {
			snprintf(st->lead, sizeof st->lead, "%u. ",
			    ++st->stack[i - 1].count);
			return;
		}
		if (st->stack[i - 1].kind == HK_UL)
			break;
	}
	snprintf(st->lead, sizeof st->lead, "- ");
}

/* Push an element that matters to the structure. */
static void
html_push(struct html_state *st, const char *name, enum html_kind kind,
    const char *attrs, size_t n)
{
	struct html_elem	*e;

	if (st->depth == HTML_STACK_MAX) {
		st->overflow++;
		return;
	}
	e = &st->stack[st->depth++];
	memset(e, 0, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", name);
	e->kind = kind;
	if (kind == HK_UL || kind == HK_OL)
		st->lists++;
	else if (kind == HK_QUOTE)
		st->quotes++;
	else if (kind == HK_PRE)
		st->pre++;
	else if (kind == HK_A)
		e->href = html_href(attrs, n);
	else if (kind == HK_HEADING)
		snprintf(st->lead, sizeof st->lead, "%.*s ", name[1] - '0',
		    "######");
}

static void
html_start(struct html_state *st, const char *name, const char *attrs,
    size_t n)
{
	char	*alt;
	int	 t;

	if (strcmp(name, "head") == 0)
		st->head++;
	else if (strcmp(name, "body") == 0)
		st->head = 0;
	else if (strcmp(name, "br") == 0) {
		html_before_text(st);
		buf_addch(st->out, '\n');
		st->line_open = false;
	} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
		st->space = st->line_open;
	else if (strcmp(name, "img") == 0 &&
	    (alt = html_attr(attrs, n, "alt")) != NULL) {
		if (alt[0] != '\0')
			html_put(st, alt, strlen(alt), true);
		free(alt);
	}
	if ((t = html_find(name)) == -1)
		return;
	html_break(st, st->lists > 0 && html_tags[t].breaks == 2 &&
	    html_tags[t].kind != HK_QUOTE ? 1 : html_tags[t].breaks);
	if (html_tags[t].kind == HK_LI)
		html_item(st);
	else if (html_tags[t].kind != HK_OTHER)
		html_push(st, name, html_tags[t].kind, attrs, n);
}

static void
html_end(struct html_state *st, const char *name)
{
	size_t	 k;
	int	 t;

	if (strcmp(name, "head") == 0)
		st->head = 0;
	if ((t = html_find(name)) == -1)
		return;
	if (html_tags[t].kind != HK_OTHER && html_tags[t].kind != HK_LI) {
		for (k = st->depth; k > 0; k--) {
			if (strcmp(st->stack[k - 1].name, name) == 0)
				break;
		}
		if (k == 0 && st->overflow > 0)
			st->overflow--;
		while (k > 0 && st->depth >= k)
			html_pop(st);
	}
	html_break(st, st->lists > 0 && html_tags[t].breaks == 2 &&
	    html_tags[t].kind != HK_QUOTE ? 1 : html_tags[t].breaks);
}

/* Skip a raw-text element's content from i, past its end tag. */
static size_t
html_skip_raw(const char *s, size_t n, size_t i, const char *name)
{
	const char	*lt, *gt;
	size_t		 len = strlen(name);

	while (i < n && (lt = memchr(s + i, '<', n - i)) != NULL) {
		i = (size_t)(lt - s) + 1;
		if (i + 1 + len < n && s[i] == '/' &&
		    strncasecmp(s + i + 1, name, len) == 0 &&
		    !html_alpha(s[i + 1 + len])) {
			gt = memchr(s + i, '>', n - i);
			return gt != NULL ? (size_t)(gt - s) + 1 : n;
		}
	}
	return n;
}

/* The end of a tag from i (past its name): its '>' or n, quotes kept. */
static size_t
html_tag_end(const char *s, size_t n, size_t i)
{
	const char	*q;

	for (; i < n && s[i] != '>'; i++) {
		if (s[i] != '=')
			continue;
		while (i + 1 < n && html_space(s[i + 1]))
			i++;
		if (i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\'')) {
			q = memchr(s + i + 2, s[i + 1], n - i - 2);
			if (q == NULL)
				return n;
			i = (size_t)(q - s);
		}
	}
	return i;
}

/* A tag, comment or declaration at i ('<'); returns where text goes on. */
static size_t
html_tag(struct html_state *st, const char *s, size_t n, size_t i)
{
	char		 name[HTML_NAME_MAX + 1];
	const char	*e;
	size_t		 j, k = 0, end;
	bool		 closing;
	unsigned	 r;

	if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		e = memmem(s + i + 4, n - i - 4, "-->", 3);
		return e != NULL ? (size_t)(e - s) + 3 : n;
	}
	if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
		e = memchr(s + i, '>', n - i);
		return e != NULL ? (size_t)(e - s) + 1 : n;
	}
	closing = i + 1 < n && s[i + 1] == '/';
	j = i + 1 + closing;
	if (j >= n || !html_alpha(s[j])) {
		html_put(st, "<", 1, true);
		return i + 1;
	}
	for (; j < n && (html_alpha(s[j]) || (s[j] >= '0' && s[j] <= '9'));
	    j++) {
		if (k < HTML_NAME_MAX)
			name[k++] = (char)(s[j] | 0x20);
	}
	name[k] = '\0';
	end = html_tag_end(s, n, j);
	if (closing) {
		html_end(st, name);
		return end < n ? end + 1 : n;
	}
	html_start(st, name, s + j, end - j);
	for (r = 0; r < nitems(html_raw); r++) {
		if (strcmp(name, html_raw[r]) == 0)
			return html_skip_raw(s, n, end < n ? end + 1 : n, name);
	}
	return end < n ? end + 1 : n;
}

/* Trim the end, close what is open, and list the links. */
static void
html_finish(struct html_state *st)
{
	struct buf	*out = st->out;
	size_t		 i;

	while (st->depth > 0)
		html_pop(st);
	while (out->len > st->start && html_space(out->data[out->len - 1]))
		out->len--;
	buf_add(out, "", 0);
	if (st->links.len > 0) {
		if (out->len > st->start)
			buf_addstr(out, "\n\n");
		buf_addstr(out, "Links:");
		for (i = 0; i < st->links.len; i++)
			buf_printf(out, "\n[%zu] %s", i + 1,
			    (char *)st->links.items[i]);
	}
	if (out->len > st->start)
		buf_addch(out, '\n');
	ptrarray_free(&st->links, free);
}

/* Convert HTML (UTF-8) to text lines, appended to out. */
void
mail_html_to_text(const char *html, size_t n, struct buf *out)
{
	struct html_state	*st;
	size_t			 i = 0, j;

	st = xcalloc(1, sizeof *st);
	st->out = out;
	st->start = out->len;
	buf_add(out, "", 0);
	while (i < n && !html_full(st)) {
		if (html[i] == '<')
			i = html_tag(st, html, n, i);
		else if (html[i] == '&')
			i += html_entity(st, html + i, n - i);
		else if (html_space(html[i])) {
			html_put(st, html + i, 1, st->pre > 0);
			i++;
		} else {
			/* Runs are bounded, so the cap is checked often. */
			for (j = i; j < n && j - i < 4096 && html[j] != '<' &&
			    html[j] != '&' && !html_space(html[j]); j++)
				;
			html_put(st, html + i, j - i, false);
			i = j;
		}
	}
	html_finish(st);
	free(st);
}

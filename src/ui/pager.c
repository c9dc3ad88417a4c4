/*
 * pager: the message under the index cursor, as text the pane can show.
 *
 * Three stages, each redone only when its input changes:
 *
 *   the tree	IE_PARTS brings the message's MIME tree with the bodies
 *		its text needs; one IC_FETCH_PARTS is in flight at a time,
 *		so holding j down costs one fetch per pause, not one per row;
 *   the lines	mail_render() over the tree (the html_filter runs here),
 *		behind a header block: From, To, Cc, Date in local time and
 *		Subject from the summary, or with h every field of the
 *		fetched header. Every line is made safe here (safe_text,
 *		tabs expanded), so later stages handle only safe text;
 *   the rows	the lines wrapped at the pane's width, wide characters
 *		measured, at a space when one is near; only the rows on
 *		screen get their colour runs (quote level, URL, match).
 *
 * The rows index into the lines, and the lines own their text, so a
 * resize rewraps without rendering again.
 *
 * When IC_FETCH_PARTS fails online (a BODYSTRUCTURE libetpan cannot
 * read), the pager asks once for the whole message, capped at
 * PAGER_WHOLE_MAX, and the tree is then parsed from those bytes. Offline
 * the session answers IC_FETCH_PARTS from the body cache, or says why
 * not, and that text is shown.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pager.h"

#define PAGER_HTML_MAX	(8u * 1024 * 1024)	/* html_filter output */
#define PAGER_TAB	8
#define PAGER_WHOLE_MAX	(2u * 1024 * 1024)	/* the fallback's cap */

/* A logical line: safe text and its colour. */
struct pline {
	size_t		 off;		/* into pager->text */
	size_t		 len;
	enum color_elem	 ce;
	bool		 urls;		/* look for URLs in it */
};

/* A wrapped row: bytes start..end of line. */
struct wrow {
	size_t		 line;
	size_t		 start;
	size_t		 end;
};

struct pager {
	/* The message shown. */
	uint64_t		 generation;
	uint32_t		 uid;		/* 0: none */
	struct mail_part	*tree;		/* taken from IE_PARTS */
	bool			 loaded;
	char			*note;		/* IE_PARTS text: a part cut */
	char			*error;		/* the fetch failed: why */
	uint64_t		 parts_id;	/* IC_FETCH_PARTS in flight */
	uint32_t		 parts_uid;	/* ... for this message */
	uint64_t		 whole_id;	/* the fallback IC_FETCH_BODY */
	bool			 tried_whole;
	char			*raw;		/* its bytes: the tree points
						 * into them */

	/* What was rendered, and for which options. */
	struct mail_render	 r;
	bool			 rendered;
	bool			 stale;		/* the lines need rebuilding */
	bool			 all;		/* built with every header */
	bool			 has_body;	/* built with the tree */
	struct buf		 text;
	struct pline		*lines;
	size_t			 nlines, caplines;

	/* The lines wrapped at width. */
	size_t			 width;		/* 0: not wrapped */
	struct wrow		*rows;
	size_t			 nrows, caprows;

	/* Find in the message. */
	char			*find;
	size_t			 find_row;	/* the row of the last match */

	/* Mark read. */
	uint32_t		 read_uid;	/* marked (or left) already */
	int64_t			 read_due;	/* monotonic ms; 0 none */

	struct pager_attach	*att;
};

static int64_t
pager_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct pager *
pager_new(void)
{
	struct pager	*pg = xcalloc(1, sizeof *pg);

	pg->att = attach_new();
	pg->stale = true;
	return pg;
}

/* Forget the message: a new one (or none) is shown. */
static void
pager_clear(struct pager *pg)
{
	mail_part_free(&pg->tree);
	free(pg->raw);
	pg->raw = NULL;
	mail_render_free(&pg->r);
	free(pg->note);
	free(pg->error);
	pg->note = pg->error = NULL;
	pg->loaded = pg->rendered = false;
	pg->stale = true;
	pg->read_due = 0;
	pg->width = 0;
}

void
pager_free(struct pager **pgp)
{
	struct pager	*pg;

	if (pgp == NULL || (pg = *pgp) == NULL)
		return;
	pager_clear(pg);
	buf_free(&pg->text);
	free(pg->lines);
	free(pg->rows);
	free(pg->find);
	attach_free(&pg->att);
	free(pg);
	*pgp = NULL;
}

const struct mail_render *
pager_render(const struct ui_state *s)
{
	return s->pager->rendered ? &s->pager->r : NULL;
}

uint32_t
pager_uid(const struct ui_state *s)
{
	return s->pager->uid;
}

struct pager_attach *
pager_attach_state(struct ui_state *s)
{
	return s->pager->att;
}

/* ---- the lines ---- */

/* Add a line of untrusted text: made safe, tabs expanded. */
static void
line_add(struct pager *pg, const char *s, size_t n, enum color_elem ce,
    bool urls)
{
	struct buf	 safe = BUF_INIT;
	struct pline	*l;
	size_t		 i, col = 0, k;
	uint32_t	 cp;
	int		 w;

	safe_text(&safe, s, n, SAFE_KEEP_TAB);
	if (pg->nlines == pg->caplines) {
		pg->caplines = pg->caplines == 0 ? 256 : pg->caplines * 2;
		pg->lines = xreallocarray(pg->lines, pg->caplines,
		    sizeof *pg->lines);
	}
	l = &pg->lines[pg->nlines++];
	l->off = pg->text.len;
	l->ce = ce;
	l->urls = urls;
	for (i = 0; i < safe.len; i += k) {
		if (safe.data[i] == '\t') {
			do
				buf_addch(&pg->text, ' ');
			while (++col % PAGER_TAB != 0);
			k = 1;
			continue;
		}
		k = utf8_decode(safe.data + i, safe.len - i, &cp);
		buf_add(&pg->text, safe.data + i, k);
		w = utf8_cp_width(cp);
		col += w < 0 ? 1 : (size_t)w;
	}
	l->len = pg->text.len - l->off;
	buf_add(&pg->text, "", 0);
	buf_free(&safe);
}

static void
line_addstr(struct pager *pg, const char *s, enum color_elem ce)
{
	line_add(pg, s, strlen(s), ce, false);
}

/* One header field, unfolded, as "Name: decoded value". */
static void
header_flush(struct ui_state *s, struct buf *field)
{
	struct buf	 line = BUF_INIT;
	const char	*colon, *end;

	if (field->len == 0)
		return;			/* its data may be NULL: no arithmetic */
	end = field->data + field->len;
	if ((colon = memchr(field->data, ':', field->len)) == NULL)
		colon = end;
	buf_add(&line, field->data, (size_t)(colon - field->data));
	buf_addch(&line, ':');
	if (colon < end) {
		for (colon++; colon < end && (*colon == ' ' || *colon == '\t');
		    colon++)
			;
		buf_addch(&line, ' ');
		mail_decode_header(colon, (size_t)(end - colon),
		    s->cfg->opt.fallback_charset, &line);
	}
	line_add(s->pager, line.data, line.len, CE_PAGER_HEADER, false);
	buf_reset(field);
	buf_free(&line);
}

/* Every field of the fetched header, in order. */
static void
lines_all_headers(struct ui_state *s, const char *h, size_t n)
{
	struct buf	 field = BUF_INIT;
	size_t		 i = 0, e, len;

	while (i < n) {
		for (e = i; e < n && h[e] != '\n'; e++)
			;
		len = e - i - (e > i && h[e - 1] == '\r');
		if (len == 0)
			break;			/* the blank line: the end */
		if (h[i] == ' ' || h[i] == '\t') {
			if (field.len > 0 && field.len < MAIL_HEADER_MAX)
				buf_add(&field, h + i, len);
		} else {
			header_flush(s, &field);
			buf_add(&field, h + i, len);
		}
		i = e + 1;
	}
	header_flush(s, &field);
	buf_free(&field);
}

/* The header block: the summary's fields, or with h every field. */
static void
lines_headers(struct ui_state *s)
{
	struct pager	*pg = s->pager;
	struct buf	*hl;
	size_t		 n, i;

	if (s->pager_all && pg->tree != NULL && pg->tree->header != NULL) {
		lines_all_headers(s, pg->tree->header, pg->tree->header_len);
		return;
	}
	/* ui_pager_lines() makes its lines safe already. */
	n = ui_pager_lines(s, &hl);
	for (i = 0; i < n; i++) {
		line_add(pg, hl[i].data != NULL ? hl[i].data : "", hl[i].len,
		    CE_PAGER_HEADER, false);
		buf_free(&hl[i]);
	}
	free(hl);
}

static enum color_elem
line_color(const struct mail_line *l)
{
	switch (l->kind) {
	case ML_HEADER:
		return CE_PAGER_HEADER;
	case ML_QUOTE:
		return l->quote <= 1 ? CE_PAGER_QUOTE1 : l->quote == 2 ?
		    CE_PAGER_QUOTE2 : CE_PAGER_QUOTE3;
	case ML_NOTICE:
	case ML_ATTACHMENT:
		return CE_PAGER_MARKER;
	default:
		return CE_PAGER;
	}
}

/* The user's html_filter, for mail_render(). */
static int
pager_html_filter(void *arg, const char *html, size_t n, struct buf *out)
{
	const struct ui_state *s = arg;

	if (extern_filter(s->cfg->opt.html_filter, html, n, EXTERN_FILTER_MS,
	    PAGER_HTML_MAX, out) == 0 && out->len > 0)
		return 0;
	log_info("html_filter failed; the built-in converter is used");
	buf_reset(out);
	return -1;
}

static void
pager_do_render(struct ui_state *s)
{
	struct pager		*pg = s->pager;
	struct mail_render_opts	 o;

	memset(&o, 0, sizeof o);
	o.fallback_charset = s->cfg->opt.fallback_charset;
	o.prefer_html = s->cfg->opt.prefer == PREFER_HTML;
	if (s->cfg->opt.html_filter != NULL && *s->cfg->opt.html_filter != '\0') {
		o.html_filter = pager_html_filter;
		o.html_arg = s;
	}
	mail_render_free(&pg->r);
	mail_render(pg->tree, &o, &pg->r);
	pg->rendered = true;
}

/* Build the lines again from the tree and the options. */
static void
pager_build(struct ui_state *s)
{
	struct pager	*pg = s->pager;
	size_t		 i;

	buf_reset(&pg->text);
	pg->nlines = 0;
	pg->width = 0;
	pg->all = s->pager_all;
	pg->has_body = pg->loaded;
	pg->stale = false;
	if (pg->uid == 0 && !s->m.results_on)
		return;
	lines_headers(s);
	line_addstr(pg, "", CE_PAGER);
	if (s->m.results_on) {
		line_addstr(pg, "[Enter opens the message in its folder]",
		    CE_PAGER_MARKER);
		return;
	}
	if (!pg->loaded) {
		if (pg->error != NULL) {
			line_addstr(pg, "[The message could not be shown:",
			    CE_PAGER_MARKER);
			line_add(pg, pg->error, strlen(pg->error),
			    CE_PAGER_MARKER, false);
			line_addstr(pg, "]", CE_PAGER_MARKER);
		} else
			line_addstr(pg, s->has_session ? "[Loading the "
			    "message...]" : "[The message is not here: quire "
			    "is offline]", CE_PAGER_MARKER);
		return;
	}
	if (!pg->rendered)
		pager_do_render(s);
	for (i = 0; i < pg->r.nlines; i++)
		line_add(pg, pg->r.lines[i].text, pg->r.lines[i].len,
		    line_color(&pg->r.lines[i]),
		    pg->r.lines[i].kind == ML_BODY ||
		    pg->r.lines[i].kind == ML_QUOTE);
	if (pg->note != NULL)
		line_add(pg, pg->note, strlen(pg->note), CE_PAGER_MARKER,
		    false);
}

/* ---- wrapping ---- */

static void
row_add(struct pager *pg, size_t line, size_t start, size_t end)
{
	if (pg->nrows == pg->caprows) {
		pg->caprows = pg->caprows == 0 ? 256 : pg->caprows * 2;
		pg->rows = xreallocarray(pg->rows, pg->caprows,
		    sizeof *pg->rows);
	}
	pg->rows[pg->nrows++] = (struct wrow){ line, start, end };
}

/* Wrap one line: break at the last space that fits, else where the
 * width runs out; a wide character never straddles the edge. */
static void
wrap_line(struct pager *pg, size_t li, size_t width)
{
	const struct pline *l = &pg->lines[li];
	const char	*t = pg->text.data + l->off;
	size_t		 start = 0, i = 0, col = 0, space = 0, k, cw;
	uint32_t	 cp;
	int		 w;

	if (l->len == 0) {
		row_add(pg, li, 0, 0);
		return;
	}
	while (i < l->len) {
		k = utf8_decode(t + i, l->len - i, &cp);
		w = utf8_cp_width(cp);
		cw = w < 0 ? 1 : (size_t)w;
		if (col + cw > width && i > start) {
			if (space > start && cp != ' ') {
				row_add(pg, li, start, space);
				i = start = space;
			} else
				row_add(pg, li, start, i);
			start = i;
			/* A space at a break is eaten. */
			if (t[i] == ' ' && i + 1 < l->len)
				start = ++i;
			col = 0;
			space = start;
			continue;
		}
		col += cw;
		i += k;
		if (cp == ' ')
			space = i;
	}
	row_add(pg, li, start, l->len);
}

static void
pager_wrap(struct pager *pg, size_t width)
{
	size_t	 i;

	if (width == 0)
		width = 1;
	if (pg->width == width)
		return;
	pg->nrows = 0;
	for (i = 0; i < pg->nlines; i++)
		wrap_line(pg, i, width);
	pg->width = width;
}

/* ---- colour runs ---- */

static bool
url_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && strchr("<>\"'`{}|\\^", c) == NULL;
}

/* The next URL in t[from..n): http://, https:// or mailto: runs. */
static bool
url_next(const char *t, size_t n, size_t from, size_t *a, size_t *b)
{
	static const char *const schemes[] = { "https://", "http://",
	    "mailto:" };
	size_t	 i, k, len, e;

	for (i = from; i < n; i++) {
		if (t[i] != 'h' && t[i] != 'H' && t[i] != 'm' && t[i] != 'M')
			continue;
		if (i > 0 && (unsigned char)t[i - 1] < 0x80 &&
		    (t[i - 1] == '_' || (t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
		    (t[i - 1] >= 'A' && t[i - 1] <= 'Z')))
			continue;
		for (k = 0; k < nitems(schemes); k++) {
			len = strlen(schemes[k]);
			if (n - i > len && strncasecmp(t + i, schemes[k],
			    len) == 0 && url_char((unsigned char)t[i + len]))
				break;
		}
		if (k == nitems(schemes))
			continue;
		for (e = i + len; e < n && url_char((unsigned char)t[e]); e++)
			;
		/* Sentence punctuation after a URL is not part of it. */
		while (e > i + len && strchr(".,;:!?)]", t[e - 1]) != NULL)
			e--;
		*a = i;
		*b = e;
		return true;
	}
	return false;
}

/* Case-insensitive (ASCII) find of pat in t[from..n). */
static bool
find_next(const char *t, size_t n, size_t from, const char *pat, size_t *a)
{
	size_t	 m = strlen(pat), i;

	if (m == 0 || n < m)
		return false;
	for (i = from; i + m <= n; i++)
		if (strncasecmp(t + i, pat, m) == 0) {
			*a = i;
			return true;
		}
	return false;
}

void
pager_row_seg(struct pager_row *r, size_t off, size_t len, enum color_elem ce)
{
	if (len == 0)
		return;
	if (r->nsegs > 0 && r->segs[r->nsegs - 1].ce == ce &&
	    r->segs[r->nsegs - 1].off + r->segs[r->nsegs - 1].len == off) {
		r->segs[r->nsegs - 1].len += len;
		return;
	}
	if (r->nsegs == r->capsegs) {
		r->capsegs = r->capsegs == 0 ? 4 : r->capsegs * 2;
		r->segs = xreallocarray(r->segs, r->capsegs, sizeof *r->segs);
	}
	r->segs[r->nsegs++] = (struct pager_seg){ off, len, ce };
}

/* Mark bytes a..b of the line (clipped to the row) as ce in map. */
static void
mark(uint8_t *map, size_t start, size_t end, size_t a, size_t b,
    enum color_elem ce)
{
	size_t	 i;

	if (a < start)
		a = start;
	if (b > end)
		b = end;
	for (i = a; i < b; i++)
		map[i - start] = (uint8_t)ce;
}

/* The row's text and runs: its line's colour, URLs, then matches. */
static void
row_fill(const struct pager *pg, const struct wrow *w, struct pager_row *r)
{
	const struct pline *l = &pg->lines[w->line];
	const char	*t = pg->text.data + l->off;
	size_t		 n = w->end - w->start, a, b, i, run;
	uint8_t		*map;

	buf_add(&r->text, t + w->start, n);
	buf_add(&r->text, "", 0);
	if (n == 0)
		return;
	map = xmalloc(n);
	memset(map, l->ce, n);
	for (a = 0; l->urls && url_next(t, l->len, a, &a, &b); a = b)
		if (b > w->start && a < w->end)
			mark(map, w->start, w->end, a, b, CE_PAGER_URL);
		else if (a >= w->end)
			break;
	if (pg->find != NULL)
		for (a = 0; find_next(t, l->len, a, pg->find, &a);
		    a += strlen(pg->find))
			mark(map, w->start, w->end, a, a + strlen(pg->find),
			    CE_PAGER_MATCH);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && map[i + run] == map[i]; run++)
			;
		pager_row_seg(r, i, run, (enum color_elem)map[i]);
	}
	free(map);
}

size_t
pager_rows(struct ui_state *s, size_t width, size_t height,
    struct pager_row **rows)
{
	struct pager	*pg = s->pager;
	size_t		 i, n;

	*rows = height > 0 ? xcalloc(height, sizeof **rows) : NULL;
	if (height == 0)
		return 0;
	if (pager_list(s) != NULL)
		return attach_rows(s, width, height, *rows);
	if (pg->stale || pg->all != s->pager_all || pg->has_body != pg->loaded)
		pager_build(s);
	pager_wrap(pg, width);
	/* Scroll no further than a last page that is full. */
	if (s->pager_top + height > pg->nrows)
		s->pager_top = pg->nrows > height ? pg->nrows - height : 0;
	for (i = 0, n = 0; i < height && s->pager_top + i < pg->nrows; i++)
		row_fill(pg, &pg->rows[s->pager_top + i], &(*rows)[n++]);
	return n;
}

void
pager_rows_free(struct pager_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		buf_free(&rows[i].text);
		free(rows[i].segs);
	}
	free(rows);
}

/* ---- find ---- */

/* The first row at or after from (wrapping around) whose line holds a
 * match that starts in it; false when none does. */
static bool
find_row(struct pager *pg, size_t from, size_t *out)
{
	const struct wrow *w;
	const struct pline *l;
	size_t		 k, r, a;

	for (k = 0; k < pg->nrows; k++) {
		r = (from + k) % pg->nrows;
		w = &pg->rows[r];
		l = &pg->lines[w->line];
		if (find_next(pg->text.data + l->off, w->end, w->start,
		    pg->find, &a)) {
			*out = r;
			return true;
		}
	}
	return false;
}

static void
find_go(struct ui_state *s, size_t from)
{
	struct pager	*pg = s->pager;
	size_t		 r;

	if (pg->stale || pg->all != s->pager_all || pg->has_body != pg->loaded)
		pager_build(s);
	pager_wrap(pg, pg->width != 0 ? pg->width : 80);
	if (!find_row(pg, from, &r)) {
		model_message(&s->m, true, "Not found in the message: %s",
		    pg->find);
		return;
	}
	if (r < from)
		model_message(&s->m, false, "Search wrapped to the top");
	pg->find_row = r;
	/* The match two rows down from the top, for some context. */
	s->pager_top = r > 2 ? r - 2 : 0;
}

void
pager_find_start(struct ui_state *s)
{
	prompt_free(&s->prompt);
	prompt_init(&s->prompt, "");
	s->pkind = PK_FIND;
	s->mode = MODE_PROMPT;
	s->dirty |= DIRTY_MESSAGE;
}

void
pager_op_search_next(struct ui_state *s)
{
	struct pager	*pg = s->pager;

	s->dirty |= DIRTY_PAGER | DIRTY_MESSAGE;
	if (pg->find == NULL) {
		model_message(&s->m, true, "Nothing to find yet: / asks what");
		return;
	}
	find_go(s, pg->find_row + 1);
}

void
pager_prompt_done(struct ui_state *s, enum prompt_kind k, const char *text)
{
	struct pager	*pg = s->pager;

	s->dirty |= DIRTY_PAGER | DIRTY_MESSAGE;
	if (k != PK_FIND) {
		pager_prompt_done_attach(s, k, text);
		return;
	}
	free(pg->find);
	pg->find = NULL;
	if (*text == '\0')
		return;			/* an empty text clears the marks */
	pg->find = xstrdup(text);
	find_go(s, s->pager_top);
}

/* ---- following the cursor ---- */

static void
pager_fetch(struct ui_state *s, const struct ui_row *r)
{
	struct imap_cmd	*cmd;

	cmd = imap_cmd_new(IC_FETCH_PARTS);
	cmd->folder = xstrdup(s->m.folder);
	cmd->uidvalidity = r->uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = r->m.uid;
	cmd->nuids = 1;
	cmd->prefer_html = s->cfg->opt.prefer == PREFER_HTML;
	s->pager->parts_uid = r->m.uid;
	s->pager->parts_id = model_send(&s->m, cmd);
}

/* The whole message, capped: after IC_FETCH_PARTS failed. */
static void
pager_fetch_whole(struct ui_state *s)
{
	struct pager	*pg = s->pager;
	struct ui_row	*r = model_row_by_uid(&s->m, pg->uid);
	struct imap_cmd	*cmd;

	pg->tried_whole = true;
	if (r == NULL || s->m.folder == NULL)
		return;
	cmd = imap_cmd_new(IC_FETCH_BODY);
	cmd->folder = xstrdup(s->m.folder);
	cmd->uidvalidity = r->uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = r->m.uid;
	cmd->nuids = 1;
	cmd->max_bytes = PAGER_WHOLE_MAX;
	pg->whole_id = model_send(&s->m, cmd);
}

/* mark_read: at once, after its delay while still shown, or never. */
static void
pager_mark_read(struct ui_state *s, struct ui_row *r, bool opened)
{
	struct pager	*pg = s->pager;
	int		 delay = s->cfg->opt.mark_read_delay;
	int64_t		 now;

	if (!opened || !pg->loaded || r == NULL) {
		pg->read_due = 0;
		return;
	}
	if (delay < 0 || pg->read_uid == r->m.uid)
		return;
	if (r->m.flags & MF_SEEN) {
		/* Read already: N later must not be undone by us. */
		pg->read_uid = r->m.uid;
		return;
	}
	now = pager_clock();
	if (delay > 0 && pg->read_due == 0)
		pg->read_due = now + (int64_t)delay * 1000;
	if (delay > 0 && now < pg->read_due)
		return;
	pg->read_due = 0;
	pg->read_uid = r->m.uid;
	model_set_flags(&s->m, r, MF_SEEN, 0);
	s->dirty |= DIRTY_INDEX | DIRTY_STATUS | DIRTY_FOLDERS;
}

unsigned
pager_sync(struct ui_state *s)
{
	struct pager	*pg = s->pager;
	struct ui_row	*r = s->m.results_on ? NULL : model_cursor_row(&s->m);
	uint32_t	 uid = r != NULL ? r->m.uid : 0;
	bool		 shown = s->layout == LAYOUT_SPLIT || s->pager_open;
	bool		 opened = s->pager_open || s->focus == PANE_PAGER;
	unsigned	 before = s->dirty;

	if (uid != pg->uid || s->m.generation != pg->generation) {
		pager_clear(pg);
		attach_reset(s);
		pg->uid = uid;
		pg->generation = s->m.generation;
		pg->read_uid = 0;
		pg->tried_whole = false;
		s->dirty |= DIRTY_PAGER;
	}
	/* A result of all folders shows its header block only: cheap to
	 * build again as the results' cursor moves. */
	if (s->m.results_on)
		pg->stale = true;
	if (r != NULL && shown && !pg->loaded && pg->error == NULL &&
	    pg->parts_id == 0 && pg->whole_id == 0 && !pg->tried_whole &&
	    s->has_session && s->m.folder != NULL)
		pager_fetch(s, r);
	pager_mark_read(s, r, opened && shown);
	return s->dirty & ~before;
}

int
pager_timeout(const struct ui_state *s)
{
	int64_t	 left;

	if (s->pager->read_due == 0)
		return -1;
	left = s->pager->read_due - pager_clock();
	return left <= 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

/* The fallback's answer: the tree parsed from the message's bytes. */
static void
pager_whole_event(struct ui_state *s, struct imap_event *ev)
{
	struct pager	*pg = s->pager;

	if (ev->type == IE_DONE) {
		pg->whole_id = 0;
		if (!ev->ok && !pg->loaded) {
			free(pg->error);
			pg->error = xstrdup(ev->text != NULL ? ev->text :
			    "no reason given");
		}
	} else if (ev->type == IE_BODY && ev->uid == pg->uid &&
	    ev->generation == pg->generation && ev->data != NULL) {
		pager_clear(pg);
		pg->raw = ev->data;
		ev->data = NULL;
		pg->tree = mail_mime_parse(pg->raw, ev->len,
		    s->cfg->opt.fallback_charset);
		pg->loaded = true;
		pg->note = ev->text != NULL ? xstrdup(ev->text) : NULL;
	}
	pg->stale = true;
	s->dirty |= DIRTY_PAGER;
}

void
pager_event(struct ui_state *s, struct imap_event *ev)
{
	struct pager	*pg = s->pager;

	if (attach_event(s, ev))
		return;
	if (ev->id != 0 && ev->id == pg->whole_id) {
		pager_whole_event(s, ev);
		return;
	}
	if (ev->id == 0 || ev->id != pg->parts_id)
		return;
	switch (ev->type) {
	case IE_PARTS:
		if (ev->uid != pg->uid || ev->generation != pg->generation ||
		    ev->parts == NULL)
			break;
		pager_clear(pg);
		pg->tree = ev->parts;
		ev->parts = NULL;
		pg->loaded = true;
		pg->note = ev->text != NULL ? xstrdup(ev->text) : NULL;
		s->dirty |= DIRTY_PAGER;
		break;
	case IE_DONE:
		pg->parts_id = 0;
		if (ev->ok || pg->loaded || pg->parts_uid != pg->uid ||
		    ev->generation != pg->generation)
			break;
		/* A structure that could not be read: the whole message
		 * once, capped. Offline the session has looked in the body
		 * cache already, and says why it cannot help. */
		if (!pg->tried_whole && (s->m.state == CS_ONLINE ||
		    s->m.state == CS_SYNCING)) {
			pager_fetch_whole(s);
			if (pg->whole_id != 0)
				break;
		}
		free(pg->error);
		pg->error = xstrdup(ev->text != NULL ? ev->text :
		    "no reason given");
		pg->stale = true;
		s->dirty |= DIRTY_PAGER;
		break;
	default:
		break;
	}
}

/*
 * format: the text of the screen as pure functions.
 *
 * Dates, sizes, flag columns, whole index rows and the pane layout are
 * computed here from plain values, so the tests pin them down with a fixed
 * "now" and TZ and no terminal. Every string that came from a server or a
 * message passes through safe_text() before utf8_fit() measures it: wide
 * characters keep the columns aligned and a long field ends in "…".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_priv.h"

static const char *const month_names[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const day_names[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

static const struct {
	const char	*name;
	enum col_kind	 kind;
	size_t		 width;		/* default; 0 takes the rest */
} column_defs[] = {
	{ "flags", COL_FLAGS, 4 },
	{ "date", COL_DATE, 10 },
	{ "from", COL_FROM, 20 },
	{ "to", COL_TO, 20 },
	{ "size", COL_SIZE, 5 },
	{ "subject", COL_SUBJECT, 0 },
};

size_t
format_columns(const char *spec, struct column *cols, size_t max)
{
	char	*copy, *rest, *w, *colon;
	size_t	 n = 0, i;
	long	 width;

	rest = copy = xstrdup(spec != NULL ? spec : "");
	while (n < max && (w = str_next_word(&rest)) != NULL) {
		if ((colon = strchr(w, ':')) != NULL)
			*colon++ = '\0';
		for (i = 0; i < nitems(column_defs); i++) {
			if (strcmp(column_defs[i].name, w) == 0)
				break;
		}
		if (i == nitems(column_defs))
			continue;
		cols[n].kind = column_defs[i].kind;
		cols[n].width = column_defs[i].width;
		if (colon != NULL && str_to_long(colon, 1, 200, &width))
			cols[n].width = (size_t)width;
		n++;
	}
	free(copy);
	return n;
}

void
format_date(struct buf *out, int64_t t, time_t now)
{
	struct tm	 tm, tn;
	time_t		 tt = (time_t)t;

	if (t == 0 || localtime_r(&tt, &tm) == NULL ||
	    localtime_r(&now, &tn) == NULL)
		return;
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		buf_printf(out, "%02d:%02d", tm.tm_hour, tm.tm_min);
	else if (tm.tm_year == tn.tm_year)
		buf_printf(out, "%s %02d", month_names[tm.tm_mon], tm.tm_mday);
	else
		buf_printf(out, "%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
}

void
format_date_long(struct buf *out, int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	long		 off;

	if (t == 0 || localtime_r(&tt, &tm) == NULL) {
		buf_addstr(out, "(unknown)");
		return;
	}
	off = tm.tm_gmtoff / 60;
	buf_printf(out, "%s, %02d %s %04d %02d:%02d %c%02ld%02ld",
	    day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, off < 0 ? '-' : '+',
	    (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
}

void
format_size(struct buf *out, uint64_t bytes)
{
	static const char units[] = "KMGT";
	double		 v = (double)bytes;
	size_t		 u;

	if (bytes < 1024) {
		buf_printf(out, "%u", (unsigned)bytes);
		return;
	}
	for (u = 0; u < sizeof units - 1; u++) {
		v /= 1024.0;
		/* 9.96K would print as "10.0K": use the whole form. */
		if (v < 9.95) {
			buf_printf(out, "%.1f%c", v, units[u]);
			return;
		}
		if (v < 1023.5 || u == sizeof units - 2) {
			buf_printf(out, "%.0f%c", v, units[u]);
			return;
		}
	}
}

void
format_flags(struct buf *out, uint32_t flags)
{
	char	 f[5];

	f[0] = (flags & MF_DELETED) ? 'D' : !(flags & MF_SEEN) ? 'N' : ' ';
	f[1] = (flags & MF_FLAGGED) ? '!' : ' ';
	f[2] = (flags & MF_ANSWERED) ? 'r' : ' ';
	f[3] = (flags & MF_ATTACHMENT) ? '@' : ' ';
	f[4] = '\0';
	buf_addstr(out, f);
}

void
format_count(struct buf *out, uint64_t n)
{
	char	 digits[32];
	size_t	 len, i;

	len = (size_t)snprintf(digits, sizeof digits, "%llu",
	    (unsigned long long)n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addch(out, ',');
		buf_addch(out, digits[i]);
	}
}

void
format_fit(struct buf *out, const char *s, size_t cols)
{
	struct buf	 safe = BUF_INIT;

	if (s != NULL)
		safe_text(&safe, s, strlen(s), 0);
	utf8_fit(out, buf_str(&safe), safe.len, cols, true);
	buf_free(&safe);
}

/* Right-align short text (a size) in cols columns. */
static void
format_right(struct buf *out, const char *s, size_t cols)
{
	size_t	 w = utf8_width(s, strlen(s)), pad = 0;

	for (pad = 0; w + pad < cols; pad++)
		buf_addch(out, ' ');
	utf8_fit(out, s, strlen(s), cols - pad, true);
}

/* The text of one cell, before fitting. */
static void
format_cell(struct buf *cell, const struct msg_summary *m,
    enum col_kind kind, time_t now, bool sent)
{
	switch (kind) {
	case COL_FLAGS:
		format_flags(cell, m->flags);
		break;
	case COL_DATE:
		format_date(cell, m->date != 0 ? m->date : m->internal_date,
		    now);
		break;
	case COL_FROM:
		if (sent) {
			buf_addstr(cell, "To ");
			safe_text(cell, m->to != NULL ? m->to : "",
			    m->to != NULL ? strlen(m->to) : 0, 0);
			break;
		}
		/* FALLTHROUGH */
	case COL_TO:
	case COL_SUBJECT: {
		const char *s = kind == COL_FROM ? m->from :
		    kind == COL_TO ? m->to : m->subject;

		if (s != NULL)
			safe_text(cell, s, strlen(s), 0);
		break;
	}
	case COL_SIZE:
		format_size(cell, m->size);
		break;
	}
}

/* The width of the flexible column: what the fixed ones leave. */
static size_t
format_flex(const struct column *cols, size_t ncols, size_t width)
{
	size_t	 used = 0, i;

	for (i = 0; i < ncols; i++)
		used += cols[i].width + (i > 0 ? 1 : 0);
	return used < width ? width - used : 0;
}

void
format_row(struct buf *out, const struct msg_summary *m,
    const struct column *cols, size_t ncols, size_t width, time_t now,
    bool sent)
{
	struct buf	 cell = BUF_INIT, line = BUF_INIT;
	size_t		 flex = format_flex(cols, ncols, width), i, w;
	bool		 flexed = false;

	for (i = 0; i < ncols; i++) {
		w = cols[i].width;
		if (w == 0 && !flexed) {
			w = flex;
			flexed = true;
		}
		if (i > 0)
			buf_addch(&line, ' ');
		buf_reset(&cell);
		format_cell(&cell, m, cols[i].kind, now, sent);
		if (cols[i].kind == COL_SIZE)
			format_right(&line, buf_str(&cell), w);
		else
			utf8_fit(&line, buf_str(&cell), cell.len, w, true);
	}
	/* The row is exactly width columns, whatever the columns add to. */
	utf8_fit(out, buf_str(&line), line.len, width, true);
	buf_free(&cell);
	buf_free(&line);
}

/* Split the right-hand area between the index and the pager. */
static void
layout_right(const struct layout_in *in, struct layout_out *o, int x,
    int w, int h)
{
	int	 ih;

	if (in->layout == LAYOUT_FULL) {
		if (in->pager_open)
			o->pager = (struct rect){ 0, 0, h, in->cols };
		else
			o->index = (struct rect){ 0, x, h, w };
		return;
	}
	/* Split: the index gets a third, at least one row; a rule between. */
	ih = h / 3;
	if (ih < 1)
		ih = 1;
	if (h - ih - 1 < 1) {
		o->index = (struct rect){ 0, x, h, w };
		return;
	}
	o->index = (struct rect){ 0, x, ih, w };
	o->hline = (struct rect){ ih, x, 1, w };
	o->pager = (struct rect){ ih + 1, x, h - ih - 1, w };
}

void
layout_compute(const struct layout_in *in, struct layout_out *o)
{
	int	 fw, h;

	memset(o, 0, sizeof *o);
	if (in->cols < MIN_COLS || in->rows < MIN_ROWS) {
		o->too_small = true;
		return;
	}
	h = in->rows - 2;
	o->status = (struct rect){ in->rows - 2, 0, 1, in->cols };
	o->message = (struct rect){ in->rows - 1, 0, 1, in->cols };
	fw = in->folder_width;
	if (fw > in->cols / 3)
		fw = in->cols / 3;
	if (in->layout == LAYOUT_FULL && in->pager_open) {
		layout_right(in, o, 0, in->cols, h);
		return;
	}
	o->folders = (struct rect){ 0, 0, h, fw };
	o->vline = (struct rect){ 0, fw, h, 1 };
	layout_right(in, o, fw + 1, in->cols - fw - 1, h);
}

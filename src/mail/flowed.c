/*
 * Plain text into lines: quote levels, and format=flowed (RFC 3676).
 *
 * A flowed line ends in a space: it joins the next line of the same quote
 * depth into one paragraph, which the pager wraps at the pane's width.
 * Space-stuffing (one space after the quote marks) is removed, DelSp=yes
 * drops the flowing space itself, and the signature separator "-- " never
 * flows. The quote marks are written back as "> " per level, so the reader
 * still sees them and the pager colours the line by its level.
 */
#include "config.h"

#include <string.h>

#include "mime_priv.h"

#define QUOTE_LEVEL_MAX 255

/* The quote level of a line: ">" marks, with spaces between them unless
 * flowed. */
unsigned
render_quote_level(const char *s, size_t n, bool flowed, size_t *skip)
{
	size_t		 i = 0, mark = 0;
	unsigned	 q = 0;

	while (i < n) {
		if (s[i] == '>') {
			if (q < QUOTE_LEVEL_MAX)
				q++;
			mark = ++i;
		} else if (!flowed && s[i] == ' ')
			i++;
		else
			break;
	}
	if (skip != NULL)
		*skip = mark;
	return q;
}

/* The next line of s at *pos without its line end; false at the end. */
static bool
flowed_next(const char *s, size_t n, size_t *pos, const char **line,
    size_t *len)
{
	const char	*lf;
	size_t		 end;

	if (*pos >= n)
		return false;
	lf = memchr(s + *pos, '\n', n - *pos);
	end = lf != NULL ? (size_t)(lf - s) : n;
	*line = s + *pos;
	*len = end - *pos;
	if (*len > 0 && s[end - 1] == '\r')
		(*len)--;
	*pos = lf != NULL ? end + 1 : n;
	return true;
}

/* Add text split into lines, each tagged by its quote level. */
void
render_text(struct render_ctx *c, const char *s, size_t n)
{
	const char	*line;
	size_t		 pos = 0, len;
	unsigned	 q;

	while (!c->full && flowed_next(s, n, &pos, &line, &len)) {
		q = render_quote_level(line, len, false, NULL);
		render_line(c, q > 0 ? ML_QUOTE : ML_BODY, q, line, len);
	}
}

/* Write out a paragraph with its quote marks. */
static void
flowed_flush(struct render_ctx *c, struct buf *para, unsigned q,
    struct buf *line)
{
	unsigned	 i;

	buf_reset(line);
	for (i = 0; i < q; i++)
		buf_addch(line, '>');
	if (q > 0)
		buf_addch(line, ' ');
	buf_add(line, para->data, para->len);
	render_line(c, q > 0 ? ML_QUOTE : ML_BODY, q, line->data, line->len);
	buf_reset(para);
}

/* Add format=flowed text, its paragraphs joined. */
void
render_flowed(struct render_ctx *c, const char *s, size_t n, bool delsp)
{
	struct buf	 para = BUF_INIT, line = BUF_INIT;
	const char	*l;
	size_t		 pos = 0, len, skip;
	unsigned	 q, para_q = 0;
	bool		 open = false, flows, sig;

	buf_add(&para, "", 0);
	while (!c->full && flowed_next(s, n, &pos, &l, &len)) {
		q = render_quote_level(l, len, true, &skip);
		if (skip < len && l[skip] == ' ')
			skip++;
		l += skip;
		len -= skip;
		sig = len == 3 && memcmp(l, "-- ", 3) == 0;
		flows = len > 0 && l[len - 1] == ' ' && !sig;
		if (open && (q != para_q || sig))
			flowed_flush(c, &para, para_q, &line);
		if (flows && delsp)
			len--;
		buf_add(&para, l, len);
		open = flows;
		para_q = q;
		if (!flows)
			flowed_flush(c, &para, q, &line);
	}
	if (open)
		flowed_flush(c, &para, para_q, &line);
	buf_free(&para);
	buf_free(&line);
}

/*
 * draw: the only file besides ui.c that calls curses.
 *
 * One curses window per pane, rebuilt when the terminal's size or the
 * layout changes. screen_paint() draws the panes the dirty bits name, with
 * wnoutrefresh() each, then one doupdate(): one write to the terminal per
 * loop pass, however many events came in. Lists draw their visible rows
 * only, so a 100,000-row index costs what a 30-row one does.
 *
 * Colours come from the configuration: one pair per element, 256 colours
 * when the terminal has them, mapped down to 8 when not, none at all when
 * NO_COLOR is set (attributes stay). Every text from a server or a message
 * reaches waddstr() through format_fit() or the safe lines of ops.c.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "pager.h"
#include "ui_priv.h"

enum win_id { W_FOLDERS, W_VLINE, W_INDEX, W_HLINE, W_PAGER, W_STATUS,
    W_MESSAGE, W_HELP, W_COUNT };

struct screen {
	const struct config	*cfg;
	WINDOW			*win[W_COUNT];
	struct rect		 rect[W_COUNT];
	struct layout_out	 lay;
	attr_t			 attr[CE_COUNT];
	bool			 colors;
};

/* Paint context for the list callbacks. */
struct paint {
	struct screen		*sc;
	struct ui_state		*s;
	WINDOW			*w;
	time_t			 now;
	struct column		 cols[MAX_COLUMNS];
	size_t			 ncols;
	struct buf		 line;
};

int
color_map_down(int c, int ncolors)
{
	int	 r, g, b;

	if (c < 0 || c < ncolors)
		return c < 0 ? -1 : c;
	if (ncolors < 8)
		return -1;
	if (c < 16)
		return c % 8;
	if (c >= 232)
		return c < 244 ? COLOR_BLACK : COLOR_WHITE;
	r = (c - 16) / 36;
	g = (c - 16) / 6 % 6;
	b = (c - 16) % 6;
	return (r >= 3 ? COLOR_RED : 0) | (g >= 3 ? COLOR_GREEN : 0) |
	    (b >= 3 ? COLOR_BLUE : 0);
}

static attr_t
color_attrs(unsigned ca)
{
	attr_t	 a = A_NORMAL;

	if (ca & CA_BOLD)
		a |= A_BOLD;
	if (ca & CA_UNDERLINE)
		a |= A_UNDERLINE;
	if (ca & CA_REVERSE)
		a |= A_REVERSE;
	if (ca & CA_DIM)
		a |= A_DIM;
	if (ca & CA_ITALIC)
		a |= A_ITALIC;
	if (ca & CA_BLINK)
		a |= A_BLINK;
	if (ca & CA_STANDOUT)
		a |= A_STANDOUT;
	return a;
}

static void
screen_colors(struct screen *sc)
{
	const char	*nc = getenv("NO_COLOR");
	bool		 defaults;
	int		 i, fg, bg;

	for (i = 0; i < CE_COUNT; i++)
		sc->attr[i] = color_attrs(sc->cfg->colors[i].attrs);
	if ((nc != NULL && *nc != '\0') || !has_colors() ||
	    start_color() == ERR)
		return;
	defaults = use_default_colors() == OK;
	sc->colors = true;
	for (i = 0; i < CE_COUNT && i + 1 < COLOR_PAIRS; i++) {
		fg = color_map_down(sc->cfg->colors[i].fg, COLORS);
		bg = color_map_down(sc->cfg->colors[i].bg, COLORS);
		if (!defaults && fg == -1)
			fg = COLOR_WHITE;
		if (!defaults && bg == -1)
			bg = COLOR_BLACK;
		if (init_pair((short)(i + 1), (short)fg, (short)bg) == OK)
			sc->attr[i] |= COLOR_PAIR(i + 1);
	}
}

struct screen *
screen_new(const struct config *cfg)
{
	struct screen	*sc = xcalloc(1, sizeof *sc);

	sc->cfg = cfg;
	screen_colors(sc);
	return sc;
}

static void
screen_drop_windows(struct screen *sc)
{
	int	 i;

	for (i = 0; i < W_COUNT; i++) {
		if (sc->win[i] != NULL)
			delwin(sc->win[i]);
		sc->win[i] = NULL;
	}
}

void
screen_free(struct screen **sc)
{
	if (sc == NULL || *sc == NULL)
		return;
	screen_drop_windows(*sc);
	free(*sc);
	*sc = NULL;
}

/* Rebuild the windows for the terminal's size and the view's layout. */
static void
screen_layout(struct screen *sc, struct ui_state *s)
{
	struct layout_in in;
	int		 i;

	screen_drop_windows(sc);
	getmaxyx(stdscr, in.rows, in.cols);
	in.folder_width = s->cfg->opt.folder_width;
	in.layout = s->layout;
	in.pager_open = s->pager_open;
	layout_compute(&in, &sc->lay);
	if (sc->lay.too_small)
		return;
	sc->rect[W_FOLDERS] = sc->lay.folders;
	sc->rect[W_VLINE] = sc->lay.vline;
	sc->rect[W_INDEX] = sc->lay.index;
	sc->rect[W_HLINE] = sc->lay.hline;
	sc->rect[W_PAGER] = sc->lay.pager;
	sc->rect[W_STATUS] = sc->lay.status;
	sc->rect[W_MESSAGE] = sc->lay.message;
	sc->rect[W_HELP] = (struct rect){ 0, 0, in.rows - 2, in.cols };
	for (i = 0; i < W_COUNT; i++) {
		struct rect *r = &sc->rect[i];

		if (r->h > 0 && r->w > 0)
			sc->win[i] = newwin(r->h, r->w, r->y, r->x);
	}
	list_set_height(&s->m.flist, (size_t)sc->lay.folders.h);
	list_set_height(&s->m.index, (size_t)sc->lay.index.h);
	list_set_height(&s->m.rlist, (size_t)sc->lay.index.h);
	list_set_height(&s->help, (size_t)sc->rect[W_HELP].h);
	s->pager_height = (size_t)sc->lay.pager.h;
}

bool
screen_hit(const struct screen *sc, int y, int x, enum pane *pane,
    size_t *line)
{
	static const struct {
		enum win_id	 w;
		enum pane	 pane;
	} panes[] = {
		{ W_FOLDERS, PANE_FOLDERS }, { W_INDEX, PANE_INDEX },
		{ W_PAGER, PANE_PAGER },
	};
	size_t	 i;

	for (i = 0; i < nitems(panes); i++) {
		const struct rect *r = &sc->rect[panes[i].w];

		if (sc->win[panes[i].w] != NULL && y >= r->y &&
		    y < r->y + r->h && x >= r->x && x < r->x + r->w) {
			*pane = panes[i].pane;
			*line = (size_t)(y - r->y);
			return true;
		}
	}
	return false;
}

/* Put a line of safe or untrusted text at row y, fitted to the width. */
static void
put_line(WINDOW *w, int y, const char *text, attr_t attr)
{
	struct buf	 fit = BUF_INIT;

	format_fit(&fit, text, (size_t)getmaxx(w));
	wattrset(w, attr);
	mvwaddstr(w, y, 0, buf_str(&fit));
	wattrset(w, A_NORMAL);
	buf_free(&fit);
}

/* ---- folders ---- */

static void
draw_folder(void *ctx, size_t pos, size_t y, bool cursor)
{
	struct paint		*p = ctx;
	const struct mail_folder *f = &p->s->m.folders[pos];
	const char		*name = f->name, *leaf = name, *c;
	struct buf		 count = BUF_INIT, left = BUF_INIT;
	size_t			 width = (size_t)getmaxx(p->w), cw, depth = 0;
	enum color_elem		 ce = CE_FOLDER;

	for (c = name; f->delim != '\0' && *c != '\0'; c++) {
		if (*c == f->delim && c[1] != '\0') {
			depth++;
			leaf = c + 1;
		}
	}
	/* The unread count; the cursor's row shows the total too. */
	if (f->has_status && cursor && p->s->focus == PANE_FOLDERS) {
		format_count(&count, f->unseen);
		buf_addch(&count, '/');
		format_count(&count, f->messages);
	} else if (f->has_status && f->unseen > 0)
		format_count(&count, f->unseen);
	cw = utf8_width(buf_str(&count), count.len);
	if (cw + 2 > width)
		cw = 0;
	buf_reset(&p->line);
	buf_addch(&p->line, p->s->m.folder != NULL &&
	    strcmp(p->s->m.folder, name) == 0 ? '>' : ' ');
	while (depth-- > 0 && p->line.len < width / 2)
		buf_addch(&p->line, ' ');
	safe_text(&p->line, leaf, strlen(leaf), 0);
	utf8_fit(&left, buf_str(&p->line), p->line.len,
	    width - (cw > 0 ? cw + 1 : 0), true);
	if (cw > 0)
		buf_printf(&left, " %s", buf_str(&count));
	if (f->has_status && f->unseen > 0)
		ce = CE_FOLDER_UNREAD;
	if (cursor)
		ce = CE_FOLDER_CURRENT;
	wattrset(p->w, p->sc->attr[ce] | (cursor && p->s->focus !=
	    PANE_FOLDERS ? A_DIM : 0));
	mvwaddstr(p->w, (int)y, 0, buf_str(&left));
	wattrset(p->w, A_NORMAL);
	buf_free(&count);
	buf_free(&left);
}

static void
paint_folders(struct paint *p)
{
	werase(p->w);
	if (p->s->m.nfolders == 0)
		put_line(p->w, 0, p->s->offline ? " (nothing cached)" :
		    p->s->has_session ? " (listing...)" : " (no folders)",
		    p->sc->attr[CE_FOLDER]);
	list_draw(&p->s->m.flist, draw_folder, p);
}

/* ---- index ---- */

static void
draw_index_row(void *ctx, size_t pos, size_t y, bool cursor)
{
	struct paint		*p = ctx;
	const struct ui_row	*r = model_row_at(&p->s->m, pos);
	struct msg_summary	 v;
	enum color_elem		 ce = CE_INDEX;

	buf_reset(&p->line);
	model_row_view(&p->s->m, r, &v);
	format_row(&p->line, &v, p->cols, p->ncols, (size_t)getmaxx(p->w),
	    p->now, (p->s->m.folder_attrs & (FA_SENT | FA_DRAFTS)) != 0);
	if (r->m.flags & MF_DELETED)
		ce = CE_INDEX_DELETED;
	else if (r->m.flags & MF_FLAGGED)
		ce = CE_INDEX_FLAGGED;
	else if (!(r->m.flags & MF_SEEN))
		ce = CE_INDEX_UNREAD;
	if (cursor)
		ce = CE_INDEX_CURSOR;
	wattrset(p->w, p->sc->attr[ce]);
	mvwaddstr(p->w, (int)y, 0, buf_str(&p->line));
	wattrset(p->w, A_NORMAL);
}

#define RESULT_FOLDER_MAX	16	/* columns of the folder column */

/* A row of a search of all folders: the folder, then the index row. */
static void
draw_result_row(void *ctx, size_t pos, size_t y, bool cursor)
{
	struct paint		*p = ctx;
	const struct result	*r = model_result_at(&p->s->m, pos);
	size_t			 width = (size_t)getmaxx(p->w), fw;
	struct buf		 row = BUF_INIT;
	enum color_elem		 ce = CE_INDEX;

	if (r == NULL)
		return;
	fw = width / 4 < RESULT_FOLDER_MAX ? width / 4 : RESULT_FOLDER_MAX;
	buf_reset(&p->line);
	format_fit(&p->line, r->folder, fw);
	buf_addch(&p->line, ' ');
	format_row(&row, &r->m, p->cols, p->ncols, width > fw + 1 ?
	    width - fw - 1 : 0, p->now, false);
	buf_add(&p->line, row.data, row.len);
	buf_free(&row);
	if (!(r->m.flags & MF_SEEN))
		ce = CE_INDEX_UNREAD;
	if (cursor)
		ce = CE_INDEX_CURSOR;
	wattrset(p->w, p->sc->attr[ce]);
	mvwaddstr(p->w, (int)y, 0, buf_str(&p->line));
	wattrset(p->w, A_NORMAL);
}

static void
paint_results(struct paint *p)
{
	const struct model *m = &p->s->m;

	if (m->nresults == 0)
		put_line(p->w, 0, m->search_id != 0 ? "(searching all "
		    "folders...)" : "(no message matches; Esc shows the "
		    "folder)", p->sc->attr[CE_INDEX]);
	list_draw(&m->rlist, draw_result_row, p);
}

static void
paint_index(struct paint *p)
{
	const struct model *m = &p->s->m;
	const char	*empty = NULL;

	werase(p->w);
	if (m->results_on) {
		p->ncols = format_columns(p->s->cfg->opt.index_format,
		    p->cols, MAX_COLUMNS);
		paint_results(p);
		return;
	}
	if (m->folder == NULL)
		empty = p->s->has_session ? "(opening...)" : "(offline: no "
		    "folder open)";
	else if (m->nshown == 0)
		empty = m->filtered ? "(no message matches; Esc shows all)" :
		    m->total > 0 ? "(loading...)" : "(no messages)";
	if (empty != NULL)
		put_line(p->w, 0, empty, p->sc->attr[CE_INDEX]);
	p->ncols = format_columns(p->s->cfg->opt.index_format, p->cols,
	    MAX_COLUMNS);
	list_draw(&m->index, draw_index_row, p);
}

/* ---- pager ---- */

/* The pager's rows, each in its colour runs (pager.c made them safe). */
static void
paint_pager(struct paint *p)
{
	struct pager_row *rows;
	const struct pager_seg *g;
	size_t		 n, i, k;

	werase(p->w);
	n = pager_rows(p->s, (size_t)getmaxx(p->w), (size_t)getmaxy(p->w),
	    &rows);
	for (i = 0; i < n; i++) {
		wmove(p->w, (int)i, 0);
		for (k = 0; k < rows[i].nsegs; k++) {
			g = &rows[i].segs[k];
			wattrset(p->w, p->sc->attr[g->ce]);
			waddnstr(p->w, rows[i].text.data + g->off,
			    (int)g->len);
		}
	}
	wattrset(p->w, A_NORMAL);
	pager_rows_free(rows, n);
}

static void
draw_help_row(void *ctx, size_t pos, size_t y, bool cursor)
{
	struct paint	*p = ctx;

	put_line(p->w, (int)y, buf_str(&p->s->help_lines[pos]),
	    p->sc->attr[cursor ? CE_INDEX_CURSOR : CE_NORMAL]);
}

/* ---- status, message, borders ---- */

static const char *prompt_label(enum prompt_kind k);

/* How many bytes of the prompt's text scroll off to the left, so that its
 * cursor stays on screen; *lw is the label's width. */
static size_t
prompt_skip(const struct paint *p, size_t *lw)
{
	const struct prompt *pr = &p->s->prompt;
	const char	*label = prompt_label(p->s->pkind);
	size_t		 width = (size_t)getmaxx(p->w), cw, skip = 0;

	*lw = utf8_width(label, strlen(label));
	cw = utf8_width(buf_str(&pr->text), pr->cursor);
	while (*lw + cw - skip + 1 > width && skip < pr->cursor)
		skip++;
	return skip;
}

static void
paint_status(struct paint *p)
{
	const struct model *m = &p->s->m;
	size_t		 lw;

	werase(p->w);
	/* While a prompt holds the message line, messages show here; a
	 * query's error puts a caret above its column on the prompt. */
	if (p->s->mode == MODE_PROMPT && m->message != NULL) {
		buf_reset(&p->line);
		if (p->s->err_col > 0 && prompt_skip(p, &lw) == 0 &&
		    lw + p->s->err_col + 1 < (size_t)getmaxx(p->w))
			buf_printf(&p->line, "%*s^ ", (int)(lw +
			    p->s->err_col - 1), "");
		buf_addstr(&p->line, m->message);
		put_line(p->w, 0, buf_str(&p->line), p->sc->attr[
		    m->message_error ? CE_STATUS_ERROR : CE_STATUS]);
		return;
	}
	buf_reset(&p->line);
	ui_status_line(p->s, p->now, &p->line);
	put_line(p->w, 0, buf_str(&p->line), p->sc->attr[CE_STATUS]);
}

static const char *
prompt_label(enum prompt_kind k)
{
	switch (k) {
	case PK_FOLDER:	return "Open folder: ";
	case PK_MOVE:	return "Move to folder: ";
	case PK_COPY:	return "Copy to folder: ";
	case PK_SEARCH:	return "Search: ";
	case PK_SEARCH_ALL: return "Search all folders: ";
	case PK_FIND:	return "Find in the message: ";
	case PK_SAVE:	return "Save to folder: ";
	case PK_PIPE:	return "Pipe to command: ";
	}
	return "";
}

/* The prompt line; returns the column of the text cursor. */
static int
paint_prompt(struct paint *p)
{
	const struct prompt *pr = &p->s->prompt;
	const char	*label = prompt_label(p->s->pkind);
	size_t		 lw, skip;

	/* Keep the cursor on screen: scroll the text left when it is long. */
	skip = prompt_skip(p, &lw);
	buf_reset(&p->line);
	buf_addstr(&p->line, label);
	if (skip < pr->text.len)
		buf_add(&p->line, pr->text.data + skip, pr->text.len - skip);
	put_line(p->w, 0, buf_str(&p->line), p->sc->attr[CE_PROMPT]);
	return (int)(lw + utf8_width(buf_str(&pr->text) + skip,
	    pr->cursor - skip));
}

static int
paint_message(struct paint *p)
{
	const struct ui_state *s = p->s;

	werase(p->w);
	if (s->mode == MODE_PROMPT)
		return paint_prompt(p);
	buf_reset(&p->line);
	if (s->mode == MODE_CONFIRM && s->ckind == CK_SORT) {
		ui_sort_question(s, &p->line);
		put_line(p->w, 0, buf_str(&p->line), p->sc->attr[CE_PROMPT]);
	} else if (s->mode == MODE_CONFIRM && s->ckind == CK_OVERWRITE) {
		pager_question(s, &p->line);
		put_line(p->w, 0, buf_str(&p->line), p->sc->attr[CE_PROMPT]);
	} else if (s->mode == MODE_CONFIRM && s->ckind == CK_PLAIN) {
		ui_plain_question(s, &p->line);
		put_line(p->w, 0, buf_str(&p->line), p->sc->attr[CE_PROMPT]);
	} else if (s->mode == MODE_CONFIRM) {
		buf_printf(&p->line, "Expunge %zu deleted message%s",
		    s->cnum, s->cnum == 1 ? "" : "s");
		if (s->ckind == CK_EXPUNGE)
			buf_addstr(&p->line, "? (y/n)");
		else if (s->ckind == CK_QUIT)
			buf_addstr(&p->line, " before quitting? (y/n/c)");
		else
			buf_printf(&p->line, " before leaving %s? (y/n/c)",
			    s->m.folder);
		put_line(p->w, 0, buf_str(&p->line), p->sc->attr[CE_PROMPT]);
	} else if (s->m.message != NULL)
		put_line(p->w, 0, s->m.message, p->sc->attr[s->m.message_error ?
		    CE_STATUS_ERROR : CE_NORMAL]);
	return -1;
}

static void
paint_rule(WINDOW *w, attr_t attr, bool vertical)
{
	werase(w);
	wattrset(w, attr);
	if (vertical)
		mvwvline(w, 0, 0, ACS_VLINE, getmaxy(w));
	else
		mvwhline(w, 0, 0, ACS_HLINE, getmaxx(w));
	wattrset(w, A_NORMAL);
}

static void
paint_too_small(void)
{
	int	 rows, cols;

	getmaxyx(stdscr, rows, cols);
	werase(stdscr);
	if (rows > 0 && cols > 0)
		mvwaddnstr(stdscr, 0, 0, "too small", cols);
	wnoutrefresh(stdscr);
}

/* Paint the window w of the screen if the dirty bit says so. */
static void
paint_pane(struct paint *p, enum win_id w, void (*fn)(struct paint *))
{
	if ((p->w = p->sc->win[w]) == NULL)
		return;
	fn(p);
	wnoutrefresh(p->w);
}

static void
paint_help(struct paint *p)
{
	werase(p->w);
	list_draw(&p->s->help, draw_help_row, p);
}

static void
paint_panes(struct paint *p, unsigned d)
{
	struct screen	*sc = p->sc;

	if (p->s->mode == MODE_HELP) {
		paint_pane(p, W_HELP, paint_help);
		return;
	}
	if ((d & DIRTY_LAYOUT) && sc->win[W_VLINE] != NULL) {
		paint_rule(sc->win[W_VLINE], sc->attr[CE_BORDER], true);
		wnoutrefresh(sc->win[W_VLINE]);
	}
	if ((d & DIRTY_LAYOUT) && sc->win[W_HLINE] != NULL) {
		paint_rule(sc->win[W_HLINE], sc->attr[CE_BORDER], false);
		wnoutrefresh(sc->win[W_HLINE]);
	}
	if (d & DIRTY_FOLDERS)
		paint_pane(p, W_FOLDERS, paint_folders);
	if (d & DIRTY_INDEX)
		paint_pane(p, W_INDEX, paint_index);
	if (d & DIRTY_PAGER)
		paint_pane(p, W_PAGER, paint_pager);
}

void
screen_paint(struct screen *sc, struct ui_state *s, time_t now)
{
	struct paint	 p;
	unsigned	 d = s->dirty;
	int		 cx;

	if (d == 0 && !s->clear)
		return;
	memset(&p, 0, sizeof p);
	p.sc = sc;
	p.s = s;
	p.now = now;
	if (s->clear) {
		clearok(curscr, TRUE);
		s->clear = false;
		d = DIRTY_ALL;
	}
	if (s->mode == MODE_PROMPT)
		d |= DIRTY_MESSAGE;	/* it must place the cursor last */
	if (d & DIRTY_LAYOUT)
		screen_layout(sc, s);
	s->dirty = 0;
	if (sc->lay.too_small) {
		curs_set(0);
		paint_too_small();
		doupdate();
		return;
	}
	paint_panes(&p, d);
	if (d & DIRTY_STATUS)
		paint_pane(&p, W_STATUS, paint_status);
	/* The message line last: it holds the cursor while a prompt is up. */
	if ((p.w = sc->win[W_MESSAGE]) != NULL && (d & DIRTY_MESSAGE)) {
		cx = paint_message(&p);
		if (cx >= 0)
			wmove(p.w, 0, cx < getmaxx(p.w) ? cx : getmaxx(p.w) - 1);
		wnoutrefresh(p.w);
		curs_set(cx >= 0 ? 1 : 0);
	}
	buf_free(&p.line);
	doupdate();
}

/*
 * Search and sort on the server: IC_SEARCH and IC_SORT.
 *
 * A search's text is the query language of quire.1 (SEARCHING). It is
 * parsed here, in the session, at the time the command runs (relative
 * dates count from then), and written as UID SEARCH criteria by
 * query_to_imap(); nothing is sent for a query that does not parse, and
 * the user's text never reaches the server as is. Text that is not ASCII
 * goes as literals after CHARSET UTF-8 (BAD-INPUTS 28). libetpan's
 * mailimap_custom_command() cannot wait for the "+" that a synchronizing
 * literal needs, so the command is written here on the stream, piece by
 * piece: a literal announced as {N} waits for the continuation, {N+}
 * (LITERAL+) does not; the response is read by libetpan's own parser, so
 * the harvest sees what came with it. ESEARCH is never asked for
 * (LIBETPAN.md 10).
 *
 * A search without a folder runs in every selectable folder in turn, each
 * a detour as for commands on other folders. Each folder gives one
 * IE_SEARCH with its name, all its matching UIDs and the summaries of the
 * newest SEARCH_ROWS_MAX of them (from the header fields, which libetpan
 * always parses), so the UI can list them; then one IE_DONE for the lot.
 * A folder that cannot be opened or searched is named in the IE_DONE text
 * and the others go on.
 *
 * Sort: UID SORT (key) UTF-8 ALL, as a custom command rather than
 * mailimap_uid_sort(), which fails on an empty result and drops the
 * VANISHED and HIGHESTMODSEQ data that came with it (LIBETPAN.md 11): the
 * SORT data is taken from the response info before the harvest reads the
 * rest. The order goes to the UI as IE_SORTED, then the summaries of its
 * first SORT_FIRST UIDs, so the first screen is in the server's order
 * long before the backfill reaches those messages. Rows of the user's
 * folder go to the store and carry the journal's pending changes, as the
 * backfill's do. A folder painted whole from the cache is not sorted on
 * the server: its rows are all with the UI already (ui/search.c says
 * when the UI asks at all).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define SEARCH_ROWS_MAX	500	/* summaries per folder of a search-all */
#define SORT_FIRST	200	/* summaries fetched in the sorted order */

struct uidvec {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

static void
uidvec_add(struct uidvec *u, uint32_t uid)
{
	if (u->n == u->cap) {
		u->cap = u->cap == 0 ? 64 : u->cap * 2;
		u->v = xreallocarray(u->v, u->cap, sizeof *u->v);
	}
	u->v[u->n++] = uid;
}

/* ---- sending a command with literals ---- */

/* The tagged status of a parsed response as libetpan codes: OK, NO as a
 * refusal, BAD as sx_after() expects it (it checks the session is still
 * in step), BYE as a lost link. */
static int
tagged_code(const struct mailimap_response *rsp)
{
	const struct mailimap_response_done *d = rsp->rsp_resp_done;

	if (d == NULL || d->rsp_type != MAILIMAP_RESP_DONE_TYPE_TAGGED)
		return MAILIMAP_ERROR_STREAM;
	switch (d->rsp_data.rsp_tagged->rsp_cond_state->rsp_type) {
	case MAILIMAP_RESP_COND_STATE_OK:
		return MAILIMAP_NO_ERROR;
	case MAILIMAP_RESP_COND_STATE_NO:
		return MAILIMAP_ERROR_CUSTOM_COMMAND;
	default:
		return MAILIMAP_ERROR_PROTOCOL;
	}
}

/* Parse the response to the command just sent (its first line already
 * read when have_line). */
static int
read_response(mailimap *imap, bool have_line)
{
	struct mailimap_response	*rsp = NULL;
	int				 r;

	if (!have_line && mailimap_read_line(imap) == NULL)
		return MAILIMAP_ERROR_STREAM;
	if ((r = mailimap_parse_response(imap, &rsp)) != MAILIMAP_NO_ERROR)
		return r;
	r = tagged_code(rsp);
	mailimap_response_free(rsp);
	return r;
}

/* After "{N}" CRLF: wait for the server's "+". An untagged line before
 * it cannot be parsed alone; it is skipped and the folder resynchronized
 * afterwards. True on "+"; otherwise the command is over and *r is its
 * outcome (a NO or BAD to the part already sent). */
static bool
wait_continuation(struct session *s, int *r)
{
	mailimap	*imap = s->c->imap;
	const char	*line;

	while ((line = mailimap_read_line(imap)) != NULL && line[0] == '*') {
		if (!s->detour && s->sel.name != NULL)
			s->sel.need_rebuild = true;
	}
	if (line == NULL) {
		*r = MAILIMAP_ERROR_STREAM;
		return false;
	}
	if (line[0] == '+')
		return true;
	*r = read_response(imap, true);
	if (*r == MAILIMAP_NO_ERROR)
		*r = MAILIMAP_ERROR_PROTOCOL;	/* OK before the end? */
	return false;
}

/*
 * Send "TAG text" CRLF, where text holds literals announced "{N}" CRLF or
 * "{N+}" CRLF (query_imap_text()); their data holds no CR or LF, so every
 * CRLF in text ends an announcement. Returns a libetpan code; the response
 * info holds what came back.
 */
static int
send_with_literals(struct session *s, const char *text, size_t n)
{
	mailimap	*imap = s->c->imap;
	mailstream	*st = imap->imap_stream;
	const char	*p = text, *end = text + n, *nl;
	size_t		 k;
	int		 r;

	conn_clear_text(s->c);
	if ((r = mailimap_send_current_tag(imap)) != MAILIMAP_NO_ERROR)
		return r;
	for (;;) {
		nl = memmem(p, (size_t)(end - p), "\r\n", 2);
		k = nl != NULL ? (size_t)(nl + 2 - p) : (size_t)(end - p);
		if (k > 0 && mailstream_write(st, p, k) != (ssize_t)k)
			return MAILIMAP_ERROR_STREAM;
		p += k;
		if (nl == NULL)
			break;
		/* A LITERAL+ announcement ("+}") needs no wait. */
		if (nl - text >= 2 && nl[-2] == '+')
			continue;
		if (mailstream_flush(st) == -1)
			return MAILIMAP_ERROR_STREAM;
		if (!wait_continuation(s, &r))
			return r;
	}
	if (mailstream_write(st, "\r\n", 2) != 2 || mailstream_flush(st) == -1)
		return MAILIMAP_ERROR_STREAM;
	return read_response(imap, false);
}

/* The rows in s->fx as the user sees them, as fetch.c's rows_emit does
 * for the backfill: in the user's folder, into the store, and with the
 * journal's pending changes on their flags; a row that a pending expunge
 * or move hides is dropped. */
static void
rows_overlay(struct session *s)
{
	struct fetchctx	*fx = &s->fx;
	size_t		 i, k;
	uint32_t	 f;

	if (s->detour || s->sel.name == NULL)
		return;
	cache_rows(s, fx->rows, fx->nrows);
	for (i = k = 0; i < fx->nrows; i++) {
		f = fx->rows[i].flags & ~MF_ATTACHMENT;
		if (!jr_overlay(s, fx->rows[i].uid, &f)) {
			msg_summary_clear(&fx->rows[i]);
			continue;
		}
		fx->rows[i].flags = f | (fx->rows[i].flags & MF_ATTACHMENT);
		fx->rows[k++] = fx->rows[i];
	}
	fx->nrows = k;
}

/* ---- search ---- */

/* UID SEARCH qi in the folder the server has selected; the matches,
 * sorted, into found. */
static enum sx
search_here(struct session *s, const struct query_imap *qi,
    struct uidvec *found)
{
	struct mailimap_response_info	*ri;
	struct buf			 line = BUF_INIT;
	clistiter			*it;
	enum sx				 x;
	int				 r;

	buf_addstr(&line, "UID SEARCH ");
	query_imap_text(qi, (s->c->caps & CAP_LITERALPLUS) != 0, &line);
	s->doing = "SEARCH";
	r = send_with_literals(s, line.data, line.len);
	buf_free(&line);
	found->n = 0;
	/* The result before the harvest: the next command replaces it. */
	ri = s->c->imap->imap_stream != NULL ?
	    s->c->imap->imap_response_info : NULL;
	if (r == MAILIMAP_NO_ERROR && ri != NULL &&
	    ri->rsp_search_result != NULL)
		for (it = clist_begin(ri->rsp_search_result); it != NULL;
		    it = clist_next(it))
			uidvec_add(found, *(uint32_t *)clist_content(it));
	if ((x = sx_after(s, r)) != SX_OK)
		return x;
	found->n = uids_sort_unique(found->v, found->n);
	return SX_OK;
}

/* The query of cmd, as criteria; false (IE_DONE sent) when it does not
 * parse. */
static bool
search_criteria(struct session *s, const struct imap_cmd *cmd,
    struct query_imap *qi)
{
	struct query	*q;
	char		*err = NULL;

	memset(qi, 0, sizeof *qi);
	if (cmd->query == NULL) {
		ev_done(s, cmd, false, "No search was given.");
		return false;
	}
	if ((q = query_parse(cmd->query, time(NULL), &err, NULL)) == NULL) {
		ev_done(s, cmd, false, "%s", err);
		free(err);
		return false;
	}
	if (query_is_empty(q)) {
		query_free(&q);
		ev_done(s, cmd, false, "The search is empty.");
		return false;
	}
	if (query_to_imap(q, qi, &err) == -1) {
		query_free(&q);
		query_imap_free(qi);
		ev_done(s, cmd, false, "%s", err);
		free(err);
		return false;
	}
	query_free(&q);
	return true;
}

static struct imap_event *
search_event(const struct imap_cmd *cmd, const char *folder,
    struct uidvec *found)
{
	struct imap_event	*ev;

	ev = imap_event_new(IE_SEARCH);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = xstrdup(folder);
	ev->text = xstrdup(cmd->query);
	ev->uids = found->v;
	ev->nuids = found->n;
	found->v = NULL;
	found->n = found->cap = 0;
	return ev;
}

/* Make name the server's selected folder, as ensure_folder() does but
 * without an IE_DONE: the user's folder again, or a detour. */
static enum sx
search_enter(struct session *s, const struct mail_folder *f)
{
	uint64_t	 hms;
	enum sx		 x;

	if (s->sel.name != NULL && strcmp(f->name, s->sel.name) == 0) {
		if (s->sel.need_reselect && (x = sel_reselect(s)) != SX_OK)
			return x;
		return s->sel.name != NULL ? SX_OK : SX_NO;
	}
	if (f->raw == NULL || str_has_crlfnul(f->raw, strlen(f->raw)))
		return SX_NO;
	if (s->detour && s->cur_raw != NULL && strcmp(f->raw, s->cur_raw) == 0)
		return SX_OK;
	s->detour = true;
	if (s->sel.name != NULL)
		s->sel.need_reselect = true;
	return select_raw(s, f->raw, &hms);
}

/* The summaries of the newest SEARCH_ROWS_MAX of ev's UIDs, into ev. */
static enum sx
search_rows(struct session *s, struct imap_event *ev)
{
	size_t	 n = ev->nuids < SEARCH_ROWS_MAX ? ev->nuids : SEARCH_ROWS_MAX;
	enum sx	 x;

	if (n == 0)
		return SX_OK;
	fx_reset(&s->fx);
	x = fetch_rows(s, uidset_to_mailimap(ev->uids + ev->nuids - n, n),
	    true, true, 0);
	if (x == SX_OK) {
		if (!s->detour && s->sel.name != NULL)
			rows_overlay(s);
		ev->rows = s->fx.rows;
		ev->nrows = s->fx.nrows;
		s->fx.rows = NULL;
		s->fx.nrows = s->fx.caprows = 0;
	}
	fx_reset(&s->fx);
	return x;
}

/* One folder of a search-all; SX_NO adds its name to skipped. */
static enum sx
search_one(struct session *s, const struct imap_cmd *cmd,
    const struct query_imap *qi, const struct mail_folder *f,
    struct buf *skipped)
{
	struct uidvec		 found = { NULL, 0, 0 };
	struct imap_event	*ev;
	enum sx			 x;

	x = search_enter(s, f);
	if (x == SX_OK)
		x = search_here(s, qi, &found);
	if (x == SX_OK) {
		ev = search_event(cmd, f->name, &found);
		if ((x = search_rows(s, ev)) == SX_OK)
			ev_send(s, ev);
		else
			imap_event_free(&ev);
	}
	free(found.v);
	if (x == SX_NO) {
		buf_addstr(skipped, skipped->len > 0 ? ", " : "");
		buf_addstr(skipped, f->name);
	}
	return x;
}

static enum sx
search_all(struct session *s, const struct imap_cmd *cmd,
    const struct query_imap *qi)
{
	struct buf	 skipped = BUF_INIT;
	size_t		 i, n = 0;
	enum sx		 x;

	if (s->fl.n == 0 && (x = folders_list(s)) != SX_OK)
		return x;
	for (i = 0; i < s->fl.n; i++) {
		if (s->fl.v[i].attrs & (FA_NOSELECT | FA_NONEXISTENT))
			continue;
		if ((x = search_one(s, cmd, qi, &s->fl.v[i], &skipped)) ==
		    SX_BROKEN) {
			buf_free(&skipped);
			return x;
		}
		n++;
	}
	if (skipped.len > 0)
		ev_done(s, cmd, true, "Searched %zu folders; could not search "
		    "%s.", n, buf_str(&skipped));
	else
		ev_done(s, cmd, true, NULL);
	buf_free(&skipped);
	return SX_OK;
}

/* IC_SEARCH: cmd->folder, or every folder when it is NULL. */
enum sx
cmd_search(struct session *s, struct imap_cmd *cmd)
{
	struct query_imap	 qi;
	struct uidvec		 found = { NULL, 0, 0 };
	enum sx			 x;

	if (!search_criteria(s, cmd, &qi))
		return SX_OK;
	if (cmd->folder == NULL) {
		x = search_all(s, cmd, &qi);
		query_imap_free(&qi);
		return x;
	}
	if ((x = ensure_folder(s, cmd)) != SX_OK) {
		query_imap_free(&qi);
		return x == SX_BROKEN ? x : SX_OK;
	}
	x = search_here(s, &qi, &found);
	query_imap_free(&qi);
	if (x == SX_OK) {
		ev_send(s, search_event(cmd, cmd->folder, &found));
		ev_done(s, cmd, true, NULL);
	} else if (x == SX_NO)
		ev_done(s, cmd, false, "The server refused the search: %s",
		    s->no_text);
	free(found.v);
	return x == SX_BROKEN ? x : SX_OK;
}

/* ---- sort ---- */

static const char *
sort_criterion(enum sort_key k)
{
	switch (k) {
	case SORT_DATE:		return "DATE";
	case SORT_ARRIVAL:	return "ARRIVAL";
	case SORT_FROM:		return "FROM";
	case SORT_SUBJECT:	return "SUBJECT";
	case SORT_SIZE:		return "SIZE";
	}
	return "ARRIVAL";
}

/* The UIDs of the SORT response in the response info, in its order. */
static void
sort_result(struct session *s, struct uidvec *out)
{
	struct mailimap_response_info	*ri = s->c->imap->imap_response_info;
	struct mailimap_extension_data	*ed;
	clistiter			*it, *jt;

	if (ri == NULL || ri->rsp_extension_list == NULL)
		return;
	for (it = clist_begin(ri->rsp_extension_list); it != NULL;
	    it = clist_next(it)) {
		ed = clist_content(it);
		if (ed == NULL || ed->ext_extension == NULL ||
		    ed->ext_extension->ext_id != MAILIMAP_EXTENSION_SORT ||
		    ed->ext_data == NULL)
			continue;
		for (jt = clist_begin((clist *)ed->ext_data); jt != NULL;
		    jt = clist_next(jt))
			uidvec_add(out, *(uint32_t *)clist_content(jt));
	}
}

/* The summaries of the first SORT_FIRST sorted UIDs, for the first
 * screen; the backfill sends them again in its turn. */
static enum sx
sort_first_rows(struct session *s, const struct uidvec *order)
{
	struct imap_event	*ev;
	uint32_t		*first;
	size_t			 n = order->n < SORT_FIRST ? order->n :
				    SORT_FIRST;
	enum sx			 x;

	if (n == 0)
		return SX_OK;
	first = xreallocarray(NULL, n, sizeof *first);
	memcpy(first, order->v, n * sizeof *first);
	n = uids_sort_unique(first, n);
	fx_reset(&s->fx);
	x = fetch_rows(s, uidset_to_mailimap(first, n), true, false, 0);
	free(first);
	if (x == SX_OK)
		rows_overlay(s);
	if (x == SX_OK && s->fx.nrows > 0) {
		ev = imap_event_new(IE_SUMMARIES);
		ev->folder = xstrdup(s->sel.name);
		ev->generation = s->sel.generation;
		ev->rows = s->fx.rows;
		ev->nrows = s->fx.nrows;
		s->fx.rows = NULL;
		s->fx.nrows = s->fx.caprows = 0;
		ev_send(s, ev);
	}
	fx_reset(&s->fx);
	return x;
}

/* IC_SORT: the selected folder's order from the server (cmd->sort,
 * cmd->reverse), as IE_SORTED. */
enum sx
cmd_sort(struct session *s, struct imap_cmd *cmd)
{
	struct uidvec		 order = { NULL, 0, 0 };
	struct imap_event	*ev;
	char			*line;
	enum sx			 x;
	int			 r;

	if (!(s->c->caps & CAP_SORT)) {
		ev_done(s, cmd, false, "The server cannot sort (no SORT).");
		return SX_OK;
	}
	if (s->detour || s->sel.name == NULL ||
	    strcmp(s->sel.name, cmd->folder) != 0) {
		ev_done(s, cmd, false, "Only the open folder is sorted on the "
		    "server.");
		return SX_OK;
	}
	/* Painted whole from the cache: the UI holds every row but new
	 * mail, which comes next, and sorts them itself; a SORT would only
	 * keep the server busy (a million messages: minutes). */
	if (s->sel.warm && s->sel.saved_uidnext != 0) {
		ev_done(s, cmd, false, "The cache holds the folder; it is "
		    "sorted here.");
		return SX_OK;
	}
	line = xasprintf("UID SORT (%s%s) UTF-8 ALL", cmd->reverse ?
	    "REVERSE " : "", sort_criterion(cmd->sort));
	s->doing = "SORT";
	conn_clear_text(s->c);
	r = mailimap_custom_command(s->c->imap, line);
	free(line);
	if (r == MAILIMAP_NO_ERROR && s->c->imap->imap_stream != NULL)
		sort_result(s, &order);
	if ((x = sx_after(s, r)) != SX_OK) {
		free(order.v);
		if (x == SX_NO)
			ev_done(s, cmd, false, "The server did not sort: %s",
			    s->no_text);
		return x == SX_BROKEN ? x : SX_OK;
	}
	ev = imap_event_new(IE_SORTED);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = xstrdup(cmd->folder);
	ev->uids = xreallocarray(NULL, order.n + 1, sizeof *ev->uids);
	memcpy(ev->uids, order.v, order.n * sizeof *ev->uids);
	ev->nuids = order.n;
	ev_send(s, ev);
	x = sort_first_rows(s, &order);
	free(order.v);
	if (x == SX_BROKEN)
		return x;
	ev_done(s, cmd, true, NULL);
	return SX_OK;
}

/*
 * search: the "/" query and the server's order, in the view model.
 *
 * A query is parsed here first (query_parse), so a mistake shows with its
 * column at once and nothing is sent. Online, the text goes to the
 * session as IC_SEARCH and the server searches the whole folder, whatever
 * is cached; its UIDs are kept sorted in m->match, so rows the backfill
 * brings later join the filtered view. Offline (no session, or one that
 * is not connected) the query runs on the cached rows with query_match,
 * and the status line says when that can differ from the server.
 *
 * The cursor: before the first search it is noted; a result that holds
 * the cursor's message keeps it there; Esc keeps it on the message it is
 * on, or, when the view was empty, puts it back where it was before the
 * search.
 *
 * Flags changed by another client while the view is filtered start the
 * same search again (one at a time): a message that now matches joins the
 * view; one that stops matching stays until the next search the user
 * types, as with mutt's limit, so rows never vanish under the cursor.
 *
 * A search of all folders gives one result list (m->results) with a
 * folder column, newest first, that replaces the index until Esc or Enter
 * (which opens the result's folder at that message).
 *
 * Sort: when a folder's rows are not all here and the order is not
 * arrival, the session is asked for the server's order (IC_SORT); its
 * IE_SORTED puts ranks on the rows (model.c row_cmp), and the summaries of
 * the first screen follow at once.
 *
 * Not for a big folder. The session serves one command at a time, and a
 * backfill chunk waits behind any command queued before it; Dovecot sorts
 * a million messages in minutes, silent, and all that time the index
 * stops filling. So above sort_server_max messages (SORT_SERVER_MAX,
 * 100,000, whose first SORT took Dovecot 3-4 s and the next 0.1 s on the
 * bench's folder, on a busy machine) nothing is asked: the rows are
 * merged into the local order as they come (model.c), newest arrivals
 * first, which for a date order are nearly always the newest mail; once
 * the rows are in, the order is the local one, as for a folder painted
 * from the cache. Arrival order is the order the backfill brings, so it
 * never asks either. Interleaving the FETCH chunks with a pending SORT
 * would need a second connection (a libetpan session waits for each
 * tagged answer before its next command), and a second SELECT of a
 * million messages costs Dovecot as much again. The session also
 * declines a SORT for a folder painted whole from the cache
 * (imap/search.c), whose rows are all here in the local order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui_priv.h"

static const struct ui_row *
cursor_row(const struct model *m)
{
	return m->results_on ? NULL : model_cursor_row(m);
}

static void
save_cursor(struct model *m)
{
	const struct ui_row *r = cursor_row(m);

	if (m->cursor_saved)
		return;
	m->pre_search_uid = r != NULL ? r->m.uid : 0;
	m->cursor_saved = true;
}

/* The query on the cached rows. */
static void
search_cache(struct model *m, const struct query *q, time_t now)
{
	struct msg_summary v;
	uint32_t	*uids;
	size_t		 i, n = 0;

	uids = xreallocarray(NULL, m->nrows + 1, sizeof *uids);
	for (i = 0; i < m->nrows; i++) {
		model_row_view(m, &m->rows[i], &v);
		if (query_match(q, &v, now))
			uids[n++] = m->rows[i].m.uid;
	}
	model_filter(m, uids, n, true);
	free(uids);
	m->search_local = true;
	m->search_approx = query_approximate(q);
}

static void
results_start(struct model *m, const char *text)
{
	struct imap_cmd	*cmd;
	size_t		 height = m->index.height;

	model_results_free(m);
	m->results_on = true;
	m->search_all = true;
	list_init(&m->rlist, NULL, NULL);
	list_set_height(&m->rlist, height);
	cmd = imap_cmd_new(IC_SEARCH);
	cmd->query = xstrdup(text);
	m->search_id = model_send(m, cmd);
	model_message(m, false, "Searching all folders...");
}

int
model_search(struct model *m, const char *text, bool all, bool online,
    time_t now, char **err, size_t *err_pos)
{
	struct query	*q;
	struct imap_cmd	*cmd;

	if ((q = query_parse(text, now, err, err_pos)) == NULL)
		return -1;
	if (query_is_empty(q)) {
		query_free(&q);
		model_results_free(m);
		model_unfilter(m);
		return 0;
	}
	if (all && !online) {
		query_free(&q);
		model_message(m, true, "Searching all folders needs the "
		    "server, and quire is offline");
		return 0;
	}
	if (all) {
		query_free(&q);
		results_start(m, text);
		return 0;
	}
	model_results_free(m);
	m->search_all = false;
	free(m->filter_query);
	m->filter_query = xstrdup(text);
	save_cursor(m);
	m->research = m->search_union = false;
	if (online && m->folder != NULL) {
		cmd = imap_cmd_new(IC_SEARCH);
		cmd->folder = xstrdup(m->folder);
		cmd->uidvalidity = m->uidvalidity;
		cmd->query = xstrdup(text);
		m->search_id = model_send(m, cmd);
		model_message(m, false, "Searching...");
	} else {
		m->search_id = 0;
		search_cache(m, q, now);
		model_message(m, false, "%zu of %zu match in the cache: %s; "
		    "Esc shows all", m->nmatch, m->nrows, text);
	}
	query_free(&q);
	return 0;
}

void
model_unfilter(struct model *m)
{
	const struct ui_row *r = cursor_row(m);

	if (!m->filtered)
		return;
	/* Off the matches' view, the cursor keeps its message; with none
	 * to keep, it goes back to the one before the search. */
	if (r == NULL && m->cursor_saved && m->pre_search_uid != 0)
		m->want_uid = m->pre_search_uid;
	m->cursor_saved = false;
	m->search_local = m->search_union = m->research = false;
	m->search_id = 0;
	model_filter(m, NULL, 0, false);
	free(m->filter_query);
	m->filter_query = NULL;
}

void
model_search_flags(struct model *m)
{
	struct imap_cmd	*cmd;

	if (!m->filtered || m->search_local || m->search_all ||
	    m->filter_query == NULL || m->folder == NULL)
		return;
	if (m->search_id != 0) {
		m->research = true;
		return;
	}
	cmd = imap_cmd_new(IC_SEARCH);
	cmd->folder = xstrdup(m->folder);
	cmd->uidvalidity = m->uidvalidity;
	cmd->query = xstrdup(m->filter_query);
	m->search_id = model_send(m, cmd);
	m->search_union = true;
}

/* ---- the results of all folders ---- */

void
model_results_free(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->nresults; i++) {
		free(m->results[i].folder);
		msg_summary_clear(&m->results[i].m);
	}
	free(m->results);
	m->results = NULL;
	m->nresults = m->capresults = 0;
	m->results_matches = m->results_folders = 0;
	m->results_on = false;
	if (m->search_all)
		m->search_id = 0;
	m->search_all = false;
}

const struct result *
model_result_at(const struct model *m, size_t pos)
{
	return m->results_on && pos < m->nresults ? &m->results[pos] : NULL;
}

static int64_t
result_date(const struct result *r)
{
	return r->m.date != 0 ? r->m.date : r->m.internal_date;
}

static int
result_cmp(const void *pa, const void *pb)
{
	const struct result *a = pa, *b = pb;
	int64_t		 x = result_date(a), y = result_date(b);
	int		 c;

	if (x != y)
		return x < y ? 1 : -1;
	if ((c = strcmp(a->folder, b->folder)) != 0)
		return c;
	return a->m.uid < b->m.uid ? 1 : a->m.uid > b->m.uid ? -1 : 0;
}

/* One folder's matches; a folder searched again (the session retried
 * after a lost link) replaces its earlier rows. */
static void
results_add(struct model *m, struct imap_event *ev)
{
	size_t	 i, k = 0;

	for (i = 0; i < m->nresults; i++) {
		if (strcmp(m->results[i].folder, ev->folder) == 0) {
			free(m->results[i].folder);
			msg_summary_clear(&m->results[i].m);
			continue;
		}
		m->results[k++] = m->results[i];
	}
	m->nresults = k;
	if (m->nresults + ev->nrows > m->capresults) {
		m->capresults = m->nresults + ev->nrows + 64;
		m->results = xreallocarray(m->results, m->capresults,
		    sizeof *m->results);
	}
	for (i = 0; i < ev->nrows; i++) {
		m->results[m->nresults].folder = xstrdup(ev->folder);
		m->results[m->nresults].m = ev->rows[i];
		memset(&ev->rows[i], 0, sizeof ev->rows[i]);
		m->nresults++;
	}
	m->results_matches += ev->nuids;
	m->results_folders += ev->nuids > 0;
	qsort(m->results, m->nresults, sizeof *m->results, result_cmp);
	list_refresh(&m->rlist, m->nresults, 0);
}

/* ---- events ---- */

static unsigned
search_result(struct model *m, struct imap_event *ev)
{
	struct buf	 n = BUF_INIT, of = BUF_INIT;
	uint32_t	*all;
	size_t		 msgs, unread;

	if (m->search_all) {
		results_add(m, ev);
		return DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS;
	}
	if (m->search_union && m->filtered && m->nmatch > 0) {
		all = xreallocarray(NULL, m->nmatch + ev->nuids + 1,
		    sizeof *all);
		memcpy(all, m->match, m->nmatch * sizeof *all);
		memcpy(all + m->nmatch, ev->uids, ev->nuids * sizeof *all);
		model_filter(m, all, m->nmatch + ev->nuids, true);
		free(all);
		return DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS;
	}
	model_filter(m, ev->uids, ev->nuids, true);
	m->search_local = false;
	model_counts(m, &msgs, &unread);
	format_count(&n, m->nmatch);
	format_count(&of, msgs);
	model_message(m, false, "%s of %s match: %s; Esc shows all",
	    buf_str(&n), buf_str(&of), m->filter_query != NULL ?
	    m->filter_query : "");
	buf_free(&n);
	buf_free(&of);
	return DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS | DIRTY_MESSAGE;
}

static unsigned
search_done(struct model *m, const struct imap_event *ev)
{
	struct buf	 n = BUF_INIT;

	if (ev->id == m->sort_id) {
		m->sort_id = 0;		/* on failure the local order stays */
		return DIRTY_INDEX;
	}
	m->search_id = 0;
	m->search_union = false;
	if (m->search_all) {
		if (!ev->ok)
			model_message(m, true, "The search of all folders "
			    "failed: %s", ev->text != NULL ? ev->text : "");
		else {
			format_count(&n, m->results_matches);
			model_message(m, false, "%s match%s in %zu folder%s%s%s",
			    buf_str(&n), m->results_matches == 1 ? "" : "es",
			    m->results_folders, m->results_folders == 1 ?
			    "" : "s", ev->text != NULL ? "; " : "",
			    ev->text != NULL ? ev->text : "");
			buf_free(&n);
		}
		return DIRTY_ALL & ~DIRTY_LAYOUT;
	}
	if (m->research) {
		m->research = false;
		model_search_flags(m);
	}
	return DIRTY_STATUS | DIRTY_MESSAGE;
}

unsigned
model_search_event(struct model *m, struct imap_event *ev)
{
	switch (ev->type) {
	case IE_SEARCH:
		return search_result(m, ev);
	case IE_SORTED:
		if (ev->id != m->sort_id || !m->sort_asked)
			return 0;
		model_set_rank(m, ev->uids, ev->nuids);
		return DIRTY_INDEX | DIRTY_PAGER;
	case IE_DONE:
		return search_done(m, ev);
	default:
		return 0;
	}
}

/* ---- sort ---- */

bool
model_sort_server(struct model *m)
{
	struct imap_cmd	*cmd;

	m->sort_asked = true;
	if (m->folder == NULL || m->sort == SORT_ARRIVAL ||
	    m->nrows >= m->total || m->total > m->sort_server_max ||
	    (m->state != CS_ONLINE && m->state != CS_SYNCING))
		return false;
	cmd = imap_cmd_new(IC_SORT);
	cmd->folder = xstrdup(m->folder);
	cmd->uidvalidity = m->uidvalidity;
	cmd->sort = m->sort;
	cmd->reverse = m->sort_reverse;
	m->sort_id = model_send(m, cmd);
	return true;
}

void
model_search_status(const struct model *m, struct buf *out)
{
	size_t	 msgs, unread;

	if (m->results_on) {
		buf_addstr(out, "all folders: ");
		if (m->search_id != 0)
			buf_addstr(out, "searching, ");
		format_count(out, m->results_matches);
		buf_printf(out, " match%s in %zu folder%s",
		    m->results_matches == 1 ? "" : "es", m->results_folders,
		    m->results_folders == 1 ? "" : "s");
		return;
	}
	if (!m->filtered)
		return;
	model_counts(m, &msgs, &unread);
	format_count(out, m->nmatch);
	buf_addstr(out, " of ");
	format_count(out, msgs);
	buf_addstr(out, " match");
	if (m->search_local)
		buf_addstr(out, m->search_approx ?
		    " (offline: cached fields only)" : " (offline)");
}

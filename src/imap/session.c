/*
 * The session thread: one per account, the only owner of its connection.
 *
 * Why a thread: libetpan blocks, servers are slow and connections drop,
 * and the UI must stay responsive through all of it. The UI talks to the
 * session only through two queues (queue.c): typed commands in, typed
 * events out, each owning its payload. The UI polls the event pipe beside
 * the terminal; the session polls the command pipe beside the socket while
 * it sits in IDLE, so a command interrupts IDLE at once.
 *
 * The loop, in the order one pass looks at things:
 *
 *	connect (conn_open), LIST, re-select the folder and resync it;
 *	a queued command, if any;
 *	re-select after a reconnect or a detour to another folder;
 *	rebuild the sequence map when it fell out of step;
 *	summaries of new mail;
 *	a chunk of the summary backfill (newest first), or a STATUS;
 *	otherwise IDLE (or NOOP polling) until a command, the server or a
 *	timer wakes it.
 *
 * Each step is one or a few round trips, so a command never waits behind
 * more than one chunk. Any connection error makes the step return
 * SX_BROKEN: the connection is dropped, the UI hears "offline, retrying in
 * N s", and after a capped, jittered backoff the loop starts over. The
 * command that was running goes back to the head of the queue and runs
 * again after the reconnect (flag changes are per-flag deltas, so running
 * one twice is harmless); commands queued meanwhile wait in order.
 * session_stop() cancels the connection from the UI thread and joins.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>		/* malloc_trim */
#endif

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define CMD_MAX_TRIES	3	/* runs of one command that broke the link */
#define STARTUP_WAIT_MS	200	/* for the UI's first IC_SELECT */
#define TEXT_MAX	300	/* bytes of server text in a sentence */
#define TRIM_ROWS	2000	/* rows sent between two malloc_trim() */
#define EV_ROWS_QUEUED	0	/* rows left queued when more are sent */
#define EV_ROWS_WAIT_MS	250	/* ... waiting at most this long */

int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* xorshift64*: jitter only, no need for anything better. */
static double
session_random(struct session *s)
{
	uint64_t	 x = s->rand_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	s->rand_state = x;
	return (double)((x * 2685821657736338717ULL) >> 11) /
	    (double)(1ULL << 53);
}

/* The wire's counters so far, all connections together: what a warm
 * open costs on the network (tests/bench/bench_warm.sh reads them). */
void
wire_log(struct session *s, const char *when)
{
	struct wire_stats	 st;

	memset(&st, 0, sizeof st);
	if (s->c != NULL && s->c->wire != NULL)
		wire_stats(s->c->wire, &st);
	log_debug("wire counters (%s): %llu bytes in, %llu bytes out, "
	    "%llu round trips", when,
	    (unsigned long long)(s->wire_total.bytes_in + st.bytes_in),
	    (unsigned long long)(s->wire_total.bytes_out + st.bytes_out),
	    (unsigned long long)(s->wire_total.round_trips + st.round_trips));
}

/* ---- events ---- */

/*
 * Rows are made in this thread's malloc arena and freed by the UI thread
 * once it has taken them into its model. glibc gives an arena's memory
 * back by itself only from the top of the heap, so the pages freed below
 * long-lived blocks (the store's page cache, the sequence map) stay
 * resident: at the end of a cold sync of 100,000 messages, 12.9 MB of
 * this arena was resident, 5 MB of it free. malloc_trim() returns those
 * pages; once per 2,000 rows or so it costs little.
 */
static void
session_trim(struct session *s, size_t min_rows)
{
	if (s->untrimmed == 0 || s->untrimmed < min_rows)
		return;
	s->untrimmed = 0;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * Summaries wait for the UI to take those before them: the cache reads
 * rows faster than the UI files them, and every row queued holds its
 * strings twice over (here, and in the UI's pool once taken), so a warm
 * open of 100,000 queued most of the folder and peaked 6 to 15 MB above
 * where it settled (with the cache's chunks of 2,000 rows, 1 MB). The wait is short and bounded: a UI that is
 * busy elsewhere (a viewer in the foreground) only costs memory, never
 * stalls the session for long. Then, with the rows before taken and
 * freed, is the time to give their pages back.
 */
void
ev_send(struct session *s, struct imap_event *ev)
{
	if (ev->type == IE_SUMMARIES) {
		(void)evq_wait_rows(&s->events, EV_ROWS_QUEUED, EV_ROWS_WAIT_MS);
		session_trim(s, TRIM_ROWS);
		s->untrimmed += ev->nrows;
	}
	evq_push(&s->events, ev);
}

void
ev_state(struct session *s, enum conn_state st, const char *text,
    int retry_in)
{
	struct imap_event	*ev;

	if (st == s->state && text == NULL &&
	    (st == CS_ONLINE || st == CS_SYNCING))
		return;
	if (st == CS_ONLINE)
		wire_log(s, "online");
	s->state = st;
	ev = imap_event_new(IE_STATE);
	ev->state = st;
	ev->retry_in = retry_in;
	ev->text = text != NULL ? xstrdup(text) : NULL;
	ev_send(s, ev);
}

void
ev_done(struct session *s, const struct imap_cmd *cmd, bool ok,
    const char *fmt, ...)
{
	struct imap_event	*ev;
	va_list			 ap;

	s->last_ok = ok;
	ev = imap_event_new(IE_DONE);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = cmd->folder != NULL ? xstrdup(cmd->folder) : NULL;
	ev->ok = ok;
	if (fmt != NULL) {
		va_start(ap, fmt);
		ev->text = xvasprintf(fmt, ap);
		va_end(ap);
	}
	/* The journal repeats why to the commands a replay settles. */
	free(s->last_why);
	s->last_why = ev->text != NULL ? xstrdup(ev->text) : NULL;
	ev_send(s, ev);
}

void
ev_notice(struct session *s, const char *fmt, ...)
{
	struct imap_event	*ev;
	va_list			 ap;

	ev = imap_event_new(IE_NOTICE);
	va_start(ap, fmt);
	ev->text = xvasprintf(fmt, ap);
	va_end(ap);
	if (s->sel.name != NULL) {
		ev->folder = xstrdup(s->sel.name);
		ev->generation = s->sel.generation;
	}
	ev_send(s, ev);
}

/* ---- results ---- */

static bool
etpan_broken(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_BAD_STATE:	/* our idea of the state is off */
	case MAILIMAP_ERROR_STREAM:
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
	case MAILIMAP_ERROR_MEMORY:
	case MAILIMAP_ERROR_FATAL:
	case MAILIMAP_ERROR_PROTOCOL:
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
	case MAILIMAP_ERROR_SSL:
		return true;
	default:
		return false;
	}
}

/*
 * libetpan answers a tagged BAD with MAILIMAP_ERROR_PROTOCOL, the same code
 * it gives a reply out of turn. A BAD to a command the user typed (search
 * keys the server does not know) leaves the session in step, so the reply
 * is taken as a refusal when a NOOP right after it still gets its OK.
 * Returns the BAD's text (caller frees), or NULL when the link is lost.
 */
static char *
bad_in_step(struct session *s)
{
	mailimap	*imap = s->c->imap;
	const char	*t = imap->imap_response;
	char		*text;

	text = xstrdup(t != NULL && *t != '\0' ? t : "no reason given");
	if (mailimap_noop(imap) != MAILIMAP_NO_ERROR) {
		free(text);
		return NULL;
	}
	return text;
}

enum sx
sx_after(struct session *s, int r)
{
	mailimap	*imap = s->c->imap;
	enum conn_fail	 fail;
	const char	*t;
	char		*bad = NULL;
	size_t		 n;

	if (r == MAILIMAP_ERROR_PROTOCOL && imap->imap_stream != NULL &&
	    (bad = bad_in_step(s)) != NULL) {
		harvest(s);
		n = strlen(bad);
		free(s->no_text);
		s->no_text = safe_strdup(bad, n > TEXT_MAX ? TEXT_MAX : n,
		    NULL);
		free(bad);
		return SX_NO;
	}
	if (etpan_broken(r) || imap->imap_stream == NULL) {
		free(s->broken);
		if (r == MAILIMAP_NO_ERROR)
			r = MAILIMAP_ERROR_STREAM;
		s->broken = conn_error(s->c, r, s->doing != NULL ? s->doing :
		    "IMAP", &fail);
		s->c->broken = true;
		s->parse_failed = r == MAILIMAP_ERROR_PARSE;
		log_info("connection lost: %s", s->broken);
		return SX_BROKEN;
	}
	harvest(s);
	if (r == MAILIMAP_NO_ERROR)
		return SX_OK;
	t = imap->imap_response;
	if (t == NULL || *t == '\0')
		t = "no reason given";
	n = strlen(t);
	free(s->no_text);
	s->no_text = safe_strdup(t, n > TEXT_MAX ? TEXT_MAX : n, NULL);
	return SX_NO;
}

char *
folder_raw(struct session *s, const char *name, const char **why)
{
	const struct mail_folder *f;
	struct buf		 b = BUF_INIT;

	if (name == NULL || *name == '\0') {
		*why = "no folder was named";
		return NULL;
	}
	if (str_has_crlfnul(name, strlen(name))) {
		*why = "the name holds a line break or NUL";
		return NULL;
	}
	f = folders_find(s, name);
	if (f != NULL && f->raw != NULL)
		return xstrdup(f->raw);
	if (mutf7_encode(name, strlen(name), &b) == -1) {
		buf_free(&b);
		*why = "the name is not valid UTF-8";
		return NULL;
	}
	buf_addstr(&b, "");
	return buf_detach(&b);
}

/* ---- commands ---- */

static enum sx
cmd_list(struct session *s, struct imap_cmd *cmd)
{
	enum sx	 x;

	x = folders_list(s);
	if (x == SX_BROKEN)
		return x;
	ev_done(s, cmd, x == SX_OK, x == SX_OK ? NULL :
	    "The server did not list the folders: %s", s->no_text);
	return SX_OK;
}

/* Commands are data: what each needs before it runs, and who runs it. */
static const struct cmd_entry {
	enum imap_cmd_type	 type;
	const char		*name;
	bool			 in_folder;	/* needs cmd->folder selected */
	enum sx			(*run)(struct session *, struct imap_cmd *);
} cmd_table[] = {
	{ IC_LIST,	 "list folders",	false, cmd_list },
	{ IC_SELECT,	 "open a folder",	false, sel_open },
	{ IC_STORE,	 "change flags",	true,  cmd_store },
	{ IC_EXPUNGE,	 "remove messages",	true,  cmd_expunge },
	{ IC_MOVE,	 "move messages",	true,  cmd_move },
	{ IC_COPY,	 "copy messages",	true,  cmd_copy },
	{ IC_FETCH_BODY, "fetch a message",	true,  cmd_fetch_body },
	{ IC_SEARCH,	 "search",		false, cmd_search },
	{ IC_SYNC,	 "synchronize",		false, cmd_sync },
	{ IC_SORT,	 "sort",		true,  cmd_sort },
	{ IC_FETCH_PARTS, "open a message",	true,  cmd_fetch_parts },
};

/*
 * Make cmd->folder the server's selected folder. The user's own folder
 * may need a re-select after a detour; any other folder is a detour: it
 * is selected for the command, the harvest ignores what it says, and the
 * user's folder is re-selected and resynchronized afterwards. Returns
 * SX_NO (IE_DONE sent) when the command cannot run.
 */
enum sx
ensure_folder(struct session *s, struct imap_cmd *cmd)
{
	const char	*why;
	char		*raw;
	uint64_t	 hms;
	enum sx		 x;

	if (s->sel.name != NULL && strcmp(cmd->folder, s->sel.name) == 0) {
		if (s->sel.need_reselect && (x = sel_reselect(s)) != SX_OK)
			return x;
		if (s->sel.name == NULL)
			goto gone;
		if (cmd->uidvalidity != 0 &&
		    cmd->uidvalidity != s->sel.uidvalidity)
			goto renumbered;
		return SX_OK;
	}
	if ((raw = folder_raw(s, cmd->folder, &why)) == NULL) {
		ev_done(s, cmd, false, "Cannot use the folder: %s.", why);
		return SX_NO;
	}
	if (s->detour && s->cur_raw != NULL && strcmp(raw, s->cur_raw) == 0) {
		free(raw);
		return SX_OK;
	}
	s->detour = true;
	if (s->sel.name != NULL)
		s->sel.need_reselect = true;
	x = select_raw(s, raw, &hms);
	free(raw);
	if (x == SX_BROKEN)
		return x;
	if (x == SX_NO) {
		ev_done(s, cmd, false, "Cannot open %s: %s", cmd->folder,
		    s->no_text);
		return SX_NO;
	}
	if (cmd->uidvalidity != 0 && s->c->imap->imap_selection_info != NULL &&
	    cmd->uidvalidity !=
	    s->c->imap->imap_selection_info->sel_uidvalidity) {
		/* Its cache and its waiting changes name old UIDs. */
		(void)cache_folder_begin(s, cmd->folder, s->cur_raw,
		    s->c->imap->imap_selection_info->sel_uidvalidity);
		goto renumbered;
	}
	return SX_OK;
renumbered:
	ev_done(s, cmd, false, "The server renumbered %s; the change was "
	    "dropped.", cmd->folder);
	return SX_NO;
gone:
	ev_done(s, cmd, false, "%s cannot be opened any more.", cmd->folder);
	return SX_NO;
}

static enum sx
run_cmd(struct session *s, struct imap_cmd *cmd)
{
	const struct cmd_entry	*e = NULL;
	size_t			 i;
	enum sx			 x;

	for (i = 0; i < nitems(cmd_table); i++)
		if (cmd_table[i].type == cmd->type)
			e = &cmd_table[i];
	if (e == NULL) {
		ev_done(s, cmd, false, "Unknown command %d.", (int)cmd->type);
		imap_cmd_free(&cmd);
		return SX_OK;
	}
	log_debug("command %llu: %s", (unsigned long long)cmd->id, e->name);
	if (jr_kind_of(cmd->type) && s->store != NULL && s->cur != cmd)
		return jr_command(s, cmd);
	if (cmd->type == IC_FETCH_BODY && cmd->folder != NULL &&
	    cache_body_get(s, cmd)) {
		imap_cmd_free(&cmd);
		return SX_OK;
	}
	x = SX_OK;
	if (e->in_folder) {
		if (cmd->folder == NULL) {
			ev_done(s, cmd, false, "No folder was named to %s.",
			    e->name);
			x = SX_NO;
		} else
			x = ensure_folder(s, cmd);
	}
	if (x == SX_OK)
		x = e->run(s, cmd);
	if (x == SX_BROKEN) {
		if (s->cur != cmd) {
			s->cur = cmd;
			s->cur_tries = 0;
		}
		if (++s->cur_tries < CMD_MAX_TRIES) {
			cmdq_push_front(&s->cmds, cmd);
			return x;
		}
		ev_done(s, cmd, false, "Could not %s: %s.", e->name,
		    s->broken);
	}
	if (s->cur == cmd)
		s->cur = NULL;
	imap_cmd_free(&cmd);
	return x;
}

enum sx
(*cmd_runner(enum imap_cmd_type type))(struct session *, struct imap_cmd *)
{
	size_t	 i;

	for (i = 0; i < nitems(cmd_table); i++)
		if (cmd_table[i].type == type)
			return cmd_table[i].run;
	return NULL;
}

/* ---- the loop ---- */

static enum sx
session_step(struct session *s)
{
	struct imap_cmd	*cmd;

	if ((cmd = cmdq_pop(&s->cmds)) != NULL)
		return run_cmd(s, cmd);
	if (s->replay_due) {
		s->replay_due = false;
		return jr_replay(s);
	}
	if (s->sel.need_reselect)
		return sel_reselect(s);
	if (s->sel.name == NULL)
		return folders_crawl_due(s) ? folders_crawl_step(s) :
		    idle_wait(s);
	if (s->sel.need_rebuild)
		return sync_rebuild(s);
	if (s->sel.need_new)
		return sel_fetch_new(s);
	/* The first screen first, then alternate backfill and STATUS. */
	s->toggle = !s->toggle;
	if ((s->sel.bf_top > 0 || s->sel.nholes > 0) &&
	    (s->sel.bf_done == 0 || s->toggle || !folders_crawl_due(s)))
		return sel_backfill_step(s);
	if (folders_crawl_due(s))
		return folders_crawl_step(s);
	cache_save_sync(s);
	return idle_wait(s);
}

static void
session_drop(struct session *s)
{
	struct conn	*c;
	struct wire_stats st;

	if (s->c != NULL && s->c->wire != NULL) {
		wire_stats(s->c->wire, &st);
		s->wire_total.bytes_in += st.bytes_in;
		s->wire_total.bytes_out += st.bytes_out;
		s->wire_total.round_trips += st.round_trips;
	}
	pthread_mutex_lock(&s->conn_mtx);
	c = s->c;
	s->c = NULL;
	pthread_mutex_unlock(&s->conn_mtx);
	conn_close(&c);
	fx_reset(&s->fx);
	free(s->cur_raw);
	s->cur_raw = NULL;
	s->detour = false;
	if (s->sel.name != NULL)
		s->sel.need_reselect = true;
}

/*
 * Without a connection: serve what the store can (offline_command) until
 * ms pass (-1: until stopped) or an IC_SYNC asks to connect now. The
 * commands that need the server wait, in order, for the connection;
 * final (--offline) answers them all instead.
 */
static void
offline_wait(struct session *s, int ms, bool final)
{
	struct ptrarray	 held = PTRARRAY_INIT;
	struct imap_cmd	*cmd;
	int64_t		 deadline = ms < 0 ? -1 : mono_ms() + ms;
	int64_t		 left = -1;
	bool		 sync = false;
	size_t		 i;

	while (!cmdq_stopping(&s->cmds) && !sync) {
		while ((cmd = cmdq_pop(&s->cmds)) != NULL) {
			if (cmd->type == IC_SYNC && !final) {
				ptrarray_push(&held, cmd);
				sync = true;
				break;
			}
			if (!offline_command(s, cmd, final))
				ptrarray_push(&held, cmd);
		}
		cache_flush(s);
		if (sync || (deadline >= 0 &&
		    (left = deadline - mono_ms()) <= 0))
			break;
		cmdq_wait_for(&s->cmds, CMDQ_ANY, deadline < 0 ? -1 :
		    (int)left);
	}
	for (i = held.len; i-- > 0;)
		cmdq_push_front(&s->cmds, held.items[i]);
	ptrarray_free(&held, NULL);
}

/* Sleep before the next attempt; an IC_SYNC from the user cuts it short. */
static void
session_wait_retry(struct session *s, const char *why)
{
	char	*text;
	int	 ms, secs;

	ms = backoff_ms(s->attempt, session_random(s));
	if (s->attempt < 16)
		s->attempt++;
	secs = (ms + 999) / 1000;
	text = xasprintf("offline, retrying in %d s%s%s", secs,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	ev_state(s, CS_WAITING, text, secs);
	free(text);
	offline_wait(s, ms, false);
}

/* After the login: the folder list and the selected folder again; the
 * journal (what a crash, an outage or --offline left) follows. */
static enum sx
session_resume(struct session *s)
{
	enum sx	 x;

	ev_state(s, CS_SYNCING, NULL, 0);
	if ((x = folders_list(s)) == SX_BROKEN)
		return x;
	if (s->sel.name != NULL && s->sel.need_reselect &&
	    (x = sel_reselect(s)) == SX_BROKEN)
		return x;
	/* The journal goes once the commands the link cut off have run
	 * again (session_step), in the order they were made. */
	s->replay_due = s->njr > 0;
	s->attempt = 0;
	return SX_OK;
}

/* conn_open() hands out its wire, so session_stop() can cancel a login
 * that hangs. */
static void
session_on_wire(struct wire *w, void *arg)
{
	struct session	*s = arg;

	pthread_mutex_lock(&s->conn_mtx);
	s->opening = w;
	if (w != NULL && s->stop_requested)
		wire_cancel(w);
	pthread_mutex_unlock(&s->conn_mtx);
}

static void
session_on_login(void *arg)
{
	ev_state(arg, CS_AUTHENTICATING, NULL, 0);
}

static void
session_connect(struct session *s)
{
	struct conn_params	 p;
	struct conn		*c;
	enum conn_fail		 fail = CONN_RETRY;
	char			*err = NULL;

	memset(&p, 0, sizeof p);
	p.acct = &s->acct;
	p.password = s->password;
	p.trace = s->trace;
	p.on_wire = session_on_wire;
	p.on_login = session_on_login;
	p.on_wire_arg = s;
	ev_state(s, CS_CONNECTING, NULL, 0);
	if ((c = conn_open(&p, &fail, &err)) == NULL) {
		if (cmdq_stopping(&s->cmds)) {
			free(err);
			return;
		}
		if (fail == CONN_FATAL) {
			ev_state(s, CS_FAILED, err != NULL ? err :
			    "cannot connect", 0);
			free(err);
			offline_wait(s, -1, false);
			return;
		}
		session_wait_retry(s, err);
		free(err);
		return;
	}
	pthread_mutex_lock(&s->conn_mtx);
	s->opening = NULL;
	s->c = c;
	if (s->stop_requested)
		conn_cancel(c);
	pthread_mutex_unlock(&s->conn_mtx);
	if (cmdq_stopping(&s->cmds))
		return;
	/* Stream every FETCH through the handler (LIBETPAN.md 9). */
	mailimap_set_msg_att_handler(c->imap, sync_handler, s);
	mailimap_set_progress_callback(c->imap, NULL, fetch_progress, s);
	crash_logger_install(s);
	if (session_resume(s) == SX_BROKEN) {
		session_drop(s);
		session_wait_retry(s, s->broken);
	}
}

static void *
session_main(void *arg)
{
	struct session	*s = arg;
	enum sx		 x;

	cache_open(s);
	if (s->offline) {
		ev_state(s, CS_OFFLINE, "offline (cached)", 0);
		offline_wait(s, -1, true);
		cache_close(s);
		return NULL;
	}
	/* The UI's first IC_SELECT is queued by now, or nearly: paint it
	 * from the cache before the first round trip. */
	if (s->store != NULL && s->fl.n > 0)
		cmdq_wait_for(&s->cmds, IC_SELECT, STARTUP_WAIT_MS);
	offline_wait(s, 0, false);
	while (!cmdq_stopping(&s->cmds)) {
		if (s->c == NULL) {
			session_connect(s);
			continue;
		}
		x = session_step(s);
		cache_flush(s);
		/* The step's last rows, once the UI has them. */
		if (s->untrimmed > 0 && evq_wait_rows(&s->events, 0,
		    EV_ROWS_WAIT_MS))
			session_trim(s, 0);
		if (x != SX_BROKEN)
			continue;
		session_drop(s);
		/* A message libetpan cannot parse is no network trouble:
		 * reconnect at once and go around it (fetch.c). */
		if (!s->retry_now && !cmdq_stopping(&s->cmds))
			session_wait_retry(s, s->broken);
		s->retry_now = false;
	}
	/* Before the drop, which asks for a re-select. */
	cache_save_sync(s);
	if (s->c != NULL)
		session_drop(s);
	wire_log(s, "exit");
	cache_close(s);
	return NULL;
}

/* ---- the API ---- */

static void
account_copy(struct account *dst, const struct account *src)
{
	*dst = *src;
	dst->name = src->name != NULL ? xstrdup(src->name) : NULL;
	dst->host = src->host != NULL ? xstrdup(src->host) : NULL;
	dst->user = src->user != NULL ? xstrdup(src->user) : NULL;
	dst->ca_file = src->ca_file != NULL ? xstrdup(src->ca_file) : NULL;
	dst->folder = src->folder != NULL ? xstrdup(src->folder) : NULL;
	dst->trash = src->trash != NULL ? xstrdup(src->trash) : NULL;
	dst->password = NULL;		/* the session takes it apart */
	dst->password_cmd = NULL;
}

static void
account_clear(struct account *a)
{
	free(a->name);
	free(a->host);
	free(a->user);
	free(a->ca_file);
	free(a->folder);
	free(a->trash);
	memset(a, 0, sizeof *a);
}

static void
session_free(struct session *s)
{
	evq_destroy(&s->events);
	cmdq_destroy(&s->cmds);
	pthread_mutex_destroy(&s->conn_mtx);
	account_clear(&s->acct);
	xfree_secret(s->password);
	free(s->fallback_charset);
	free(s->broken);
	free(s->no_text);
	free(s->cur_raw);
	free(s->modified);
	free(s->last_why);
	store_pending_free(s->jr, s->njr);
	jr_wait_free(s);
	sel_clear(&s->sel);
	folders_free(&s->fl);
	fx_reset(&s->fx);
	buf_free(&s->fx.body);
	free(s);
}

/* What the cache needs from the options, and the kill test's hook. */
static void
session_cache_opts(struct session *s, const struct session_opts *o)
{
	static const enum store_order orders[] = {
		[SORT_DATE] = SO_DATE, [SORT_ARRIVAL] = SO_ARRIVAL,
		[SORT_FROM] = SO_FROM, [SORT_SUBJECT] = SO_SUBJECT,
		[SORT_SIZE] = SO_SIZE,
	};
	const char	*crash = getenv("QUIRE_TEST_CRASH_AT"), *colon;

	s->order = SO_DATE;
	s->order_flags = SL_REVERSE;
	if (o->cfg != NULL) {
		if ((size_t)o->cfg->opt.sort < nitems(orders))
			s->order = orders[o->cfg->opt.sort];
		s->order_flags = o->cfg->opt.sort_reverse ? SL_REVERSE : 0;
		s->body_budget = o->cfg->opt.body_cache_size > 0 ?
		    (uint64_t)o->cfg->opt.body_cache_size : 0;
	}
	if (crash != NULL && (colon = strchr(crash, ':')) != NULL) {
		s->crash_step = s->crash_buf;
		snprintf(s->crash_buf, sizeof s->crash_buf, "%.*s",
		    (int)(colon - crash), crash);
		s->crash_n = (unsigned)strtoul(colon + 1, NULL, 10);
	}
}

struct session *
session_start(struct session_opts *o, char **err)
{
	struct session	*s;
	const char	*fb;
	int		 r;

	s = xcalloc(1, sizeof *s);
	if (cmdq_init(&s->cmds, err) == -1) {
		free(s);
		return NULL;
	}
	if (evq_init(&s->events, err) == -1) {
		cmdq_destroy(&s->cmds);
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->conn_mtx, NULL);
	account_copy(&s->acct, o->acct);
	s->password = o->password;
	o->password = NULL;
	fb = o->cfg != NULL ? o->cfg->opt.fallback_charset : NULL;
	s->fallback_charset = xstrdup(fb != NULL ? fb : "windows-1252");
	s->offline = o->offline;
	s->trace = log_enabled(LL_TRACE);
	session_cache_opts(s, o);
	s->state = CS_OFFLINE;
	s->rand_state = (uint64_t)mono_ms() * 0x9E3779B97F4A7C15ULL ^
	    (uint64_t)(uintptr_t)s ^ (uint64_t)getpid();
	if (s->rand_state == 0)
		s->rand_state = 1;
	seqmap_init(&s->sel.map);
	s->sel.bf_floor = UINT32_MAX;
	if ((r = pthread_create(&s->thread, NULL, session_main, s)) != 0) {
		*err = xasprintf("cannot start the session thread: %s",
		    strerror(r));
		session_free(s);
		return NULL;
	}
	return s;
}

void
session_send(struct session *s, struct imap_cmd *cmd)
{
	if (s == NULL || cmd == NULL) {
		imap_cmd_free(&cmd);
		return;
	}
	cmdq_push(&s->cmds, cmd);
}

int
session_event_fd(const struct session *s)
{
	return evq_fd(&s->events);
}

struct imap_event *
session_next_event(struct session *s)
{
	return evq_pop(&s->events);
}

void
session_stop(struct session **sp)
{
	struct session	*s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	cmdq_stop(&s->cmds);
	pthread_mutex_lock(&s->conn_mtx);
	s->stop_requested = true;
	if (s->c != NULL)
		conn_cancel(s->c);
	else if (s->opening != NULL)
		wire_cancel(s->opening);
	pthread_mutex_unlock(&s->conn_mtx);
	pthread_join(s->thread, NULL);
	session_free(s);
	*sp = NULL;
}

/*
 * test_store: the session with its store (src/imap/cache.c, journal.c)
 * against the Dovecot fixture, driven as the UI would, over several runs
 * of one process each, the way quire is started and stopped (or killed).
 * Run by store.sh, which sets XDG_CACHE_HOME and the fixture's variables.
 *
 *   test_store fill CONFIG FOLDER          open FOLDER until every row is
 *                                          in (the cache is then warm)
 *   test_store warm CONFIG FOLDER N        with the server silent: FOLDER
 *                                          paints N rows from the cache
 *   test_store plan CONFIG FOLDER TARGET PLAN   write 50 changes to PLAN
 *   test_store apply CONFIG PLAN DONE      send them all; each one the
 *                                          session answers OK goes to DONE
 *                                          (QUIRE_TEST_CRASH_AT kills it)
 *   test_store resume CONFIG PLAN DONE     restart: the journal's replay,
 *                                          then what never reached it
 *   test_store check PLAN                  doveadm: each change is on the
 *                                          server exactly once
 *   test_store store-offline CONFIG FOLDER UID [offline]   a flag change
 *                                          while the server is down, or
 *                                          under --offline (journalled)
 *   test_store renumbered CONFIG FOLDER OLDVALIDITY   after a
 *                                          UIDVALIDITY change
 *   test_store body CONFIG FOLDER UID [offline]  read a body (cached)
 *   test_store garbage CONFIG FOLDER       after the file was overwritten
 *
 * Output is TAP (numbered per run; store.sh renumbers), with figures as
 * comments.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quire/config.h"
#include "quire/imap.h"
#include "quire/mail.h"
#include "quire/store.h"
#include "quire/util.h"
#include "ctap.h"

#define NCHANGES	50

static bool	 good;		/* a check, evaluated before its tap line */

/* ---- what the UI would keep ---- */

#define MAXUID	20000

struct model {
	uint64_t	 generation;
	uint32_t	 uidvalidity;
	uint32_t	 messages;	/* IE_SELECTED */
	int		 selected;
	bool		 have[MAXUID];
	uint8_t		 flags[MAXUID];
	char		*msgid[MAXUID];
	size_t		 nrows;
	int64_t		 first_rows_ms;	/* since the IE_SELECT was sent */
	int64_t		 t0;
	enum conn_state	 state;
	bool		 was_online;
	char		*notices;	/* all of them, one per line */
	uint64_t	 done_id;
	bool		 done_ok;
	char		*done_text;
	char		*body;
	size_t		 body_len;
	int		 dones_ok[NCHANGES + 1];	/* by change, 1 ok */
	uint64_t	 ids[NCHANGES + 1];
	int		 done_fd;
};

static struct model	 M;

static void
on_event(struct model *m, struct imap_event *ev)
{
	size_t		 i;
	uint32_t	 u;
	char		 line[32];

	switch (ev->type) {
	case IE_STATE:
		m->state = ev->state;
		if (ev->state == CS_ONLINE)
			m->was_online = true;
		break;
	case IE_SELECTED:
		if (ev->nfolders > 0) {
			m->uidvalidity = ev->folders[0].uidvalidity;
			m->messages = ev->folders[0].messages;
		}
		m->selected++;
		break;
	case IE_SUMMARIES:
		if (m->first_rows_ms < 0)
			m->first_rows_ms = now_ms() - m->t0;
		for (i = 0; i < ev->nrows; i++) {
			u = ev->rows[i].uid;
			if (u == 0 || u >= MAXUID)
				continue;
			if (!m->have[u])
				m->nrows++;
			m->have[u] = true;
			m->flags[u] = (uint8_t)ev->rows[i].flags;
			free(m->msgid[u]);
			m->msgid[u] = ev->rows[i].message_id != NULL ?
			    xstrdup(ev->rows[i].message_id) : NULL;
		}
		break;
	case IE_FLAGS:
		if (ev->uid < MAXUID)
			m->flags[ev->uid] = (uint8_t)ev->flags;
		break;
	case IE_EXPUNGED:
		for (i = 0; i < ev->nuids; i++)
			if (ev->uids[i] < MAXUID && m->have[ev->uids[i]]) {
				m->have[ev->uids[i]] = false;
				m->nrows--;
			}
		break;
	case IE_NOTICE:
		diag("notice: %s", ev->text != NULL ? ev->text : "");
		m->notices = m->notices == NULL ? xstrdup(ev->text) :
		    xasprintf("%s\n%s", m->notices, ev->text);
		break;
	case IE_BODY:
		free(m->body);
		m->body = ev->data;
		m->body_len = ev->len;
		ev->data = NULL;
		break;
	case IE_DONE:
		m->done_id = ev->id;
		m->done_ok = ev->ok;
		free(m->done_text);
		m->done_text = ev->text != NULL ? xstrdup(ev->text) : NULL;
		if (!ev->ok)
			diag("command %llu failed: %s",
			    (unsigned long long)ev->id, ev->text != NULL ?
			    ev->text : "");
		for (i = 1; i <= NCHANGES && ev->id != 0; i++)
			if (m->ids[i] == ev->id && ev->ok) {
				m->dones_ok[i] = 1;
				if (m->done_fd >= 0) {
					snprintf(line, sizeof line, "%zu\n", i);
					(void)write(m->done_fd, line,
					    strlen(line));
				}
			}
		break;
	default:
		break;
	}
}

typedef bool (*pred_fn)(const struct model *, const void *);

/* Feed events to the model until pred holds or ms pass. */
static bool
pump(struct session *s, int ms, pred_fn pred, const void *arg)
{
	struct imap_event	*ev;
	int64_t			 end = now_ms() + ms;

	for (;;) {
		while ((ev = session_next_event(s)) != NULL) {
			on_event(&M, ev);
			imap_event_free(&ev);
		}
		if (pred != NULL && pred(&M, arg))
			return true;
		if (now_ms() >= end)
			return false;
		usleep(2000);
	}
}

static bool
is_done(const struct model *m, const void *a)
{
	return m->done_id == *(const uint64_t *)a;
}

static bool
is_online(const struct model *m, const void *a)
{
	(void)a;
	return m->state == CS_ONLINE;
}

static bool
rows_at_least(const struct model *m, const void *a)
{
	return m->nrows >= *(const size_t *)a;
}

static bool
all_done(const struct model *m, const void *a)
{
	const int	*want = a;
	int		 i;

	for (i = 1; i <= NCHANGES; i++)
		if (want[i] && !m->dones_ok[i])
			return false;
	return true;
}

static uint64_t	 next_id = 1;

static uint64_t
send_cmd(struct session *s, struct imap_cmd *cmd)
{
	cmd->id = next_id++;
	cmd->generation = M.generation;
	session_send(s, cmd);
	return cmd->id;
}

static struct session *
start(const char *path, bool offline, struct config **cfgp)
{
	struct session_opts	 o;
	struct config		*cfg;
	const struct account	*a;
	struct session		*s;
	char			*err = NULL, *pw = NULL;

	/* STORE_TEST_LOG: the session's debug log with the protocol trace. */
	if (getenv("STORE_TEST_LOG") != NULL &&
	    log_open(getenv("STORE_TEST_LOG"), LL_TRACE, &err) == -1)
		bail("%s", err);
	cfg = config_load(path, true);
	if (cfg->nerrors > 0)
		bail("%s: %s", path, cfg->errors[0].msg);
	if ((a = config_account(cfg, NULL, &err)) == NULL ||
	    (!offline && config_password(a, &pw, &err) == -1))
		bail("%s", err);
	memset(&o, 0, sizeof o);
	o.cfg = cfg;
	o.acct = a;
	o.password = pw;
	o.offline = offline;
	if ((s = session_start(&o, &err)) == NULL)
		bail("%s", err);
	*cfgp = cfg;
	M.done_fd = -1;
	return s;
}

static void
stop(struct session **s, struct config **cfg)
{
	session_stop(s);
	config_free(cfg);
}

/* Open folder; true once IE_DONE for the IC_SELECT came back OK. */
static bool
open_folder(struct session *s, const char *folder)
{
	struct imap_cmd	*cmd;
	uint64_t	 id;

	M.generation++;
	M.t0 = now_ms();
	M.first_rows_ms = -1;
	cmd = imap_cmd_new(IC_SELECT);
	cmd->folder = xstrdup(folder);
	id = send_cmd(s, cmd);
	return pump(s, 20000, is_done, &id) && M.done_ok;
}

/* ---- doveadm, the other client ---- */

static int QUIRE_PRINTF(3, 4)
doveadm(char *out, size_t outsz, const char *fmt, ...)
{
	struct buf	 cmd = BUF_INIT;
	va_list		 ap;
	FILE		*f;
	size_t		 n = 0;
	char		 sink[4096];
	int		 st;

	buf_printf(&cmd, "doveadm -c '%s/main.conf' ", getenv("QF_DIR"));
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_addstr(&cmd, " 2>&1");
	if ((f = popen(buf_str(&cmd), "r")) == NULL)
		bail("popen doveadm");
	if (out != NULL) {
		n = fread(out, 1, outsz - 1, f);
		out[n] = '\0';
	}
	while (fread(sink, 1, sizeof sink, f) > 0)
		;
	st = pclose(f);
	buf_free(&cmd);
	return st;
}

/* The server's flags of uid as MF_*, or -1 when it has no such message. */
static int
server_flags(const char *folder, uint32_t uid)
{
	static const struct { const char *name; int bit; } names[] = {
		{ "\\Seen", MF_SEEN }, { "\\Answered", MF_ANSWERED },
		{ "\\Flagged", MF_FLAGGED }, { "\\Deleted", MF_DELETED },
		{ "\\Draft", MF_DRAFT },
	};
	char	 out[4096], want[32];
	int	 f = 0;
	size_t	 i;

	doveadm(out, sizeof out, "fetch 'uid flags' mailbox '%s' uid %u",
	    folder, uid);
	snprintf(want, sizeof want, "uid: %u\n", uid);
	if (strstr(out, want) == NULL)
		return -1;
	for (i = 0; i < nitems(names); i++)
		if (strstr(out, names[i].name) != NULL)
			f |= names[i].bit;
	return f;
}

/* How many messages of folder have this Message-ID. */
static int
server_count_msgid(const char *folder, const char *msgid)
{
	char	 out[8192], *p;
	int	 n = 0;

	doveadm(out, sizeof out, "search mailbox '%s' header message-id '%s'",
	    folder, msgid);
	for (p = out; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n;
}

/* ---- the plan: 50 changes, some to the same message twice ---- */

enum chg { CH_ADD, CH_REMOVE, CH_MOVE, CH_EXPUNGE };

struct change {
	int		 k;
	enum chg		 op;
	uint32_t	 uid;
	uint32_t	 flag;		/* CH_ADD, CH_REMOVE */
	uint32_t	 before;	/* the server's flags at planning */
	char		 msgid[512];
};

struct plan {
	char		 folder[256];
	char		 target[256];
	struct change	 c[NCHANGES + 1];
};

static void
plan_read(const char *path, struct plan *p)
{
	FILE	*f = fopen(path, "r");
	int	 k, op;
	unsigned long uid, flag, before;
	char	 msgid[512];

	if (f == NULL || fscanf(f, "%255s %255s", p->folder, p->target) != 2)
		bail("cannot read the plan %s", path);
	while (fscanf(f, "%d %d %lu %lu %lu %511s", &k, &op, &uid, &flag,
	    &before, msgid) == 6 && k >= 1 && k <= NCHANGES) {
		p->c[k].k = k;
		p->c[k].op = (enum chg)op;
		p->c[k].uid = (uint32_t)uid;
		p->c[k].flag = (uint32_t)flag;
		p->c[k].before = (uint32_t)before;
		snprintf(p->c[k].msgid, sizeof p->c[k].msgid, "%s", msgid);
	}
	fclose(f);
}

/* Changes 1-25 touch 25 messages once; 26-50 the same ones again: undo
 * the first change, add another flag, move, expunge (after \Deleted). */
static void
mode_plan(const char *cfgpath, const char *folder, const char *target,
    const char *out)
{
	struct config	*cfg;
	struct session	*s;
	uint32_t	 uids[25];
	size_t		 want = 30, n = 0;
	FILE		*f;
	int		 k, j;
	uint32_t	 u;

	s = start(cfgpath, false, &cfg);
	if (!open_folder(s, folder) || !pump(s, 30000, rows_at_least, &want))
		bail("cannot open %s", folder);
	pump(s, 30000, is_online, NULL);
	for (u = MAXUID - 1; u > 0 && n < 25; u--)
		if (M.have[u] && M.msgid[u] != NULL &&
		    strchr(M.msgid[u], '\'') == NULL &&
		    strchr(M.msgid[u], ' ') == NULL &&
		    !(M.flags[u] & MF_DELETED))
			uids[n++] = u;
	if (n < 25)
		bail("%s has only %zu messages to change", folder, n);
	if ((f = fopen(out, "w")) == NULL)
		bail("cannot write %s", out);
	fprintf(f, "%s %s\n", folder, target);
	for (k = 1; k <= NCHANGES; k++) {
		j = (k - 1) % 25;
		u = uids[j];
		if (k <= 25)
			fprintf(f, "%d %d %u %u", k, CH_ADD, u, j % 5 == 3 ?
			    MF_DELETED : j % 2 ? MF_SEEN : MF_FLAGGED);
		else if (j % 5 == 0)
			fprintf(f, "%d %d %u 0", k, CH_MOVE, u);
		else if (j % 5 == 1)
			fprintf(f, "%d %d %u %u", k, CH_REMOVE, u, j % 2 ?
			    MF_SEEN : MF_FLAGGED);
		else if (j % 5 == 2)
			fprintf(f, "%d %d %u %u", k, CH_ADD, u, MF_ANSWERED);
		else if (j % 5 == 3)
			fprintf(f, "%d %d %u 0", k, CH_EXPUNGE, u);
		else
			fprintf(f, "%d %d %u %u", k, CH_ADD, u, MF_DRAFT);
		fprintf(f, " %u %s\n", M.flags[u] & 0x1f, M.msgid[u]);
	}
	fclose(f);
	tap(true, "planned %d changes to %s (moves to %s)", NCHANGES, folder,
	    target);
	stop(&s, &cfg);
}

static uint64_t
send_change(struct session *s, const struct plan *p, const struct change *c)
{
	struct imap_cmd	*cmd;

	cmd = imap_cmd_new(c->op == CH_MOVE ? IC_MOVE : c->op == CH_EXPUNGE ?
	    IC_EXPUNGE : IC_STORE);
	cmd->folder = xstrdup(p->folder);
	cmd->uidvalidity = M.uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = c->uid;
	cmd->nuids = 1;
	if (c->op == CH_ADD)
		cmd->add = c->flag;
	if (c->op == CH_REMOVE)
		cmd->remove = c->flag;
	if (c->op == CH_MOVE)
		cmd->target = xstrdup(p->target);
	return send_cmd(s, cmd);
}

/* All 50 at once, as fast as a user with a macro: they queue up. */
static void
mode_apply(const char *cfgpath, const char *planpath, const char *donepath)
{
	struct config	*cfg;
	struct session	*s;
	struct plan	 p;
	int		 want[NCHANGES + 1], k;
	int64_t		 t0;

	memset(&p, 0, sizeof p);
	plan_read(planpath, &p);
	s = start(cfgpath, false, &cfg);
	if ((M.done_fd = open(donepath, O_WRONLY | O_CREAT | O_APPEND,
	    0600)) == -1)
		bail("cannot write %s", donepath);
	if (!open_folder(s, p.folder))
		bail("cannot open %s", p.folder);
	pump(s, 30000, is_online, NULL);
	t0 = now_ms();
	for (k = 1; k <= NCHANGES; k++) {
		want[k] = 1;
		M.ids[k] = send_change(s, &p, &p.c[k]);
	}
	want[0] = 0;
	good = pump(s, 60000, all_done, want);
	tap(good, "all %d changes done (%lld ms)",
	    NCHANGES, (long long)(now_ms() - t0));
	close(M.done_fd);
	stop(&s, &cfg);
}

/* The journal as the store has it, read while no session runs. */
static struct pending *
journal_read(const char *account, size_t *n)
{
	struct store	*st;
	struct pending	*p = NULL;
	char		*path, *err = NULL;

	*n = 0;
	if ((path = store_default_path(account, &err)) == NULL ||
	    (st = store_open(path, NULL, &err)) == NULL)
		bail("cache: %s", err);
	free(path);
	if (store_pending_list(st, NULL, &p, n, &err) == -1)
		bail("journal: %s", err);
	store_close(&st);
	return p;
}

static bool
journal_has(const struct pending *j, size_t n, const struct change *c)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (j[i].uid != c->uid)
			continue;
		if ((c->op == CH_MOVE && j[i].kind == PENDING_MOVE) ||
		    (c->op == CH_EXPUNGE && j[i].kind == PENDING_EXPUNGE) ||
		    (c->op == CH_ADD && j[i].kind == PENDING_FLAGS &&
		    j[i].add == c->flag) ||
		    (c->op == CH_REMOVE && j[i].kind == PENDING_FLAGS &&
		    j[i].remove == c->flag))
			return true;
	}
	return false;
}

/* After a kill: start again (the replay goes first), then send what
 * neither the server confirmed nor the journal kept, as a user redoing
 * what the screen does not show. */
static void
mode_resume(const char *cfgpath, const char *planpath, const char *donepath)
{
	struct config	*cfg;
	struct session	*s;
	struct plan	 p;
	struct pending	*j;
	FILE		*f;
	int		 want[NCHANGES + 1], k, redo = 0;
	size_t		 nj, nj2;
	const struct account *a;

	memset(&p, 0, sizeof p);
	memset(want, 0, sizeof want);
	plan_read(planpath, &p);
	if ((f = fopen(donepath, "r")) != NULL) {
		while (fscanf(f, "%d", &k) == 1)
			if (k >= 1 && k <= NCHANGES)
				M.dones_ok[k] = 1;
		fclose(f);
	}
	cfg = config_load(cfgpath, true);
	a = config_account(cfg, NULL, NULL);
	j = journal_read(a->name, &nj);
	config_free(&cfg);
	diag("after the kill: %zu change%s in the journal", nj,
	    nj == 1 ? "" : "s");
	s = start(cfgpath, false, &cfg);
	if (!open_folder(s, p.folder))
		bail("cannot open %s", p.folder);
	good = pump(s, 30000, is_online, NULL);
	tap(good, "back online, journal replayed");
	for (k = 1; k <= NCHANGES; k++) {
		if (M.dones_ok[k] || journal_has(j, nj, &p.c[k]))
			continue;
		want[k] = 1;
		redo++;
		M.ids[k] = send_change(s, &p, &p.c[k]);
	}
	diag("sent again by hand: %d", redo);
	good = pump(s, 60000, all_done, want);
	tap(good, "the %d change%s redone are done",
	    redo, redo == 1 ? "" : "s");
	pump(s, 30000, is_online, NULL);
	stop(&s, &cfg);
	store_pending_free(j, nj);
	cfg = config_load(cfgpath, true);
	a = config_account(cfg, NULL, NULL);
	j = journal_read(a->name, &nj2);
	tap(nj2 == 0, "the journal is empty (%zu left)", nj2);
	store_pending_free(j, nj2);
	config_free(&cfg);
}

/* The final state the plan asks for, message by message. */
static void
mode_check(const char *planpath)
{
	struct plan	 p;
	uint32_t	 want;
	int		 k, i, got, bad = 0, moved = 0, gone = 0, n;
	bool		 is_moved, is_gone;

	memset(&p, 0, sizeof p);
	plan_read(planpath, &p);
	for (k = 1; k <= 25; k++) {
		want = p.c[k].before;
		is_moved = is_gone = false;
		for (i = k; i <= NCHANGES; i += 25) {
			switch (p.c[i].op) {
			case CH_ADD:	want |= p.c[i].flag; break;
			case CH_REMOVE:	want &= ~p.c[i].flag; break;
			case CH_MOVE:	is_moved = true; break;
			case CH_EXPUNGE: is_gone = true; break;
			}
		}
		got = server_flags(p.folder, p.c[k].uid);
		if (is_moved || is_gone) {
			n = server_count_msgid(p.target, p.c[k].msgid);
			if (got != -1 || n != (is_moved ? 1 : 0)) {
				bad++;
				diag("uid %u (%s): %s in %s, %d in %s",
				    p.c[k].uid, is_moved ? "moved" : "expunged",
				    got == -1 ? "gone" : "still", p.folder, n,
				    p.target);
			}
			moved += is_moved;
			gone += is_gone;
		} else if (got != (int)want) {
			bad++;
			diag("uid %u: flags 0x%x on the server, 0x%x wanted",
			    p.c[k].uid, (unsigned)got, want);
		}
	}
	tap(bad == 0, "the server has every change exactly once: 25 "
	    "messages, %d moved once, %d expunged, the rest with their "
	    "flags (%d wrong)", moved, gone, bad);
}

/* ---- the cache's cases ---- */

static void
mode_fill(const char *cfgpath, const char *folder)
{
	struct config	*cfg;
	struct session	*s;

	s = start(cfgpath, false, &cfg);
	good = open_folder(s, folder) && pump(s, 120000, is_online, NULL);
	tap(good,
	    "%s opened and every row fetched: %zu rows, the cache is warm",
	    folder, M.nrows);
	/* The sync state is stored when the session first goes idle. */
	usleep(300 * 1000);
	pump(s, 100, NULL, NULL);
	stop(&s, &cfg);
}

/* The server says nothing at all (the proxy holds every connection
 * before the greeting), yet the folder paints from the cache. */
static void
mode_warm(const char *cfgpath, const char *folder, size_t want)
{
	struct config	*cfg;
	struct session	*s;
	int64_t		 t0 = now_ms();

	s = start(cfgpath, false, &cfg);
	M.t0 = now_ms();
	M.first_rows_ms = -1;
	M.generation++;
	{
		struct imap_cmd *cmd = imap_cmd_new(IC_SELECT);

		cmd->folder = xstrdup(folder);
		send_cmd(s, cmd);
	}
	good = pump(s, 5000, rows_at_least, &want) && M.nrows == want;
	tap(good,
	    "with a silent server %s paints all %zu cached rows (%zu)",
	    folder, want, M.nrows);
	tap(M.first_rows_ms >= 0 && M.first_rows_ms < 500,
	    "the first rows came %lld ms after the IC_SELECT, before any "
	    "answer from the server", (long long)M.first_rows_ms);
	tap(M.state != CS_ONLINE && !M.was_online,
	    "and the session is not online (state %d)", (int)M.state);
	diag("warm paint: first rows %lld ms, all %zu rows %lld ms after "
	    "the start", (long long)M.first_rows_ms, M.nrows,
	    (long long)(now_ms() - t0));
	stop(&s, &cfg);
}

static bool
is_waiting(const struct model *m, const void *a)
{
	(void)a;
	return m->state == CS_WAITING || m->state == CS_FAILED;
}

/* The server is down: the change goes to the journal, to wait. */
static void
mode_store_offline(const char *cfgpath, const char *folder, uint32_t uid,
    bool offline)
{
	struct config	*cfg;
	struct session	*s;
	struct imap_cmd	*cmd;
	struct pending	*j;
	const struct account *a;
	size_t		 nj;

	s = start(cfgpath, offline, &cfg);
	good = open_folder(s, folder) && M.have[uid];
	tap(good,
	    "%s, %s opens from the cache (%zu rows, uid %u among them)",
	    offline ? "with --offline" : "with the server down", folder,
	    M.nrows, uid);
	if (!offline) {
		good = pump(s, 10000, is_waiting, NULL);
		tap(good, "the session waits for the server (state %d)",
		    (int)M.state);
	}
	cmd = imap_cmd_new(IC_STORE);
	cmd->folder = xstrdup(folder);
	cmd->uidvalidity = M.uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = uid;
	cmd->nuids = 1;
	cmd->add = MF_FLAGGED;
	send_cmd(s, cmd);
	pump(s, 500, NULL, NULL);
	stop(&s, &cfg);
	cfg = config_load(cfgpath, true);
	a = config_account(cfg, NULL, NULL);
	j = journal_read(a->name, &nj);
	tap(nj == 1 && j[0].uid == uid && j[0].add == MF_FLAGGED,
	    "the flag change made offline waits in the journal (%zu entries)",
	    nj);
	store_pending_free(j, nj);
	config_free(&cfg);
}

/* Open the folder once the server renumbered it between two runs. */
static void
mode_renumbered(const char *cfgpath, const char *folder, uint32_t old_v)
{
	struct config	*cfg;
	struct session	*s;
	struct pending	*j;
	const struct account *a;
	size_t		 nj, want = 1;

	s = start(cfgpath, false, &cfg);
	good = open_folder(s, folder);
	tap(good, "%s opens", folder);
	good = pump(s, 30000, is_online, NULL) && M.uidvalidity != old_v &&
	    M.nrows == M.messages && M.nrows >= want;
	tap(good,
	    "it is reloaded under the new UIDVALIDITY %u (was %u): %zu rows of "
	    "%u", M.uidvalidity, old_v, M.nrows, M.messages);
	good = M.notices != NULL && strstr(M.notices, "renumbered") != NULL &&
	    strstr(M.notices, "1 change not yet sent") != NULL;
	tap(good,
	    "the user is told the cache and 1 pending change were dropped");
	stop(&s, &cfg);
	cfg = config_load(cfgpath, true);
	a = config_account(cfg, NULL, NULL);
	j = journal_read(a->name, &nj);
	tap(nj == 0, "the journal holds nothing for the old UIDs (%zu)", nj);
	store_pending_free(j, nj);
	config_free(&cfg);
}

static void
mode_body(const char *cfgpath, const char *folder, uint32_t uid,
    bool offline)
{
	struct config	*cfg;
	struct session	*s;
	struct imap_cmd	*cmd;
	uint64_t	 id;
	int64_t		 t0;

	s = start(cfgpath, offline, &cfg);
	good = open_folder(s, folder);
	tap(good, "%s opens%s", folder, offline ?
	    " offline, from the cache" : "");
	cmd = imap_cmd_new(IC_FETCH_BODY);
	cmd->folder = xstrdup(folder);
	cmd->uidvalidity = M.uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = uid;
	cmd->nuids = 1;
	t0 = now_ms();
	id = send_cmd(s, cmd);
	good = pump(s, 20000, is_done, &id) && M.done_ok && M.body != NULL &&
	    M.body_len > 100 && strstr(M.body, "Message-ID") != NULL;
	tap(good,
	    "uid %u reads%s: %zu bytes in %lld ms", uid, offline ?
	    " from the body cache" : "", M.body_len,
	    (long long)(now_ms() - t0));
	if (offline)
		tap(M.state == CS_OFFLINE, "and the session stays offline");
	stop(&s, &cfg);
}

/* The database was overwritten: set aside, rebuilt, the user told. */
static void
mode_garbage(const char *cfgpath, const char *folder)
{
	struct config	*cfg;
	struct session	*s;

	s = start(cfgpath, false, &cfg);
	good = open_folder(s, folder) && pump(s, 30000, is_online, NULL) &&
	    M.nrows > 0 && M.nrows == M.messages;
	tap(good,
	    "%s opens and loads from the server: %zu rows", folder, M.nrows);
	good = M.notices != NULL && strstr(M.notices, "broken") != NULL;
	tap(good,
	    "the user is told the cache was set aside");
	stop(&s, &cfg);
}

/* ---- COPY through a kill: never done twice ---- */

#define NCOPIES	5

struct copyplan {
	char		 folder[256];
	char		 target[256];
	uint32_t	 uid[NCOPIES + 1];
	char		 msgid[NCOPIES + 1][512];
};

static void
copyplan_read(const char *path, struct copyplan *p)
{
	FILE		*f = fopen(path, "r");
	unsigned long	 uid;
	int		 k;
	char		 msgid[512];

	if (f == NULL || fscanf(f, "%255s %255s", p->folder, p->target) != 2)
		bail("cannot read the copy plan %s", path);
	while (fscanf(f, "%d %lu %511s", &k, &uid, msgid) == 3 && k >= 1 &&
	    k <= NCOPIES) {
		p->uid[k] = (uint32_t)uid;
		snprintf(p->msgid[k], sizeof p->msgid[k], "%s", msgid);
	}
	fclose(f);
}

/* NCOPIES COPYs of one message each to target, queued at once; the plan
 * (which message each is) is written first, for the resume. */
static void
mode_copy(const char *cfgpath, const char *folder, const char *target,
    const char *planpath, const char *donepath)
{
	struct config	*cfg;
	struct session	*s;
	struct imap_cmd	*cmd;
	int		 want[NCHANGES + 1], k = 0;
	uint32_t	 u;
	FILE		*f;

	memset(want, 0, sizeof want);
	s = start(cfgpath, false, &cfg);
	if ((M.done_fd = open(donepath, O_WRONLY | O_CREAT | O_APPEND,
	    0600)) == -1)
		bail("cannot write %s", donepath);
	if (!open_folder(s, folder) || !pump(s, 30000, is_online, NULL))
		bail("cannot open %s", folder);
	if ((f = fopen(planpath, "w")) == NULL)
		bail("cannot write %s", planpath);
	fprintf(f, "%s %s\n", folder, target);
	for (u = MAXUID - 1; u > 0 && k < NCOPIES; u--)
		if (M.have[u] && M.msgid[u] != NULL &&
		    strchr(M.msgid[u], '\'') == NULL &&
		    strchr(M.msgid[u], ' ') == NULL)
			fprintf(f, "%d %u %s\n", ++k, u, M.msgid[u]);
	fclose(f);
	if (k < NCOPIES)
		bail("%s has only %d messages to copy", folder, k);
	for (u = MAXUID - 1, k = 1; u > 0 && k <= NCOPIES; u--) {
		if (!M.have[u] || M.msgid[u] == NULL ||
		    strchr(M.msgid[u], '\'') != NULL ||
		    strchr(M.msgid[u], ' ') != NULL)
			continue;
		cmd = imap_cmd_new(IC_COPY);
		cmd->folder = xstrdup(folder);
		cmd->uidvalidity = M.uidvalidity;
		cmd->uids = xmalloc(sizeof *cmd->uids);
		cmd->uids[0] = u;
		cmd->nuids = 1;
		cmd->target = xstrdup(target);
		want[k] = 1;
		M.ids[k++] = send_cmd(s, cmd);
	}
	good = pump(s, 60000, all_done, want);
	tap(good, "all %d copies to %s done", NCOPIES, target);
	close(M.done_fd);
	stop(&s, &cfg);
}

/* After a kill: what the journal held, a start (the replay), and then
 * every copy on the server at most once, and exactly once when the UI
 * heard it confirmed or the journal held it unsent; a copy marked sent is
 * not repeated (it may or may not have been done), and the user is told. */
static void
mode_copy_resume(const char *cfgpath, const char *planpath,
    const char *donepath)
{
	struct config	*cfg;
	struct session	*s;
	struct copyplan	 p;
	struct pending	*j;
	const struct account *a;
	FILE		*f;
	size_t		 nj, i;
	int		 k, n, bad = 0, done[NCOPIES + 1], state[NCOPIES + 1];
	int		 sent = 0;

	memset(&p, 0, sizeof p);
	memset(done, 0, sizeof done);
	copyplan_read(planpath, &p);
	if ((f = fopen(donepath, "r")) != NULL) {
		while (fscanf(f, "%d", &k) == 1)
			if (k >= 1 && k <= NCOPIES)
				done[k] = 1;
		fclose(f);
	}
	cfg = config_load(cfgpath, true);
	a = config_account(cfg, NULL, NULL);
	j = journal_read(a->name, &nj);
	config_free(&cfg);
	for (k = 1; k <= NCOPIES; k++) {
		state[k] = -1;		/* not in the journal */
		for (i = 0; i < nj; i++)
			if (j[i].kind == PENDING_COPY && j[i].uid == p.uid[k])
				state[k] = (int)j[i].state;
		sent += state[k] == PENDING_SENT;
	}
	store_pending_free(j, nj);
	s = start(cfgpath, false, &cfg);
	good = open_folder(s, p.folder) && pump(s, 30000, is_online, NULL);
	tap(good, "back online after the kill, journal replayed");
	pump(s, 1000, NULL, NULL);
	stop(&s, &cfg);
	for (k = 1; k <= NCOPIES; k++) {
		n = server_count_msgid(p.target, p.msgid[k]);
		diag("copy %d (uid %u): %s, %s; %d in %s", k, p.uid[k],
		    done[k] ? "confirmed" : "not confirmed", state[k] == -1 ?
		    "not journalled" : state[k] == PENDING_SENT ?
		    "journalled as sent" : "journalled, unsent", n, p.target);
		/* Neither confirmed nor journalled: not sent, or done and
		 * cleared before its OK reached the UI (0 or 1). */
		if (n > 1 || ((done[k] || state[k] == PENDING_NEW) && n != 1))
			bad++;
	}
	tap(bad == 0, "no message is copied twice, and each confirmed or "
	    "unsent journalled copy is there once (%d wrong)", bad);
	good = sent == 0 || (M.notices != NULL &&
	    strstr(M.notices, "was not repeated") != NULL);
	tap(good, "%s", sent == 0 ? "no copy was cut short after it went "
	    "out" : "the copy cut short after it went out is not repeated, "
	    "and the user is told");
	cfg = config_load(cfgpath, true);
	a = config_account(cfg, NULL, NULL);
	j = journal_read(a->name, &nj);
	tap(nj == 0, "the journal is empty (%zu left)", nj);
	store_pending_free(j, nj);
	config_free(&cfg);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		bail("usage: see the top of test_store.c");
	if (strcmp(argv[1], "fill") == 0 && argc == 4)
		mode_fill(argv[2], argv[3]);
	else if (strcmp(argv[1], "warm") == 0 && argc == 5)
		mode_warm(argv[2], argv[3], strtoul(argv[4], NULL, 10));
	else if (strcmp(argv[1], "plan") == 0 && argc == 6)
		mode_plan(argv[2], argv[3], argv[4], argv[5]);
	else if (strcmp(argv[1], "apply") == 0 && argc == 5)
		mode_apply(argv[2], argv[3], argv[4]);
	else if (strcmp(argv[1], "resume") == 0 && argc == 5)
		mode_resume(argv[2], argv[3], argv[4]);
	else if (strcmp(argv[1], "check") == 0 && argc == 3)
		mode_check(argv[2]);
	else if (strcmp(argv[1], "store-offline") == 0 &&
	    (argc == 5 || argc == 6))
		mode_store_offline(argv[2], argv[3],
		    (uint32_t)strtoul(argv[4], NULL, 10), argc == 6);
	else if (strcmp(argv[1], "renumbered") == 0 && argc == 5)
		mode_renumbered(argv[2], argv[3],
		    (uint32_t)strtoul(argv[4], NULL, 10));
	else if (strcmp(argv[1], "body") == 0 && (argc == 5 || argc == 6))
		mode_body(argv[2], argv[3], (uint32_t)strtoul(argv[4], NULL,
		    10), argc == 6);
	else if (strcmp(argv[1], "copy") == 0 && argc == 7)
		mode_copy(argv[2], argv[3], argv[4], argv[5], argv[6]);
	else if (strcmp(argv[1], "copy-resume") == 0 && argc == 5)
		mode_copy_resume(argv[2], argv[3], argv[4]);
	else if (strcmp(argv[1], "garbage") == 0 && argc == 4)
		mode_garbage(argv[2], argv[3]);
	else
		bail("unknown mode or arguments: %s", argv[1]);
	printf("1..%d\n", tap_n);
	return 0;
}

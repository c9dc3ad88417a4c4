/*
 * test_engine: the session thread (src/imap) against the Dovecot fixture,
 * as the UI would drive it: commands in, events out, nothing else. Run by
 * engine.sh, which starts the fixture (and a faultproxy for the fault
 * modes) and exports QF_DIR, QF_MANIFEST and QF_USER.
 *
 *   test_engine basic CONFIG
 *   test_engine cut CONFIG CTLPORT       a cut in the middle of the backfill
 *   test_engine stall CONFIG CTLPORT     a silent server (timeout = 5)
 *   test_engine queued CONFIG CTLPORT LOG  STOREs queued while offline
 *   test_engine bad CONFIG UID           UID's ENVELOPE cannot be parsed
 *   test_engine failed CONFIG            a login that is refused
 *   test_engine stream CONFIG FOLDER     figures for one big folder
 *
 * CTLPORT is the faultproxy's control port; LOG receives the protocol
 * trace, from which "exactly once" is counted. Output is TAP, with the
 * measured figures (latencies, durations, memory) as comments.
 * doveadm plays the other client.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quire/config.h"
#include "quire/imap.h"
#include "quire/mail.h"
#include "quire/util.h"
#include "ctap.h"


/* ---- what the UI would keep ---- */

struct model {
	struct mail_folder *folders;
	size_t		 nfolders;
	char		*folder;		/* selected */
	uint64_t	 generation;
	uint32_t	 messages;		/* from IE_SELECTED */
	uint8_t		*flags;			/* by UID */
	bool		*have;			/* by UID */
	size_t		 cap;
	size_t		 nrows;			/* rows present */
	size_t		 dups;			/* rows sent twice */
	size_t		 chunks;
	size_t		 first_chunk;
	uint32_t	 min_uid;		/* lowest row so far */
	bool		 order_ok;		/* newest first throughout */
	uint64_t	 prog_done, prog_total;
	bool		 prog_ok;
	enum conn_state	 state;
	int		 waits;			/* CS_WAITING seen */
	char		*state_text;
	char		*wait_text;		/* the last CS_WAITING's */
	uint32_t	 last_flags_uid;
	uint32_t	 last_flags;
	uint32_t	*gone;			/* IE_EXPUNGED, all */
	size_t		 ngone;
	uint64_t	 done_id;
	bool		 done_ok;
	char		*done_text;
	char		*body;
	size_t		 body_len;
	char		*body_text;
	uint32_t	 new_uid;		/* newest row */
	uint32_t	*found;			/* the last IE_SEARCH */
	size_t		 nfound;
	int		 notices;
	char		*notice;		/* the last IE_NOTICE */
	uint32_t	 uidvalidity;		/* from IE_SELECTED */
	int		 selected;		/* IE_SELECTED seen */
	int		 connects;		/* CS_CONNECTING seen */
	uint32_t	 watch;			/* keep this row's subject */
	char		*watch_subject;
	char		*watch_from;
};

static void
model_grow(struct model *m, uint32_t uid)
{
	size_t	 ncap;

	if (uid < m->cap)
		return;
	ncap = m->cap == 0 ? 1024 : m->cap;
	while (ncap <= uid)
		ncap *= 2;
	m->flags = xreallocarray(m->flags, ncap, 1);
	m->have = xreallocarray(m->have, ncap, sizeof *m->have);
	memset(m->flags + m->cap, 0, ncap - m->cap);
	memset(m->have + m->cap, 0, (ncap - m->cap) * sizeof *m->have);
	m->cap = ncap;
}

static void
model_rows(struct model *m, const struct imap_event *ev)
{
	size_t	 i;
	uint32_t uid;

	if (m->chunks++ == 0)
		m->first_chunk = ev->nrows;
	for (i = 0; i < ev->nrows; i++) {
		uid = ev->rows[i].uid;
		model_grow(m, uid);
		if (m->have[uid])
			m->dups++;
		else
			m->nrows++;
		m->have[uid] = true;
		m->flags[uid] = (uint8_t)ev->rows[i].flags;
		if (uid == m->watch && m->watch != 0) {
			free(m->watch_subject);
			free(m->watch_from);
			m->watch_subject = ev->rows[i].subject == NULL ? NULL :
			    xstrdup(ev->rows[i].subject);
			m->watch_from = ev->rows[i].from == NULL ? NULL :
			    xstrdup(ev->rows[i].from);
		}
		if (uid > m->new_uid)
			m->new_uid = uid;
		/* The backfill goes down; new mail may come above. */
		if (uid < m->min_uid)
			m->min_uid = uid;
		else if (i > 0 && uid > ev->rows[i - 1].uid)
			m->order_ok = false;
	}
}

static void
model_apply(struct model *m, const struct imap_event *ev)
{
	size_t	 i;

	switch (ev->type) {
	case IE_STATE:
		m->state = ev->state;
		if (ev->state == CS_CONNECTING)
			m->connects++;
		if (ev->state == CS_WAITING) {
			m->waits++;
			free(m->wait_text);
			m->wait_text = xstrdup(ev->text != NULL ? ev->text : "");
		}
		free(m->state_text);
		m->state_text = ev->text != NULL ? xstrdup(ev->text) : NULL;
		break;
	case IE_FOLDERS:
		for (i = 0; i < m->nfolders; i++)
			mail_folder_clear(&m->folders[i]);
		free(m->folders);
		m->folders = xreallocarray(NULL, ev->nfolders + 1,
		    sizeof *m->folders);
		for (i = 0; i < ev->nfolders; i++)
			mail_folder_copy(&m->folders[i], &ev->folders[i]);
		m->nfolders = ev->nfolders;
		break;
	case IE_SELECTED:
		free(m->folder);
		m->folder = xstrdup(ev->folder);
		m->generation = ev->generation;
		m->messages = ev->folders[0].messages;
		m->uidvalidity = ev->folders[0].uidvalidity;
		m->selected++;
		break;
	case IE_SUMMARIES:
		if (m->folder != NULL && strcmp(ev->folder, m->folder) == 0)
			model_rows(m, ev);
		break;
	case IE_FLAGS:
		model_grow(m, ev->uid);
		m->flags[ev->uid] = (uint8_t)ev->flags;
		m->last_flags_uid = ev->uid;
		m->last_flags = ev->flags;
		break;
	case IE_EXPUNGED:
		m->gone = xreallocarray(m->gone, m->ngone + ev->nuids + 1,
		    sizeof *m->gone);
		for (i = 0; i < ev->nuids; i++) {
			m->gone[m->ngone++] = ev->uids[i];
			model_grow(m, ev->uids[i]);
			if (m->have[ev->uids[i]])
				m->nrows--;
			m->have[ev->uids[i]] = false;
		}
		break;
	case IE_PROGRESS:
		if (ev->done < m->prog_done || ev->done > ev->total)
			m->prog_ok = false;
		m->prog_done = ev->done;
		m->prog_total = ev->total;
		break;
	case IE_BODY:
		free(m->body);
		free(m->body_text);
		m->body = xmemdup(ev->data, ev->len);
		m->body_len = ev->len;
		m->body_text = ev->text != NULL ? xstrdup(ev->text) : NULL;
		break;
	case IE_DONE:
		m->done_id = ev->id;
		m->done_ok = ev->ok;
		free(m->done_text);
		m->done_text = ev->text != NULL ? xstrdup(ev->text) : NULL;
		break;
	case IE_SORTED:
	case IE_PARTS:
		break;
	case IE_NOTICE:
		diag("notice: %s", ev->text);
		m->notices++;
		free(m->notice);
		m->notice = xstrdup(ev->text);
		break;
	case IE_SEARCH:
		free(m->found);
		m->found = xreallocarray(NULL, ev->nuids + 1, sizeof *m->found);
		memcpy(m->found, ev->uids, ev->nuids * sizeof *m->found);
		m->nfound = ev->nuids;
		break;
	}
}

typedef bool (*pred_fn)(const struct model *, const struct imap_event *,
    const void *);

/* Apply events until pred holds after one of them, or ms pass. */
static bool
pump(struct session *s, struct model *m, int ms, pred_fn pred,
    const void *arg)
{
	struct pollfd		 p;
	struct imap_event	*ev;
	int64_t			 end = now_ms() + ms, left;
	bool			 hit = false;

	while (!hit) {
		while (!hit && (ev = session_next_event(s)) != NULL) {
			model_apply(m, ev);
			hit = pred(m, ev, arg);
			imap_event_free(&ev);
		}
		if (hit || (left = end - now_ms()) <= 0)
			break;
		p.fd = session_event_fd(s);
		p.events = POLLIN;
		(void)poll(&p, 1, (int)left);
	}
	return hit;
}

static bool
is_done(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	return ev->type == IE_DONE && ev->id == *(const uint64_t *)a;
}

static bool
is_state(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	return ev->type == IE_STATE && ev->state == *(const enum conn_state *)a;
}

static bool
all_status(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	size_t	 i;

	(void)a;
	if (ev->type != IE_FOLDERS)
		return false;
	for (i = 0; i < m->nfolders; i++)
		if (!(m->folders[i].attrs & FA_NOSELECT) &&
		    !m->folders[i].has_status)
			return false;
	return m->nfolders > 0;
}

static bool
rows_at_least(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)ev;
	return m->nrows >= *(const size_t *)a;
}

static bool
backfill_done(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)a;
	return ev->type == IE_PROGRESS && m->prog_total > 0 &&
	    m->prog_done == m->prog_total;
}

static bool
flags_of(const struct model *m, const struct imap_event *ev, const void *a)
{
	const uint32_t	*want = a;	/* uid, mask, value */

	(void)m;
	return ev->type == IE_FLAGS && ev->uid == want[0] &&
	    (ev->flags & want[1]) == want[2];
}

static bool
expunged(const struct model *m, const struct imap_event *ev, const void *a)
{
	size_t	 i;

	(void)m;
	if (ev->type != IE_EXPUNGED)
		return false;
	for (i = 0; i < ev->nuids; i++)
		if (ev->uids[i] == *(const uint32_t *)a)
			return true;
	return false;
}

static bool
new_row(const struct model *m, const struct imap_event *ev, const void *a)
{
	size_t	 i;

	(void)m;
	if (ev->type != IE_SUMMARIES)
		return false;
	for (i = 0; i < ev->nrows; i++)
		if (ev->rows[i].uid >= *(const uint32_t *)a)
			return true;
	return false;
}

/* ---- commands ---- */

static uint64_t	 next_id = 1;

static uint64_t
send_select(struct session *s, const char *folder, uint64_t gen)
{
	struct imap_cmd	*c = imap_cmd_new(IC_SELECT);

	c->id = next_id++;
	c->generation = gen;
	c->folder = xstrdup(folder);
	session_send(s, c);
	return next_id - 1;
}

static uint64_t
send_uids(struct session *s, enum imap_cmd_type type, const char *folder,
    const uint32_t *uids, size_t n, uint32_t add, uint32_t remove)
{
	struct imap_cmd	*c = imap_cmd_new(type);
	uint64_t	 id = next_id++;

	c->id = id;
	c->folder = xstrdup(folder);
	c->uids = xreallocarray(NULL, n + 1, sizeof *c->uids);
	memcpy(c->uids, uids, n * sizeof *uids);
	c->nuids = n;
	c->add = add;
	c->remove = remove;
	session_send(s, c);
	return id;
}

static uint64_t
send_body(struct session *s, const char *folder, uint32_t uid, uint64_t max)
{
	struct imap_cmd	*c = imap_cmd_new(IC_FETCH_BODY);
	uint64_t	 id = next_id++;

	c->id = id;
	c->folder = xstrdup(folder);
	c->uids = xmalloc(sizeof *c->uids);
	c->uids[0] = uid;
	c->nuids = 1;
	c->max_bytes = max;
	session_send(s, c);
	return id;
}

/* ---- the other client ---- */

/* Run doveadm with the fixture's config; its output in out (may be NULL).
 * Returns the exit status. */
static int QUIRE_PRINTF(3, 4)
doveadm(char *out, size_t outsz, const char *fmt, ...)
{
	struct buf	 cmd = BUF_INIT;
	va_list		 ap;
	FILE		*f;
	size_t		 n = 0;
	int		 st;

	buf_printf(&cmd, "doveadm -c '%s/main.conf' ", getenv("QF_DIR"));
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_addstr(&cmd, " 2>&1");
	if ((f = popen(buf_str(&cmd), "r")) == NULL) {
		buf_free(&cmd);
		return -1;
	}
	if (out != NULL && outsz > 0) {
		n = fread(out, 1, outsz - 1, f);
		out[n] = '\0';
	} else {
		char	 sink[4096];

		while (fread(sink, 1, sizeof sink, f) > 0)
			;
	}
	st = pclose(f);
	buf_free(&cmd);
	return st;
}

static bool
server_has_flag(const char *folder, uint32_t uid, const char *flag)
{
	char	 out[4096];

	if (doveadm(out, sizeof out, "fetch 'uid flags' mailbox '%s' uid %u",
	    folder, uid) != 0)
		return false;
	return strstr(out, flag) != NULL;
}

static bool
server_has_uid(const char *folder, uint32_t uid)
{
	char	 out[4096], want[32];

	if (doveadm(out, sizeof out, "fetch 'uid' mailbox '%s' uid %u",
	    folder, uid) != 0)
		return false;
	snprintf(want, sizeof want, "uid: %u", uid);
	return strstr(out, want) != NULL;
}

/* ---- the fault proxy's control port ---- */

static int
control(int port, const char *line)
{
	struct sockaddr_in	 sa;
	char			 reply[256];
	ssize_t			 n;
	size_t			 got = 0;
	int			 fd, rc = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    write(fd, line, strlen(line)) == (ssize_t)strlen(line) &&
	    write(fd, "\n", 1) == 1) {
		while (got < sizeof reply - 1 &&
		    (n = read(fd, reply + got, sizeof reply - 1 - got)) > 0) {
			got += (size_t)n;
			reply[got] = '\0';
			if (strchr(reply, '\n') != NULL)
				break;
		}
		reply[got] = '\0';
		rc = strncmp(reply, "ok", 2) == 0 ? 0 : -1;
		if (rc != 0)
			diag("control %s: %s", line, reply);
	}
	close(fd);
	return rc;
}

/* ---- set-up ---- */

static long
rss_kb(void)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static struct session *
start(const char *path, struct config **cfgp)
{
	struct session_opts	 o;
	struct config		*cfg;
	const struct account	*a;
	struct session		*s;
	char			*err = NULL, *pw = NULL;

	cfg = config_load(path, true);
	if (cfg->nerrors > 0) {
		printf("Bail out! %s: %s\n", path, cfg->errors[0].msg);
		exit(1);
	}
	if ((a = config_account(cfg, NULL, &err)) == NULL ||
	    config_password(a, &pw, &err) == -1) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	memset(&o, 0, sizeof o);
	o.cfg = cfg;
	o.acct = a;
	o.password = pw;
	if ((s = session_start(&o, &err)) == NULL) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	*cfgp = cfg;
	return s;
}

static void
model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
	m->min_uid = UINT32_MAX;
	m->order_ok = true;
	m->prog_ok = true;
}

static void
model_reset_rows(struct model *m)
{
	if (m->have != NULL)
		memset(m->have, 0, m->cap * sizeof *m->have);
	m->nrows = m->dups = m->chunks = m->first_chunk = 0;
	m->min_uid = UINT32_MAX;
	m->order_ok = m->prog_ok = true;
	m->prog_done = m->prog_total = 0;
	m->new_uid = 0;
}

static void
model_free(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->nfolders; i++)
		mail_folder_clear(&m->folders[i]);
	free(m->folders);
	free(m->folder);
	free(m->flags);
	free(m->have);
	free(m->state_text);
	free(m->wait_text);
	free(m->gone);
	free(m->done_text);
	free(m->body);
	free(m->body_text);
	free(m->found);
	free(m->notice);
	free(m->watch_subject);
	free(m->watch_from);
}

/* Open folder and wait for its whole backfill; false on timeout. */
static bool
open_folder(struct session *s, struct model *m, const char *folder,
    uint64_t gen, int ms)
{
	uint64_t	 id;

	model_reset_rows(m);
	id = send_select(s, folder, gen);
	if (!pump(s, m, ms, is_done, &id) || !m->done_ok)
		return false;
	if (m->messages == 0)
		return true;
	return pump(s, m, ms, backfill_done, NULL);
}

/* ---- basic: the folder list, Big, flags both ways, bodies, expunge ---- */

static struct mail_folder *
find_folder(struct model *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->nfolders; i++)
		if (strcmp(m->folders[i].name, name) == 0)
			return &m->folders[i];
	return NULL;
}

static void
case_folders(struct session *s, struct model *m)
{
	FILE			*f;
	char			 line[1024], *name, *p;
	unsigned long		 msgs, unseen;
	struct mail_folder	*mf;
	int			 n = 0, bad = 0;
	bool			 hit;
	int64_t			 t0 = now_ms();

	hit = pump(s, m, 30000, all_status, NULL);
	tap(hit, "the folder list arrives with every folder's counts");
	diag("folder list with all counts after %lld ms",
	    (long long)(now_ms() - t0));
	if ((f = fopen(getenv("QF_MANIFEST"), "r")) == NULL) {
		tap(false, "the manifest can be read");
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		name = line;
		if ((p = strchr(line, '\t')) == NULL)
			continue;
		*p++ = '\0';
		msgs = strtoul(p, &p, 10);
		unseen = strtoul(p, &p, 10);
		n++;
		mf = find_folder(m, name);
		if (mf == NULL || !mf->has_status || mf->messages != msgs ||
		    mf->unseen != unseen) {
			bad++;
			diag("%s: manifest %lu/%lu, engine %s %u/%u", name, msgs,
			    unseen, mf == NULL ? "missing" : "has",
			    mf != NULL ? mf->messages : 0,
			    mf != NULL ? mf->unseen : 0);
		}
	}
	fclose(f);
	tap(n > 0 && bad == 0, "the folder list matches the manifest: %d "
	    "folders, messages and unseen counts", n);
	mf = find_folder(m, "Lists/dev");
	tap(mf != NULL && mf->delim == '/', "Lists/dev is listed, with '/'");
	mf = find_folder(m, "Entw\xc3\xbcrfe");
	tap(mf != NULL && strcmp(mf->raw, "Entw&APw-rfe") == 0,
	    "the non-ASCII folder is decoded, its raw name kept");
	mf = find_folder(m, "Sent");
	tap(mf != NULL && (mf->attrs & FA_SENT) &&
	    (mf = find_folder(m, "Trash")) != NULL && (mf->attrs & FA_TRASH) &&
	    (mf = find_folder(m, "INBOX")) != NULL && (mf->attrs & FA_INBOX),
	    "special use: Sent, Trash, INBOX");
}

static void
case_big(struct session *s, struct model *m)
{
	uint64_t	 id;
	size_t		 one = 1;
	int64_t		 t0, t_sel, t_first, t_all;
	bool		 ok;

	model_reset_rows(m);
	t0 = now_ms();
	id = send_select(s, "Big", 1);
	ok = pump(s, m, 20000, is_done, &id) && m->done_ok;
	t_sel = now_ms();
	tap(ok && m->messages == 10000, "IC_SELECT Big: IE_SELECTED with "
	    "10000 messages");
	ok = pump(s, m, 20000, rows_at_least, &one);
	t_first = now_ms();
	ok = ok && pump(s, m, 120000, backfill_done, NULL);
	t_all = now_ms();
	tap(ok && m->nrows == 10000 && m->dups == 0,
	    "Big: all 10000 summaries arrive, none twice (%zu, %zu twice)",
	    m->nrows, m->dups);
	tap(m->order_ok, "Big: newest first, chunk after chunk");
	tap(m->first_chunk == 500 && m->chunks >= 6,
	    "Big: in chunks, the first of 500 rows (%zu chunks, first %zu)",
	    m->chunks, m->first_chunk);
	tap(m->prog_ok && m->prog_done == m->prog_total &&
	    m->prog_total == 10000, "Big: progress counts up to 10000");
	diag("Big: SELECT done %lld ms, first rows %lld ms, all rows %lld ms",
	    (long long)(t_sel - t0), (long long)(t_first - t0),
	    (long long)(t_all - t0));
	diag("peak RSS of the test process (engine + model): %ld kB",
	    rss_kb());
}

/* A UID the model holds without these flags. */
static uint32_t
pick_uid(struct model *m, uint32_t without, uint32_t below)
{
	uint32_t	 u;

	for (u = below; u > 0; u--)
		if (u < m->cap && m->have[u] && !(m->flags[u] & without))
			return u;
	return 0;
}

static bool
store(struct session *s, struct model *m, const char *folder, uint32_t uid,
    uint32_t add, uint32_t remove)
{
	uint64_t	 id;

	id = send_uids(s, IC_STORE, folder, &uid, 1, add, remove);
	return pump(s, m, 20000, is_done, &id) && m->done_ok;
}

static void
case_store(struct session *s, struct model *m)
{
	uint32_t	 u = pick_uid(m, MF_FLAGGED, m->new_uid - 3);
	uint32_t	 v = pick_uid(m, MF_SEEN, m->new_uid - 7);

	tap(u != 0 && store(s, m, "Big", u, MF_FLAGGED, 0) &&
	    server_has_flag("Big", u, "\\Flagged"),
	    "IC_STORE +\\Flagged on uid %u: doveadm sees it", u);
	tap(store(s, m, "Big", u, 0, MF_FLAGGED) &&
	    !server_has_flag("Big", u, "\\Flagged"),
	    "IC_STORE -\\Flagged on uid %u: doveadm sees it gone", u);
	tap(v != 0 && store(s, m, "Big", v, MF_SEEN | MF_ANSWERED, 0) &&
	    server_has_flag("Big", v, "\\Seen") &&
	    server_has_flag("Big", v, "\\Answered"),
	    "IC_STORE +\\Seen +\\Answered on uid %u", v);
}

static bool
online(struct session *s, struct model *m)
{
	enum conn_state	 st = CS_ONLINE;

	if (m->state == CS_ONLINE)
		return true;
	return pump(s, m, 20000, is_state, &st);
}

static void
case_idle(struct session *s, struct model *m)
{
	uint32_t	 want[3], u, below = m->new_uid - 20;
	int64_t		 t0, t1, t2, worst = 0;
	bool		 all = true, hit;
	int		 i;

	tap(online(s, m), "the engine settles in IDLE (CS_ONLINE)");
	for (i = 0; i < 3; i++) {
		usleep(200 * 1000);
		u = pick_uid(m, MF_FLAGGED, below);
		below = u - 1;
		t0 = now_ms();
		doveadm(NULL, 0, "flags add '\\Flagged' mailbox Big uid %u", u);
		t1 = now_ms();
		want[0] = u;
		want[1] = want[2] = MF_FLAGGED;
		hit = pump(s, m, 5000, flags_of, want);
		t2 = now_ms();
		if (!hit)
			all = false;
		if (t2 - t1 > worst)
			worst = t2 - t1;
		diag("IDLE: \\Flagged on uid %u reached the UI %lld ms after "
		    "doveadm returned (%lld ms after it started)", u,
		    (long long)(t2 - t1), (long long)(t2 - t0));
	}
	tap(all && worst < 1000, "flags set by another client arrive as "
	    "IE_FLAGS within 1 s (worst %lld ms)", (long long)worst);
}

static uint32_t
case_idle_expunge(struct session *s, struct model *m)
{
	uint32_t	 u = pick_uid(m, 0, m->new_uid - 30);
	int64_t		 t1, t2;
	bool		 hit;

	usleep(200 * 1000);
	doveadm(NULL, 0, "expunge mailbox Big uid %u", u);
	t1 = now_ms();
	hit = pump(s, m, 5000, expunged, &u);
	t2 = now_ms();
	tap(hit && t2 - t1 < 1000, "an expunge by another client arrives as "
	    "IE_EXPUNGED within 1 s (%lld ms)", (long long)(t2 - t1));
	tap(!m->have[u], "the expunged row is gone from the model");
	return u;
}

static void
case_idle_new(struct session *s, struct model *m)
{
	char		 path[4096];
	FILE		*f;
	uint32_t	 above = m->new_uid + 1;
	int64_t		 t1, t2;
	bool		 hit;

	snprintf(path, sizeof path, "%s/engine-new.eml", getenv("QF_DIR"));
	if ((f = fopen(path, "w")) == NULL) {
		tap(false, "write a new message");
		return;
	}
	fprintf(f, "From: Engine Test <engine@example.org>\r\n"
	    "To: quire@gen.quire.test\r\n"
	    "Subject: engine test =?utf-8?q?gr=C3=BC=C3=9Fe?=\r\n"
	    "Date: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
	    "Message-ID: <engine-new@example.org>\r\n"
	    "\r\n"
	    "The body of the new message.\r\n");
	fclose(f);
	usleep(200 * 1000);
	doveadm(NULL, 0, "save -m Big < '%s'", path);
	t1 = now_ms();
	hit = pump(s, m, 5000, new_row, &above);
	t2 = now_ms();
	tap(hit && t2 - t1 < 1000, "a new message saved by another client "
	    "arrives as IE_SUMMARIES within 1 s (%lld ms)",
	    (long long)(t2 - t1));
}

static void
case_body(struct session *s, struct model *m, uint32_t gone)
{
	uint64_t	 id;
	bool		 ok;

	id = send_body(s, "Big", m->new_uid, 0);
	ok = pump(s, m, 10000, is_done, &id) && m->done_ok;
	tap(ok && m->body != NULL &&
	    memmem(m->body, m->body_len, "The body of the new message",
	    27) != NULL && memmem(m->body, m->body_len, "Subject: engine",
	    15) != NULL && m->body_text == NULL,
	    "IC_FETCH_BODY returns the whole message (%zu bytes)", m->body_len);
	id = send_body(s, "Big", m->new_uid, 100);
	ok = pump(s, m, 10000, is_done, &id) && m->done_ok;
	tap(ok && m->body_len == 100 && m->body_text != NULL,
	    "IC_FETCH_BODY with a cap of 100 bytes: 100 bytes, said so");
	id = send_body(s, "Big", gone, 0);
	ok = pump(s, m, 10000, is_done, &id);
	tap(ok && !m->done_ok && m->done_text != NULL,
	    "IC_FETCH_BODY of an expunged message: \"%s\"",
	    m->done_text != NULL ? m->done_text : "");
}

static void
case_expunge(struct session *s, struct model *m)
{
	uint32_t	 a = pick_uid(m, MF_DELETED, m->new_uid - 40);
	uint32_t	 c = pick_uid(m, MF_DELETED, a - 1);
	uint64_t	 id;
	size_t		 i, before = m->ngone;
	bool		 ok, a_gone = false, c_gone = false;

	doveadm(NULL, 0, "flags add '\\Deleted' mailbox Big uid %u", c);
	ok = store(s, m, "Big", a, MF_DELETED, 0);
	id = send_uids(s, IC_EXPUNGE, "Big", &a, 1, 0, 0);
	ok = ok && pump(s, m, 10000, is_done, &id) && m->done_ok;
	pump(s, m, 500, expunged, &c);		/* let stray events in */
	for (i = before; i < m->ngone; i++) {
		a_gone |= m->gone[i] == a;
		c_gone |= m->gone[i] == c;
	}
	tap(ok && !server_has_uid("Big", a) && server_has_uid("Big", c),
	    "IC_EXPUNGE removes exactly uid %u; uid %u, \\Deleted by another "
	    "client, stays", a, c);
	tap(a_gone && !c_gone, "IE_EXPUNGED names uid %u alone", a);
}

static uint64_t
send_simple(struct session *s, enum imap_cmd_type type, const char *folder,
    const char *target, const char *query)
{
	struct imap_cmd	*c = imap_cmd_new(type);
	uint64_t	 id = next_id++;

	c->id = id;
	c->folder = folder != NULL ? xstrdup(folder) : NULL;
	c->target = target != NULL ? xstrdup(target) : NULL;
	c->query = query != NULL ? xstrdup(query) : NULL;
	session_send(s, c);
	return id;
}

static bool
is_folders(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)m;
	(void)a;
	return ev->type == IE_FOLDERS;
}

static void
case_list_sync_search(struct session *s, struct model *m)
{
	uint64_t	 id;
	bool		 ok;
	size_t		 i;
	bool		 hit = false;

	id = send_simple(s, IC_LIST, NULL, NULL, NULL);
	ok = pump(s, m, 10000, is_folders, NULL);
	ok = ok && pump(s, m, 10000, is_done, &id) && m->done_ok;
	tap(ok && m->nfolders >= 8, "IC_LIST: IE_FOLDERS, then IE_DONE");
	id = send_simple(s, IC_SYNC, NULL, NULL, NULL);
	ok = pump(s, m, 10000, is_done, &id) && m->done_ok;
	tap(ok, "IC_SYNC: done (%s)", m->done_text != NULL ? m->done_text :
	    "ok");
	id = send_simple(s, IC_SEARCH, "Big", NULL,
	    "subject:\"engine test\"");
	ok = pump(s, m, 10000, is_done, &id) && m->done_ok;
	for (i = 0; i < m->nfound; i++)
		hit |= m->found[i] == m->new_uid;
	tap(ok && m->nfound == 1 && hit, "IC_SEARCH: subject: finds "
	    "the new message (%zu found)", m->nfound);
	id = send_simple(s, IC_SEARCH, "Big", NULL, "TEXT \"x\"\r\nA1 DELETE Big");
	ok = pump(s, m, 10000, is_done, &id);
	tap(ok && !m->done_ok && server_has_uid("Big", m->new_uid),
	    "IC_SEARCH with CR LF in the text is refused, nothing sent");
	id = send_select(s, "Big\r\nA1 DELETE Big", 1);
	ok = pump(s, m, 10000, is_done, &id);
	tap(ok && !m->done_ok, "row 27: IC_SELECT of a name with CR LF is refused "
	    "(\"%s\")", m->done_text != NULL ? m->done_text : "");
}

static uint64_t
send_transfer(struct session *s, enum imap_cmd_type type, uint32_t uid,
    const char *target)
{
	struct imap_cmd	*c = imap_cmd_new(type);
	uint64_t	 id = next_id++;

	c->id = id;
	c->folder = xstrdup("Big");
	c->target = xstrdup(target);
	c->uids = xmalloc(sizeof *c->uids);
	c->uids[0] = uid;
	c->nuids = 1;
	session_send(s, c);
	return id;
}

static bool
in_folder(const char *folder, const char *subject)
{
	char	 out[8192];

	if (doveadm(out, sizeof out, "fetch 'uid' mailbox '%s' header "
	    "subject '%s'", folder, subject) != 0)
		return false;
	return strstr(out, "uid: ") != NULL;
}

static void
case_move_copy(struct session *s, struct model *m)
{
	uint32_t	 u = m->new_uid;
	uint64_t	 id;
	bool		 ok;

	/* The message saved by case_idle_new: copy it, then move it. */
	id = send_transfer(s, IC_COPY, u, "Archive");
	ok = pump(s, m, 10000, is_done, &id) && m->done_ok;
	tap(ok && in_folder("Archive", "engine test") &&
	    server_has_uid("Big", u), "IC_COPY to Archive: there and still "
	    "here");
	id = send_transfer(s, IC_MOVE, u, "Entw\xc3\xbcrfe");
	ok = pump(s, m, 10000, is_done, &id) && m->done_ok;
	ok = ok && (m->cap <= u || !m->have[u] ||
	    pump(s, m, 3000, expunged, &u));
	tap(ok && in_folder("Entw\xc3\xbcrfe", "engine test") &&
	    !server_has_uid("Big", u), "IC_MOVE to the non-ASCII folder: "
	    "there, gone here, IE_EXPUNGED (%s)", m->done_text != NULL ?
	    m->done_text : "ok");
}

static bool
is_notice(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	(void)a;
	return ev->type == IE_NOTICE;
}

static bool
is_selected(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)m;
	(void)a;
	return ev->type == IE_SELECTED;
}

/* BAD-INPUTS 16: the folder is renumbered under the engine. */
static void
case_uidvalidity(struct session *s, struct model *m)
{
	bool	 ok, note, sel;

	ok = open_folder(s, m, "Lists/dev", 2, 20000) && online(s, m);
	tap(ok && m->nrows == m->messages, "Lists/dev open (%zu rows)",
	    m->nrows);
	model_reset_rows(m);
	doveadm(NULL, 0, "mailbox update --uid-validity 777 'Lists/dev'");
	/* Dovecot does not say so during IDLE; the user asks for a sync. */
	send_simple(s, IC_SYNC, NULL, NULL, NULL);
	note = pump(s, m, 20000, is_notice, NULL);
	sel = pump(s, m, 10000, is_selected, NULL);
	ok = sel && pump(s, m, 20000, backfill_done, NULL);
	tap(note && m->notice != NULL && strstr(m->notice, "renumbered"),
	    "a changed UIDVALIDITY is told: \"%s\"",
	    m->notice != NULL ? m->notice : "");
	tap(ok && m->uidvalidity == 777 && m->nrows == m->messages,
	    "and the folder reloads: IE_SELECTED with the new UIDVALIDITY, "
	    "%zu rows", m->nrows);
}

/* BAD-INPUTS 32: another client changes a message the user changes at
 * the same moment: the user's flag wins, the other client's stays. */
static void
case_merge(struct session *s, struct model *m)
{
	uint32_t	 u = pick_uid(m, MF_FLAGGED | MF_ANSWERED, m->new_uid - 50);
	uint32_t	 want[3];
	bool		 ok;

	doveadm(NULL, 0, "flags add '\\Answered' mailbox Big uid %u", u);
	ok = store(s, m, "Big", u, MF_FLAGGED, 0);
	want[0] = u;
	want[1] = want[2] = MF_ANSWERED;
	if (!(m->flags[u] & MF_ANSWERED))
		(void)pump(s, m, 3000, flags_of, want);
	tap(ok && server_has_flag("Big", u, "\\Flagged") &&
	    server_has_flag("Big", u, "\\Answered") &&
	    (m->flags[u] & MF_ANSWERED), "row 32: a STORE racing another client's "
	    "change: both flags on the server, the UI told of the other one");
}

static void
mode_basic(const char *path)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint32_t	 gone;
	int64_t		 t0;

	model_init(&m);
	s = start(path, &cfg);
	case_folders(s, &m);
	case_big(s, &m);
	case_store(s, &m);
	case_idle(s, &m);
	gone = case_idle_expunge(s, &m);
	case_idle_new(s, &m);
	case_body(s, &m, gone);
	case_expunge(s, &m);
	case_merge(s, &m);
	case_list_sync_search(s, &m);
	case_move_copy(s, &m);
	case_uidvalidity(s, &m);
	t0 = now_ms();
	session_stop(&s);
	tap(s == NULL && now_ms() - t0 < 3000, "session_stop returns within "
	    "3 s (%lld ms)", (long long)(now_ms() - t0));
	model_free(&m);
	config_free(&cfg);
}

/* ---- faults, through the faultproxy ---- */

/* A cut while Big streams in: the engine reconnects and completes, and
 * no row comes twice. */
static void
mode_cut(const char *path, int ctl)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 id;
	size_t		 some = 2500;
	int64_t		 t0, t_cut, t_end;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	t0 = now_ms();
	id = send_select(s, "Big", 1);
	ok = pump(s, &m, 20000, is_done, &id) && m.done_ok;
	ok = ok && pump(s, &m, 20000, rows_at_least, &some);
	tap(ok, "Big streams through the proxy (%zu rows before the cut)",
	    m.nrows);
	control(ctl, "cut");
	t_cut = now_ms();
	ok = pump(s, &m, 120000, backfill_done, NULL);
	t_end = now_ms();
	tap(m.waits >= 1, "the cut is noticed: CS_WAITING (\"%s\")",
	    m.wait_text != NULL ? m.wait_text : "");
	tap(ok && m.nrows == m.messages && m.dups == 0, "after the reconnect "
	    "the backfill completes: %zu rows of %u, %zu twice", m.nrows,
	    m.messages, m.dups);
	tap(m.order_ok, "still newest first across the reconnect");
	diag("cut after %lld ms; backfill complete %lld ms after the cut",
	    (long long)(t_cut - t0), (long long)(t_end - t_cut));
	session_stop(&s);
	model_free(&m);
	config_free(&cfg);
}

/* A server that goes silent: the read timeout (timeout = 5 in the
 * config) ends the connection, the engine reconnects, and the STORE that
 * was waiting on the silent connection runs again. */
static void
mode_stall(const char *path, int ctl)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 id;
	uint32_t	 u;
	int64_t		 t0, t1;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	tap(open_folder(s, &m, "INBOX", 1, 30000) && online(s, &m),
	    "INBOX open and idle through the proxy");
	u = pick_uid(&m, MF_FLAGGED, m.new_uid);
	control(ctl, "stall");
	t0 = now_ms();
	id = send_uids(s, IC_STORE, "INBOX", &u, 1, MF_FLAGGED, 0);
	ok = pump(s, &m, 40000, is_done, &id) && m.done_ok;
	t1 = now_ms();
	tap(m.waits >= 1, "the silence is noticed: CS_WAITING (\"%s\")",
	    m.wait_text != NULL ? m.wait_text : "");
	tap(ok && server_has_flag("INBOX", u, "\\Flagged"), "the STORE sent "
	    "into the silence is done after the reconnect (%lld ms)",
	    (long long)(t1 - t0));
	tap(t1 - t0 < 15000, "timeout and reconnect within 15 s");
	/* Now every new connection hangs before the greeting. */
	control(ctl, "rule stall");
	control(ctl, "reset");
	{
		enum conn_state	 st = CS_CONNECTING;

		(void)pump(s, &m, 10000, is_state, &st);
	}
	usleep(300 * 1000);
	t0 = now_ms();
	session_stop(&s);
	t1 = now_ms();
	tap(s == NULL && t1 - t0 < 2000, "session_stop ends a login that "
	    "hangs at once (%lld ms)", (long long)(t1 - t0));
	control(ctl, "clear-rules");
	model_free(&m);
	config_free(&cfg);
}

/* BAD-INPUTS 13: the proxy breaks the ENVELOPE of one message on every
 * connection (engine.sh sets the rule). The backfill bisects down to it,
 * loads it from its header fields, and loads the rest. */
static void
mode_bad(const char *path, uint32_t uid)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	int64_t		 t0;
	bool		 ok;

	model_init(&m);
	m.watch = uid;
	s = start(path, &cfg);
	t0 = now_ms();
	ok = open_folder(s, &m, "Big", 1, 120000);
	tap(ok && m.nrows == m.messages && m.dups == 0 && m.order_ok,
	    "an unparseable ENVELOPE: all %zu of %u rows load, newest first, "
	    "none twice", m.nrows, m.messages);
	tap(m.watch_subject != NULL && m.watch_from != NULL &&
	    strstr(m.watch_subject, "could not be read") == NULL,
	    "uid %u comes from its header fields: \"%s\" from \"%s\"", uid,
	    m.watch_subject != NULL ? m.watch_subject : "(none)",
	    m.watch_from != NULL ? m.watch_from : "(none)");
	tap(m.connects > 1 && m.connects < 40, "the bisection took %d "
	    "reconnects", m.connects - 1);
	tap(m.waits == 0, "no backoff for a parse error (%d waits)", m.waits);
	diag("Big with one bad message: %lld ms", (long long)(now_ms() - t0));
	session_stop(&s);
	model_free(&m);
	config_free(&cfg);
}

/* A login that cannot succeed: CS_FAILED with the sentence, no retries
 * until the user asks with IC_SYNC. */
static void
mode_failed(const char *path)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	enum conn_state	 failed = CS_FAILED;
	bool		 ok;
	int		 n;

	model_init(&m);
	s = start(path, &cfg);
	ok = pump(s, &m, 20000, is_state, &failed);
	tap(ok && m.state_text != NULL && *m.state_text != '\0',
	    "a refused login: CS_FAILED (\"%s\")", m.state_text != NULL ?
	    m.state_text : "");
	n = m.connects;
	pump(s, &m, 3000, is_state, &failed);
	tap(m.connects == n, "and no retry on its own (%d attempts in 3 s)",
	    m.connects - n);
	send_simple(s, IC_SYNC, NULL, NULL, NULL);
	ok = pump(s, &m, 20000, is_state, &failed);
	tap(ok && m.connects == n + 1, "IC_SYNC tries once more");
	session_stop(&s);
	model_free(&m);
	config_free(&cfg);
}

static bool
trace_has(const char *log, const char *what)
{
	FILE	*f = fopen(log, "r");
	char	 line[4096];
	bool	 hit = false;

	if (f == NULL)
		return false;
	while (!hit && fgets(line, sizeof line, f) != NULL)
		hit = strstr(line, "C: ") != NULL && strstr(line, what) != NULL;
	fclose(f);
	return hit;
}

/* How many times the trace shows a STORE for uid. */
static int
stores_in_trace(const char *log, uint32_t uid)
{
	FILE		*f = fopen(log, "r");
	char		 line[4096], *p, *end;
	unsigned long	 lo, hi;
	int		 n = 0;

	if (f == NULL)
		return -1;
	/* A replayed journal may send several UIDs in one set: "3,5:7". */
	while (fgets(line, sizeof line, f) != NULL) {
		if (strstr(line, "C: ") == NULL ||
		    (p = strstr(line, "UID STORE ")) == NULL)
			continue;
		for (p += 10; *p >= '0' && *p <= '9'; p = end + 1) {
			lo = hi = strtoul(p, &end, 10);
			if (*end == ':')
				hi = strtoul(end + 1, &end, 10);
			if (uid >= lo && uid <= hi) {
				n++;
				break;
			}
			if (*end != ',')
				break;
		}
	}
	fclose(f);
	return n;
}

/* STOREs made while the server cannot be reached wait, in order, and
 * each reaches the server exactly once after the reconnect. */
static void
mode_queued(const char *path, int ctl, const char *log)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	enum conn_state	 waiting = CS_WAITING;
	uint64_t	 ids[4];
	uint32_t	 a, b, c, d, e, above, want[3];
	int64_t		 t0;
	char		*err = NULL;
	bool		 ok = true;
	int		 i;

	(void)unlink(log);
	if (log_open(log, LL_TRACE, &err) == -1) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	model_init(&m);
	s = start(path, &cfg);
	tap(open_folder(s, &m, "INBOX", 1, 30000) && online(s, &m),
	    "INBOX open and idle through the proxy");
	a = pick_uid(&m, MF_FLAGGED, m.new_uid);
	b = pick_uid(&m, MF_FLAGGED, a - 1);
	c = pick_uid(&m, MF_DRAFT, b - 1);
	control(ctl, "rule reset");
	control(ctl, "reset");
	ok = pump(s, &m, 10000, is_state, &waiting);
	tap(ok, "the reset is noticed: CS_WAITING (\"%s\")",
	    m.wait_text != NULL ? m.wait_text : "");
	ok = true;
	/* While offline: a, then b set and cleared again, then c. */
	ids[0] = send_uids(s, IC_STORE, "INBOX", &a, 1, MF_FLAGGED, 0);
	ids[1] = send_uids(s, IC_STORE, "INBOX", &b, 1, MF_FLAGGED, 0);
	ids[2] = send_uids(s, IC_STORE, "INBOX", &b, 1, 0, MF_FLAGGED);
	ids[3] = send_uids(s, IC_STORE, "INBOX", &c, 1, MF_DRAFT, 0);
	/* And another client changes things meanwhile. */
	d = pick_uid(&m, MF_ANSWERED, c - 1);
	e = pick_uid(&m, 0, d - 1);
	above = m.new_uid + 1;
	doveadm(NULL, 0, "flags add '\\Answered' mailbox INBOX uid %u", d);
	doveadm(NULL, 0, "expunge mailbox INBOX uid %u", e);
	doveadm(NULL, 0, "copy INBOX mailbox Archive uid 1");
	usleep(2500 * 1000);
	control(ctl, "clear-rules");
	t0 = now_ms();
	for (i = 0; i < 4; i++)
		ok = ok && pump(s, &m, 90000, is_done, &ids[i]) && m.done_ok;
	tap(ok, "the four queued STOREs are done after the reconnect "
	    "(%lld ms after the server came back)",
	    (long long)(now_ms() - t0));
	want[0] = d;
	want[1] = want[2] = MF_ANSWERED;
	tap(((m.flags[d] & MF_ANSWERED) || pump(s, &m, 5000, flags_of, want)) &&
	    (!m.have[e] || pump(s, &m, 5000, expunged, &e)),
	    "what another client did meanwhile arrives: IE_FLAGS for %u, "
	    "IE_EXPUNGED for %u", d, e);
	tap(server_has_flag("INBOX", a, "\\Flagged") &&
	    !server_has_flag("INBOX", b, "\\Flagged") &&
	    server_has_flag("INBOX", c, "\\Draft"),
	    "row 34: the server shows the final state: %u flagged, %u not, %u draft",
	    a, b, c);
	tap(trace_has(log, "CHANGEDSINCE") && !trace_has(log, "(UID FLAGS MODSEQ)"),
	    "the reconnect resynchronizes with one CHANGEDSINCE, no full "
	    "flag fetch");
	tap(m.new_uid >= above || pump(s, &m, 5000, new_row, &above),
	    "and the message it added arrives as IE_SUMMARIES");
	tap(stores_in_trace(log, a) == 1 && stores_in_trace(log, b) == 2 &&
	    stores_in_trace(log, c) == 1, "row 34: each STORE went out exactly once "
	    "(trace: %d, %d, %d)", stores_in_trace(log, a),
	    stores_in_trace(log, b), stores_in_trace(log, c));
	session_stop(&s);
	log_close();
	model_free(&m);
	config_free(&cfg);
}

/* Open a folder and take all of it, for the figures: time to the first
 * and the last row, peak memory. */
static void
mode_stream(const char *path, const char *folder)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 id;
	size_t		 one = 1;
	int64_t		 t0, t1, t2;
	long		 before;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	before = rss_kb();
	t0 = now_ms();
	id = send_select(s, folder, 1);
	ok = pump(s, &m, 60000, is_done, &id) && m.done_ok;
	ok = ok && pump(s, &m, 60000, rows_at_least, &one);
	t1 = now_ms();
	ok = ok && pump(s, &m, 600000, backfill_done, NULL);
	t2 = now_ms();
	tap(ok && m.nrows == m.messages && m.dups == 0 && m.order_ok,
	    "%s: %zu of %u summaries, newest first, none twice", folder,
	    m.nrows, m.messages);
	diag("%s: first rows after %lld ms, all %u after %lld ms, %zu chunks",
	    folder, (long long)(t1 - t0), m.messages, (long long)(t2 - t0),
	    m.chunks);
	diag("peak RSS %ld kB (%ld kB before the SELECT)", rss_kb(), before);
	session_stop(&s);
	model_free(&m);
	config_free(&cfg);
}

int
main(int argc, char **argv)
{
	const char	*trace = getenv("ENGINE_TRACE");
	char		*err = NULL;

	/* For a look at the conversation: ENGINE_TRACE=FILE. */
	if (trace != NULL && *trace != '\0' && (argc < 2 ||
	    strcmp(argv[1], "queued") != 0) &&
	    log_open(trace, LL_TRACE, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (argc >= 3 && strcmp(argv[1], "basic") == 0)
		mode_basic(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "failed") == 0)
		mode_failed(argv[2]);
	else if (argc >= 4 && strcmp(argv[1], "bad") == 0)
		mode_bad(argv[2], (uint32_t)strtoul(argv[3], NULL, 10));
	else if (argc >= 4 && strcmp(argv[1], "stream") == 0)
		mode_stream(argv[2], argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "cut") == 0)
		mode_cut(argv[2], atoi(argv[3]));
	else if (argc >= 4 && strcmp(argv[1], "stall") == 0)
		mode_stall(argv[2], atoi(argv[3]));
	else if (argc >= 5 && strcmp(argv[1], "queued") == 0)
		mode_queued(argv[2], atoi(argv[3]), argv[4]);
	else {
		fprintf(stderr, "usage: test_engine basic|cut|stall|queued "
		    "CONFIG [CTLPORT [LOG]]\n");
		return 2;
	}
	return 0;
}

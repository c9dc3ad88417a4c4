/*
 * test_bad: the session engine (src/imap) against the connection rows
 * 1-16 of BAD-INPUTS.md, driven as the UI drives it: commands in, events
 * out. bad_inputs.sh starts the servers (tests/fake/fakeimap with the
 * scripts in tests/integration/bad/, the Dovecot fixture, a faultproxy)
 * and runs one mode per process, so each row's peak RSS is its own.
 *
 *   test_bad frame CONFIG DESC REASON MAXKB   a framing attack in the
 *	backfill (rows 1, 2, 5, 7): the reason, the time, the peak RSS
 *	below MAXKB, then the reconnect loads the folder
 *   test_bad cut CONFIG DESC LOG          row 3: the end inside a literal
 *   test_bad stall CONFIG LOG             row 4: silence inside a literal
 *   test_bad dump CONFIG FOLDER OUT       row 6: the folder's rows to OUT
 *   test_bad refuse CONFIG DESC TEXT...   rows 8, 9, 11: CS_FAILED
 *   test_bad untagged CONFIG LOG          row 10
 *   test_bad quirks CONFIG LOG            row 12: what is tolerated
 *   test_bad bare CONFIG LOG              row 12: what is refused
 *   test_bad envelope CONFIG              row 13
 *   test_bad expunge-new CONFIG LOG       row 14: in new mail's FETCH
 *   test_bad expunge-body CONFIG LOG      row 14: in a body's FETCH
 *   test_bad gone CONFIG TRACE            row 15 (Dovecot and doveadm),
 *	TRACE receives the protocol trace
 *   test_bad renumber CONFIG LOG          row 16
 *
 * LOG is fakeimap's log: the driver reads it to know where the server's
 * script is (a client command seen) and to count commands. Output is TAP
 * with the measured figures (milliseconds, peak RSS) as comments.
 * BAD_TRACE=FILE writes the engine's protocol trace there.
 */
#include "config.h"

#include <sys/resource.h>

#include <poll.h>
#include <regex.h>
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

/* The folder the fake server scripts describe (bad/select.imap,
 * bad/rows.imap). */
#define FAKE_UIDS	{ 10, 20, 30 }
#define FAKE_N		3
#define FAKE_VALIDITY	7
/* bad/either.imap: the message uid 20 as the sane server sends it. */
#define FAKE_BODY	"Subject: second message\r\n\r\nThe whole body, " \
			"forty-four bytes of it.\r\n"


/* Peak resident set of this process (engine, libetpan, model), kB. */
static long
peak_kb(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return -1;
	return ru.ru_maxrss;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- what the UI would keep ---- */

struct done {
	uint64_t	 id;
	bool		 ok;
	char		*text;
};

struct model {
	struct msg_summary *rows;		/* by UID */
	bool		*have;
	size_t		 cap;
	size_t		 nrows;
	size_t		 dups;
	enum conn_state	 state;
	int		 connects;		/* CS_CONNECTING seen */
	int		 waits;			/* CS_WAITING seen */
	int		 fails;			/* CS_FAILED seen */
	char		*wait_text;		/* the first CS_WAITING's */
	char		*fail_text;
	int64_t		 t_wait;		/* when it came */
	int64_t		 t_fail;
	int		 selected;		/* IE_SELECTED seen */
	uint32_t	 uidvalidity;
	uint32_t	 messages;
	uint64_t	 prog_done, prog_total;
	struct done	*dones;
	size_t		 ndones;
	char		**notices;
	size_t		 nnotices;
	char		**folders;		/* the last IE_FOLDERS */
	size_t		 nfolders;
	bool		 inbox_status;		/* INBOX has its counts */
	int		 folder_events;
	uint32_t	*gone;			/* every IE_EXPUNGED UID */
	size_t		 ngone;
	uint32_t	*flag_uids;		/* every IE_FLAGS */
	uint32_t	*flag_vals;
	size_t		 nflags;
	int		 bodies;		/* IE_BODY seen */
	uint32_t	 body_uid;
	char		*body;			/* the last one */
	size_t		 body_len;
	bool		 body_partial;		/* one differed from want */
	const char	*body_want;
};

static void
model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
}

static void
model_grow(struct model *m, uint32_t uid)
{
	size_t	 ncap;

	if (uid < m->cap)
		return;
	ncap = m->cap == 0 ? 64 : m->cap;
	while (ncap <= uid)
		ncap *= 2;
	m->rows = xreallocarray(m->rows, ncap, sizeof *m->rows);
	m->have = xreallocarray(m->have, ncap, sizeof *m->have);
	memset(m->rows + m->cap, 0, (ncap - m->cap) * sizeof *m->rows);
	memset(m->have + m->cap, 0, (ncap - m->cap) * sizeof *m->have);
	m->cap = ncap;
}

static void
model_reset_rows(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->cap; i++)
		if (m->have[i])
			msg_summary_clear(&m->rows[i]);
	if (m->have != NULL)
		memset(m->have, 0, m->cap * sizeof *m->have);
	m->nrows = m->dups = 0;
	m->prog_done = m->prog_total = 0;
}

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
model_free(struct model *m)
{
	size_t	 i;

	model_reset_rows(m);
	free(m->rows);
	free(m->have);
	free(m->wait_text);
	free(m->fail_text);
	for (i = 0; i < m->ndones; i++)
		free(m->dones[i].text);
	free(m->dones);
	strv_free(m->notices, m->nnotices);
	strv_free(m->folders, m->nfolders);
	free(m->gone);
	free(m->flag_uids);
	free(m->flag_vals);
	free(m->body);
}

static void
model_state(struct model *m, const struct imap_event *ev)
{
	m->state = ev->state;
	switch (ev->state) {
	case CS_CONNECTING:
		m->connects++;
		break;
	case CS_WAITING:
		if (m->waits++ == 0) {
			m->wait_text = xstrdup(str(ev->text));
			m->t_wait = now_ms();
		}
		diag("CS_WAITING: %s", str(ev->text));
		break;
	case CS_FAILED:
		if (m->fails++ == 0) {
			m->fail_text = xstrdup(str(ev->text));
			m->t_fail = now_ms();
		}
		diag("CS_FAILED: %s", str(ev->text));
		break;
	default:
		break;
	}
}

static void
model_apply(struct model *m, const struct imap_event *ev)
{
	size_t	 i;
	uint32_t uid;

	switch (ev->type) {
	case IE_STATE:
		model_state(m, ev);
		break;
	case IE_FOLDERS:
		strv_free(m->folders, m->nfolders);
		m->folders = xreallocarray(NULL, ev->nfolders + 1,
		    sizeof *m->folders);
		m->nfolders = ev->nfolders;
		m->folder_events++;
		for (i = 0; i < ev->nfolders; i++) {
			m->folders[i] = xstrdup(ev->folders[i].name);
			if (strcmp(ev->folders[i].name, "INBOX") == 0 &&
			    ev->folders[i].has_status)
				m->inbox_status = true;
		}
		break;
	case IE_SELECTED:
		m->selected++;
		m->uidvalidity = ev->folders[0].uidvalidity;
		m->messages = ev->folders[0].messages;
		break;
	case IE_SUMMARIES:
		for (i = 0; i < ev->nrows; i++) {
			uid = ev->rows[i].uid;
			model_grow(m, uid);
			if (m->have[uid]) {
				m->dups++;
				msg_summary_clear(&m->rows[uid]);
			} else
				m->nrows++;
			m->have[uid] = true;
			msg_summary_copy(&m->rows[uid], &ev->rows[i]);
		}
		break;
	case IE_FLAGS:
		m->flag_uids = xreallocarray(m->flag_uids, m->nflags + 1,
		    sizeof *m->flag_uids);
		m->flag_vals = xreallocarray(m->flag_vals, m->nflags + 1,
		    sizeof *m->flag_vals);
		m->flag_uids[m->nflags] = ev->uid;
		m->flag_vals[m->nflags++] = ev->flags;
		model_grow(m, ev->uid);
		if (m->have[ev->uid])
			m->rows[ev->uid].flags = ev->flags;
		break;
	case IE_EXPUNGED:
		m->gone = xreallocarray(m->gone, m->ngone + ev->nuids + 1,
		    sizeof *m->gone);
		for (i = 0; i < ev->nuids; i++) {
			uid = ev->uids[i];
			m->gone[m->ngone++] = uid;
			model_grow(m, uid);
			if (m->have[uid]) {
				msg_summary_clear(&m->rows[uid]);
				m->have[uid] = false;
				m->nrows--;
			}
		}
		break;
	case IE_PROGRESS:
		m->prog_done = ev->done;
		m->prog_total = ev->total;
		break;
	case IE_BODY:
		m->bodies++;
		m->body_uid = ev->uid;
		free(m->body);
		m->body = xmemdup(ev->data, ev->len);
		m->body_len = ev->len;
		if (m->body_want != NULL && (ev->len != strlen(m->body_want) ||
		    memcmp(ev->data, m->body_want, ev->len) != 0))
			m->body_partial = true;
		break;
	case IE_DONE:
		m->dones = xreallocarray(m->dones, m->ndones + 1,
		    sizeof *m->dones);
		m->dones[m->ndones].id = ev->id;
		m->dones[m->ndones].ok = ev->ok;
		m->dones[m->ndones++].text = ev->text != NULL ?
		    xstrdup(ev->text) : NULL;
		break;
	case IE_NOTICE:
		diag("IE_NOTICE: %s", str(ev->text));
		m->notices = xreallocarray(m->notices, m->nnotices + 1,
		    sizeof *m->notices);
		m->notices[m->nnotices++] = xstrdup(str(ev->text));
		break;
	default:		/* IE_SEARCH and whatever comes later */
		break;
	}
}

static const struct done *
find_done(const struct model *m, uint64_t id)
{
	size_t	 i;

	for (i = 0; i < m->ndones; i++)
		if (m->dones[i].id == id)
			return &m->dones[i];
	return NULL;
}

static bool
gone_has(const struct model *m, uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < m->ngone; i++)
		if (m->gone[i] == uid)
			return true;
	return false;
}

static bool
notice_has(const struct model *m, const char *text)
{
	size_t	 i;

	for (i = 0; i < m->nnotices; i++)
		if (strstr(m->notices[i], text) != NULL)
			return true;
	return false;
}

static bool
folder_listed(const struct model *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->nfolders; i++)
		if (strcmp(m->folders[i], name) == 0)
			return true;
	return false;
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
			hit = pred != NULL && pred(m, ev, arg);
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
is_state(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	return ev->type == IE_STATE && ev->state == *(const enum conn_state *)a;
}

static bool
waited(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)ev;
	(void)a;
	return m->waits > 0;
}

static bool
is_done(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	return ev->type == IE_DONE && ev->id == *(const uint64_t *)a;
}

static bool
rows_at_least(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)ev;
	return m->nrows >= *(const size_t *)a;
}

/* IE_DONE for id, arrived already or within ms. */
static bool
wait_done(struct session *s, struct model *m, uint64_t id, int ms)
{
	return find_done(m, id) != NULL || pump(s, m, ms, is_done, &id);
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
inbox_counted(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)a;
	return ev->type == IE_FOLDERS && m->inbox_status;
}

static bool
is_expunged(const struct model *m, const struct imap_event *ev,
    const void *a)
{
	(void)ev;
	return gone_has(m, *(const uint32_t *)a);
}

static bool
is_type(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	return ev->type == *(const enum imap_ev_type *)a;
}

static bool
flags_of(const struct model *m, const struct imap_event *ev, const void *a)
{
	const uint32_t	*want = a;	/* uid, mask, value */

	(void)m;
	return ev->type == IE_FLAGS && ev->uid == want[0] &&
	    (ev->flags & want[1]) == want[2];
}

/* ---- commands ---- */

static uint64_t	 next_id = 1;

static uint64_t
send_select(struct session *s, const char *folder)
{
	struct imap_cmd	*c = imap_cmd_new(IC_SELECT);

	c->id = next_id++;
	c->generation = 1;
	c->folder = xstrdup(folder);
	session_send(s, c);
	return c->id;
}

static uint64_t
send_store(struct session *s, const char *folder, uint32_t validity,
    uint32_t uid, uint32_t add, uint32_t remove)
{
	struct imap_cmd	*c = imap_cmd_new(IC_STORE);
	uint64_t	 id = next_id++;

	c->id = id;
	c->generation = 1;
	c->folder = xstrdup(folder);
	c->uidvalidity = validity;
	c->uids = xmalloc(sizeof *c->uids);
	c->uids[0] = uid;
	c->nuids = 1;
	c->add = add;
	c->remove = remove;
	session_send(s, c);
	return id;
}

static uint64_t
send_body(struct session *s, const char *folder, uint32_t validity,
    uint32_t uid)
{
	struct imap_cmd	*c = imap_cmd_new(IC_FETCH_BODY);
	uint64_t	 id = next_id++;

	c->id = id;
	c->generation = 1;
	c->folder = xstrdup(folder);
	c->uidvalidity = validity;
	c->uids = xmalloc(sizeof *c->uids);
	c->uids[0] = uid;
	c->nuids = 1;
	c->max_bytes = 1024 * 1024;
	session_send(s, c);
	return id;
}

static uint64_t
send_search(struct session *s, const char *folder, const char *query)
{
	struct imap_cmd	*c = imap_cmd_new(IC_SEARCH);
	uint64_t	 id = next_id++;

	c->id = id;
	c->generation = 1;
	c->folder = xstrdup(folder);
	c->query = xstrdup(query);
	session_send(s, c);
	return id;
}

/* ---- fakeimap's log ---- */

/* How many lines of the log match the ERE. */
static int
log_count(const char *log, const char *ere)
{
	FILE	*f;
	regex_t	 re;
	char	 line[8192];
	int	 n = 0;

	if (regcomp(&re, ere, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	if ((f = fopen(log, "r")) == NULL) {
		regfree(&re);
		return 0;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (regexec(&re, line, 0, NULL, 0) == 0)
			n++;
	}
	fclose(f);
	regfree(&re);
	return n;
}

/* Wait (applying events) until the log has a line matching the ERE. */
static bool
log_wait(struct session *s, struct model *m, const char *log,
    const char *ere, int ms)
{
	int64_t	 end = now_ms() + ms;

	while (now_ms() < end) {
		if (log_count(log, ere) > 0)
			return true;
		pump(s, m, 50, NULL, NULL);
	}
	return log_count(log, ere) > 0;
}

/* ---- set-up ---- */

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
stop(struct session **s, struct model *m, struct config **cfg,
    const char *desc)
{
	int64_t	 t0 = now_ms();

	session_stop(s);
	tap(*s == NULL && now_ms() - t0 < 3000, "%s: session_stop returns "
	    "within 3 s (%lld ms)", desc, (long long)(now_ms() - t0));
	model_free(m);
	config_free(cfg);
}

/* The fake folder is whole: uids 10, 20, 30 with their subjects. */
static bool
fake_folder_whole(const struct model *m)
{
	static const uint32_t	 uids[] = FAKE_UIDS;
	size_t			 i;

	if (m->nrows != FAKE_N || m->dups != 0)
		return false;
	for (i = 0; i < FAKE_N; i++)
		if (uids[i] >= m->cap || !m->have[uids[i]] ||
		    m->rows[uids[i]].subject == NULL ||
		    strstr(m->rows[uids[i]].subject, "message") == NULL)
			return false;
	return true;
}

/* Open INBOX on the fake server and take its three rows. */
static bool
open_fake(struct session *s, struct model *m, int ms)
{
	uint64_t	 id = send_select(s, "INBOX");
	const struct done *d;

	if (!pump(s, m, ms, is_done, &id) || (d = find_done(m, id)) == NULL ||
	    !d->ok)
		return false;
	return pump(s, m, ms, backfill_done, NULL) && fake_folder_whole(m);
}

/* gcc says ASan with __SANITIZE_ADDRESS__, clang with __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD 1
#endif
#endif

/* ---- rows 1, 2, 5, 7: the wire's framing scanner, in the backfill ---- */

static void
mode_frame(const char *path, const char *desc, const char *reason,
    long max_kb)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	enum conn_state	 waiting = CS_WAITING;
	uint64_t	 id;
	int64_t		 t0, t1;
	long		 kb;
	bool		 ok;

#ifdef ASAN_BUILD
	/* ASan's quarantine keeps freed buffers (libetpan's line doubles
	 * up to the cap) resident a while longer. */
	max_kb *= 2;
	diag("%s: AddressSanitizer build, the RSS limit doubled", desc);
#endif
	model_init(&m);
	s = start(path, &cfg);
	id = send_select(s, "INBOX");
	ok = pump(s, &m, 10000, is_done, &id);
	t0 = now_ms();
	ok = ok && pump(s, &m, 20000, is_state, &waiting);
	t1 = now_ms();
	tap(ok && strstr(str(m.wait_text), reason) != NULL && t1 - t0 < 3000,
	    "%s: the connection is dropped with the reason within 3 s "
	    "(%lld ms): \"%s\"", desc, (long long)(t1 - t0),
	    str(m.wait_text));
	tap(m.nrows == 0 && m.bodies == 0, "%s: nothing of the bad "
	    "response reaches the UI (%zu rows)", desc, m.nrows);
	kb = peak_kb();
	tap(kb > 0 && kb < max_kb, "%s: peak RSS %ld kB, below %ld kB", desc,
	    kb, max_kb);
	ok = pump(s, &m, 20000, backfill_done, NULL) && fake_folder_whole(&m);
	tap(ok && m.connects == 2, "%s: reconnects and loads the folder "
	    "(%zu rows, %d connections, %lld ms after the drop)", desc,
	    m.nrows, m.connects, (long long)(now_ms() - t1));
	/* The STATUS that follows ends the server's script. */
	(void)pump(s, &m, 5000, inbox_counted, NULL);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 3: EOF, RST or BYE inside a literal ---- */

static void
mode_cut(const char *path, const char *desc, const char *log)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 body, store;
	const struct done *d;
	int64_t		 t0, t1;
	bool		 ok;
	int		 n;

	model_init(&m);
	m.body_want = FAKE_BODY;
	s = start(path, &cfg);
	ok = open_fake(s, &m, 10000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok, "%s: INBOX open on the fake server", desc);
	/* The body is cut half way (300 ms after its first bytes); the
	 * STORE waits behind it. */
	t0 = now_ms();
	body = send_body(s, "INBOX", FAKE_VALIDITY, 20);
	store = send_store(s, "INBOX", FAKE_VALIDITY, 30, MF_FLAGGED, 0);
	ok = pump(s, &m, 15000, waited, NULL);
	t1 = m.t_wait;
	tap(ok && t1 - t0 < 3000 && *str(m.wait_text) != '\0',
	    "%s: the end is noticed within 3 s (%lld ms, 300 of them the "
	    "server's pause), not at the read timeout: \"%s\"", desc,
	    (long long)(t1 - t0), str(m.wait_text));
	ok = wait_done(s, &m, body, 20000);
	d = find_done(&m, body);
	tap(ok && d != NULL && d->ok && m.bodies == 1 && !m.body_partial &&
	    m.connects == 2, "%s: after the reconnect the body arrives whole, "
	    "once; the part before the cut never reached the UI (%d bodies, "
	    "%zu bytes%s, %d connections, IE_DONE %s)", desc, m.bodies,
	    m.body_len, m.body_partial ? ", not as sent" : "", m.connects,
	    d == NULL ? "missing" : d->ok ? "ok" : str(d->text));
	ok = wait_done(s, &m, store, 20000);
	d = find_done(&m, store);
	ok = ok && d != NULL && d->ok;
	n = log_count(log, "^[0-9]+ C: [^ ]+ UID STORE 30 ");
	tap(ok && n == 1 && log_count(log, "^2 C: [^ ]+ UID STORE 30 \\+FLAGS") == 1,
	    "%s: the STORE queued before the cut reaches the server exactly "
	    "once, after the reconnect (%d sent, IE_DONE %s)", desc, n,
	    d == NULL ? "missing" : d->ok ? "ok" : str(d->text));
	tap(m.nrows == FAKE_N && m.dups == 0, "%s: the rows stay as they "
	    "were (%zu)", desc, m.nrows);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 4: the server goes silent in the middle of a response ---- */

static void
mode_stall(const char *path, const char *log)
{
	const char	*desc = "row 4";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	enum conn_state	 waiting = CS_WAITING;
	uint64_t	 body, store = 0;
	const struct done *d;
	int64_t		 t0, t1, t2, worst = 0, a;
	bool		 ok;
	int		 n, i;

	model_init(&m);
	m.body_want = FAKE_BODY;
	s = start(path, &cfg);
	ok = open_fake(s, &m, 10000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok, "%s: INBOX open on the fake server (timeout = 5)", desc);
	body = send_body(s, "INBOX", FAKE_VALIDITY, 20);
	ok = log_wait(s, &m, log, "^1 S: .*twenty bytes", 10000);
	t0 = now_ms();
	/* The UI thread is never held while the session waits on the
	 * silent server: a command is queued at once, and a poll of the
	 * event pipe returns on its own timer. */
	for (i = 0; i < 10; i++) {
		a = now_ms();
		if (i == 5)
			store = send_store(s, "INBOX", FAKE_VALIDITY, 30,
			    MF_FLAGGED, 0);
		pump(s, &m, 100, NULL, NULL);
		if (now_ms() - a - 100 > worst)
			worst = now_ms() - a - 100;
	}
	ok = pump(s, &m, 15000, is_state, &waiting) && ok;
	t1 = now_ms();
	tap(ok && strstr(str(m.wait_text), "no data from the server for 5 s")
	    != NULL && t1 - t0 >= 4500 && t1 - t0 < 8000,
	    "%s: the read timeout ends the silence after %lld ms: \"%s\"", desc,
	    (long long)(t1 - t0), str(m.wait_text));
	tap(worst < 100, "%s: the UI stays responsive meanwhile (sending a "
	    "command and polling events: at most %lld ms over the poll)",
	    desc, (long long)worst);
	ok = wait_done(s, &m, body, 20000);
	d = find_done(&m, body);
	t2 = now_ms();
	tap(ok && d != NULL && d->ok && m.bodies == 1 && !m.body_partial,
	    "%s: reconnects; the body arrives whole (%lld ms after the "
	    "timeout)", desc, (long long)(t2 - t1));
	ok = wait_done(s, &m, store, 20000);
	d = find_done(&m, store);
	n = log_count(log, "^[0-9]+ C: [^ ]+ UID STORE 30 \\+FLAGS");
	tap(ok && d != NULL && d->ok && n == 1 &&
	    log_count(log, "^2 C: [^ ]+ UID STORE 30 \\+FLAGS") == 1,
	    "%s: the STORE sent during the silence runs once, after the "
	    "reconnect (%d sent)", desc, n);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 6: the folder's rows, to compare two runs ---- */

static int
mode_dump(const char *path, const char *folder, const char *out)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 id;
	int64_t		 t0;
	bool		 ok;
	FILE		*f;
	size_t		 u;
	const struct msg_summary *r;

	model_init(&m);
	s = start(path, &cfg);
	t0 = now_ms();
	id = send_select(s, folder);
	ok = pump(s, &m, 60000, is_done, &id);
	ok = ok && pump(s, &m, 120000, backfill_done, NULL);
	if ((f = fopen(out, "w")) == NULL) {
		printf("Bail out! %s\n", out);
		exit(1);
	}
	for (u = 0; u < m.cap; u++) {
		if (!m.have[u])
			continue;
		r = &m.rows[u];
		/* \Recent goes to the first session that looks. */
		fprintf(f, "%u\t%u\t%u\t%lld\t%lld\t%s\t%s\t%s\t%s\t%s\t%s\n",
		    r->uid, r->flags & ~(uint32_t)MF_RECENT, r->size,
		    (long long)r->internal_date, (long long)r->date, str(r->from), str(r->to), str(r->cc),
		    str(r->subject), str(r->message_id), str(r->references));
	}
	fclose(f);
	tap(ok && m.nrows == m.messages && m.nrows > 0 && m.dups == 0 &&
	    m.waits == 0, "row 6: %s loads (%zu of %u rows, %d drops) in "
	    "%lld ms", folder, m.nrows, m.messages, m.waits,
	    (long long)(now_ms() - t0));
	diag("peak RSS %ld kB", peak_kb());
	session_stop(&s);
	model_free(&m);
	config_free(&cfg);
	return 0;
}

/* ---- rows 8, 9, 11: refused before any credential ---- */

static void
mode_refuse(const char *path, const char *desc, char **texts, int ntexts)
{
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	enum conn_state	 failed = CS_FAILED;
	int64_t		 t0 = now_ms();
	bool		 ok, all = true;
	int		 i, n;

	model_init(&m);
	s = start(path, &cfg);
	ok = pump(s, &m, 15000, is_state, &failed);
	for (i = 0; i < ntexts; i++)
		if (strstr(str(m.fail_text), texts[i]) == NULL) {
			all = false;
			diag("missing: %s", texts[i]);
		}
	tap(ok && all && m.t_fail - t0 < 5000, "%s: CS_FAILED with the "
	    "reason within 5 s (%lld ms): \"%s\"", desc,
	    (long long)(m.t_fail - t0), str(m.fail_text));
	n = m.connects;
	pump(s, &m, 2500, NULL, NULL);
	tap(m.connects == n && m.waits == 0 && m.selected == 0 &&
	    m.folder_events == 0, "%s: no retry on its own, nothing "
	    "listed (%d attempts in 2.5 s)", desc, m.connects - n);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 10: untagged data before STARTTLS completes ---- */

static void
mode_untagged(const char *path, const char *log)
{
	const char	*desc = "row 10";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	ok = open_fake(s, &m, 10000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok && m.state != CS_FAILED, "%s: logged in over STARTTLS, INBOX "
	    "loads", desc);
	tap(ok && m.nfolders == 1 && folder_listed(&m, "INBOX") &&
	    !folder_listed(&m, "Evil"), "%s: the LIST sent before TLS is "
	    "discarded (%zu folders)", desc, m.nfolders);
	pump(s, &m, 500, NULL, NULL);
	tap(m.nnotices == 0 && m.nflags == 0 && m.nrows == FAKE_N &&
	    !m.have[1], "%s: the FETCH and the ALERT sent before TLS are not "
	    "shown (%zu notices, %zu flag events)", desc, m.nnotices,
	    m.nflags);
	tap(log_count(log, "C: [^ ]+ (ENABLE|IDLE)") == 0 &&
	    log_count(log, "C: [^ ]+ CAPABILITY$") == 1,
	    "%s: the capabilities from before TLS are asked again and the "
	    "old ones not used (no ENABLE, no IDLE)", desc);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 12: replies without text, unknown codes, odd numbers ---- */

/* bad/row12-select.imap, row12-rows.imap, row12-store.imap: what a
 * parser should take in its stride. */
static void
mode_quirks(const char *path, const char *log)
{
	const char	*desc = "row 12";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 id;
	const struct done *d;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	ok = open_fake(s, &m, 15000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok && m.waits == 0, "%s: unknown response codes, status "
	    "responses with a code and no text (tagged too) and BODYSTRUCTUREs "
	    "with body-fld-lines -1 are tolerated: the folder loads (%zu rows, "
	    "%d drops)", desc, m.nrows, m.waits);
	id = send_store(s, "INBOX", FAKE_VALIDITY, 10, MF_FLAGGED, 0);
	ok = wait_done(s, &m, id, 10000);
	d = find_done(&m, id);
	tap(ok && d->ok && m.waits == 0, "%s: a STORE answered OK with an "
	    "unknown code and no text is done", desc);
	(void)log;
	stop(&s, &m, &cfg, desc);
}

/* bad/row12-bare*.imap: status responses libetpan cannot parse. */
static void
mode_bare(const char *path, const char *log)
{
	const char	*desc = "row 12";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 id;
	const struct done *d;
	int64_t		 t0;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	ok = open_fake(s, &m, 15000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok, "%s: INBOX open on the fake server", desc);
	t0 = now_ms();
	id = send_store(s, "INBOX", FAKE_VALIDITY, 20, MF_FLAGGED, 0);
	ok = wait_done(s, &m, id, 30000);
	d = find_done(&m, id);
	tap(ok && !d->ok && *str(d->text) != '\0' && now_ms() - t0 < 15000,
	    "%s: * BAD, then NO and BAD without text, in answer to a STORE: "
	    "a clean refusal after %d connections, %lld ms: \"%s\"", desc,
	    m.connects, (long long)(now_ms() - t0), d != NULL ? str(d->text) :
	    "(no IE_DONE)");
	ok = log_wait(s, &m, log, "^4 S: [^ ]+ OK FETCH done", 15000);
	id = send_store(s, "INBOX", FAKE_VALIDITY, 30, MF_FLAGGED, 0);
	ok = wait_done(s, &m, id, 10000) && ok;
	d = find_done(&m, id);
	tap(ok && d->ok && m.nrows == FAKE_N && m.dups == 0, "%s: the "
	    "session goes on: the rows stay, the next STORE is done", desc);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 13: an ENVELOPE libetpan cannot parse ---- */

static void
mode_envelope(const char *path)
{
	const char	*desc = "row 13";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	int64_t		 t0;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	t0 = now_ms();
	ok = open_fake(s, &m, 20000);
	tap(ok, "%s: a stray quote in uid 20's Message-ID: all %zu rows "
	    "load, none twice, in %lld ms", desc, m.nrows,
	    (long long)(now_ms() - t0));
	tap(20 < m.cap && m.have[20] &&
	    strcmp(str(m.rows[20].subject), "second message") == 0 &&
	    strstr(str(m.rows[20].from), "Bea") != NULL,
	    "%s: uid 20 comes from its header fields: \"%s\" from \"%s\"",
	    desc, 20 < m.cap ? str(m.rows[20].subject) : "",
	    20 < m.cap ? str(m.rows[20].from) : "");
	tap(m.waits == 0 && m.connects >= 2 && m.connects <= 4,
	    "%s: no backoff for the parse error (%d waits, %d connections)",
	    desc, m.waits, m.connects);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 14: EXPUNGE in the middle of a UID FETCH ---- */

/* bad/row14a.imap: new mail, and an EXPUNGE between its FETCHes. */
static void
mode_expunge_new(const char *path, const char *log)
{
	const char	*desc = "row 14";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint32_t	 u20 = 20;
	size_t		 four = 4;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	ok = open_fake(s, &m, 10000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok, "%s: INBOX open on the fake server", desc);
	ok = pump(s, &m, 15000, is_expunged, &u20);
	tap(ok && m.ngone == 1, "%s: an EXPUNGE between the FETCHes of a "
	    "UID FETCH: IE_EXPUNGED names uid 20, the one removed, and no "
	    "other (%zu)", desc, m.ngone);
	ok = (m.nrows >= 4 || pump(s, &m, 10000, rows_at_least, &four)) &&
	    m.have[40] && m.have[50];
	tap(ok && m.nrows == 4 && m.have[10] && m.have[30] && !m.have[20] &&
	    m.dups == 0, "%s: the new rows 40 and 50 arrive, row 20 is gone, "
	    "the rest stays (%zu rows)", desc, m.nrows);
	ok = log_wait(s, &m, log, " C: [^ ]+ FETCH 1:[0-9]+ \\(UID FLAGS\\)$",
	    5000);
	tap(ok && log_count(log, " C: [^ ]+ FETCH 1:4 \\(UID FLAGS\\)$") == 1,
	    "%s: the resync after it asks for the 4 messages left (FETCH 1:4: "
	    "EXPUNGE lowers the count)", desc);
	pump(s, &m, 500, NULL, NULL);
	stop(&s, &m, &cfg, desc);
}

/* bad/row14b.imap: sequence numbers before and after an EXPUNGE inside
 * a UID FETCH of a body. */
static void
mode_expunge_body(const char *path, const char *log)
{
	const char	*desc = "row 14";
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint32_t	 u10 = 10, u20 = 20;
	uint32_t	 f20[3] = { 20, MF_FLAGGED, MF_FLAGGED };
	uint32_t	 a30[3] = { 30, MF_ANSWERED, MF_ANSWERED };
	uint64_t	 body;
	const struct done *d;
	bool		 ok;

	model_init(&m);
	s = start(path, &cfg);
	ok = open_fake(s, &m, 10000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok, "%s: INBOX open on the fake server", desc);
	ok = pump(s, &m, 10000, flags_of, f20);
	tap(ok, "%s: * 2 FETCH (FLAGS) is uid 20's", desc);
	body = send_body(s, "INBOX", FAKE_VALIDITY, 30);
	ok = wait_done(s, &m, body, 10000);
	d = find_done(&m, body);
	tap(ok && d->ok && m.bodies == 1 && m.body_uid == 30 &&
	    (gone_has(&m, 10) || pump(s, &m, 3000, is_expunged, &u10)) &&
	    m.ngone == 1 && m.have[20] && m.have[30],
	    "%s: * 1 EXPUNGE inside UID FETCH 30 BODY[]: uid 30's body "
	    "arrives, IE_EXPUNGED names uid 10, rows 20 and 30 stay", desc);
	ok = pump(s, &m, 10000, flags_of, a30);
	tap(ok && !(m.rows[20].flags & MF_ANSWERED), "%s: afterwards * 2 "
	    "FETCH (FLAGS) is uid 30's, no longer uid 20's", desc);
	ok = pump(s, &m, 10000, is_expunged, &u20);
	tap(ok && m.ngone == 2 && m.nrows == 1 && m.have[30], "%s: and "
	    "* 1 EXPUNGE removes uid 20 (%zu row left)", desc, m.nrows);
	(void)log_wait(s, &m, log, "MESSAGES 1 UNSEEN 0", 5000);
	pump(s, &m, 300, NULL, NULL);
	stop(&s, &m, &cfg, desc);
}

/* ---- row 15: expunged by another client between SEARCH and FETCH ---- */

static int QUIRE_PRINTF(1, 2)
doveadm(const char *fmt, ...)
{
	struct buf	 cmd = BUF_INIT;
	va_list		 ap;
	int		 st;

	buf_printf(&cmd, "doveadm -c '%s/main.conf' ", getenv("QF_DIR"));
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_addstr(&cmd, " >/dev/null 2>&1");
	st = system(buf_str(&cmd));
	buf_free(&cmd);
	return st;
}

/* The newest UID the model holds below below. */
static uint32_t
newest_below(const struct model *m, uint32_t below)
{
	uint32_t	 u;

	for (u = below < m->cap ? below : (uint32_t)m->cap; u-- > 1;)
		if (m->have[u])
			return u;
	return 0;
}

/* Lines of the protocol trace where the server refused a command. */
static int
trace_bad(const char *trace)
{
	return log_count(trace, "S: [0-9]+ BAD ");
}

static void
mode_gone(const char *path, const char *trace)
{
	const char	*desc = "row 15";
	enum imap_ev_type found = IE_SEARCH;
	enum imap_cmd_type sync = IC_SYNC;
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	struct imap_cmd	*c;
	uint64_t	 id, body, syncs[2];
	const struct done *d;
	uint32_t	 a, b, n, validity, want[3];
	int64_t		 t0;
	bool		 ok;
	int		 i;
	char		*err = NULL;

	(void)unlink(trace);
	if (log_open(trace, LL_TRACE, &err) == -1) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	model_init(&m);
	s = start(path, &cfg);
	id = send_select(s, "INBOX");
	ok = wait_done(s, &m, id, 20000) &&
	    pump(s, &m, 30000, backfill_done, NULL);
	validity = m.uidvalidity;
	tap(ok && m.nrows > 3, "%s: INBOX open on Dovecot (%zu rows)", desc,
	    m.nrows);
	/* The user searches; the hits are on screen. */
	id = send_search(s, "INBOX", "ALL");
	ok = pump(s, &m, 10000, is_type, &found) && wait_done(s, &m, id, 5000);
	if (!ok)
		diag("the search did not finish");
	a = newest_below(&m, UINT32_MAX);
	b = newest_below(&m, a);
	n = newest_below(&m, b);

	/* The race as it comes: another client removes the newest hit and
	 * the user opens it at once. Dovecot may still serve it (its
	 * session has not seen the expunge yet) or no longer: either is
	 * right, as long as the answer is whole or clearly refused and
	 * the row then goes. */
	ok = ok && doveadm("expunge mailbox INBOX uid %u", a) == 0;
	t0 = now_ms();
	body = send_body(s, "INBOX", validity, a);
	ok = wait_done(s, &m, body, 20000) && ok;
	d = find_done(&m, body);
	tap(ok && ((d->ok && m.bodies == 1 && m.body_uid == a &&
	    m.body_len > 100) || (!d->ok && strstr(str(d->text), "no longer")
	    != NULL && m.bodies == 0)), "%s: IC_FETCH_BODY of uid %u right "
	    "after another client expunged it: the message whole or \"no "
	    "longer\", never an empty body (%s, %lld ms)", desc, a,
	    d == NULL ? "no IE_DONE" : !d->ok ? str(d->text) :
	    m.body_len > 100 ? "served whole, the server had not noticed yet" :
	    "IE_DONE ok", (long long)(now_ms() - t0));
	diag("%s: %d bodies, the last of uid %u, %zu bytes", desc, m.bodies,
	    m.body_uid, m.body_len);
	ok = gone_has(&m, a) || pump(s, &m, 10000, is_expunged, &a);
	tap(ok && !m.have[a], "%s: and its row goes (IE_EXPUNGED %u)", desc,
	    a);

	/* Once the server knows: the UI still shows the row when the user
	 * opens it (the engine's IE_EXPUNGED is not applied yet). */
	ok = doveadm("expunge mailbox INBOX uid %u", b) == 0;
	ok = (gone_has(&m, b) || pump(s, &m, 10000, is_expunged, &b)) && ok;
	t0 = now_ms();
	body = send_body(s, "INBOX", validity, b);
	ok = wait_done(s, &m, body, 20000) && ok;
	d = find_done(&m, body);
	tap(ok && !d->ok && strstr(str(d->text), "no longer") != NULL &&
	    m.bodies <= 1 && m.body_uid != b, "%s: IC_FETCH_BODY of uid %u, "
	    "expunged by another client: \"%s\" (%lld ms)", desc, b,
	    d != NULL ? str(d->text) : "", (long long)(now_ms() - t0));

	/* And the engine's view still matches the server's: two syncs,
	 * then another client's flag on the newest message left. */
	for (i = 0; i < 2; i++) {
		c = imap_cmd_new(sync);
		c->id = syncs[i] = next_id++;
		c->generation = 1;
		session_send(s, c);
		ok = wait_done(s, &m, syncs[i], 20000) &&
		    find_done(&m, syncs[i])->ok;
	}
	ok = ok && doveadm("flags add '\\Flagged' mailbox INBOX uid %u",
	    n) == 0;
	want[0] = n;
	want[1] = want[2] = MF_FLAGGED;
	ok = ok && pump(s, &m, 10000, flags_of, want);
	tap(ok, "%s: after the expunges the engine still follows the "
	    "server: two IC_SYNC, then another client's flag on uid %u "
	    "arrives", desc, n);
	tap(trace_bad(trace) == 0, "%s: and Dovecot refused none of the "
	    "engine's commands meanwhile (%d BAD in the protocol trace)",
	    desc, trace_bad(trace));
	stop(&s, &m, &cfg, desc);
}

/* ---- row 16: UIDVALIDITY changed across a reconnect ---- */

static bool
is_notice(const struct model *m, const struct imap_event *ev, const void *a)
{
	(void)m;
	(void)a;
	return ev->type == IE_NOTICE;
}

static void
mode_renumber(const char *path, const char *log)
{
	const char	*desc = "row 16";
	enum imap_ev_type sel = IE_SELECTED;
	enum conn_state	 waiting = CS_WAITING;
	struct config	*cfg;
	struct session	*s;
	struct model	 m;
	uint64_t	 st, st2;
	const struct done *d, *d2;
	bool		 ok, note;

	model_init(&m);
	s = start(path, &cfg);
	ok = open_fake(s, &m, 10000) && pump(s, &m, 5000, inbox_counted, NULL);
	tap(ok && m.uidvalidity == FAKE_VALIDITY, "%s: INBOX open, "
	    "UIDVALIDITY %u", desc, m.uidvalidity);
	/* The server drops the connection; the user flags uid 20 and
	 * clears uid 30 while offline. */
	ok = pump(s, &m, 15000, is_state, &waiting);
	st = send_store(s, "INBOX", FAKE_VALIDITY, 20, MF_FLAGGED, 0);
	st2 = send_store(s, "INBOX", FAKE_VALIDITY, 30, 0, MF_SEEN);
	tap(ok, "%s: offline (\"%s\"), two STOREs queued", desc,
	    str(m.wait_text));
	model_reset_rows(&m);
	note = pump(s, &m, 15000, is_notice, NULL);
	tap(note && notice_has(&m, "renumbered"), "%s: the new UIDVALIDITY "
	    "is told: IE_NOTICE \"%s\"", desc,
	    m.nnotices > 0 ? m.notices[0] : "");
	ok = (m.selected == 2 || pump(s, &m, 5000, is_type, &sel)) &&
	    pump(s, &m, 10000, backfill_done, NULL);
	tap(ok && m.selected == 2 && m.uidvalidity == 8 && m.nrows == 3 &&
	    m.have[11] && m.have[12] && m.have[13], "%s: full reload: "
	    "IE_SELECTED with UIDVALIDITY %u, rows 11-13 (%zu rows)", desc,
	    m.uidvalidity, m.nrows);
	ok = wait_done(s, &m, st, 10000) && wait_done(s, &m, st2, 10000);
	if (!ok) {
		/* Late, or never: say which. */
		(void)wait_done(s, &m, st, 20000);
		(void)wait_done(s, &m, st2, 1000);
		diag("%s: IE_DONE of the first STORE: %s", desc,
		    find_done(&m, st) == NULL ? "none in 30 s" :
		    find_done(&m, st)->ok ? "late, ok" : "late, failed");
	}
	d = find_done(&m, st);
	d2 = find_done(&m, st2);
	/* Said in each IE_DONE, or once for all in the notice. */
	tap(ok && !d->ok && !d2->ok && ((strstr(str(d->text), "renumbered") &&
	    strstr(str(d2->text), "renumbered")) || (notice_has(&m,
	    "renumbered") && notice_has(&m, "change"))),
	    "%s: both queued changes are dropped and reported: \"%s\", "
	    "\"%s\"", desc, d != NULL ? str(d->text) : "(none)",
	    d2 == NULL ? "(none)" : d2->ok ? "(ok)" : str(d2->text));
	pump(s, &m, 500, NULL, NULL);
	tap(log_count(log, "C: [^ ]+ UID STORE") == 0, "%s: no UID STORE "
	    "reached the renumbered folder (fakeimap's log)", desc);
	stop(&s, &m, &cfg, desc);
}

int
main(int argc, char **argv)
{
	const char	*trace = getenv("BAD_TRACE");
	char		*err = NULL;

	if (trace != NULL && *trace != '\0' && (argc < 2 ||
	    strcmp(argv[1], "gone") != 0) &&
	    log_open(trace, LL_TRACE, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (argc >= 6 && strcmp(argv[1], "frame") == 0)
		mode_frame(argv[2], argv[3], argv[4], atol(argv[5]));
	else if (argc >= 5 && strcmp(argv[1], "cut") == 0)
		mode_cut(argv[2], argv[3], argv[4]);
	else if (argc >= 4 && strcmp(argv[1], "stall") == 0)
		mode_stall(argv[2], argv[3]);
	else if (argc >= 5 && strcmp(argv[1], "dump") == 0)
		return mode_dump(argv[2], argv[3], argv[4]);
	else if (argc >= 5 && strcmp(argv[1], "refuse") == 0)
		mode_refuse(argv[2], argv[3], argv + 4, argc - 4);
	else if (argc >= 4 && strcmp(argv[1], "untagged") == 0)
		mode_untagged(argv[2], argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "quirks") == 0)
		mode_quirks(argv[2], argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "bare") == 0)
		mode_bare(argv[2], argv[3]);
	else if (argc >= 3 && strcmp(argv[1], "envelope") == 0)
		mode_envelope(argv[2]);
	else if (argc >= 4 && strcmp(argv[1], "expunge-new") == 0)
		mode_expunge_new(argv[2], argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "expunge-body") == 0)
		mode_expunge_body(argv[2], argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "gone") == 0)
		mode_gone(argv[2], argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "renumber") == 0)
		mode_renumber(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: test_bad MODE CONFIG ... (see the "
		    "comment at the top of test_bad.c)\n");
		return 2;
	}
	log_close();
	printf("1..%d\n", tap_n);
	return 0;
}

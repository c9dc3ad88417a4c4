/*
 * attach: the parts of the message the pager shows, and what a can do
 * with them: list them (a), save one (s), open one with its mailcap
 * viewer (o), pipe one, or the whole message, to a command (|).
 *
 * A part is fetched only when it is asked for (IC_FETCH_BODY with its
 * section), decoded here, and handed on. Saving follows BAD-INPUTS 26:
 * the name is mail_safe_filename()'s (no '/', no leading dot, no control,
 * bidi marks removed and the row flagged with "!"), the folder is the one
 * the user confirms, and the file is created with openat() in that folder
 * with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, so it can land nowhere else
 * and never through a symlink. When the name exists the user is asked;
 * yes writes a temporary file in the same folder and renames it over the
 * name, which replaces a symlink rather than following it.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pager.h"

enum job { JOB_NONE, JOB_SAVE, JOB_OPEN, JOB_PIPE };

struct pager_attach {
	bool			 on;		/* the list is shown */
	struct list		 list;

	/* The part chosen for a prompt, then on its way. */
	enum job		 job;
	uint64_t		 id;		/* its IC_FETCH_BODY */
	char			*section;	/* NULL: the whole message */
	char			*type;
	char			*name;		/* safe */
	enum mail_encoding	 enc;
	char			*dir;		/* JOB_SAVE: resolved */
	char			*cmd;		/* JOB_PIPE */

	/* A save that waits for "overwrite?". */
	struct buf		 data;
	char			*odir;
	char			*oname;
};

struct pager_attach *
attach_new(void)
{
	struct pager_attach *a = xcalloc(1, sizeof *a);

	list_init(&a->list, NULL, NULL);
	return a;
}

static void
job_clear(struct pager_attach *a)
{
	free(a->section);
	free(a->type);
	free(a->name);
	free(a->dir);
	free(a->cmd);
	a->section = a->type = a->name = a->dir = a->cmd = NULL;
	a->job = JOB_NONE;
	a->id = 0;
}

static void
overwrite_clear(struct pager_attach *a)
{
	buf_free(&a->data);
	free(a->odir);
	free(a->oname);
	a->odir = a->oname = NULL;
}

void
attach_free(struct pager_attach **ap)
{
	if (ap == NULL || *ap == NULL)
		return;
	job_clear(*ap);
	overwrite_clear(*ap);
	free(*ap);
	*ap = NULL;
}

void
attach_reset(struct ui_state *s)
{
	struct pager_attach *a = pager_attach_state(s);

	a->on = false;
	list_init(&a->list, NULL, NULL);
	/* A part on its way is for the message the user asked about: let
	 * it finish. */
}

struct list *
pager_list(struct ui_state *s)
{
	struct pager_attach *a = pager_attach_state(s);

	return a->on && s->focus == PANE_PAGER ? &a->list : NULL;
}

bool
pager_list_close(struct ui_state *s)
{
	struct pager_attach *a = pager_attach_state(s);

	if (!a->on)
		return false;
	a->on = false;
	s->dirty |= DIRTY_PAGER;
	return true;
}

/* ---- the list ---- */

static const struct mail_attachment *
attachments(struct ui_state *s, size_t *n)
{
	const struct mail_render *r = pager_render(s);

	*n = r != NULL ? r->nattachments : 0;
	return r != NULL ? r->attachments : NULL;
}

/* The name to save under (new, safe), and whether it was flagged. */
static char *
safe_name(const struct mail_attachment *at, bool *flagged)
{
	char	*raw, *name;

	*flagged = false;
	if (at->filename != NULL && *at->filename != '\0')
		return mail_safe_filename(at->filename, strlen(at->filename),
		    flagged);
	raw = xasprintf("part-%s%s", at->section,
	    strcmp(at->type, "message/rfc822") == 0 ? ".eml" :
	    strncmp(at->type, "text/", 5) == 0 ? ".txt" : "");
	name = mail_safe_filename(raw, strlen(raw), NULL);
	free(raw);
	return name;
}

void
pager_op_attachments(struct ui_state *s)
{
	struct pager_attach *a = pager_attach_state(s);
	size_t		 n;

	s->dirty |= DIRTY_PAGER | DIRTY_MESSAGE;
	if (a->on) {
		a->on = false;
		return;
	}
	attachments(s, &n);
	if (pager_render(s) == NULL) {
		model_message(&s->m, true, "The message is not here yet");
		return;
	}
	if (n == 0) {
		model_message(&s->m, false, "This message has no attachments");
		return;
	}
	a->on = true;
	s->focus = PANE_PAGER;
	list_init(&a->list, NULL, NULL);
	list_refresh(&a->list, n, 0);
	model_message(&s->m, false, "%zu part%s: s saves, o opens, | pipes, "
	    "q returns to the message", n, n == 1 ? "" : "s");
}

struct attach_paint {
	struct ui_state		*s;
	const struct mail_attachment *at;
	struct pager_row	*rows;
	size_t			 width;
	size_t			 n;
};

static void
attach_row(void *ctx, size_t pos, size_t y, bool cursor)
{
	struct attach_paint	*p = ctx;
	const struct mail_attachment *at = &p->at[pos];
	struct pager_row	*row = &p->rows[y];
	struct buf		 line = BUF_INIT, col = BUF_INIT;
	bool			 flagged = false;
	char			*name;
	size_t			 nw;

	name = safe_name(at, &flagged);
	free(name);
	buf_printf(&line, "%c %-6s ", flagged ? '!' : ' ', at->section);
	nw = p->width > 48 ? p->width - 48 : 12;
	format_fit(&col, at->filename != NULL ? at->filename : "(no name)",
	    nw);
	buf_add(&line, col.data, col.len);
	buf_reset(&col);
	buf_addch(&line, ' ');
	format_fit(&col, at->type, 30);
	buf_add(&line, col.data, col.len);
	buf_reset(&col);
	buf_addch(&line, ' ');
	format_size(&col, at->size);
	buf_printf(&line, "%7s", buf_str(&col));
	utf8_fit(&row->text, line.data, line.len, p->width, true);
	buf_add(&row->text, "", 0);
	pager_row_seg(row, 0, row->text.len, cursor ? CE_INDEX_CURSOR :
	    CE_PAGER);
	if (flagged && !cursor && row->text.len > 0) {
		row->segs[0].off = 1;
		row->segs[0].len--;
		pager_row_seg(row, 0, 1, CE_PAGER_MARKER);
	}
	if (y + 1 > p->n)
		p->n = y + 1;
	buf_free(&line);
	buf_free(&col);
}

size_t
attach_rows(struct ui_state *s, size_t width, size_t height,
    struct pager_row *rows)
{
	struct pager_attach	*a = pager_attach_state(s);
	struct attach_paint	 p;
	size_t			 n;

	memset(&p, 0, sizeof p);
	p.s = s;
	p.at = attachments(s, &n);
	p.rows = rows;
	p.width = width;
	if (n != a->list.count)
		list_refresh(&a->list, n, 0);
	list_set_height(&a->list, height);
	list_draw(&a->list, attach_row, &p);
	return p.n;
}

/* ---- choosing and fetching a part ---- */

/* The part the key means: the list's cursor, or the only one. */
static const struct mail_attachment *
pick(struct ui_state *s, const char *verb)
{
	struct pager_attach *a = pager_attach_state(s);
	const struct mail_attachment *at;
	size_t		 n;

	at = attachments(s, &n);
	s->dirty |= DIRTY_MESSAGE | DIRTY_PAGER;
	if (pager_render(s) == NULL) {
		model_message(&s->m, true, "The message is not here yet");
		return NULL;
	}
	if (a->on && a->list.cursor < n)
		return &at[a->list.cursor];
	if (n == 1)
		return &at[0];
	if (n == 0) {
		model_message(&s->m, false, "This message has no attachments "
		    "to %s", verb);
		return NULL;
	}
	pager_op_attachments(s);
	model_message(&s->m, false, "Choose a part with j and k, then the "
	    "key again");
	return NULL;
}

static bool
job_busy(struct ui_state *s)
{
	if (pager_attach_state(s)->job == JOB_NONE ||
	    pager_attach_state(s)->id == 0)
		return false;
	model_message(&s->m, true, "A part is still on its way; try again "
	    "when it is here");
	s->dirty |= DIRTY_MESSAGE;
	return true;
}

static void
job_choose(struct ui_state *s, enum job job, const struct mail_attachment *at)
{
	struct pager_attach *a = pager_attach_state(s);
	bool		 flagged;

	job_clear(a);
	a->job = job;
	if (at != NULL) {
		a->section = xstrdup(at->section);
		a->type = xstrdup(at->type);
		a->name = safe_name(at, &flagged);
		a->enc = at->encoding;
	} else {
		a->type = xstrdup("message/rfc822");
		a->name = xstrdup("message.eml");
		a->enc = MAIL_ENC_8BIT;
	}
}

static void
job_fetch(struct ui_state *s)
{
	struct pager_attach *a = pager_attach_state(s);
	struct ui_row	*r = model_row_by_uid(&s->m, pager_uid(s));
	struct imap_cmd	*cmd;

	if (r == NULL || s->m.folder == NULL || !s->has_session) {
		model_message(&s->m, true, "The message is gone, or quire is "
		    "offline");
		job_clear(a);
		return;
	}
	cmd = imap_cmd_new(IC_FETCH_BODY);
	cmd->folder = xstrdup(s->m.folder);
	cmd->uidvalidity = r->uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = r->m.uid;
	cmd->nuids = 1;
	cmd->section = a->section != NULL ? xstrdup(a->section) : NULL;
	a->id = model_send(&s->m, cmd);
	model_message(&s->m, false, "Fetching %s...", a->section != NULL ?
	    "the part" : "the message");
}

static void
ask(struct ui_state *s, enum prompt_kind k, const char *initial)
{
	prompt_free(&s->prompt);
	prompt_init(&s->prompt, initial);
	s->pkind = k;
	s->mode = MODE_PROMPT;
	s->dirty |= DIRTY_MESSAGE;
}

/* save_dir, else ~/Downloads when it is there, else ~. */
static char *
default_dir(const struct ui_state *s)
{
	const char	*home = getenv("HOME");
	struct stat	 st;
	char		*d;

	if (s->cfg->opt.save_dir != NULL)
		return xstrdup(s->cfg->opt.save_dir);
	if (home == NULL || *home == '\0')
		return xstrdup(".");
	d = xasprintf("%s/Downloads", home);
	if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
		return d;
	free(d);
	return xstrdup(home);
}

void
pager_op_save(struct ui_state *s)
{
	const struct mail_attachment *at;
	char		*dir;

	if (job_busy(s) || (at = pick(s, "save")) == NULL)
		return;
	job_choose(s, JOB_SAVE, at);
	dir = default_dir(s);
	ask(s, PK_SAVE, dir);
	free(dir);
}

void
pager_op_open_part(struct ui_state *s)
{
	const struct mail_attachment *at;

	if (job_busy(s) || (at = pick(s, "open")) == NULL)
		return;
	job_choose(s, JOB_OPEN, at);
	job_fetch(s);
}

void
pager_op_pipe(struct ui_state *s)
{
	struct pager_attach *a = pager_attach_state(s);

	if (job_busy(s))
		return;
	if (pager_uid(s) == 0) {
		model_message(&s->m, true, "No message to pipe");
		s->dirty |= DIRTY_MESSAGE;
		return;
	}
	/* The list's part, or with no list the whole message. */
	job_choose(s, JOB_PIPE, a->on && pager_render(s) != NULL &&
	    a->list.cursor < pager_render(s)->nattachments ?
	    &pager_render(s)->attachments[a->list.cursor] : NULL);
	ask(s, PK_PIPE, "");
}

/* The folder the user typed, "~" expanded, as an absolute path; NULL
 * (with a message) when it is not a folder. */
static char *
resolve_dir(struct ui_state *s, const char *text)
{
	const char	*home = getenv("HOME");
	char		*path, *real;
	struct stat	 st;

	if (text[0] == '~' && (text[1] == '/' || text[1] == '\0') &&
	    home != NULL)
		path = xasprintf("%s%s", home, text + 1);
	else
		path = xstrdup(text);
	real = realpath(path, NULL);
	if (real == NULL || stat(real, &st) == -1 || !S_ISDIR(st.st_mode)) {
		model_message(&s->m, true, "Not a folder: %s", path);
		free(path);
		free(real);
		return NULL;
	}
	free(path);
	return real;
}

void
pager_prompt_done_attach(struct ui_state *s, enum prompt_kind k,
    const char *text)
{
	struct pager_attach *a = pager_attach_state(s);

	s->dirty |= DIRTY_MESSAGE;
	if (a->job == JOB_NONE)
		return;
	if (*text == '\0') {
		model_message(&s->m, false, "Cancelled");
		job_clear(a);
		return;
	}
	if (k == PK_SAVE) {
		if ((a->dir = resolve_dir(s, text)) == NULL) {
			job_clear(a);
			return;
		}
	} else
		a->cmd = xstrdup(text);
	job_fetch(s);
}

/* ---- writing ---- */

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write data as name in the folder dirfd: a new file, or with replace a
 * temporary one renamed over name. Returns 0, or an errno. */
static int
save_at(int dirfd, const char *name, const struct buf *data, bool replace)
{
	char	 tmp[64];
	int	 fd, e, tries;

	if (!replace) {
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1)
			return errno;
		e = write_all(fd, data->data != NULL ? data->data : "",
		    data->len) == -1 ? errno : 0;
		if (close(fd) == -1 && e == 0)
			e = errno;
		if (e != 0)
			unlinkat(dirfd, name, 0);
		return e;
	}
	for (tries = 0, fd = -1; fd == -1 && tries < 100; tries++) {
		snprintf(tmp, sizeof tmp, ".quire-save-%ld-%d-%ld",
		    (long)getpid(), tries, (long)time(NULL));
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			return errno;
	}
	if (fd == -1)
		return EEXIST;
	e = write_all(fd, data->data != NULL ? data->data : "", data->len) ==
	    -1 ? errno : 0;
	if (close(fd) == -1 && e == 0)
		e = errno;
	if (e == 0 && renameat(dirfd, tmp, dirfd, name) == -1)
		e = errno;
	if (e != 0)
		unlinkat(dirfd, tmp, 0);
	return e;
}

/* Save into dir; on EEXIST ask first (the data waits in a). */
static void
save_data(struct ui_state *s, const char *dir, const char *name,
    struct buf *data, bool replace)
{
	struct pager_attach *a = pager_attach_state(s);
	struct buf	 count = BUF_INIT;
	int		 dirfd, e;

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		model_message(&s->m, true, "Cannot open %s: %s", dir,
		    strerror(errno));
		return;
	}
	e = save_at(dirfd, name, data, replace);
	close(dirfd);
	if (e == EEXIST && !replace && s->mode == MODE_NORMAL) {
		overwrite_clear(a);
		a->data = *data;
		memset(data, 0, sizeof *data);
		a->odir = xstrdup(dir);
		a->oname = xstrdup(name);
		s->ckind = CK_OVERWRITE;
		s->mode = MODE_CONFIRM;
		return;
	}
	if (e != 0) {
		model_message(&s->m, true, "Could not save %s/%s: %s", dir,
		    name, strerror(e));
		return;
	}
	format_count(&count, data->len);
	model_message(&s->m, false, "Saved %s bytes to %s/%s",
	    buf_str(&count), dir, name);
	buf_free(&count);
}

void
pager_question(const struct ui_state *s, struct buf *out)
{
	const struct pager_attach *a = s->pager != NULL ?
	    pager_attach_state((struct ui_state *)s) : NULL;

	buf_addstr(out, "The file ");
	if (a != NULL && a->oname != NULL)
		safe_text(out, a->oname, strlen(a->oname), 0);
	buf_addstr(out, " exists: overwrite? (y/n)");
}

void
pager_confirm(struct ui_state *s, int answer)
{
	struct pager_attach *a = pager_attach_state(s);

	s->mode = MODE_NORMAL;
	s->dirty |= DIRTY_MESSAGE;
	if (a->odir == NULL)
		return;
	if (answer == 'y')
		save_data(s, a->odir, a->oname, &a->data, true);
	else
		model_message(&s->m, false, "Not saved: %s is left as it was",
		    a->oname);
	overwrite_clear(a);
}

/* ---- running viewers and commands ---- */

/* A private folder for the viewer's file; NULL on failure. */
static char *
open_tmpdir(void)
{
	const char	*t = getenv("TMPDIR");
	char		*d;

	d = xasprintf("%s/quire-XXXXXX", t != NULL && *t == '/' ? t : "/tmp");
	if (mkdtemp(d) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

/* A name a shell reads as one word whether quoted or not. */
static char *
shell_name(const char *name)
{
	char	*n = xstrdup(name);
	size_t	 i;

	for (i = 0; n[i] != '\0'; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' &&
		    n[i] <= 'Z') || (n[i] >= '0' && n[i] <= '9') ||
		    n[i] == '.' || n[i] == '-' || n[i] == '_'))
			n[i] = '_';
	return n;
}

static void
report_status(struct ui_state *s, const char *what, int st, const char *why)
{
	if (st == -1)
		model_message(&s->m, true, "%s did not run: %s", what, why);
	else if (WIFEXITED(st))
		model_message(&s->m, WEXITSTATUS(st) != 0, "%s exited with "
		    "status %d", what, WEXITSTATUS(st));
	else
		model_message(&s->m, true, "%s was killed by signal %d", what,
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void
run_open(struct ui_state *s, const struct buf *data)
{
	struct pager_attach *a = pager_attach_state(s);
	const char	*why = NULL;
	unsigned	 flags = 0;
	char		*viewer, *dir, *name, *path = NULL, *line;
	bool		 has_file;
	int		 st, dfd;

	if ((viewer = mailcap_find(a->type, &flags)) == NULL) {
		model_message(&s->m, true, "No viewer for %s in ~/.mailcap or "
		    "/etc/mailcap; s saves the part", a->type);
		return;
	}
	if ((dir = open_tmpdir()) == NULL) {
		model_message(&s->m, true, "Cannot make a temporary folder: %s",
		    strerror(errno));
		free(viewer);
		return;
	}
	name = shell_name(a->name);
	path = xasprintf("%s/%s", dir, name);
	line = mailcap_expand(viewer, path, a->type, &has_file);
	if (has_file && (dfd = open(dir, O_RDONLY | O_DIRECTORY)) != -1) {
		if (save_at(dfd, name, data, false) != 0)
			why = "the file could not be written";
		close(dfd);
	}
	st = why != NULL ? -1 : extern_run(line, has_file ? NULL : data->data,
	    has_file ? 0 : data->len, (flags & MAILCAP_COPIOUS) != 0, &why);
	report_status(s, "The viewer", st, why);
	unlink(path);
	rmdir(dir);
	s->clear = true;
	s->dirty |= DIRTY_ALL;
	free(viewer);
	free(dir);
	free(name);
	free(path);
	free(line);
}

static void
job_done(struct ui_state *s, const char *body, size_t len)
{
	struct pager_attach *a = pager_attach_state(s);
	struct buf	 data = BUF_INIT;
	const char	*why = NULL;
	bool		 damaged = false;
	int		 st;

	if (a->section != NULL)
		damaged = mail_decode_body(a->enc, body, len, &data) == -1;
	else
		buf_add(&data, body, len);
	switch (a->job) {
	case JOB_SAVE:
		save_data(s, a->dir, a->name, &data, false);
		if (damaged && s->mode == MODE_NORMAL)
			model_message(&s->m, true, "Saved what decoded: part %s "
			    "is damaged", a->section);
		break;
	case JOB_OPEN:
		run_open(s, &data);
		break;
	case JOB_PIPE:
		st = extern_run(a->cmd, data.data != NULL ? data.data : "",
		    data.len, true, &why);
		report_status(s, "The command", st, why);
		s->clear = true;
		s->dirty |= DIRTY_ALL;
		break;
	case JOB_NONE:
		break;
	}
	buf_free(&data);
}

bool
attach_event(struct ui_state *s, struct imap_event *ev)
{
	struct pager_attach *a = pager_attach_state(s);

	if (ev->id == 0 || ev->id != a->id)
		return false;
	if (ev->type == IE_BODY) {
		/* Never save a part cut at the engine's cap as if whole. */
		if (ev->text != NULL && a->job == JOB_SAVE)
			model_message(&s->m, true, "Not saved: %s", ev->text);
		else
			job_done(s, ev->data != NULL ? ev->data : "", ev->len);
		a->id = 0;
		job_clear(a);
	} else if (ev->type == IE_DONE) {
		a->id = 0;
		job_clear(a);
	}
	s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
	return true;
}

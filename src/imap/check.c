/*
 * check: quire --check-account, a report on one account's server.
 *
 * It connects and logs in exactly as the session does (conn_open), then
 * says what it found: the greeting, TLS with the certificate's
 * fingerprint, how it logged in, the capabilities quire cares about, and
 * every folder with its message and unseen counts (one STATUS per folder:
 * libetpan has no LIST-STATUS, LIBETPAN.md 20). It needs no terminal, so a
 * user can run it from a shell before the first start. Every string from
 * the server goes through safe_text; a folder name that is not valid
 * modified UTF-7 is shown escaped and not sent back.
 */
#include "config.h"

#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_priv.h"
#include "quire/imap.h"
#include "quire/mail.h"

struct check_folder {
	char	*raw;		/* as the server names it (modified UTF-7) */
	char	*shown;		/* decoded and made safe */
	bool	 valid;		/* decoded: safe to send back */
	bool	 noselect;
};

static const char *
check_security(enum security s)
{
	switch (s) {
	case SEC_TLS:
		return "tls";
	case SEC_STARTTLS:
		return "starttls";
	case SEC_NONE:
		return "none";
	}
	return "?";
}

static void
check_tls(const struct conn *c, const struct account *a, struct buf *out)
{
	const char	*fp = wire_fingerprint(c->wire);

	if (!wire_is_tls(c->wire)) {
		buf_addstr(out, "TLS:          no (security = none)\n");
		return;
	}
	buf_printf(out, "TLS:          yes (%s)\n", a->security == SEC_TLS ?
	    "implicit, port 993 style" : "STARTTLS");
	buf_printf(out, "certificate:  %s\n", fp != NULL ? fp : "?");
	if (a->has_fingerprint)
		buf_addstr(out, "verified by:  the pinned fingerprint\n");
	else if (a->ca_file != NULL)
		buf_printf(out, "verified by:  %s and the system's CAs, "
		    "for the name %s\n", a->ca_file, a->host);
	else
		buf_printf(out, "verified by:  the system's CAs, for the "
		    "name %s\n", a->host);
}

static bool
check_noselect(const struct mailimap_mbx_list_flags *f)
{
	const struct mailimap_mbx_list_oflag	*of;
	clistiter				*it;

	if (f == NULL)
		return false;
	if (f->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
	    f->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
		return true;
	for (it = f->mbf_oflags != NULL ? clist_begin(f->mbf_oflags) : NULL;
	    it != NULL; it = clist_next(it)) {
		of = clist_content(it);
		if (of->of_type == MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT &&
		    of->of_flag_ext != NULL &&
		    strcasecmp(of->of_flag_ext, "NonExistent") == 0)
			return true;
	}
	return false;
}

static void
check_folder_init(struct check_folder *f,
    const struct mailimap_mailbox_list *mb)
{
	struct buf	 dec = BUF_INIT, shown = BUF_INIT;
	size_t		 n = strlen(mb->mb_name);

	f->raw = xstrdup(mb->mb_name);
	f->noselect = check_noselect(mb->mb_flag);
	f->valid = !str_has_crlfnul(f->raw, n) &&
	    mutf7_decode(f->raw, n, &dec) == 0;
	if (f->valid)
		safe_text(&shown, buf_str(&dec), dec.len, 0);
	else {
		safe_text(&shown, f->raw, n, 0);
		buf_addstr(&shown, " (not valid modified UTF-7)");
	}
	f->shown = buf_detach(&shown);
	buf_free(&dec);
}

static int
check_folder_cmp(const void *a, const void *b)
{
	const struct check_folder	*x = a, *y = b;
	bool				 ix, iy;

	ix = strcasecmp(x->raw, "INBOX") == 0;
	iy = strcasecmp(y->raw, "INBOX") == 0;
	if (ix != iy)
		return ix ? -1 : 1;
	return strcmp(x->raw, y->raw);
}

/* LIST "" "*" into a sorted array; returns the count, or -1 and *err. */
static ssize_t
check_list(struct conn *c, struct check_folder **out, char **err)
{
	enum conn_fail		 fail;
	clist			*list = NULL;
	clistiter		*it;
	struct check_folder	*fs;
	size_t			 n = 0;
	int			 r;

	if ((r = mailimap_list(c->imap, "", "*", &list)) != MAILIMAP_NO_ERROR) {
		*err = conn_error(c, r, "LIST", &fail);
		if (list != NULL)
			mailimap_list_result_free(list);
		return -1;
	}
	fs = xcalloc(clist_count(list) + 1, sizeof *fs);
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		const struct mailimap_mailbox_list *mb = clist_content(it);

		if (mb->mb_name != NULL)
			check_folder_init(&fs[n++], mb);
	}
	mailimap_list_result_free(list);
	qsort(fs, n, sizeof *fs, check_folder_cmp);
	*out = fs;
	return (ssize_t)n;
}

/* STATUS (MESSAGES UNSEEN) of one folder. Returns 0, 1 when the server
 * said NO (reported in the row), or -1 and *err when the connection is
 * gone. */
static int
check_status(struct conn *c, const char *name, uint32_t *msgs,
    uint32_t *unseen, char **err)
{
	struct mailimap_status_att_list		*att;
	struct mailimap_mailbox_data_status	*st = NULL;
	enum conn_fail				 fail;
	clistiter				*it;
	int					 r;

	att = mailimap_status_att_list_new_empty();
	mailimap_status_att_list_add(att, MAILIMAP_STATUS_ATT_MESSAGES);
	mailimap_status_att_list_add(att, MAILIMAP_STATUS_ATT_UNSEEN);
	r = mailimap_status(c->imap, name, att, &st);
	mailimap_status_att_list_free(att);
	if (r != MAILIMAP_NO_ERROR) {
		if (st != NULL)
			mailimap_mailbox_data_status_free(st);
		*err = conn_error(c, r, "STATUS", &fail);
		return fail == CONN_OK ? 1 : -1;
	}
	for (it = st != NULL && st->st_info_list != NULL ?
	    clist_begin(st->st_info_list) : NULL; it != NULL;
	    it = clist_next(it)) {
		const struct mailimap_status_info *si = clist_content(it);

		if (si->st_att == MAILIMAP_STATUS_ATT_MESSAGES)
			*msgs = si->st_value;
		else if (si->st_att == MAILIMAP_STATUS_ATT_UNSEEN)
			*unseen = si->st_value;
	}
	if (st != NULL)
		mailimap_mailbox_data_status_free(st);
	return 0;
}

/* One row: the counts, then the name, so names of any width line up. */
static int
check_folder_row(struct conn *c, const struct check_folder *f,
    struct buf *out, char **err)
{
	uint32_t	 msgs = 0, unseen = 0;
	char		*why = NULL;
	int		 r;

	if (f->noselect || !f->valid) {
		buf_printf(out, "  %8s %8s  %s%s\n", "-", "-", f->shown,
		    f->noselect ? " (not selectable)" : "");
		return 0;
	}
	if ((r = check_status(c, f->raw, &msgs, &unseen, &why)) == -1) {
		*err = why;
		return -1;
	}
	if (r == 1)
		buf_printf(out, "  %8s %8s  %s (%s)\n", "?", "?", f->shown,
		    why);
	else
		buf_printf(out, "  %8u %8u  %s\n", msgs, unseen, f->shown);
	free(why);
	return 0;
}

static int
check_folders(struct conn *c, struct buf *out, char **err)
{
	struct check_folder	*fs = NULL;
	ssize_t			 n, i;
	int			 rc = 0;

	if ((n = check_list(c, &fs, err)) == -1)
		return -1;
	buf_printf(out, "folders:      %zd\n", n);
	buf_printf(out, "  %8s %8s  %s\n", "messages", "unseen", "name");
	for (i = 0; i < n && rc == 0; i++)
		rc = check_folder_row(c, &fs[i], out, err);
	for (i = 0; i < n; i++) {
		free(fs[i].raw);
		free(fs[i].shown);
	}
	free(fs);
	return rc;
}

/* Connect, log in and report; see quire/imap.h. */
int
imap_check_account(const struct config *cfg, const struct account *acct,
    const char *password, struct buf *out, char **err)
{
	struct conn_params	 p;
	struct conn		*c;
	enum conn_fail		 fail;
	int			 rc;

	(void)cfg;
	*err = NULL;
	buf_printf(out, "account:      %s\n", acct->name);
	buf_printf(out, "server:       %s port %d, security = %s\n",
	    acct->host, acct->port, check_security(acct->security));
	memset(&p, 0, sizeof p);
	p.acct = acct;
	p.password = password;
	p.trace = log_enabled(LL_TRACE);
	if ((c = conn_open(&p, &fail, err)) == NULL)
		return -1;
	buf_printf(out, "greeting:     %s\n", c->greeting);
	check_tls(c, acct, out);
	buf_printf(out, "login:        %s as %s\n", c->auth,
	    acct->user != NULL ? acct->user : "");
	buf_addstr(out, "capabilities:\n");
	conn_caps_describe(c->caps, out);
	rc = check_folders(c, out, err);
	conn_close(&c);
	return rc;
}

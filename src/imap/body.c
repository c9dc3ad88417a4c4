/*
 * Opening a message: its structure first, then only what its text needs.
 *
 * IC_FETCH_PARTS costs two round trips. The first asks for the
 * BODYSTRUCTURE alone, which libetpan parses into a tree of its own; that
 * tree becomes a struct mail_part tree through the setters of mail.h
 * (type, parameters with RFC 2231 and RFC 2047 decoded, disposition,
 * encoding, size). Its depth is bounded twice: the wire's framing scanner
 * fails the stream past 64 nested parentheses before libetpan recurses
 * (LIBETPAN.md 3), and mail_part_new() refuses parts past its own caps.
 * mail_text_sections() then names the parts the text shows (the chosen
 * alternative, inline text, the header of each embedded message), and the
 * second FETCH asks for those with BODY.PEEK (so \Seen stays the UI's
 * decision) and a partial range one byte past the cap, plus the message
 * header for the header block. An attachment is never fetched here: a
 * message with a 20 MB attachment opens for a few kilobytes.
 *
 * Both FETCHes go through a handler of this file, swapped in for the
 * session's while they run (LIBETPAN.md 9: responses never reach the
 * result list); responses about other messages go on to the session's
 * handler, so unsolicited flag changes are not lost. The tree goes to the
 * UI whole in IE_PARTS (the event owns it); the UI renders it, because
 * rendering depends on the pane's width and the user's choices.
 *
 * Offline reading: a message of at most PARTS_WHOLE_MAX bytes (its
 * RFC822.SIZE, asked with the BODYSTRUCTURE) is fetched whole by the
 * second FETCH, in place of its sections, and kept in the body cache
 * (body_cache_size, least recently used out first); its sections are
 * then cut from those bytes. Why the whole message and not the sections:
 * the cache keeps one blob per message, which the pager's whole-message
 * fallback, a save and the next open all read, with no second format to
 * migrate; and for a small message the bytes cost about the same round
 * trip as its text. Bigger messages keep the sections-only fetch, so an
 * attachment is never fetched to be cached. Only a FETCH that completed
 * is cached: a cut connection breaks the command first (BAD-INPUTS 3).
 * The next open, online or not, is parsed from the cache
 * (parts_from_cache) and costs no round trip.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define PARTS_TEXT_MAX	(4u * 1024 * 1024)	/* bytes of one text part */
#define PARTS_HEADER_MAX (256u * 1024)		/* of the message header */
#define PARTS_PER_FETCH	32			/* sections in one FETCH */
#define PARTS_WHOLE_MAX	(256u * 1024)		/* fetched whole, cached */

/* What the handler fills while one command runs. */
struct partsctx {
	struct session		*s;
	uint32_t		 uid;
	const char		*fallback;
	struct mail_part	*root;		/* built from BODYSTRUCTURE */
	bool			 got;		/* the message answered */
	uint64_t		 max;		/* per text section */
	struct buf		 cut;		/* sections longer than max */
	uint32_t		 size;		/* RFC822.SIZE; 0 unknown */
	bool			 want_whole;	/* BODY[] is asked for */
	bool			 got_whole;
	struct buf		 whole;		/* its bytes */
};

/* ---- BODYSTRUCTURE to mail_part ---- */

static void
bs_params(struct mail_part *p, bool disposition,
    const struct mailimap_body_fld_param *fp, const char *fallback)
{
	const struct mailimap_single_body_fld_param *sp;
	const char	**names, **values;
	clistiter	*it;
	size_t		 n = 0, cap;

	if (fp == NULL || fp->pa_list == NULL)
		return;
	cap = (size_t)clist_count(fp->pa_list);
	if (cap == 0)
		return;
	names = xreallocarray(NULL, cap, sizeof *names);
	values = xreallocarray(NULL, cap, sizeof *values);
	for (it = clist_begin(fp->pa_list); it != NULL && n < cap;
	    it = clist_next(it)) {
		if ((sp = clist_content(it)) == NULL)
			continue;
		names[n] = sp->pa_name;
		values[n++] = sp->pa_value;
	}
	mail_part_set_params(p, disposition, names, values, n, fallback);
	free(names);
	free(values);
}

static void
bs_disposition(struct mail_part *p, const struct mailimap_body_fld_dsp *d,
    const char *fallback)
{
	if (d == NULL)
		return;
	mail_part_set_disposition(p, d->dsp_type);
	bs_params(p, true, d->dsp_attributes, fallback);
}

static void
bs_fields(struct mail_part *p, const struct mailimap_body_fields *f,
    const char *fallback)
{
	static const char *const encs[] = {
		[MAILIMAP_BODY_FLD_ENC_7BIT] = "7bit",
		[MAILIMAP_BODY_FLD_ENC_8BIT] = "8bit",
		[MAILIMAP_BODY_FLD_ENC_BINARY] = "binary",
		[MAILIMAP_BODY_FLD_ENC_BASE64] = "base64",
		[MAILIMAP_BODY_FLD_ENC_QUOTED_PRINTABLE] = "quoted-printable",
	};
	const struct mailimap_body_fld_enc *e;

	if (f == NULL)
		return;
	bs_params(p, false, f->bd_parameter, fallback);
	p->size = f->bd_size;
	if ((e = f->bd_encoding) == NULL)
		return;
	if (e->enc_type >= 0 && (size_t)e->enc_type < nitems(encs) &&
	    encs[e->enc_type] != NULL)
		mail_part_set_encoding(p, encs[e->enc_type]);
	else
		mail_part_set_encoding(p, e->enc_value != NULL ? e->enc_value :
		    "");
}

static const char *
bs_basic_type(const struct mailimap_media_basic *m)
{
	switch (m->med_type) {
	case MAILIMAP_MEDIA_BASIC_APPLICATION:	return "application";
	case MAILIMAP_MEDIA_BASIC_AUDIO:	return "audio";
	case MAILIMAP_MEDIA_BASIC_IMAGE:	return "image";
	case MAILIMAP_MEDIA_BASIC_MESSAGE:	return "message";
	case MAILIMAP_MEDIA_BASIC_VIDEO:	return "video";
	default:
		return m->med_basic_type != NULL ? m->med_basic_type :
		    "application";
	}
}

static void bs_build(struct mail_part *p, const struct mailimap_body *b,
    const char *fallback);

/* One non-multipart body into p. */
static void
bs_single(struct mail_part *p, const struct mailimap_body_type_1part *o,
    const char *fallback)
{
	const struct mailimap_body_type_basic	*basic;
	const struct mailimap_body_type_msg	*msg;
	const struct mailimap_body_type_text	*text;
	struct mail_part			*c;

	switch (o->bd_type) {
	case MAILIMAP_BODY_TYPE_1PART_BASIC:
		if ((basic = o->bd_data.bd_type_basic) == NULL)
			break;
		if (basic->bd_media_basic != NULL)
			mail_part_set_type(p, bs_basic_type(basic->bd_media_basic),
			    basic->bd_media_basic->med_subtype != NULL ?
			    basic->bd_media_basic->med_subtype : "octet-stream");
		bs_fields(p, basic->bd_fields, fallback);
		break;
	case MAILIMAP_BODY_TYPE_1PART_MSG:
		if ((msg = o->bd_data.bd_type_msg) == NULL)
			break;
		mail_part_set_type(p, "message", "rfc822");
		bs_fields(p, msg->bd_fields, fallback);
		if (msg->bd_body != NULL && (c = mail_part_new(p)) != NULL)
			bs_build(c, msg->bd_body, fallback);
		break;
	case MAILIMAP_BODY_TYPE_1PART_TEXT:
		if ((text = o->bd_data.bd_type_text) == NULL)
			break;
		mail_part_set_type(p, "text", text->bd_media_text != NULL ?
		    text->bd_media_text : "plain");
		bs_fields(p, text->bd_fields, fallback);
		break;
	default:
		break;
	}
	if (o->bd_ext_1part != NULL)
		bs_disposition(p, o->bd_ext_1part->bd_disposition, fallback);
}

/* Fill p from b; children are created under it. The recursion follows
 * libetpan's tree, whose depth the wire capped, and stops where
 * mail_part_new() refuses a part. */
static void
bs_build(struct mail_part *p, const struct mailimap_body *b,
    const char *fallback)
{
	const struct mailimap_body_type_mpart	*m;
	struct mail_part			*c;
	clistiter				*it;

	if (b == NULL)
		return;
	if (b->bd_type == MAILIMAP_BODY_1PART) {
		if (b->bd_data.bd_body_1part != NULL)
			bs_single(p, b->bd_data.bd_body_1part, fallback);
		return;
	}
	if ((m = b->bd_data.bd_body_mpart) == NULL)
		return;
	mail_part_set_type(p, "multipart", m->bd_media_subtype != NULL ?
	    m->bd_media_subtype : "mixed");
	if (m->bd_ext_mpart != NULL) {
		bs_params(p, false, m->bd_ext_mpart->bd_parameter, fallback);
		bs_disposition(p, m->bd_ext_mpart->bd_disposition, fallback);
	}
	if (m->bd_list == NULL)
		return;
	for (it = clist_begin(m->bd_list); it != NULL; it = clist_next(it)) {
		if ((c = mail_part_new(p)) == NULL)
			break;		/* the parent is flagged */
		bs_build(c, clist_content(it), fallback);
	}
}

/* ---- sections in a response ---- */

/* The section of a BODY[...] response as quire names it: "", "HEADER",
 * "1.2", "2.HEADER", "3.MIME". */
static void
section_name(const struct mailimap_section *sec, struct buf *out)
{
	const struct mailimap_section_spec	*sp;
	const struct mailimap_section_msgtext	*mt = NULL;
	clistiter				*it;

	buf_reset(out);
	buf_add(out, "", 0);
	if (sec == NULL || (sp = sec->sec_spec) == NULL)
		return;
	if (sp->sec_type == MAILIMAP_SECTION_SPEC_SECTION_MSGTEXT)
		mt = sp->sec_data.sec_msgtext;
	else if (sp->sec_data.sec_part != NULL &&
	    sp->sec_data.sec_part->sec_id != NULL) {
		for (it = clist_begin(sp->sec_data.sec_part->sec_id);
		    it != NULL; it = clist_next(it))
			buf_printf(out, "%s%u", out->len > 0 ? "." : "",
			    *(uint32_t *)clist_content(it));
		if (sp->sec_text != NULL) {
			if (sp->sec_text->sec_type ==
			    MAILIMAP_SECTION_TEXT_SECTION_MSGTEXT)
				mt = sp->sec_text->sec_msgtext;
			else
				buf_addstr(out, ".MIME");
		}
	}
	if (mt == NULL)
		return;
	if (out->len > 0)
		buf_addch(out, '.');
	if (mt->sec_type == MAILIMAP_SECTION_MSGTEXT_TEXT)
		buf_addstr(out, "TEXT");
	else if (mt->sec_type == MAILIMAP_SECTION_MSGTEXT_HEADER)
		buf_addstr(out, "HEADER");
	else
		buf_addstr(out, "HEADER.FIELDS");
}

/* A fetched section into the tree: a header to the part that shows it
 * (the message's own header to the root; for a message whose body is a
 * message, the inner header to the root's child, as mail_render reads
 * it), a body to its part, cut at the cap. */
static void
section_put(struct partsctx *px, const char *name, const char *data,
    size_t len)
{
	struct mail_part	*p;
	bool			 header = str_has_suffix(name, "HEADER");

	if (strcmp(name, "HEADER") == 0)
		p = px->root;
	else if ((p = mail_part_find(px->root, name)) == NULL)
		return;
	if (header) {
		if (strcmp(name, "HEADER") != 0 && p->parent == NULL &&
		    p->child != NULL)
			p = p->child;
		if (len > PARTS_HEADER_MAX)
			len = PARTS_HEADER_MAX;
		mail_part_set_header(p, data, len);
		return;
	}
	if (len > px->max) {
		len = (size_t)px->max;
		buf_printf(&px->cut, "%s%s", px->cut.len > 0 ? ", " : "",
		    name);
	}
	mail_part_set_body(p, data, len);
}

/* The FETCH handler while IC_FETCH_PARTS runs. */
static void
parts_handler(struct mailimap_msg_att *att, void *arg)
{
	struct partsctx				*px = arg;
	const struct mailimap_msg_att_item	*item;
	const struct mailimap_msg_att_static	*st;
	const struct mailimap_body		*bs = NULL;
	const struct mailimap_msg_att_body_section *sec;
	struct buf				 name = BUF_INIT;
	clistiter				*it;
	uint32_t				 uid = 0;

	for (it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC ||
		    (st = item->att_data.att_static) == NULL)
			continue;
		if (st->att_type == MAILIMAP_MSG_ATT_UID)
			uid = st->att_data.att_uid;
		else if (st->att_type == MAILIMAP_MSG_ATT_BODYSTRUCTURE)
			bs = st->att_data.att_bodystructure;
		else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
			px->size = st->att_data.att_rfc822_size;
	}
	if (uid != px->uid) {
		/* Not ours: flags and the like, for the session. */
		sync_handler(att, px->s);
		return;
	}
	px->got = true;
	if (bs != NULL && px->root == NULL) {
		px->root = mail_part_new(NULL);
		bs_build(px->root, bs, px->fallback);
	}
	for (it = clist_begin(att->att_list); it != NULL && px->root != NULL;
	    it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC ||
		    (st = item->att_data.att_static) == NULL ||
		    st->att_type != MAILIMAP_MSG_ATT_BODY_SECTION ||
		    (sec = st->att_data.att_body_section) == NULL)
			continue;
		section_name(sec->sec_section, &name);
		if (px->want_whole && name.len == 0) {
			/* BODY[] NIL: no bytes, nothing to cache. */
			if (sec->sec_body_part != NULL) {
				buf_reset(&px->whole);
				buf_add(&px->whole, sec->sec_body_part,
				    sec->sec_length);
				px->got_whole = true;
			}
			continue;
		}
		section_put(px, buf_str(&name), sec->sec_body_part != NULL ?
		    sec->sec_body_part : "", sec->sec_body_part != NULL ?
		    sec->sec_length : 0);
	}
	buf_free(&name);
	/* A flag change may ride along. */
	sync_handler(att, px->s);
}

/* ---- the command ---- */

/* One UID FETCH of t through parts_handler. */
static enum sx
parts_fetch(struct session *s, struct partsctx *px,
    struct mailimap_fetch_type *t)
{
	struct mailimap_set	*set;
	clist			*res = NULL;
	int			 r;

	set = mailimap_set_new_single(px->uid);
	mailimap_set_msg_att_handler(s->c->imap, parts_handler, px);
	s->doing = "FETCH";
	r = mailimap_uid_fetch(s->c->imap, set, t, &res);
	mailimap_set_msg_att_handler(s->c->imap, sync_handler, s);
	mailimap_set_free(set);
	if (res != NULL)
		mailimap_fetch_list_free(res);
	mailimap_fetch_type_free(t);
	return sx_after(s, r);
}

static void
add_item(struct mailimap_fetch_type *t, struct mailimap_fetch_att *a)
{
	if (a == NULL || mailimap_fetch_type_new_fetch_att_list_add(t, a) !=
	    MAILIMAP_NO_ERROR)
		fatal("out of memory");
}

/* BODY.PEEK[spec]<0.max+1> for each name from *next on, at most
 * PARTS_PER_FETCH of them; the message header goes with the first. */
static struct mailimap_fetch_type *
parts_text_type(const struct ptrarray *names, size_t *next, bool header,
    uint64_t max)
{
	struct mailimap_fetch_type	*t;
	struct mailimap_section		*sec;
	size_t				 k;

	t = mailimap_fetch_type_new_fetch_att_list_empty();
	add_item(t, mailimap_fetch_att_new_uid());
	if (header)
		add_item(t, mailimap_fetch_att_new_body_peek_section_partial(
		    mailimap_section_new_header(), 0, PARTS_HEADER_MAX));
	for (k = 0; *next < names->len && k < PARTS_PER_FETCH; (*next)++) {
		if ((sec = section_parse(names->items[*next])) == NULL)
			continue;
		add_item(t, mailimap_fetch_att_new_body_peek_section_partial(
		    sec, 0, (uint32_t)max + 1));
		k++;
	}
	return t;
}

static void
parts_emit(struct session *s, const struct imap_cmd *cmd,
    struct partsctx *px, const struct wire_stats *before)
{
	struct imap_event	*ev;
	struct wire_stats	 now;
	char			 size[32];

	memset(&now, 0, sizeof now);
	if (before == NULL)
		log_debug("parts of %s UID %u: from the cache", cmd->folder,
		    px->uid);
	else {
		if (s->c != NULL && s->c->wire != NULL)
			wire_stats(s->c->wire, &now);
		/* The cost of the open on the wire, for the -d log and the
		 * tests. */
		log_debug("parts of %s UID %u: %llu bytes in, %llu bytes out, "
		    "%llu round trips%s", cmd->folder, px->uid,
		    (unsigned long long)(now.bytes_in - before->bytes_in),
		    (unsigned long long)(now.bytes_out - before->bytes_out),
		    (unsigned long long)(now.round_trips - before->round_trips),
		    px->got_whole ? " (whole, cached)" : "");
	}
	ev = imap_event_new(IE_PARTS);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = xstrdup(cmd->folder);
	ev->uid = px->uid;
	ev->parts = px->root;
	px->root = NULL;
	if (px->cut.len > 0) {
		snprintf(size, sizeof size, "%llu",
		    (unsigned long long)px->max);
		ev->text = xasprintf("[Part %s is longer than %s bytes; its "
		    "beginning is shown]", buf_str(&px->cut), size);
	}
	ev_send(s, ev);
}

static void
px_free(struct partsctx *px)
{
	mail_part_free(&px->root);
	buf_free(&px->cut);
	buf_free(&px->whole);
}

static void
px_init(struct partsctx *px, struct session *s, const struct imap_cmd *cmd)
{
	memset(px, 0, sizeof *px);
	px->s = s;
	px->uid = cmd->uids[0];
	px->fallback = s->fallback_charset;
	px->max = cmd->max_bytes != 0 && cmd->max_bytes < PARTS_TEXT_MAX ?
	    cmd->max_bytes : PARTS_TEXT_MAX;
}

/* ---- the body cache ---- */

/* Make the parsed tree own the bytes its text shows, as the tree from
 * BODYSTRUCTURE would hold them: headers and text bodies copied (a body
 * cut at the cap, as section_put cuts it), other bodies dropped, since
 * the message's bytes are freed after. The depth is capped (mime.c). */
static void
parts_own(struct partsctx *px, struct mail_part *p)
{
	struct mail_part	*c;
	size_t			 len = p->body_len;

	if (p->header != NULL)
		mail_part_set_header(p, p->header, p->header_len);
	if (p->has_body && p->child == NULL && strcmp(p->type, "text") == 0) {
		if (len > px->max) {
			len = (size_t)px->max;
			buf_printf(&px->cut, "%s%s", px->cut.len > 0 ? ", " :
			    "", p->section != NULL ? p->section : "TEXT");
		}
		mail_part_set_body(p, p->body != NULL ? p->body : "", len);
	} else {
		p->body = NULL;
		p->body_len = 0;
		p->has_body = false;
	}
	for (c = p->child; c != NULL; c = c->next)
		parts_own(px, c);
}

bool
parts_from_cache(struct session *s, struct imap_cmd *cmd)
{
	struct partsctx	 px;
	char		*data;
	size_t		 len;

	if (cmd->nuids != 1 || cmd->uids[0] == 0 ||
	    !cache_body_read(s, cmd, &data, &len))
		return false;
	px_init(&px, s, cmd);
	px.root = mail_mime_parse(data, len, px.fallback);
	parts_own(&px, px.root);
	free(data);
	parts_emit(s, cmd, &px, NULL);
	ev_done(s, cmd, true, NULL);
	px_free(&px);
	return true;
}

/* Is the message small enough to be fetched whole and cached? */
static bool
parts_whole_wanted(const struct session *s, const struct partsctx *px)
{
	return s->store != NULL && s->body_budget != 0 && px->size != 0 &&
	    px->size <= PARTS_WHOLE_MAX && px->size <= s->body_budget;
}

/* The sections the text needs, cut from the whole message's bytes into
 * the BODYSTRUCTURE's tree, found as section_put finds them. False when
 * one is missing (the two trees disagree): then they are fetched. */
static bool
parts_fill(struct partsctx *px, const struct ptrarray *names)
{
	struct mail_part	*m, *q;
	const char		*name;
	size_t			 i;
	bool			 ok = true;

	m = mail_mime_parse(px->whole.data, px->whole.len, px->fallback);
	for (i = 0; i < names->len && ok; i++) {
		name = names->items[i];
		if ((q = mail_part_find(m, name)) == NULL)
			ok = false;
		else if (str_has_suffix(name, "HEADER")) {
			if (q->parent == NULL && q->child != NULL)
				q = q->child;
			ok = q->header != NULL;
		} else
			ok = q->has_body;
	}
	for (i = 0; i < names->len && ok; i++) {
		name = names->items[i];
		q = mail_part_find(m, name);
		if (str_has_suffix(name, "HEADER")) {
			if (q->parent == NULL && q->child != NULL)
				q = q->child;
			section_put(px, name, q->header, q->header_len);
		} else
			section_put(px, name, q->body, q->body_len);
	}
	if (ok && m->header != NULL)
		section_put(px, "HEADER", m->header, m->header_len);
	mail_part_free(&m);
	return ok;
}

/* One FETCH of BODY[], capped one byte past PARTS_WHOLE_MAX: a server
 * whose RFC822.SIZE was wrong gets the sections fetch instead. *done is
 * true when the sections came from those bytes. */
static enum sx
parts_whole(struct session *s, struct partsctx *px, const struct ptrarray
    *names, const struct imap_cmd *cmd, bool *done)
{
	struct mailimap_fetch_type	*t;
	enum sx				 x;

	*done = false;
	px->want_whole = true;
	t = mailimap_fetch_type_new_fetch_att_list_empty();
	add_item(t, mailimap_fetch_att_new_uid());
	add_item(t, mailimap_fetch_att_new_body_peek_section_partial(
	    mailimap_section_new(NULL), 0, PARTS_WHOLE_MAX + 1));
	x = parts_fetch(s, px, t);
	px->want_whole = false;
	if (x != SX_OK || !px->got_whole || px->whole.len > PARTS_WHOLE_MAX)
		return x;
	if (!parts_fill(px, names)) {
		px->got_whole = false;
		return x;
	}
	/* The FETCH completed: these are all of the message's bytes. */
	cache_body_put(s, cmd, px->whole.data, px->whole.len);
	*done = true;
	return x;
}

enum sx
cmd_fetch_parts(struct session *s, struct imap_cmd *cmd)
{
	struct mailimap_fetch_type	*t;
	struct mail_render_opts		 o;
	struct ptrarray			 names = PTRARRAY_INIT;
	struct partsctx			 px;
	struct wire_stats		 before;
	size_t				 next = 0;
	enum sx				 x;
	bool				 whole;

	if (cmd->nuids != 1 || cmd->uids[0] == 0) {
		ev_done(s, cmd, false, "Open one message at a time.");
		return SX_OK;
	}
	if (parts_from_cache(s, cmd))
		return SX_OK;
	px_init(&px, s, cmd);
	memset(&before, 0, sizeof before);
	wire_stats(s->c->wire, &before);

	t = mailimap_fetch_type_new_fetch_att_list_empty();
	add_item(t, mailimap_fetch_att_new_uid());
	add_item(t, mailimap_fetch_att_new_bodystructure());
	add_item(t, mailimap_fetch_att_new_rfc822_size());
	if ((x = parts_fetch(s, &px, t)) != SX_OK)
		goto out;
	if (px.root == NULL) {
		ev_done(s, cmd, false, px.got ? "The server did not describe "
		    "the message." : "The message is no longer on the server.");
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.prefer_html = cmd->prefer_html;
	mail_text_sections(px.root, &o, &names);
	if (parts_whole_wanted(s, &px)) {
		if ((x = parts_whole(s, &px, &names, cmd, &whole)) != SX_OK)
			goto out;
		if (whole)
			goto emit;
	}
	do {
		t = parts_text_type(&names, &next, next == 0, px.max);
		if ((x = parts_fetch(s, &px, t)) != SX_OK)
			goto out;
	} while (next < names.len);
emit:
	parts_emit(s, cmd, &px, &before);
	ev_done(s, cmd, true, NULL);
out:
	if (x == SX_NO)
		ev_done(s, cmd, false, "The server did not send the message: "
		    "%s", s->no_text);
	ptrarray_free(&names, free);
	px_free(&px);
	return x == SX_BROKEN ? x : SX_OK;
}

/*
 * A MIME tree into the lines the pager shows, and the choice of sections
 * the engine must fetch for them.
 *
 * One walk serves both: mail_render() writes lines, mail_text_sections()
 * runs the same walk without writing and notes each part it would have
 * shown but does not hold, so the two can never disagree about which
 * alternative is shown or which part is an attachment. The rules:
 *   - multipart/alternative shows one child: text/plain, or text/html when
 *     the user prefers it, falling back to what exists (the last of equals);
 *   - multipart/signed shows its first part, multipart/encrypted a notice,
 *     multipart/related its first part (the others are listed);
 *   - other multiparts show their children in order: text inline, the rest
 *     (and anything marked attachment) as a listed attachment;
 *   - message/rfc822 shows its From, To, Cc, Date, Subject and body one
 *     level in, between two notices.
 * Output is capped at text_max bytes (each line counts one more for its
 * end); past it, one notice and nothing else. The walk follows the tree,
 * whose depth mail_part_new() caps.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime_priv.h"

static void render_part(struct render_ctx *, struct mail_part *);

/* Store one line; text offsets become pointers in render_finish(). */
static void
render_store(struct render_ctx *c, enum mail_line_kind kind, unsigned quote,
    const char *s, size_t n)
{
	struct mail_render	*r = c->r;
	struct mail_line	*l;
	size_t			 off, i;

	if (r->nlines == r->lines_cap) {
		r->lines_cap = r->lines_cap == 0 ? 64 : r->lines_cap * 2;
		r->lines = xreallocarray(r->lines, r->lines_cap, sizeof *l);
	}
	off = r->text.len;
	buf_add(&r->text, s, n);
	buf_add(&r->text, "", 1);
	for (i = off; i < off + n; i++) {
		if (r->text.data[i] == '\n')
			r->text.data[i] = ' ';
	}
	l = &r->lines[r->nlines++];
	l->text = (const char *)(uintptr_t)off;
	l->len = n;
	l->kind = (uint8_t)kind;
	l->quote = (uint8_t)(quote > 255 ? 255 : quote);
	l->level = (uint8_t)(c->level > 255 ? 255 : c->level);
}

/* Add a line within the cap; the line that would pass it is a notice. */
void
render_line(struct render_ctx *c, enum mail_line_kind kind, unsigned quote,
    const char *s, size_t n)
{
	char	 note[128], size[32];

	if (c->sections != NULL || c->full)
		return;
	if (n + 1 > c->max - c->used) {
		c->full = true;
		c->r->truncated = true;
		render_size(size, sizeof size, c->max);
		snprintf(note, sizeof note, "[The rest is not shown: the text "
		    "is longer than %s]", size);
		render_store(c, ML_NOTICE, 0, note, strlen(note));
		return;
	}
	c->used += n + 1;
	render_store(c, kind, quote, s, n);
}

/* A notice line, formatted. */
void
render_notice(struct render_ctx *c, const char *fmt, ...)
{
	va_list		 ap;
	struct buf	 b = BUF_INIT, u = BUF_INIT;

	if (c->sections != NULL || c->full)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	charset_add_utf8(b.data, b.len, &u);	/* it may quote the sender */
	render_line(c, ML_NOTICE, 0, u.data, u.len);
	buf_free(&b);
	buf_free(&u);
}

/* A size for people: "512 B", "1.5 KB", "20 MB". */
void
render_size(char *out, size_t len, uint64_t size)
{
	double	 d = (double)size;

	if (size < 1024)
		snprintf(out, len, "%llu B", (unsigned long long)size);
	else if (size < 10 * 1024)
		snprintf(out, len, "%.1f KB", d / 1024);
	else if (size < 1024 * 1024)
		snprintf(out, len, "%.0f KB", d / 1024);
	else if (size < 10 * 1024 * 1024)
		snprintf(out, len, "%.1f MB", d / (1024 * 1024));
	else
		snprintf(out, len, "%.0f MB", d / (1024 * 1024));
}

/* The decoded size of an encoded body, roughly. */
static uint64_t
render_estimate(const struct mail_part *p)
{
	switch (p->encoding) {
	case MAIL_ENC_BASE64:
		return p->size / 78 * 57 + p->size % 78 * 3 / 4;
	case MAIL_ENC_UUENCODE:
		return p->size / 62 * 45;
	default:
		return p->size;
	}
}

/* List an attachment: one line and one entry. */
void
render_attachment(struct render_ctx *c, const char *section,
    const char *type, const char *filename, uint64_t size,
    enum mail_encoding enc)
{
	struct mail_render	*r = c->r;
	struct mail_attachment	*a;
	char			 sz[32];

	if (c->sections != NULL || c->full)
		return;
	render_size(sz, sizeof sz, size);
	if (filename != NULL)
		render_notice(c, "[Attachment %s: %s (%s, %s)]", section,
		    filename, type, sz);
	else
		render_notice(c, "[Attachment %s: %s, %s]", section, type, sz);
	if (c->full)
		return;
	c->r->lines[c->r->nlines - 1].kind = ML_ATTACHMENT;
	if (r->nattachments == r->attachments_cap) {
		r->attachments_cap = r->attachments_cap == 0 ? 8 :
		    r->attachments_cap * 2;
		r->attachments = xreallocarray(r->attachments,
		    r->attachments_cap, sizeof *a);
	}
	a = &r->attachments[r->nattachments++];
	a->section = xstrdup(section);
	a->type = xstrdup(type);
	a->filename = filename != NULL ? xstrdup(filename) : NULL;
	a->size = size;
	a->encoding = enc;
}

static void
render_part_attachment(struct render_ctx *c, struct mail_part *p)
{
	char	*type;

	type = xasprintf("%s/%s", p->type, p->subtype);
	render_attachment(c, p->section, type, p->filename,
	    render_estimate(p), p->encoding);
	free(type);
}

/* The headers a reader wants, decoded, one line each. */
static void
render_headers(struct render_ctx *c, const char *hdr, size_t n)
{
	static const char	*names[] = { "From", "To", "Cc", "Date",
				    "Subject" };
	struct buf		 v = BUF_INIT, line = BUF_INIT;
	size_t			 i;

	for (i = 0; i < nitems(names); i++) {
		if (!mime_hdr_get(hdr, n, names[i], &v))
			continue;
		buf_reset(&line);
		buf_printf(&line, "%s: ", names[i]);
		mail_decode_header(v.data, v.len, c->o->fallback_charset,
		    &line);
		render_line(c, ML_HEADER, 0, line.data, line.len);
	}
	render_line(c, ML_BODY, 0, "", 0);
	buf_free(&v);
	buf_free(&line);
}

/* An embedded message, one level in. */
static void
render_message(struct render_ctx *c, struct mail_part *p)
{
	const struct mail_part	*h = p;

	/* A message whose body is a message: the root holds the outer
	 * header, its child the inner one. */
	if (p->parent == NULL && p->child != NULL)
		h = p->child;
	if (h->header == NULL && c->sections != NULL)
		ptrarray_push(c->sections, xasprintf("%s.HEADER", p->section));
	render_notice(c, "[-- Attached message (part %s) --]", p->section);
	c->level++;
	if (h->header != NULL)
		render_headers(c, h->header, h->header_len);
	if (p->child != NULL)
		render_part(c, p->child);
	c->level--;
	render_notice(c, "[-- End of attached message --]");
}

/* How much an alternative is wanted: the highest wins, the last of
 * equals. */
static int
render_score(const struct mail_part *p, bool html)
{
	if (strcmp(p->type, "text") == 0 && strcmp(p->subtype, "plain") == 0)
		return html ? 2 : 4;
	if (strcmp(p->type, "text") == 0 && strcmp(p->subtype, "html") == 0)
		return html ? 4 : 2;
	if (mime_is_multipart(p))
		return 3;
	if (strcmp(p->type, "text") == 0)
		return 1;
	return 0;
}

static struct mail_part *
render_pick(struct mail_part *p, bool html)
{
	struct mail_part	*c, *best = NULL;
	int			 s, best_s = -1;

	for (c = p->child; c != NULL; c = c->next) {
		if ((s = render_score(c, html)) >= best_s) {
			best = c;
			best_s = s;
		}
	}
	return best;
}

static void
render_multipart(struct render_ctx *c, struct mail_part *p)
{
	struct mail_part	*ch;
	const char		*sub = p->subtype;

	if (strcmp(sub, "alternative") == 0) {
		if ((ch = render_pick(p, c->o->prefer_html)) != NULL)
			render_part(c, ch);
	} else if (strcmp(sub, "signed") == 0) {
		if (p->child != NULL)
			render_part(c, p->child);
	} else if (strcmp(sub, "encrypted") == 0) {
		render_notice(c, "[This part is encrypted; quire does not "
		    "decrypt it]");
	} else if (strcmp(sub, "related") == 0) {
		if ((ch = p->child) != NULL) {
			render_part(c, ch);
			for (ch = ch->next; ch != NULL; ch = ch->next)
				render_part_attachment(c, ch);
		}
	} else {
		for (ch = p->child; ch != NULL && !c->full; ch = ch->next)
			render_part(c, ch);
	}
}

/* One part, whatever it is. */
static void
render_part(struct render_ctx *c, struct mail_part *p)
{
	if (c->full)
		return;
	if (mime_is_message(p))
		render_message(c, p);
	else if (mime_is_multipart(p))
		render_multipart(c, p);
	else if (strcmp(p->type, "text") == 0 && !p->attachment) {
		if (c->sections == NULL)
			render_leaf_text(c, p);
		else if (!p->has_body)
			ptrarray_push(c->sections, xstrdup(p->section));
	} else
		render_part_attachment(c, p);
	if (p->flags & MAIL_PART_CUT_DEPTH) {
		c->r->truncated = true;
		render_notice(c, "[This message nests deeper than %d levels; "
		    "the rest is not shown]", MAIL_MIME_DEPTH_MAX);
	}
	if (p->flags & MAIL_PART_CUT_PARTS) {
		c->r->truncated = true;
		render_notice(c, "[This message has more than %d parts; the "
		    "rest are not shown]", MAIL_MIME_PARTS_MAX);
	}
}

static void
render_walk(struct mail_part *root, const struct mail_render_opts *o,
    struct mail_render *r, struct ptrarray *sections)
{
	struct render_ctx	 c;
	size_t			 i;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.o = o;
	c.sections = sections;
	c.max = o->text_max != 0 ? o->text_max : MAIL_RENDER_TEXT_MAX;
	mime_number(root);
	if (o->headers && root->header != NULL)
		render_headers(&c, root->header, root->header_len);
	render_part(&c, root);
	for (i = 0; i < r->nlines; i++)
		r->lines[i].text = r->text.data + (uintptr_t)r->lines[i].text;
}

/* The sections the text needs and the tree does not hold. */
void
mail_text_sections(struct mail_part *root, const struct mail_render_opts *o,
    struct ptrarray *out)
{
	struct mail_render	 r;

	memset(&r, 0, sizeof r);
	render_walk(root, o, &r, out);
	mail_render_free(&r);
}

/* Render the tree into lines and attachments. */
void
mail_render(struct mail_part *root, const struct mail_render_opts *o,
    struct mail_render *r)
{
	memset(r, 0, sizeof *r);
	render_walk(root, o, r, NULL);
}

/* Parse and render a whole message. */
void
mail_render_message(const char *msg, size_t n,
    const struct mail_render_opts *o, struct mail_render *r)
{
	struct mail_part	*root;

	root = mail_mime_parse(msg, n, o->fallback_charset);
	mail_render(root, o, r);
	mail_part_free(&root);
}

void
mail_render_free(struct mail_render *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nattachments; i++) {
		free(r->attachments[i].section);
		free(r->attachments[i].type);
		free(r->attachments[i].filename);
	}
	free(r->attachments);
	free(r->lines);
	buf_free(&r->text);
	memset(r, 0, sizeof *r);
}

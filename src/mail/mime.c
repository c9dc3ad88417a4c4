/*
 * The MIME tree: built from a message's bytes, or by the engine from
 * BODYSTRUCTURE, and numbered the way IMAP names sections.
 *
 * libetpan's mailmime_parse() is not used (LIBETPAN.md 17): it is
 * super-linear in nesting and keeps pointers into the buffer anyway. This
 * parser caps first and parses after: a part is created only through
 * mail_part_new(), which refuses a part deeper than MAIL_MIME_DEPTH_MAX or
 * beyond MAIL_MIME_PARTS_MAX in the tree and flags the parent, so the
 * renderer can say what was left out (BAD-INPUTS 24). Recursion follows
 * the tree, so it is at most MAIL_MIME_DEPTH_MAX deep. A multipart body is
 * scanned line by line once per level for its boundary, so the work is at
 * most the depth cap times the size, and scanning stops when the part cap
 * is reached.
 *
 * Sections (RFC 3501 6.4.5): the children of the top multipart are "1",
 * "2"...; a single-part message's body is "1"; inside a message/rfc822
 * part "2", a multipart body is "2.TEXT" and its children "2.1", "2.2",
 * while a single-part body is "2.1".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime_priv.h"

#define MIME_OWNS_BODY		0x01
#define MIME_OWNS_HEADER	0x02
#define MIME_TYPE_MAX		127

static char *
mime_lower(const char *s)
{
	size_t	 i, n = strlen(s);
	char	*d;

	if (n > MIME_TYPE_MAX)
		n = MIME_TYPE_MAX;
	d = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		d[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	d[n] = '\0';
	return d;
}

static struct mail_part *
mime_root(struct mail_part *p)
{
	while (p->parent != NULL)
		p = p->parent;
	return p;
}

/* A new part, refused past the caps (the parent is flagged). */
struct mail_part *
mail_part_new(struct mail_part *parent)
{
	struct mail_part	*p, *root = NULL;

	if (parent != NULL) {
		root = mime_root(parent);
		if (parent->depth >= MAIL_MIME_DEPTH_MAX) {
			parent->flags |= MAIL_PART_CUT_DEPTH;
			return NULL;
		}
		if (root->nparts >= MAIL_MIME_PARTS_MAX) {
			parent->flags |= MAIL_PART_CUT_PARTS;
			return NULL;
		}
	}
	p = xcalloc(1, sizeof *p);
	p->type = xstrdup("text");
	p->subtype = xstrdup("plain");
	p->encoding = MAIL_ENC_7BIT;
	p->nparts = 1;
	if (parent == NULL)
		return p;
	p->parent = parent;
	p->depth = parent->depth + 1;
	if (parent->last != NULL)
		parent->last->next = p;
	else
		parent->child = p;
	parent->last = p;
	root->nparts++;
	return p;
}

/* Set the type, lower case. */
void
mail_part_set_type(struct mail_part *p, const char *type, const char *subtype)
{
	free(p->type);
	free(p->subtype);
	p->type = mime_lower(type);
	p->subtype = mime_lower(subtype);
}

/* Collect BODYSTRUCTURE parameters and assemble them. */
void
mail_part_set_params(struct mail_part *p, bool disposition,
    const char *const *names, const char *const *values, size_t n,
    const char *fallback_charset)
{
	struct mime_params	*ps;
	size_t			 i;

	ps = xcalloc(1, sizeof *ps);
	for (i = 0; i < n; i++) {
		if (names[i] != NULL && values[i] != NULL)
			mime_params_add(ps, names[i], strlen(names[i]),
			    values[i], strlen(values[i]));
	}
	mime_params_apply(p, ps, disposition, fallback_charset);
	free(ps);
}

/* Attachment or inline. */
void
mail_part_set_disposition(struct mail_part *p, const char *disposition)
{
	p->attachment = disposition != NULL &&
	    strcasecmp(disposition, "attachment") == 0;
}

/* The transfer encoding by name; an unknown one is shown raw. */
void
mail_part_set_encoding(struct mail_part *p, const char *encoding)
{
	static const struct {
		const char		*name;
		enum mail_encoding	 enc;
	} map[] = {
		{ "", MAIL_ENC_7BIT },
		{ "7bit", MAIL_ENC_7BIT },
		{ "8bit", MAIL_ENC_8BIT },
		{ "binary", MAIL_ENC_BINARY },
		{ "quoted-printable", MAIL_ENC_QP },
		{ "base64", MAIL_ENC_BASE64 },
		{ "x-uuencode", MAIL_ENC_UUENCODE },
		{ "uuencode", MAIL_ENC_UUENCODE },
		{ "x-uue", MAIL_ENC_UUENCODE },
	};
	size_t	 i;

	p->encoding = MAIL_ENC_UNKNOWN;
	for (i = 0; i < nitems(map); i++) {
		if (encoding != NULL && strcasecmp(encoding, map[i].name) == 0)
			p->encoding = map[i].enc;
	}
}

/* Fill the part from its MIME header (BODY[n.MIME]). */
void
mail_part_set_mime(struct mail_part *p, const char *hdr, size_t n,
    const char *fallback_charset)
{
	mime_set_fields(p, hdr, n, fallback_charset);
}

/* Keep a copy of the fetched body. */
void
mail_part_set_body(struct mail_part *p, const char *body, size_t n)
{
	if (p->owns & MIME_OWNS_BODY)
		free((char *)p->body);
	p->body = xmemdup(body, n);
	p->body_len = n;
	p->has_body = true;
	p->owns |= MIME_OWNS_BODY;
	if (p->size == 0)
		p->size = n;
}

/* Keep a copy of a message part's fetched header. */
void
mail_part_set_header(struct mail_part *p, const char *hdr, size_t n)
{
	if (p->owns & MIME_OWNS_HEADER)
		free((char *)p->header);
	p->header = xmemdup(hdr, n);
	p->header_len = n;
	p->owns |= MIME_OWNS_HEADER;
}

/* The next part in document order after p, within the tree. */
static struct mail_part *
mime_walk(struct mail_part *p)
{
	if (p->child != NULL)
		return p->child;
	while (p != NULL && p->next == NULL)
		p = p->parent;
	return p != NULL ? p->next : NULL;
}

/* The part with that section; "n.HEADER" and "n.MIME" find part n. */
struct mail_part *
mail_part_find(struct mail_part *root, const char *section)
{
	struct mail_part	*p;
	size_t			 n = strlen(section);

	if (str_has_suffix(section, ".HEADER"))
		n -= 7;
	else if (str_has_suffix(section, ".MIME"))
		n -= 5;
	for (p = root; p != NULL; p = mime_walk(p)) {
		if (p->section != NULL && strlen(p->section) == n &&
		    strncmp(p->section, section, n) == 0)
			return p;
	}
	return NULL;
}

static void
mime_free_one(struct mail_part *p)
{
	free(p->section);
	free(p->type);
	free(p->subtype);
	free(p->charset);
	free(p->boundary);
	free(p->filename);
	if (p->owns & MIME_OWNS_BODY)
		free((char *)p->body);
	if (p->owns & MIME_OWNS_HEADER)
		free((char *)p->header);
	free(p);
}

/* Free the tree without recursion: children first, then siblings. */
void
mail_part_free(struct mail_part **root)
{
	struct mail_part	*p, *next;

	if (root == NULL || *root == NULL)
		return;
	p = *root;
	while (p != NULL) {
		if (p->child != NULL) {
			next = p->child;
			p->child = NULL;
			p = next;
			continue;
		}
		next = p == *root ? NULL : p->next != NULL ? p->next :
		    p->parent;
		mime_free_one(p);
		p = next;
	}
	*root = NULL;
}

/* ---- numbering ---- */

bool
mime_is_message(const struct mail_part *p)
{
	return strcmp(p->type, "message") == 0 &&
	    (strcmp(p->subtype, "rfc822") == 0 ||
	    strcmp(p->subtype, "global") == 0);
}

bool
mime_is_multipart(const struct mail_part *p)
{
	return strcmp(p->type, "multipart") == 0;
}

/* Number p's children from p's own section. */
static void
mime_number_children(struct mail_part *p)
{
	struct mail_part	*c;
	const char		*prefix = p->section;
	size_t			 plen, i = 1;

	if (mime_is_message(p)) {
		if ((c = p->child) != NULL && c->section == NULL)
			c->section = mime_is_multipart(c) ?
			    xasprintf("%s.TEXT", prefix) :
			    xasprintf("%s.1", prefix);
		return;
	}
	if (p->parent == NULL)
		prefix = "";
	else if (mime_is_message(p->parent))
		prefix = p->parent->section;
	plen = strlen(prefix);
	for (c = p->child; c != NULL; c = c->next, i++) {
		if (c->section == NULL)
			c->section = plen == 0 ? xasprintf("%zu", i) :
			    xasprintf("%s.%zu", prefix, i);
	}
}

/* Give every part of the tree its section, in document order. */
void
mime_number(struct mail_part *root)
{
	struct mail_part	*p;

	if (root->section == NULL)
		root->section = xstrdup(mime_is_multipart(root) ? "TEXT" : "1");
	for (p = root; p != NULL; p = mime_walk(p)) {
		if (p->child != NULL)
			mime_number_children(p);
	}
}

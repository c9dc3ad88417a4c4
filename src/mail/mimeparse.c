/*
 * A message's bytes into a MIME tree (see mime.c for the caps and why
 * libetpan's parser is not used).
 *
 * Boundaries are matched the forgiving way: a delimiter is a line that
 * starts with "--" and the boundary, followed by "--" (the close) or only
 * white space; the line break before it belongs to it. A missing close
 * ends the last part at the end of the body; a multipart with no boundary
 * parameter or no delimiter at all is shown as plain text, so nothing the
 * sender wrote is lost.
 */
#include "config.h"

#include <string.h>

#include "mime_priv.h"

static void parse_entity(struct mail_part *, struct mail_part *,
    const char *, size_t, bool, const char *);

/* Is the line at s (n bytes to its end) a delimiter? *close for "--". */
static bool
parse_delim(const char *s, size_t n, const char *b, size_t blen, bool *close)
{
	size_t	 i;

	if (n < blen + 2 || s[0] != '-' || s[1] != '-' ||
	    memcmp(s + 2, b, blen) != 0)
		return false;
	i = blen + 2;
	*close = i + 1 < n && s[i] == '-' && s[i + 1] == '-';
	if (*close)
		return true;
	for (; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	}
	return true;
}

/* One part found between delimiters: [start, end) of the body. */
static bool
parse_child(struct mail_part *p, const char *s, size_t start, size_t end,
    const char *fallback)
{
	struct mail_part	*c;

	if ((c = mail_part_new(p)) == NULL)
		return false;
	if (strcmp(p->subtype, "digest") == 0)
		mail_part_set_type(c, "message", "rfc822");
	parse_entity(c, c, s + start, end - start, false, fallback);
	return true;
}

/* The end of a part whose next delimiter line starts at line. */
static size_t
parse_part_end(const char *s, size_t start, size_t line)
{
	size_t	 end = line;

	if (end > start && s[end - 1] == '\n')
		end--;
	if (end > start && s[end - 1] == '\r')
		end--;
	return end;
}

/* Split a multipart body into children; false if no delimiter was seen. */
static bool
parse_multipart(struct mail_part *p, const char *s, size_t n,
    const char *fallback)
{
	const char	*b = p->boundary, *lf;
	size_t		 blen = strlen(b), pos = 0, end, next, start = 0;
	bool		 close, open = false;

	while (pos < n) {
		lf = memchr(s + pos, '\n', n - pos);
		end = lf != NULL ? (size_t)(lf - s) : n;
		next = lf != NULL ? end + 1 : n;
		if (parse_delim(s + pos, end - pos, b, blen, &close)) {
			if (open && !parse_child(p, s, start,
			    parse_part_end(s, start, pos), fallback))
				return true;
			if (close)
				return true;
			open = true;
			start = next;
		}
		pos = next;
	}
	if (open)
		parse_child(p, s, start, n, fallback);
	return open;
}

/* The body of a multipart or message part, within the caps. */
static void
parse_body(struct mail_part *p, const char *s, size_t n, const char *fallback)
{
	struct mail_part	*c;

	if (mime_is_multipart(p)) {
		if (p->depth >= MAIL_MIME_DEPTH_MAX) {
			p->flags |= MAIL_PART_CUT_DEPTH;
			return;
		}
		if (p->boundary == NULL || p->boundary[0] == '\0' ||
		    !parse_multipart(p, s, n, fallback))
			mail_part_set_type(p, "text", "plain");
	} else if (mime_is_message(p) && (c = mail_part_new(p)) != NULL) {
		/* The root keeps the outer header: the inner one goes to the
		 * child, where render_message() looks for it. */
		parse_entity(c, p->parent == NULL ? c : p, s, n, true,
		    fallback);
	}
}

/*
 * Parse the entity in s into p. A message (top) keeps its header block in
 * owner: the part itself for the root, the message/rfc822 part for an
 * embedded message.
 */
static void
parse_entity(struct mail_part *p, struct mail_part *owner, const char *s,
    size_t n, bool top, const char *fallback)
{
	size_t	 start, hdr_end, body;

	start = mime_hdr_bounds(s, n, top, &hdr_end, &body);
	mime_set_fields(p, s + start, hdr_end - start, fallback);
	if (top) {
		owner->header = s + start;
		owner->header_len = hdr_end - start;
	}
	p->body = s + body;
	p->body_len = n - body;
	p->size = n - body;
	p->has_body = true;
	parse_body(p, s + body, n - body, fallback);
}

/* Parse a whole message into a tree that points into msg. */
struct mail_part *
mail_mime_parse(const char *msg, size_t n, const char *fallback_charset)
{
	struct mail_part	*root;

	root = mail_part_new(NULL);
	parse_entity(root, root, msg, n, true, fallback_charset);
	mime_number(root);
	return root;
}

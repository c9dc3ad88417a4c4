/*
 * One text part, from its encoded body to lines: transfer decoding,
 * uuencoded files cut out of plain text, charset conversion, then plain,
 * flowed or HTML.
 *
 * The input is bounded before any work: at most four times the text still
 * allowed is decoded, since no step turns fewer bytes into more than four
 * times as many lines' worth; what is cut is said in a notice. Every damage
 * the decoders report (bad base64, a bad escape, a broken uuencoded file,
 * an unknown charset) is a notice too, and what did decode is shown.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime_priv.h"

static const char *
text_encoding_name(enum mail_encoding enc)
{
	switch (enc) {
	case MAIL_ENC_BASE64:
		return "base64";
	case MAIL_ENC_QP:
		return "quoted-printable";
	case MAIL_ENC_UUENCODE:
		return "uuencode";
	default:
		return "raw";
	}
}

/* Plain text in the part's charset, to lines. */
static void
text_chunk(struct render_ctx *c, struct mail_part *p, const char *s,
    size_t n, bool *warned)
{
	struct buf	 u = BUF_INIT;

	if (n == 0)
		return;
	if (mime_text_to_utf8(p->charset, s, n, c->o->fallback_charset,
	    &u) == -1 && !*warned) {
		render_notice(c, "[Unknown charset \"%.64s\" in part %s]",
		    p->charset, p->section);
		*warned = true;
	}
	if (p->flowed)
		render_flowed(c, u.data, u.len, p->delsp);
	else
		render_text(c, u.data, u.len);
	buf_free(&u);
}

/* Plain text, with any uuencoded files listed instead of shown. */
static void
text_plain(struct render_ctx *c, struct mail_part *p, const char *s,
    size_t n)
{
	struct mime_uu	 u;
	struct buf	 name = BUF_INIT;
	size_t		 pos = 0, start = 0;
	bool		 warned = false;

	while (!c->full && mime_uu_next(s, n, &pos, &u)) {
		text_chunk(c, p, s + start, u.start - start, &warned);
		buf_reset(&name);
		mime_text_to_utf8(NULL, u.name, strlen(u.name),
		    c->o->fallback_charset, &name);
		render_attachment(c, p->section, "application/octet-stream",
		    name.data, u.size, MAIL_ENC_UUENCODE);
		if (u.flags != 0)
			render_notice(c, "[The uuencoded file above is damaged; "
			    "what decoded is kept]");
		free(u.name);
		start = u.end;
	}
	text_chunk(c, p, s + start, n - start, &warned);
	buf_free(&name);
}

/* HTML through the user's filter, or the built-in converter. */
static void
text_html(struct render_ctx *c, struct mail_part *p, const char *s, size_t n)
{
	struct buf	 html = BUF_INIT, out = BUF_INIT, clean = BUF_INIT;

	mime_text_to_utf8(p->charset, s, n, c->o->fallback_charset, &html);
	buf_add(&html, "", 0);
	if (c->o->html_filter != NULL && c->o->html_filter(c->o->html_arg,
	    html.data, html.len, &out) == 0) {
		charset_add_utf8(out.data != NULL ? out.data : "", out.len,
		    &clean);
		render_text(c, clean.data, clean.len);
	} else {
		buf_reset(&out);
		mail_html_to_text(html.data, html.len, &out);
		render_text(c, out.data != NULL ? out.data : "", out.len);
	}
	buf_free(&html);
	buf_free(&out);
	buf_free(&clean);
}

/* A text part shown inline. */
void
render_leaf_text(struct render_ctx *c, struct mail_part *p)
{
	struct buf	 dec = BUF_INIT;
	const char	*s = p->body;
	size_t		 n = p->body_len, limit;
	unsigned	 flags = 0;
	bool		 cut = false;

	if (!p->has_body) {
		render_notice(c, "[Part %s was not fetched]", p->section);
		return;
	}
	limit = (c->max - c->used) * 4 + 4096;
	if (n > limit) {
		n = limit;
		cut = true;
	}
	buf_add(&dec, "", 0);
	if (p->encoding == MAIL_ENC_BASE64)
		flags = mime_decode_base64(s, n, &dec);
	else if (p->encoding == MAIL_ENC_QP)
		flags = mime_decode_qp(s, n, &dec);
	else if (p->encoding == MAIL_ENC_UUENCODE)
		flags = mail_decode_body(p->encoding, s, n, &dec) == -1 ?
		    MIME_DEC_CUT : 0;
	if (p->encoding == MAIL_ENC_BASE64 || p->encoding == MAIL_ENC_QP ||
	    p->encoding == MAIL_ENC_UUENCODE) {
		s = dec.data;
		n = dec.len;
	}
	if (flags != 0)
		render_notice(c, "[Part %s is damaged (%s); what decoded is "
		    "shown]", p->section, text_encoding_name(p->encoding));
	if (strcmp(p->subtype, "html") == 0)
		text_html(c, p, s, n);
	else
		text_plain(c, p, s, n);
	if (cut && !c->full) {
		c->r->truncated = true;
		render_notice(c, "[The rest of part %s is not shown: it is too "
		    "long]", p->section);
	}
	buf_free(&dec);
}

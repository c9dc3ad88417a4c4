/*
 * MIME internals shared by the files of src/mail that parse and render
 * messages: header blocks (mimehdr.c), transfer decoding (decode.c),
 * format=flowed (flowed.c) and the render output (render.c).
 */
#ifndef QUIRE_MAIL_MIME_PRIV_H
#define QUIRE_MAIL_MIME_PRIV_H

#include "quire/mail.h"

/* Parameters of one header and names longer than this are ignored. */
#define MIME_PARAMS_MAX		64
#define MIME_PARAM_NAME_MAX	64
/* A parameter value longer than this (bytes, decoded) is cut. */
#define MIME_PARAM_VALUE_MAX	4096

/* ---- header blocks (mimehdr.c) ---- */

/* Where the header block of an entity ends: returns the offset where the
 * fields start (past a tolerated leading blank line or "From " line when
 * top is true), sets *hdr_end to the end of the fields and *body to the
 * offset of the body. */
size_t mime_hdr_bounds(const char *s, size_t n, bool top, size_t *hdr_end,
    size_t *body);

/* Walks the fields of a header block, unfolded. */
struct mime_hdr_iter {
	const char	*s;
	size_t		 n;
	size_t		 pos;
};
void mime_hdr_iter_init(struct mime_hdr_iter *it, const char *s, size_t n);
/* The next field: its name (not terminated) and its unfolded value in
 * value (reset first). False at the end. Lines without a colon are
 * skipped. */
bool mime_hdr_next(struct mime_hdr_iter *it, const char **name,
    size_t *name_len, struct buf *value);
/* The first field called name (any case), unfolded, into value. */
bool mime_hdr_get(const char *s, size_t n, const char *name,
    struct buf *value);

/* Parameters of one header, as sent: assembled by mime_params_apply(). */
struct mime_param {
	char		 name[MIME_PARAM_NAME_MAX];	/* base, lower case */
	int		 index;		/* RFC 2231 section; -1 none */
	bool		 ext;		/* "*": charset'lang'%XX */
	char		*value;
};
struct mime_params {
	struct mime_param	 v[MIME_PARAMS_MAX];
	size_t			 n;
};
void mime_params_add(struct mime_params *ps, const char *name,
    size_t name_len, const char *value, size_t value_len);
/* Take charset, boundary, format, delsp and name (Content-Type) or
 * filename (disposition) into p, then clear ps. */
void mime_params_apply(struct mail_part *p, struct mime_params *ps,
    bool disposition, const char *fallback);

/* Text in charset to UTF-8, appended to out; no charset (or US-ASCII
 * that is valid UTF-8) reads as UTF-8, else as the fallback charset, and
 * so does an unknown charset, which returns -1. */
int mime_text_to_utf8(const char *charset, const char *s, size_t n,
    const char *fallback, struct buf *out);

/* Content-Type, Content-Disposition and Content-Transfer-Encoding values,
 * parsed into the part. */
void mime_set_content_type(struct mail_part *p, const char *v, size_t n,
    const char *fallback);
void mime_set_disposition(struct mail_part *p, const char *v, size_t n,
    const char *fallback);
/* Parse every MIME field of a header block into p. */
void mime_set_fields(struct mail_part *p, const char *hdr, size_t n,
    const char *fallback);

/* ---- the tree (mime.c) ---- */

bool mime_is_message(const struct mail_part *p);	/* message/rfc822 */
bool mime_is_multipart(const struct mail_part *p);
/* Give every part without a section its IMAP section. */
void mime_number(struct mail_part *root);

/* ---- transfer decoding (decode.c) ---- */

#define MIME_DEC_JUNK	0x01	/* invalid input was skipped */
#define MIME_DEC_CUT	0x02	/* the input ended early */

unsigned mime_decode_base64(const char *s, size_t n, struct buf *out);
unsigned mime_decode_qp(const char *s, size_t n, struct buf *out);
/* Decode uuencoded lines from s up to an "end" line; sets *used to the
 * bytes read (the end line included). */
unsigned mime_decode_uu(const char *s, size_t n, struct buf *out,
    size_t *used);

/* A uuencoded file inside text: "begin MODE NAME" ... "end". */
struct mime_uu {
	size_t		 start;		/* offset of the begin line */
	size_t		 end;		/* offset past the end line */
	char		*name;		/* raw bytes from the begin line */
	size_t		 size;		/* decoded bytes */
	unsigned	 flags;		/* MIME_DEC_* */
};
/* Find the next uuencoded file in s at or after *pos; false if none. On
 * true, u holds it (free u->name) and *pos is u->end. */
bool mime_uu_next(const char *s, size_t n, size_t *pos, struct mime_uu *u);

/* ---- rendering (render.c, flowed.c) ---- */

struct render_ctx {
	struct mail_render		*r;
	const struct mail_render_opts	*o;
	struct ptrarray			*sections;	/* choosing, not rendering */
	size_t				 max;		/* text bytes */
	size_t				 used;
	unsigned			 level;		/* message depth */
	bool				 full;		/* the cap was hit */
};

/* Add one line (no LF inside). */
void render_line(struct render_ctx *c, enum mail_line_kind kind,
    unsigned quote, const char *s, size_t n);
/* A notice line. */
void render_notice(struct render_ctx *c, const char *fmt, ...)
    QUIRE_PRINTF(2, 3);
/* A size for people: "512 B", "1.5 KB", "20 MB". */
void render_size(char *out, size_t len, uint64_t size);
/* List an attachment: a line and an entry in the result. */
void render_attachment(struct render_ctx *c, const char *section,
    const char *type, const char *filename, uint64_t size,
    enum mail_encoding enc);
/* A text part shown inline (text.c). */
void render_leaf_text(struct render_ctx *c, struct mail_part *p);
/* Add UTF-8 text split at LF (CRLF too), each line tagged by its quote
 * level ("> > a" is level 2). */
void render_text(struct render_ctx *c, const char *s, size_t n);
/* The '>' quote level at the start of a line; *skip gets the prefix
 * length when flowed is true (only '>' counts then). */
unsigned render_quote_level(const char *s, size_t n, bool flowed,
    size_t *skip);
/* Add format=flowed text (RFC 3676), unflowed. */
void render_flowed(struct render_ctx *c, const char *s, size_t n,
    bool delsp);

#endif

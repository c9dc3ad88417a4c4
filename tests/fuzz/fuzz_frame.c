/*
 * libFuzzer target: the IMAP framing scanner (src/net/frame.c).
 *
 * The first FRAME_HDR bytes are not server bytes: three pick the limits
 * (the defaults, a small one, or the largest) and five the lengths of the
 * slices the rest is fed in, cycled, so the fuzzer explores the slicing as
 * well as the stream. Every slice is a heap copy of exactly its length, so
 * ASan sees a read past it.
 *
 * The stream is fed three ways (whole, in those slices, byte by byte) and
 * beside a reference model: a plain byte-at-a-time reading of the rules in
 * frame.c's header comment, with no fast paths. The promises checked:
 * every slicing gives the same verdict and the same reason; the scanner
 * fails at exactly the byte the model does, for the same kind of reason; a
 * literal it lets by is within the cap, one it refuses is over it; a
 * failure sticks; frame_error() is NULL exactly while nothing failed. A
 * broken promise aborts, so the fuzzer reports it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quire/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FRAME_HDR	8
#define NO_FAIL		SIZE_MAX

/* The defaults frame_new() documents. */
#define DEF_LITERAL	(64 * (uint64_t)1024 * 1024)
#define DEF_LINE	(64 * (uint64_t)1024 * 1024)
#define DEF_DEPTH	64

static void
check(int ok)
{
	if (!ok)
		abort();
}

enum ref_kind { RK_NONE, RK_NUMBER, RK_LITERAL, RK_LINE, RK_DEPTH };

enum ref_state {
	R_TEXT, R_QUOTED, R_QESC, R_BRACE, R_CLOSE, R_CLOSE_CR, R_LITERAL
};

/* The reference model: one byte at a time, nothing skipped in bulk. */
struct ref {
	enum ref_state	 st;
	unsigned	 depth;
	uint64_t	 line;
	uint64_t	 left;
	uint64_t	 num;
	bool		 digits, after, plus, overflow, bad;
	uint64_t	 max_literal, max_line;
	unsigned	 max_depth;
	uint64_t	 refused;	/* the size of a refused literal */
};

/* A brace group's size: a number that fits, within the cap. */
static enum ref_kind
ref_size(struct ref *r)
{
	if (!r->digits || r->bad || r->overflow)
		return RK_NUMBER;
	if (r->num > r->max_literal) {
		r->refused = r->num;
		return RK_LITERAL;
	}
	return RK_NONE;
}

static enum ref_kind
ref_text(struct ref *r, unsigned char c)
{
	switch (c) {
	case '(':
		if (++r->depth > r->max_depth)
			return RK_DEPTH;
		break;
	case ')':
		if (r->depth > 0)
			r->depth--;
		break;
	case '"':
		r->st = R_QUOTED;
		break;
	case '{':
		r->st = R_BRACE;
		r->num = 0;
		r->digits = r->after = r->plus = r->overflow = r->bad = false;
		break;
	case '\n':
		r->line = 0;
		r->depth = 0;
		break;
	}
	return RK_NONE;
}

static void
ref_brace(struct ref *r, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		if (r->after)
			r->bad = true;
		r->digits = true;
		if (r->num > (UINT64_MAX - (c - '0')) / 10)
			r->overflow = true;
		if (!r->overflow)
			r->num = r->num * 10 + (c - '0');
	} else if (c == ' ' || c == '\t') {
		if (r->digits)
			r->after = true;
	} else if (c == '+') {
		if (!r->digits || r->plus)
			r->bad = true;
		r->plus = r->after = true;
	} else if (c == '}')
		r->st = R_CLOSE;
	else
		r->bad = true;
}

/* One byte; what failed, or RK_NONE. */
static enum ref_kind
ref_step(struct ref *r, unsigned char c)
{
	enum ref_kind	 k;

	if (r->st == R_LITERAL) {
		if (--r->left == 0)
			r->st = R_TEXT;
		return RK_NONE;
	}
	if (c != '\n' && ++r->line > r->max_line + (c == '\r'))
		return RK_LINE;
	switch (r->st) {
	case R_QUOTED:
	case R_QESC:
		if (c == '\r' || c == '\n')
			break;
		if (r->st == R_QESC)
			r->st = R_QUOTED;
		else if (c == '"')
			r->st = R_TEXT;
		else if (c == '\\')
			r->st = R_QESC;
		return RK_NONE;
	case R_BRACE:
		if (strchr("()\"{\r\n", c) != NULL && c != '\0')
			break;
		ref_brace(r, c);
		return RK_NONE;
	case R_CLOSE:
	case R_CLOSE_CR:
		if (c == '\n') {
			if ((k = ref_size(r)) != RK_NONE)
				return k;
			r->line = 0;
			r->left = r->num;
			r->st = r->left > 0 ? R_LITERAL : R_TEXT;
			return RK_NONE;
		}
		if (r->st == R_CLOSE && c == '\r') {
			r->st = R_CLOSE_CR;
			return RK_NONE;
		}
		if (r->st == R_CLOSE && (c == ' ' || c == '\t'))
			return RK_NONE;
		if (r->digits && !r->bad && (k = ref_size(r)) != RK_NONE)
			return k;
		break;
	default:
		break;
	}
	r->st = R_TEXT;
	return ref_text(r, c);
}

/* Where the model fails (NO_FAIL: it does not), and why. */
static size_t
ref_run(const struct frame_limits *lim, const uint8_t *p, size_t n,
    enum ref_kind *kind, uint64_t *refused, struct buf *clean)
{
	struct ref	 r;
	size_t		 i;

	memset(&r, 0, sizeof r);
	r.max_literal = lim->max_literal != 0 ? lim->max_literal : DEF_LITERAL;
	if (r.max_literal > UINT32_MAX)
		r.max_literal = UINT32_MAX;
	r.max_line = lim->max_line != 0 ? lim->max_line : DEF_LINE;
	if (r.max_line == UINT64_MAX)
		r.max_line--;
	r.max_depth = lim->max_depth != 0 ? lim->max_depth : DEF_DEPTH;
	*kind = RK_NONE;
	for (i = 0; i < n; i++) {
		/* What frame_feed_clean() hands on: a NUL in quotes rewritten. */
		if (p[i] == '\0' && (r.st == R_QUOTED || r.st == R_QESC))
			buf_add(clean, "\xef\xbf\xbd", 3);
		else
			buf_add(clean, p + i, 1);
		if ((*kind = ref_step(&r, p[i])) != RK_NONE) {
			*refused = r.refused;
			return i;
		}
	}
	return NO_FAIL;
}

/* The kind of failure a reason names; for a literal, its size too. */
static enum ref_kind
reason_kind(const char *e, uint64_t *size)
{
	static const char	 lit[] = "the server announced a literal of ";
	char			*end;

	if (strcmp(e, "literal size is not a valid number") == 0)
		return RK_NUMBER;
	if (strncmp(e, lit, sizeof lit - 1) == 0) {
		*size = strtoull(e + sizeof lit - 1, &end, 10);
		check(strncmp(end, " bytes, over the limit of ", 26) == 0);
		return RK_LITERAL;
	}
	if (strncmp(e, "the server sent a line longer than ", 35) == 0)
		return RK_LINE;
	if (strncmp(e, "the server nested parentheses deeper than ", 42) == 0)
		return RK_DEPTH;
	abort();
}

/* Feed one slice from a heap copy of exactly its length. */
static int
feed_copy(struct frame_scanner *fs, const uint8_t *p, size_t n)
{
	char	*copy;
	int	 rc;

	copy = malloc(n > 0 ? n : 1);
	check(copy != NULL);
	if (n > 0)
		memcpy(copy, p, n);
	rc = frame_feed(fs, copy, n);
	free(copy);
	return rc;
}

/* A failure must stick, with the same reason, whatever comes next. */
static void
check_sticky(struct frame_scanner *fs, const char *reason)
{
	check(feed_copy(fs, (const uint8_t *)"", 0) == -1);
	check(feed_copy(fs, (const uint8_t *)"\r\n", 2) == -1);
	check(frame_error(fs) != NULL && strcmp(frame_error(fs), reason) == 0);
}

/* A slice length from one header byte: short ones often, long ones too. */
static size_t
slice_len(uint8_t b)
{
	return b < 192 ? (size_t)b % 16 + 1 : ((size_t)b - 191) * 64;
}

static void
pick_limits(const uint8_t *h, struct frame_limits *lim)
{
	static const uint64_t	 lits[] = { 0, 0, 4096, UINT64_MAX };
	static const uint64_t	 lines[] = { 0, 0, 80, UINT64_MAX };
	static const unsigned	 depths[] = { 0, 0, 2, UINT32_MAX };

	lim->max_literal = lits[h[0] & 3];
	lim->max_line = lines[h[1] & 3];
	lim->max_depth = depths[h[2] & 3];
	if ((h[0] & 3) == 1)
		lim->max_literal = 1 + (h[0] >> 2);
	if ((h[1] & 3) == 1)
		lim->max_line = 1 + (h[1] >> 2);
	if ((h[2] & 3) == 1)
		lim->max_depth = 1 + (h[2] >> 2) % 16;
}

/* Whole: the verdict and reason every other slicing must match. */
static int
feed_whole(const struct frame_limits *lim, const uint8_t *p, size_t n,
    char **reason)
{
	struct frame_scanner	*fs = frame_new(lim);
	int			 rc;

	check(frame_error(fs) == NULL);
	rc = feed_copy(fs, p, n);
	check(rc == 0 || rc == -1);
	*reason = NULL;
	if (rc == -1) {
		check(frame_error(fs) != NULL);
		*reason = strdup(frame_error(fs));
		check(*reason != NULL);
		check_sticky(fs, *reason);
	} else
		check(frame_error(fs) == NULL);
	frame_free(&fs);
	check(fs == NULL);
	return rc;
}

/* Feed one slice as the wire does (frame_feed_clean), adding what it
 * hands on to got; returns 0 or -1. */
static int
feed_clean(struct frame_scanner *fs, const uint8_t *p, size_t n,
    struct buf *got)
{
	struct buf	 out = BUF_INIT;
	char		*copy;
	int		 rc;

	copy = malloc(n > 0 ? n : 1);
	check(copy != NULL);
	if (n > 0)
		memcpy(copy, p, n);
	rc = frame_feed_clean(fs, copy, n, &out);
	if (rc > 0) {
		check(out.len == n + 2 * (size_t)rc);
		buf_add(got, out.data, out.len);
	} else if (rc == 0) {
		check(out.len == 0);
		buf_add(got, copy, n);
	}
	buf_free(&out);
	free(copy);
	return rc > 0 ? 0 : rc;
}

/* In the header's slices: -1 from the slice holding the failing byte on;
 * without a failure, what is handed on equals the model's. */
static void
feed_slices(const struct frame_limits *lim, const uint8_t *h, const uint8_t *p,
    size_t n, size_t fail_at, const char *reason, const struct buf *clean)
{
	struct frame_scanner	*fs = frame_new(lim);
	struct buf		 got = BUF_INIT;
	size_t			 off = 0, len, k = 0;
	int			 rc;

	buf_add(&got, "", 0);
	while (off < n) {
		len = slice_len(h[3 + k++ % 5]);
		if (len > n - off)
			len = n - off;
		rc = feed_clean(fs, p + off, len, &got);
		off += len;
		if (fail_at != NO_FAIL && fail_at < off) {
			check(rc == -1);
			check(strcmp(frame_error(fs), reason) == 0);
		} else {
			check(rc == 0);
			check(frame_error(fs) == NULL);
		}
	}
	if (fail_at != NO_FAIL)
		check_sticky(fs, reason);
	else
		check(got.len == clean->len &&
		    memcmp(got.data, clean->data, got.len) == 0);
	buf_free(&got);
	frame_free(&fs);
}

/* Byte by byte: where the scanner fails, NO_FAIL if it does not. */
static size_t
feed_bytes(const struct frame_limits *lim, const uint8_t *p, size_t n,
    const char *reason)
{
	struct frame_scanner	*fs = frame_new(lim);
	size_t			 i, at = NO_FAIL;

	for (i = 0; i < n; i++) {
		if (frame_feed(fs, (const char *)p + i, 1) == 0)
			continue;
		check(reason != NULL && strcmp(frame_error(fs), reason) == 0);
		at = i;
		break;
	}
	frame_free(&fs);
	return at;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_limits	 lim;
	uint8_t			 h[FRAME_HDR];
	const uint8_t		*p;
	size_t			 n, at, model_at;
	enum ref_kind		 model_kind;
	uint64_t		 model_size = 0, size_said = 0;
	struct buf		 clean = BUF_INIT;
	char			*reason;
	int			 rc;

	memset(h, 0, sizeof h);
	memcpy(h, data, size < FRAME_HDR ? size : FRAME_HDR);
	p = size > FRAME_HDR ? data + FRAME_HDR : data + size;
	n = size > FRAME_HDR ? size - FRAME_HDR : 0;
	pick_limits(h, &lim);

	rc = feed_whole(&lim, p, n, &reason);
	buf_add(&clean, "", 0);
	model_at = ref_run(&lim, p, n, &model_kind, &model_size, &clean);
	at = feed_bytes(&lim, p, n, reason);
	check(at == model_at);
	check((rc == -1) == (at != NO_FAIL));
	if (rc == -1) {
		check(reason_kind(reason, &size_said) == model_kind);
		if (model_kind == RK_LITERAL)
			check(size_said == model_size);
	}
	feed_slices(&lim, h, p, n, at, reason, &clean);
	buf_free(&clean);
	free(reason);
	return 0;
}

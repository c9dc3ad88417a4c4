/*
 * The IMAP framing scanner: a guard on every byte the server sends.
 *
 * libetpan trusts the server: it reserves whatever a literal size says,
 * buffers a line of any length and recurses once per parenthesis. This
 * scanner sees the same bytes first, in whatever slices the socket hands
 * over, and fails the stream for good (a sticky error with a readable
 * reason) before libetpan can be hurt:
 *
 *  - a literal size "{N}" (also "{N+}", and "~{N}" for literal8) over
 *    max_literal, or not a decimal number that fits in 64 bits;
 *  - a line (the bytes between two LFs, literal data excluded, the CR of
 *    the closing CRLF not counted) over max_line;
 *  - parentheses nested deeper than max_depth, counted across the whole
 *    response (through literals and their continuation lines) and reset
 *    by the LF that ends it.
 *
 * It knows just enough IMAP to frame: quoted strings (with backslash
 * escapes) hide parentheses and braces and end at CR or LF; a literal
 * marker counts only at the very end of a line, and its N data bytes are
 * skipped unscanned. The whitespace libetpan tolerates ("{ 5 }", "{5} \r\n")
 * is tolerated too, so both agree on where literal data starts. A brace
 * group holding a number in the middle of a line is not a literal, but its
 * size is still checked: libetpan's workaround for Lotus Domino takes "{N}"
 * as a literal even without the CRLF. An unbalanced ")" clamps at zero (a
 * server bug, not an attack); brackets do not count.
 *
 * A NUL inside a quoted string is no IMAP, and libetpan keeps the string
 * up to it and drops the rest without a word (BAD-INPUTS 20). Fed through
 * frame_feed_clean(), such a NUL comes out as U+FFFD (three bytes; only
 * literal data is counted, so the longer text is harmless), and the string
 * reaches the reader whole. Literal data is never touched: its length is
 * counted and a body's bytes are the body's.
 *
 * State is a few words: no line is buffered, only the value of a possible
 * trailing "{N}". Runs of ordinary bytes go through a table-driven loop and
 * literal data is skipped in one step, so the cost is O(1) per byte and
 * small enough to sit under a sync of 100,000 messages.
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "quire/net.h"

#define FRAME_MIB		(1024 * 1024)
#define FRAME_DEF_LITERAL	(64 * (uint64_t)FRAME_MIB)
#define FRAME_DEF_LINE		(64 * (uint64_t)FRAME_MIB)
#define FRAME_DEF_DEPTH		64
/* libetpan keeps literal sizes in a uint32_t: a larger cap would let a
 * size wrap there while we skip the real count. */
#define FRAME_MAX_LITERAL	UINT32_MAX

enum frame_state {
	ST_TEXT,		/* between tokens, in atoms or text */
	ST_QUOTED,		/* inside "..." */
	ST_QESC,		/* after a backslash inside "..." */
	ST_BRACE,		/* after "{", before "}" */
	ST_CLOSE,		/* after "}": a line end here makes a literal */
	ST_CLOSE_CR,		/* after "}" and CR */
	ST_LITERAL,		/* skipping literal data */
	ST_FAILED
};

/* Bytes that end a run of ordinary bytes, per state. */
#define CL_TEXT		0x01
#define CL_QUOTED	0x02

static const unsigned char frame_class[256] = {
	['(']  = CL_TEXT,
	[')']  = CL_TEXT,
	['{']  = CL_TEXT,
	['"']  = CL_TEXT | CL_QUOTED,
	['\\'] = CL_QUOTED,
	['\0']  = CL_QUOTED,
	['\r'] = CL_TEXT | CL_QUOTED,
	['\n'] = CL_TEXT | CL_QUOTED,
};

struct frame_scanner {
	enum frame_state	 state;
	unsigned		 depth;
	uint64_t		 line;		/* bytes on this line so far */
	uint64_t		 left;		/* literal bytes still to skip */

	/* The brace group being read: "{" [SP] digits [SP] ["+"] [SP] "}". */
	uint64_t		 num;
	int			 digits;	/* a digit was seen */
	int			 after;		/* digits ended (SP or "+") */
	int			 plus;
	int			 overflow;
	int			 bad;		/* something that is no number */

	uint64_t		 max_literal;
	uint64_t		 max_line;
	unsigned		 max_depth;
	char			 error[128];
};

static int
frame_fail(struct frame_scanner *fs, const char *fmt, ...)
    QUIRE_PRINTF(2, 3);

static int
frame_fail(struct frame_scanner *fs, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(fs->error, sizeof fs->error, fmt, ap);
	va_end(ap);
	fs->state = ST_FAILED;
	return -1;
}

/* A limit in the unit a person would write it in. */
static void
frame_size(char *out, size_t len, uint64_t n)
{
	if (n >= FRAME_MIB && n % FRAME_MIB == 0)
		snprintf(out, len, "%" PRIu64 " MiB", n / FRAME_MIB);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(out, len, "%" PRIu64 " KiB", n / 1024);
	else
		snprintf(out, len, "%" PRIu64 " bytes", n);
}

/* The brace group just read must hold a size within the limit. */
static int
frame_check_size(struct frame_scanner *fs)
{
	char	 lim[32];

	if (!fs->digits || fs->bad || fs->overflow)
		return frame_fail(fs, "literal size is not a valid number");
	if (fs->num > fs->max_literal) {
		frame_size(lim, sizeof lim, fs->max_literal);
		return frame_fail(fs, "the server announced a literal of "
		    "%" PRIu64 " bytes, over the limit of %s", fs->num, lim);
	}
	return 0;
}

/* A line ended with a literal marker: its data follows. */
static int
frame_marker(struct frame_scanner *fs)
{
	if (frame_check_size(fs) == -1)
		return -1;
	fs->line = 0;
	fs->left = fs->num;
	fs->state = fs->left > 0 ? ST_LITERAL : ST_TEXT;
	return 0;
}

/* A special byte between tokens. */
static int
frame_text(struct frame_scanner *fs, unsigned char c)
{
	switch (c) {
	case '(':
		if (++fs->depth > fs->max_depth)
			return frame_fail(fs, "the server nested parentheses "
			    "deeper than %u levels", fs->max_depth);
		break;
	case ')':
		if (fs->depth > 0)
			fs->depth--;
		break;
	case '"':
		fs->state = ST_QUOTED;
		break;
	case '{':
		fs->state = ST_BRACE;
		fs->num = 0;
		fs->digits = fs->after = fs->plus = 0;
		fs->overflow = fs->bad = 0;
		break;
	case '\n':
		/* The end of a response: nesting starts again. */
		fs->line = 0;
		fs->depth = 0;
		break;
	}
	return 0;
}

/* A special byte inside a quoted string; CR or LF ends string and line. */
static int
frame_quoted(struct frame_scanner *fs, unsigned char c)
{
	if (c == '\r' || c == '\n') {
		fs->state = ST_TEXT;
		return frame_text(fs, c);
	}
	if (fs->state == ST_QESC)
		fs->state = ST_QUOTED;
	else if (c == '"')
		fs->state = ST_TEXT;
	else if (c == '\\')
		fs->state = ST_QESC;
	return 0;
}

/* A digit of a literal size; an overflow is remembered, not wrapped. */
static void
frame_digit(struct frame_scanner *fs, unsigned char c)
{
	unsigned	 d = c - '0';

	if (fs->after)
		fs->bad = 1;
	fs->digits = 1;
	if (fs->overflow || fs->num > (UINT64_MAX - d) / 10)
		fs->overflow = 1;
	else
		fs->num = fs->num * 10 + d;
}

/* A byte inside braces. */
static int
frame_brace(struct frame_scanner *fs, unsigned char c)
{
	switch (c) {
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		frame_digit(fs, c);
		break;
	case ' ':
	case '\t':
		if (fs->digits)
			fs->after = 1;
		break;
	case '+':
		if (!fs->digits || fs->plus)
			fs->bad = 1;
		fs->plus = fs->after = 1;
		break;
	case '}':
		fs->state = ST_CLOSE;
		break;
	case '(': case ')': case '"': case '{': case '\r': case '\n':
		/* Not a brace group after all. */
		fs->state = ST_TEXT;
		return frame_text(fs, c);
	default:
		fs->bad = 1;
		break;
	}
	return 0;
}

/* A byte after "}": a line end makes a literal, anything else text. */
static int
frame_close(struct frame_scanner *fs, unsigned char c)
{
	if (c == '\n')
		return frame_marker(fs);
	if (c == '\r' && fs->state == ST_CLOSE) {
		fs->state = ST_CLOSE_CR;
		return 0;
	}
	if ((c == ' ' || c == '\t') && fs->state == ST_CLOSE)
		return 0;
	/* Mid-line: no literal here, but libetpan may still take one. */
	if (fs->digits && !fs->bad && frame_check_size(fs) == -1)
		return -1;
	fs->state = ST_TEXT;
	return frame_text(fs, c);
}

/* One byte outside literal data, counted on the line then dispatched. */
static int
frame_byte(struct frame_scanner *fs, unsigned char c)
{
	char	 lim[32];

	/* The CR of a closing CRLF may stand one past the limit. */
	if (c != '\n' && ++fs->line > fs->max_line + (c == '\r')) {
		frame_size(lim, sizeof lim, fs->max_line);
		return frame_fail(fs, "the server sent a line longer than %s",
		    lim);
	}
	switch (fs->state) {
	case ST_TEXT:
		return frame_text(fs, c);
	case ST_QUOTED:
	case ST_QESC:
		return frame_quoted(fs, c);
	case ST_BRACE:
		return frame_brace(fs, c);
	case ST_CLOSE:
	case ST_CLOSE_CR:
		return frame_close(fs, c);
	default:
		return 0;	/* literal data and failures never get here */
	}
}

/* Skip ordinary bytes in text or a quoted string; returns the first
 * special byte (or end). */
static const unsigned char *
frame_run(struct frame_scanner *fs, const unsigned char *p,
    const unsigned char *end)
{
	const unsigned char	*q = p;
	unsigned char		 mask;
	char			 lim[32];

	mask = fs->state == ST_TEXT ? CL_TEXT : CL_QUOTED;
	while (end - q >= 4) {
		if (frame_class[q[0]] & mask)
			break;
		if (frame_class[q[1]] & mask) {
			q += 1;
			break;
		}
		if (frame_class[q[2]] & mask) {
			q += 2;
			break;
		}
		if (frame_class[q[3]] & mask) {
			q += 3;
			break;
		}
		q += 4;
	}
	while (q < end && !(frame_class[*q] & mask))
		q++;
	if (q == p)
		return q;	/* the line may hold a CR one past the limit */
	fs->line += (uint64_t)(q - p);
	if (fs->line > fs->max_line) {
		frame_size(lim, sizeof lim, fs->max_line);
		frame_fail(fs, "the server sent a line longer than %s", lim);
	}
	return q;
}

/* Create a scanner; zero fields of lim (or a NULL lim) take the defaults. */
struct frame_scanner *
frame_new(const struct frame_limits *lim)
{
	struct frame_scanner	*fs;

	fs = xcalloc(1, sizeof *fs);
	fs->state = ST_TEXT;
	fs->max_literal = FRAME_DEF_LITERAL;
	fs->max_line = FRAME_DEF_LINE;
	fs->max_depth = FRAME_DEF_DEPTH;
	if (lim != NULL && lim->max_literal != 0)
		fs->max_literal = lim->max_literal;
	if (fs->max_literal > FRAME_MAX_LITERAL)
		fs->max_literal = FRAME_MAX_LITERAL;
	if (lim != NULL && lim->max_line != 0)
		fs->max_line = lim->max_line;
	if (fs->max_line == UINT64_MAX)
		fs->max_line--;		/* room for the CR of the CRLF */
	if (lim != NULL && lim->max_depth != 0)
		fs->max_depth = lim->max_depth;
	return fs;
}

/* Free a scanner and clear the pointer; accepts NULL. */
void
frame_free(struct frame_scanner **fs)
{
	if (fs == NULL)
		return;
	free(*fs);
	*fs = NULL;
}

/* Scan n bytes; with out, also rewrite each NUL of a quoted string
 * (see the top). Returns -1 on failure, else the number of NULs
 * rewritten; when that is not 0, out holds the whole rewritten slice. */
static int
frame_scan(struct frame_scanner *fs, const char *buf, size_t n,
    struct buf *out)
{
	const unsigned char	*p = (const unsigned char *)buf;
	const unsigned char	*end = p + n;
	const unsigned char	*copied = p;
	uint64_t		 take;
	int			 nuls = 0;

	while (p < end && fs->state != ST_FAILED) {
		switch (fs->state) {
		case ST_LITERAL:
			take = (uint64_t)(end - p);
			if (take > fs->left)
				take = fs->left;
			p += take;
			fs->left -= take;
			if (fs->left == 0)
				fs->state = ST_TEXT;
			break;
		case ST_TEXT:
		case ST_QUOTED:
			p = frame_run(fs, p, end);
			if (p == end || fs->state == ST_FAILED)
				break;
			/* FALLTHROUGH */
		default:
			if (*p == '\0' && out != NULL &&
			    (fs->state == ST_QUOTED || fs->state == ST_QESC)) {
				if (nuls == 0)
					buf_reset(out);
				buf_add(out, copied, (size_t)(p - copied));
				buf_add(out, "\xef\xbf\xbd", 3);
				copied = p + 1;
				if (nuls < INT_MAX)
					nuls++;
			}
			frame_byte(fs, *p++);
			break;
		}
	}
	if (fs->state == ST_FAILED)
		return -1;
	if (nuls > 0)
		buf_add(out, copied, (size_t)(end - copied));
	return nuls;
}

/* Scan the next n bytes the server sent. */
int
frame_feed(struct frame_scanner *fs, const char *buf, size_t n)
{
	return frame_scan(fs, buf, n, NULL) == -1 ? -1 : 0;
}

/* Scan as frame_feed(), rewriting the NULs of quoted strings into out. */
int
frame_feed_clean(struct frame_scanner *fs, const char *buf, size_t n,
    struct buf *out)
{
	return frame_scan(fs, buf, n, out);
}

/* Why the stream failed, or NULL while it has not. */
const char *
frame_error(const struct frame_scanner *fs)
{
	return fs->state == ST_FAILED ? fs->error : NULL;
}

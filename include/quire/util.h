/*
 * util: the small things every module uses.
 *
 * Memory: x-functions never fail; on exhaustion they log and abort in one
 * place (xmalloc.c). Growable buffers and pointer arrays own their storage.
 * The log is the one process-wide object outside main.c: it is written from
 * every thread, so it takes a mutex, and it never writes to the terminal.
 * Text from servers and messages reaches the screen only through
 * safe_text(), which makes control characters visible and drops invisible
 * formatting, so nothing a sender writes can drive the terminal.
 *
 * Ownership: all memory belongs to the caller unless stated otherwise.
 * Destructors accept NULL.
 */
#ifndef QUIRE_UTIL_H
#define QUIRE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUIRE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define QUIRE_NORETURN __attribute__((noreturn))
#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* ---- memory (xmalloc.c) ---- */

/* Allocate or abort; xmalloc(0) returns a unique non-NULL pointer. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of nmemb elements of size bytes; aborts on overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copy at most n bytes of s and terminate; NUL bytes inside stop the copy. */
char *xstrndup(const char *s, size_t n);
/* Copy exactly n bytes (which may hold NUL) and terminate. */
char *xmemdup(const void *p, size_t n);
char *xasprintf(const char *fmt, ...) QUIRE_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) QUIRE_PRINTF(1, 0);
/* Overwrite then free; for passwords and tokens. Accepts NULL. */
void xfree_secret(char *s);
/* Abort with a message in the log and on stderr. */
void fatal(const char *fmt, ...) QUIRE_PRINTF(1, 2) QUIRE_NORETURN;

/* ---- growable byte buffer (buf.c) ---- */

/* Always NUL-terminated after the first write: data[len] == '\0'. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);		/* len = 0, keeps the storage */
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) QUIRE_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) QUIRE_PRINTF(2, 0);
/* Hand the (terminated) storage to the caller and reset the buffer. */
char *buf_detach(struct buf *b);
/* The contents as a string, "" when empty; valid until the next write. */
const char *buf_str(const struct buf *b);

/* ---- pointer array (buf.c) ---- */

struct ptrarray {
	void	**items;
	size_t	  len;
	size_t	  cap;
};
#define PTRARRAY_INIT { NULL, 0, 0 }

void ptrarray_push(struct ptrarray *a, void *p);
/* Free the array; with a destructor, call it on each item first. */
void ptrarray_free(struct ptrarray *a, void (*destroy)(void *));

/* ---- strings (str.c) ---- */

bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);
bool str_eq_nocase(const char *a, const char *b);	/* ASCII only */
/* Trim ASCII white space at both ends, in place; returns s. */
char *str_trim(char *s);
/* True if the n bytes hold CR, LF or NUL: such a string must never be sent
 * to a server (it would end the command and start another). */
bool str_has_crlfnul(const char *s, size_t n);
/* Parse a whole decimal number into [min, max]; false on anything else. */
bool str_to_long(const char *s, long min, long max, long *out);
/* Split s at the first run of white space: returns the first word (in place)
 * and advances *rest past the separator. NULL when s holds no word. */
char *str_next_word(char **rest);
/* Edit distance, for "did you mean" suggestions. */
size_t str_distance(const char *a, const char *b);
/* The value of a hexadecimal digit (either case), or -1. */
int str_hexval(int c);
/* The value of a base64 digit, or -1; c63 is the 64th digit: '/' in MIME,
 * ',' in modified UTF-7 (RFC 3501). */
int str_b64val(int c, int c63);

/* ---- log (log.c) ---- */

enum log_level {
	LL_ERROR,
	LL_WARN,
	LL_INFO,
	LL_DEBUG,
	LL_TRACE,	/* the protocol trace */
};

/* Open the log file (0600, appended); level is the most verbose level
 * written. On failure returns -1 and sets *err (caller frees). */
int log_open(const char *path, enum log_level level, char **err);
void log_close(void);
bool log_enabled(enum log_level level);
/* One line: timestamp, thread, level, function, message. Never a password:
 * callers must not pass secrets; the wire redacts credentials itself. */
void log_msg(enum log_level level, const char *func, const char *fmt, ...)
    QUIRE_PRINTF(3, 4);
#define log_error(...)	log_msg(LL_ERROR, __func__, __VA_ARGS__)
#define log_warn(...)	log_msg(LL_WARN, __func__, __VA_ARGS__)
#define log_info(...)	log_msg(LL_INFO, __func__, __VA_ARGS__)
#define log_debug(...)	log_msg(LL_DEBUG, __func__, __VA_ARGS__)
#define log_trace(...)	log_msg(LL_TRACE, __func__, __VA_ARGS__)

/* ---- UTF-8 (utf8.c) ---- */

#define UTF8_REPLACEMENT 0xFFFD

/* Decode one code point from s (n > 0 bytes available). Invalid, overlong,
 * surrogate or truncated sequences decode as U+FFFD and consume one byte.
 * Returns the bytes consumed (1-4). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp (invalid ones as U+FFFD) into out; returns 1-4. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* True if all n bytes are valid UTF-8 (NUL allowed). */
bool utf8_valid(const char *s, size_t n);
/* Columns of one code point: 0, 1 or 2; -1 for control characters. */
int utf8_cp_width(uint32_t cp);
/* Columns of a (safe) string; invalid bytes and controls count as one
 * column each, as utf8_fit() draws them. */
size_t utf8_width(const char *s, size_t n);

/* ---- terminal-safe text (safe.c) ---- */

/*
 * safe_text: the one door through which untrusted text reaches the screen.
 * Input is any bytes (invalid UTF-8, NUL, controls). Output is valid UTF-8
 * with no C0/C1 control, no DEL, no escape sequence:
 *   - C0 controls and DEL become caret notation (^[, ^M, ^?); TAB becomes one
 *     space unless SAFE_KEEP_TAB; LF becomes a space unless SAFE_KEEP_NL;
 *   - C1 controls (encoded U+0080-U+009F) become <9B>-style hex; a raw
 *     0x80-0x9F byte is invalid UTF-8 and becomes U+FFFD like the rest;
 *   - invalid bytes and NUL become U+FFFD;
 *   - bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069)
 *     and the line/paragraph separators (U+2028-2029) become a visible
 *     <U+202E> marker: they can disguise a name;
 *   - invisible formatting (zero-width space/joiners, LRM/RLM/ALM, word
 *     joiner, BOM, soft hyphen, tag characters, other invisible Cf
 *     characters) is removed.
 * Appends to out; returns the number of characters changed or removed, so
 * the caller can flag suspicious names.
 */
#define SAFE_KEEP_TAB	0x01
#define SAFE_KEEP_NL	0x02
size_t safe_text(struct buf *out, const char *s, size_t n, unsigned flags);
/* Convenience: a new safe string; *changed (may be NULL) as above. */
char *safe_strdup(const char *s, size_t n, size_t *changed);

/*
 * Fit safe UTF-8 text into exactly cols columns: wide characters are
 * measured, text that does not fit ends with an ellipsis, shorter text is
 * padded with spaces when pad is true. A wide character never straddles the
 * edge (a space fills its place when pad is true). Controls and invalid
 * bytes, which safe text never holds, are drawn as U+FFFD. Appends to out;
 * returns the columns written.
 */
size_t utf8_fit(struct buf *out, const char *s, size_t n, size_t cols, bool pad);

#endif

/*
 * net: the wire, a guarded byte stream under libetpan.
 *
 * Debian's libetpan does not verify certificates, trusts literal sizes,
 * spins on EOF inside a literal and buffers lines of any length. quire
 * therefore owns the socket: connect with a deadline, poll() with a read
 * timeout, TLS by GnuTLS with certificate, hostname and optional pin checks,
 * STARTTLS on the same fd, a cancel pipe, and a framing scanner that fails
 * the stream on an oversized literal or line or too deep parentheses. EOF,
 * reset and timeout are errors, never a zero-length read. libetpan sees it
 * as a mailstream_low driver (wire_mailstream_low()).
 *
 * Ownership: all memory belongs to the caller unless stated otherwise.
 * Errors return -1 with a readable reason in the wire (wire_error()).
 */
#ifndef QUIRE_NET_H
#define QUIRE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "quire/util.h"

/* ---- the IMAP framing scanner (pure; fed every byte the server sends) ---- */

struct frame_limits {
	uint64_t	 max_literal;	/* default 64 MiB */
	uint64_t	 max_line;	/* default 64 MiB */
	unsigned	 max_depth;	/* parentheses, default 64 */
};

/* A zero field takes the default; max_literal is capped at 4 GiB - 1 (the
 * most libetpan can count). A line is counted without literal data and
 * without its closing CRLF; depth is counted over a whole response. */
struct frame_scanner;

/* Create a scanner (lim may be NULL); the caller frees it with frame_free. */
struct frame_scanner *frame_new(const struct frame_limits *lim);
/* Free the scanner and set *fs to NULL; accepts NULL and *fs == NULL. */
void frame_free(struct frame_scanner **fs);
/* Feed n bytes; returns 0, or -1 with a reason (frame_error) once a limit is
 * crossed or a literal size is not a number that fits. Sticky: once failed,
 * every later call returns -1 with the same reason. Any slicing of the same
 * bytes gives the same result. */
int frame_feed(struct frame_scanner *fs, const char *p, size_t n);
/* As frame_feed(), and each NUL inside a quoted string becomes U+FFFD:
 * returns -1, or the number of NULs found; when that is more than 0, out
 * (reset first) holds the n bytes with those NULs rewritten. */
int frame_feed_clean(struct frame_scanner *fs, const char *p, size_t n,
    struct buf *out);
/* The reason the stream failed, owned by the scanner; NULL until then. */
const char *frame_error(const struct frame_scanner *fs);

/* ---- the wire ---- */

/*
 * One connection to one server. The session thread owns it; only
 * wire_cancel() may be called from another thread. Every read and write
 * runs under a deadline and watches the cancel pipe. A failure (EOF, reset,
 * timeout, a TLS error, a framing limit) is sticky: every later call fails
 * with the same reason. A cancel is not: it lasts until wire_cancel_clear().
 */
struct wire;

enum wire_tls {
	WIRE_TLS_NONE,		/* plaintext for good */
	WIRE_TLS_IMPLICIT,	/* TLS from the first byte (port 993) */
	WIRE_TLS_STARTTLS,	/* plaintext until wire_starttls() */
};

#define WIRE_PIN_LEN	32	/* a SHA-256 digest */
/* "sha256:" and 32 colon-separated hex pairs, with the NUL. */
#define WIRE_FP_STRLEN	(7 + WIRE_PIN_LEN * 3)

struct wire_opts {
	const char	*host;		/* name or IP literal */
	int		 port;
	enum wire_tls	 tls;
	const char	*ca_file;	/* PEM, trusted besides the system store;
					 * NULL: the system store only */
	bool		 has_pin;
	uint8_t		 pin[WIRE_PIN_LEN]; /* SHA-256 of the leaf's DER */
	int		 connect_timeout_ms; /* DNS + TCP + TLS; 0: 15 s */
	int		 read_timeout_ms;    /* per read or write; 0: 30 s */
	struct frame_limits limits;	/* zero fields: the defaults */
	bool		 trace;		/* "S: "/"C: " lines at LL_TRACE */
};

struct wire_stats {
	uint64_t	 bytes_in;	/* IMAP bytes, after TLS */
	uint64_t	 bytes_out;
	uint64_t	 round_trips;	/* writes followed by a read */
};

/* Connect (DNS, TCP, and TLS for WIRE_TLS_IMPLICIT) under the connect
 * deadline. On failure returns NULL and *err (caller frees): a certificate
 * that fails names the reason and its fingerprint, and no byte of IMAP has
 * been sent. The caller frees the wire with wire_free(). */
struct wire *wire_connect(const struct wire_opts *o, char **err);
/* Upgrade to TLS after the server's OK to STARTTLS. buffered is how many
 * bytes libetpan still holds (imap->imap_stream->read_buffer_len): if it or
 * the wire holds any, the server sent data after its reply and the upgrade
 * is refused. Returns 0, or -1 with *err (caller frees); a failure also
 * fails the wire. */
int wire_starttls(struct wire *w, size_t buffered, char **err);

/* Read at most n bytes (at least one) within the read timeout. Returns the
 * count, or -1 with wire_error() set: never 0. */
ssize_t wire_read(struct wire *w, void *p, size_t n);
/* Write all n bytes within the read timeout. Returns n, or -1. */
ssize_t wire_write(struct wire *w, const void *p, size_t n);

#define WIRE_READY_DATA	0x01	/* the server sent something */
#define WIRE_READY_FD	0x02	/* extra_fd is readable */
/* Wait for the server and extra_fd (-1: none) at once, for timeout_ms
 * (-1: no limit). Returns a mask of WIRE_READY_*, 0 on timeout, or -1 on
 * failure or cancel (wire_error()). Bytes the wire or GnuTLS already holds
 * count as data; bytes libetpan holds do not: check
 * imap->imap_stream->read_buffer_len first (LIBETPAN.md 7). */
int wire_wait(struct wire *w, int extra_fd, int timeout_ms);

/* Make the current and every later read, write and wait fail with
 * "cancelled" until wire_cancel_clear(). Safe from any thread, async-signal
 * safe. */
void wire_cancel(struct wire *w);
/* Accept reads and writes again after wire_cancel(). */
void wire_cancel_clear(struct wire *w);

/* Why the last call failed, owned by the wire; NULL if none did. */
const char *wire_error(const struct wire *w);
/* The counters so far. */
void wire_stats(const struct wire *w, struct wire_stats *st);
/* The SHA-256 fingerprint of the server's certificate as "sha256:AA:...",
 * owned by the wire; NULL on a plaintext connection. */
const char *wire_fingerprint(const struct wire *w);
/* True once TLS is up. */
bool wire_is_tls(const struct wire *w);

/* Write a digest as "sha256:AA:BB:..." into out. */
void wire_fingerprint_format(const uint8_t fp[WIRE_PIN_LEN],
    char out[WIRE_FP_STRLEN]);
/* Parse "sha256:" and 64 hex digits, colons allowed between pairs, as the
 * config's fingerprint option does. Returns 0, or -1 on anything else. */
int wire_fingerprint_parse(const char *s, uint8_t fp[WIRE_PIN_LEN]);

/*
 * The wire as libetpan's mailstream_low (a mailstream_low *): hand it to
 * mailstream_new(low, 8192), then mailimap_connect(). Ownership: the low
 * holds its own reference to the wire and drops it when libetpan frees the
 * stream (mailstream_close(), mailimap_free()); the caller keeps its
 * reference and still calls wire_free() when done, before or after
 * libetpan. The wire is freed when both are gone, so neither order frees
 * twice. libetpan's close shuts the connection (later calls fail with "the
 * connection is closed"). Do not use libetpan's own waiting
 * (mailstream_wait_idle): it cannot see bytes inside GnuTLS; use
 * wire_wait().
 */
struct _mailstream_low *wire_mailstream_low(struct wire *w);

/* Drop the caller's reference (closing the connection if libetpan holds
 * none) and set *w to NULL; accepts NULL and *w == NULL. */
void wire_free(struct wire **w);

#endif

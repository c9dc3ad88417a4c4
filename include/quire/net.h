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
/* The reason the stream failed, owned by the scanner; NULL until then. */
const char *frame_error(const struct frame_scanner *fs);

/* ---- the wire ---- */

struct wire;

struct wire_stats {
	uint64_t	 bytes_in;
	uint64_t	 bytes_out;
	uint64_t	 round_trips;	/* writes followed by a read */
};

#endif

/*
 * net's private header: the wire's fields and the parts split across
 * wire.c (the connection, reads, writes, waiting, libetpan's driver),
 * sock.c (DNS with a deadline, connect, poll), tls.c (GnuTLS: handshake,
 * verification, records) and trace.c (the protocol trace and its
 * redaction, a pure part the unit tests call directly).
 */
#ifndef QUIRE_NET_PRIV_H
#define QUIRE_NET_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <gnutls/gnutls.h>

#include "quire/net.h"
#include "quire/util.h"

#define WIRE_DEF_CONNECT_MS	15000
#define WIRE_DEF_READ_MS	30000
#define WIRE_AHEAD		4096	/* read ahead by wire_wait() */

struct trace;

struct wire {
	int			 fd;
	int			 cancel_rd;	/* the cancel pipe */
	int			 cancel_wr;
	atomic_bool		 cancelled;
	atomic_int		 refs;		/* the caller, libetpan's low */

	char			*host;
	int			 read_ms;
	int			 connect_ms;
	char			*ca_file;
	bool			 has_pin;
	uint8_t			 pin[WIRE_PIN_LEN];

	gnutls_session_t	 tls;		/* NULL until TLS is up */
	gnutls_certificate_credentials_t cred;
	int			 tls_errno;	/* errno of the last recv/send */
	int			 tls_err;	/* the last fatal GnuTLS error */
	char			 fp[WIRE_FP_STRLEN]; /* "" until TLS */

	char			 ahead[WIRE_AHEAD]; /* read by wire_wait() */
	size_t			 ahead_len;
	size_t			 ahead_off;

	struct frame_scanner	*frame;
	struct buf		 clean;		/* a slice with NULs rewritten */
	size_t			 clean_off;	/* what libetpan has of it */
	struct trace		*trace;
	struct wire_stats	 stats;
	bool			 wrote;		/* a write since the last read */

	char			*error;		/* why the last call failed */
	bool			 dead;		/* failed for good */
};

/* ---- sock.c ---- */

enum net_wait {
	NET_READY,
	NET_TIMEOUT,
	NET_CANCELLED,
};

/* Milliseconds on the monotonic clock. */
int64_t net_now(void);
/* Milliseconds left until deadline, at least 0; -1 (no limit) stays -1. */
int net_left(int64_t deadline);
/* Wait for events on fd, or for the cancel pipe (-1: none), until the
 * deadline (-1: none). Errors and hang-ups count as ready. */
enum net_wait net_poll(int fd, short events, int cancel_fd,
    int64_t deadline);
/* Resolve and connect under the deadline; returns a non-blocking,
 * close-on-exec socket, or -1 and *err (NULL *err: cancelled). */
int net_connect(const char *host, int port, int cancel_fd,
    int64_t deadline, char **err);

/* ---- wire.c ---- */

/* Fail the wire for good with a reason (the first reason wins). */
void wire_fail(struct wire *w, const char *fmt, ...) QUIRE_PRINTF(2, 3);
/* Set the reason of a failure that is not for good (cancel). */
void wire_set_error(struct wire *w, const char *reason);

/* ---- tls.c ---- */

/* Handshake on w->fd and verify the server (chain and host name, or the
 * pin). Returns 0, or -1 and *err (NULL *err: cancelled). */
int tls_start(struct wire *w, int64_t deadline, char **err);
/* One read of decrypted data: > 0 bytes, 0 on EOF, -1 with errno set
 * (EAGAIN: poll first, in the direction tls_wants_write() says). */
ssize_t tls_recv(struct wire *w, void *p, size_t n);
/* One write; as tls_recv. */
ssize_t tls_send(struct wire *w, const void *p, size_t n);
/* True when GnuTLS waits to write rather than to read. */
bool tls_wants_write(const struct wire *w);
/* Bytes already decrypted and not yet read. */
size_t tls_pending(const struct wire *w);
/* A readable text for the last TLS failure of tls_recv/tls_send. */
const char *tls_last_error(const struct wire *w);
/* Free the session and the credentials. */
void tls_end(struct wire *w);

/* ---- trace.c ---- */

enum trace_dir {
	TRACE_IN,		/* from the server: "S: " */
	TRACE_OUT,		/* from us: "C: " */
};

/* Where finished trace lines go (log_trace by default). */
typedef void trace_emit_fn(void *arg, const char *line);

#define TRACE_SHOW	400	/* bytes of a line shown before the cut */
#define TRACE_TAG_MAX	64

/* The redaction state: which command's continuations hide credentials. */
struct redact {
	char	 auth_tag[TRACE_TAG_MAX]; /* AUTHENTICATE until this reply */
	bool	 in_login;	/* the literals of a LOGIN command */
};

/*
 * Redact one line (one CRLF-ended piece, without the CRLF) going in
 * direction dir. cont says it follows a literal of the same command;
 * literal says the line ends with a literal marker. Returns how many bytes
 * of the line may be shown; if that is less than n the rest is replaced by
 * "<redacted>" (0: the whole line is). Updates rs.
 */
size_t trace_redact(struct redact *rs, enum trace_dir dir, const char *line,
    size_t n, bool cont, bool literal);
/* True if literal data sent now must not even be summarized by size. */
bool trace_redact_literal(const struct redact *rs, enum trace_dir dir);

/* A trace: emit may be NULL for log_trace. */
struct trace *trace_new(trace_emit_fn *emit, void *arg);
/* Free and set *t to NULL; accepts NULL. Unfinished lines are dropped. */
void trace_free(struct trace **t);
/* Bytes that went in direction dir, in any slicing. */
void trace_feed(struct trace *t, enum trace_dir dir, const char *p,
    size_t n);
/* A note of the wire's own (connected, TLS up, failed), as "-- text". */
void trace_note(struct trace *t, const char *fmt, ...) QUIRE_PRINTF(2, 3);

#endif

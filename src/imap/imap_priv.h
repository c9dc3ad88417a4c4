/*
 * Private to src/imap: the connection layer the session thread stands on.
 *
 * conn.c opens a connection the way DESIGN.md section 4 and LIBETPAN.md ask:
 * our wire under libetpan, TLS verified before a single credential leaves,
 * STARTTLS refused when the server is not clean about it, capabilities asked
 * again after TLS, then LOGIN or AUTHENTICATE PLAIN. session.c and the sync
 * code use a struct conn and never build a mailimap themselves.
 *
 * Ownership: conn_open() returns a conn the caller frees with conn_close().
 */
#ifndef QUIRE_IMAP_PRIV_H
#define QUIRE_IMAP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <libetpan/libetpan.h>

#include "quire/config.h"
#include "quire/net.h"
#include "quire/util.h"

/* What the server offers, as bits (from CAPABILITY, asked again after TLS
 * and after login when the server does not send it unasked). */
#define CAP_IDLE		0x00001
#define CAP_CONDSTORE		0x00002
#define CAP_QRESYNC		0x00004
#define CAP_UIDPLUS		0x00008
#define CAP_MOVE		0x00010
#define CAP_SORT		0x00020
#define CAP_LITERALPLUS		0x00040
#define CAP_SPECIAL_USE		0x00080
#define CAP_ENABLE		0x00100
#define CAP_STARTTLS		0x00200
#define CAP_LOGINDISABLED	0x00400
#define CAP_AUTH_PLAIN		0x00800
#define CAP_SASL_IR		0x01000
#define CAP_NAMESPACE		0x02000
#define CAP_LIST_STATUS		0x04000	/* noted, never used: LIBETPAN.md 20 */
#define CAP_ESEARCH		0x08000	/* noted, never used: LIBETPAN.md 10 */

/* How bad a failure is: whether retrying can help. */
enum conn_fail {
	CONN_OK,
	CONN_RETRY,		/* network, timeout, server busy: try again */
	CONN_FATAL,		/* bad certificate, credentials, no TLS: ask
				 * the user; retrying sends nothing new */
};

struct conn {
	mailimap	*imap;
	struct wire	*wire;
	unsigned	 caps;		/* CAP_* */
	bool		 preauth;	/* the greeting was PREAUTH (on TLS) */
	bool		 qresync_enabled;
	bool		 broken;	/* out of step (a parse error...):
					 * conn_close() sends no LOGOUT */
	char		*greeting;	/* the greeting's text, made safe */
	const char	*auth;		/* "AUTHENTICATE PLAIN", "LOGIN" or
					 * "PREAUTH" (static) */
};

struct conn_params {
	const struct account	*acct;
	const char		*password;
	bool			 trace;		/* protocol trace to the log */
	/* Optional: called on the opening thread with the wire once it is
	 * connected, so that another thread can wire_cancel() it while
	 * conn_open() waits on the greeting, STARTTLS or the login; and with
	 * NULL before conn_open() fails and frees it. On success the wire
	 * lives until conn_close(): forget it (under your lock) before that,
	 * and use conn_cancel() once conn_open() has returned. */
	void			(*on_wire)(struct wire *w, void *arg);
	void			*on_wire_arg;
	/* Optional: called with on_wire_arg once the link is secured and
	 * the credentials are about to go (the session's "authenticating"). */
	void			(*on_login)(void *arg);
};

/* Connect, secure, log in. On failure returns NULL, *fail says whether to
 * retry and *err what happened and what to do (caller frees). */
struct conn *conn_open(const struct conn_params *p, enum conn_fail *fail,
    char **err);
/* LOGOUT when the connection is healthy, then tear down without waiting on
 * a dead peer (LIBETPAN.md 12). Accepts NULL. */
void conn_close(struct conn **c);
/* Interrupt whatever the connection is blocked in; from any thread. */
void conn_cancel(struct conn *c);
/* Ask CAPABILITY again and refresh c->caps. */
int conn_refresh_caps(struct conn *c, char **err);
/* The capabilities as words, for --check-account. */
void conn_caps_describe(unsigned caps, struct buf *out);
/* A libetpan error code as a sentence. */
const char *conn_strerror(int r);
/* Forget the server's last response text, before a command whose NO may
 * come without one (libetpan would leave the previous text in place). */
void conn_clear_text(struct conn *c);
/* What a libetpan error r in the middle of `what` ("LIST", ...) means for
 * the connection: the sentence (caller frees), with the wire's reason for
 * a stream error and the server's text for a NO; *fail says whether to
 * reconnect. Marks c broken when the session is out of step. */
char *conn_error(struct conn *c, int r, const char *what,
    enum conn_fail *fail);

#endif

/*
 * TLS by GnuTLS on the wire's own socket.
 *
 * libetpan's TLS checks nothing (LIBETPAN.md 1), so the wire does it: the
 * system trust store plus the configured CA file, SNI unless the host is an
 * IP literal, and after the handshake, before a single byte of IMAP is
 * sent, a check of the chain, the host name and the server purpose. A
 * pinned SHA-256 fingerprint of the leaf certificate replaces that check:
 * a match is trusted even when self-signed, a mismatch is refused even
 * when the chain is fine. A refusal names the reasons and the certificate's
 * fingerprint, so the user can pin it.
 *
 * The socket stays non-blocking: GnuTLS reads and writes through our pull
 * and push functions (recv and send with MSG_NOSIGNAL, keeping errno so a
 * reset is reported as one), and every wait is the wire's poll() with its
 * deadline and cancel pipe.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "net_priv.h"

static const struct {
	unsigned	 bit;
	const char	*text;
} tls_reasons[] = {
	{ GNUTLS_CERT_SIGNER_NOT_FOUND, "unknown issuer" },
	{ GNUTLS_CERT_UNEXPECTED_OWNER, "hostname mismatch" },
	{ GNUTLS_CERT_EXPIRED, "expired" },
	{ GNUTLS_CERT_NOT_ACTIVATED, "not yet valid" },
	{ GNUTLS_CERT_REVOKED, "revoked" },
	{ GNUTLS_CERT_SIGNER_NOT_CA, "issuer is not a CA" },
	{ GNUTLS_CERT_INSECURE_ALGORITHM, "insecure algorithm" },
	{ GNUTLS_CERT_SIGNATURE_FAILURE, "bad signature" },
	{ GNUTLS_CERT_PURPOSE_MISMATCH, "not meant for a server" },
	{ GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "issuer constraints" },
};

static ssize_t
tls_pull(gnutls_transport_ptr_t ptr, void *p, size_t n)
{
	struct wire	*w = ptr;
	ssize_t		 r;

	r = recv(w->fd, p, n, MSG_DONTWAIT);
	if (r == -1) {
		w->tls_errno = errno;
		gnutls_transport_set_errno(w->tls, errno);
	}
	return r;
}

static ssize_t
tls_push(gnutls_transport_ptr_t ptr, const void *p, size_t n)
{
	struct wire	*w = ptr;
	ssize_t		 r;

	r = send(w->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r == -1) {
		w->tls_errno = errno;
		gnutls_transport_set_errno(w->tls, errno);
	}
	return r;
}

static int
tls_pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms)
{
	struct wire	*w = ptr;
	struct pollfd	 pfd = { w->fd, POLLIN, 0 };

	return poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);
}

static bool
tls_ip_literal(const char *host)
{
	unsigned char	a[16];

	return inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1;
}

static int
tls_creds(struct wire *w, char **err)
{
	int	r;

	if (gnutls_certificate_allocate_credentials(&w->cred) < 0) {
		*err = xstrdup("cannot set up TLS: out of memory");
		return -1;
	}
	/* No system store is not fatal: a CA file or a pin may do. */
	gnutls_certificate_set_x509_system_trust(w->cred);
	if (w->ca_file == NULL)
		return 0;
	r = gnutls_certificate_set_x509_trust_file(w->cred, w->ca_file,
	    GNUTLS_X509_FMT_PEM);
	if (r < 0)
		*err = xasprintf("cannot read the CA file %s: %s", w->ca_file,
		    gnutls_strerror(r));
	else if (r == 0)
		*err = xasprintf("the CA file %s holds no certificate",
		    w->ca_file);
	return r > 0 ? 0 : -1;
}

static int
tls_session(struct wire *w, char **err)
{
	int	r;

	r = gnutls_init(&w->tls, GNUTLS_CLIENT | GNUTLS_NONBLOCK |
	    GNUTLS_NO_SIGNAL);
	if (r >= 0)
		r = gnutls_set_default_priority(w->tls);
	if (r >= 0)
		r = gnutls_credentials_set(w->tls, GNUTLS_CRD_CERTIFICATE,
		    w->cred);
	if (r >= 0 && !tls_ip_literal(w->host))
		r = gnutls_server_name_set(w->tls, GNUTLS_NAME_DNS, w->host,
		    strlen(w->host));
	if (r < 0) {
		*err = xasprintf("cannot set up TLS: %s", gnutls_strerror(r));
		return -1;
	}
	gnutls_transport_set_ptr(w->tls, w);
	gnutls_transport_set_pull_function(w->tls, tls_pull);
	gnutls_transport_set_push_function(w->tls, tls_push);
	gnutls_transport_set_pull_timeout_function(w->tls, tls_pull_timeout);
	return 0;
}

static char *
tls_handshake_error(struct wire *w, int r)
{
	if (r == GNUTLS_E_PREMATURE_TERMINATION)
		return xasprintf("TLS handshake with %s failed: the server "
		    "closed the connection", w->host);
	if ((r == GNUTLS_E_PULL_ERROR || r == GNUTLS_E_PUSH_ERROR) &&
	    w->tls_errno != 0)
		return xasprintf("TLS handshake with %s failed: %s", w->host,
		    strerror(w->tls_errno));
	return xasprintf("TLS handshake with %s failed: %s", w->host,
	    gnutls_strerror(r));
}

static int
tls_handshake(struct wire *w, int64_t deadline, char **err)
{
	short	ev;
	int	r;

	for (;;) {
		w->tls_errno = 0;
		if ((r = gnutls_handshake(w->tls)) == 0)
			return 0;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED) {
			if (!gnutls_error_is_fatal(r))
				continue;
			*err = tls_handshake_error(w, r);
			return -1;
		}
		ev = gnutls_record_get_direction(w->tls) ? POLLOUT : POLLIN;
		switch (net_poll(w->fd, ev, w->cancel_rd, deadline)) {
		case NET_TIMEOUT:
			*err = xasprintf("TLS handshake with %s did not "
			    "finish in time", w->host);
			return -1;
		case NET_CANCELLED:
			*err = NULL;
			return -1;
		case NET_READY:
			break;
		}
	}
}

/* The reasons in status as short text, GnuTLS's own words for the rest. */
static void
tls_reasons_text(unsigned status, struct buf *b)
{
	gnutls_datum_t	out;
	unsigned	rest = status & ~(unsigned)GNUTLS_CERT_INVALID;
	size_t		i;

	for (i = 0; i < nitems(tls_reasons); i++) {
		if ((status & tls_reasons[i].bit) == 0)
			continue;
		buf_printf(b, "%s%s", b->len > 0 ? ", " : "",
		    tls_reasons[i].text);
		rest &= ~tls_reasons[i].bit;
	}
	if ((rest != 0 || b->len == 0) &&
	    gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &out, 0) == 0) {
		buf_printf(b, "%s%s", b->len > 0 ? "; " : "",
		    (const char *)out.data);
		gnutls_free(out.data);
	}
}

/* Check the chain, the host name and the purpose; the pin instead when
 * one is set. Sets w->fp. */
static int
tls_verify(struct wire *w, char **err)
{
	const gnutls_datum_t	*certs;
	gnutls_typed_vdata_st	 vd[2];
	struct buf		 why = BUF_INIT;
	uint8_t			 fp[WIRE_PIN_LEN];
	char			 pin[WIRE_FP_STRLEN];
	unsigned		 n = 0, status = 0;
	int			 r;

	certs = gnutls_certificate_get_peers(w->tls, &n);
	if (certs == NULL || n == 0) {
		*err = xasprintf("the server %s sent no certificate", w->host);
		return -1;
	}
	gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size, fp);
	wire_fingerprint_format(fp, w->fp);
	if (w->has_pin) {
		if (memcmp(fp, w->pin, sizeof fp) == 0)
			return 0;
		wire_fingerprint_format(w->pin, pin);
		*err = xasprintf("the certificate of %s is %s, not the pinned "
		    "%s; refusing to continue", w->host, w->fp, pin);
		return -1;
	}
	memset(vd, 0, sizeof vd);
	vd[0].type = GNUTLS_DT_DNS_HOSTNAME;
	vd[0].data = (unsigned char *)w->host;
	vd[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vd[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	if ((r = gnutls_certificate_verify_peers(w->tls, vd, 2, &status)) < 0) {
		*err = xasprintf("cannot verify the certificate of %s (%s): "
		    "%s", w->host, w->fp, gnutls_strerror(r));
		return -1;
	}
	if (status == 0)
		return 0;
	tls_reasons_text(status, &why);
	*err = xasprintf("the certificate of %s is not trusted (%s); its "
	    "fingerprint is %s: set ca_file to its CA, or, if you trust this "
	    "certificate, pin it with fingerprint = %s", w->host,
	    buf_str(&why), w->fp, w->fp);
	buf_free(&why);
	return -1;
}

/* Handshake on w->fd and verify the server. */
int
tls_start(struct wire *w, int64_t deadline, char **err)
{
	*err = NULL;
	if (tls_creds(w, err) == -1 || tls_session(w, err) == -1)
		goto fail;
	if (tls_handshake(w, deadline, err) == -1)
		goto fail;
	if (tls_verify(w, err) == -1) {
		/* Tell the server why; it is a courtesy, so do not wait. */
		gnutls_alert_send(w->tls, GNUTLS_AL_FATAL,
		    GNUTLS_A_BAD_CERTIFICATE);
		goto fail;
	}
	return 0;
fail:
	tls_end(w);
	return -1;
}

static ssize_t
tls_result(struct wire *w, ssize_t r)
{
	if (r >= 0)
		return r;
	if (r == GNUTLS_E_AGAIN)
		errno = EAGAIN;
	else if (r == GNUTLS_E_PREMATURE_TERMINATION)
		return 0;
	else if ((r == GNUTLS_E_PULL_ERROR || r == GNUTLS_E_PUSH_ERROR) &&
	    w->tls_errno != 0)
		errno = w->tls_errno;
	else if (r == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal((int)r))
		errno = EINTR;		/* a warning alert: read on */
	else {
		w->tls_err = (int)r;
		errno = EPROTO;
	}
	return -1;
}

/* One read of decrypted data: > 0, 0 on EOF, -1 with errno. */
ssize_t
tls_recv(struct wire *w, void *p, size_t n)
{
	w->tls_errno = 0;
	return tls_result(w, gnutls_record_recv(w->tls, p, n));
}

/* One write; as tls_recv. */
ssize_t
tls_send(struct wire *w, const void *p, size_t n)
{
	w->tls_errno = 0;
	return tls_result(w, gnutls_record_send(w->tls, p, n));
}

/* True when GnuTLS waits to write rather than to read. */
bool
tls_wants_write(const struct wire *w)
{
	return gnutls_record_get_direction(w->tls) == 1;
}

/* Bytes already decrypted and not yet read. */
size_t
tls_pending(const struct wire *w)
{
	return w->tls != NULL ? gnutls_record_check_pending(w->tls) : 0;
}

/* A readable text for the last fatal TLS error. */
const char *
tls_last_error(const struct wire *w)
{
	return gnutls_strerror(w->tls_err);
}

/* Free the session and the credentials. */
void
tls_end(struct wire *w)
{
	if (w->tls != NULL)
		gnutls_deinit(w->tls);
	if (w->cred != NULL)
		gnutls_certificate_free_credentials(w->cred);
	w->tls = NULL;
	w->cred = NULL;
}

/* Write a digest as "sha256:AA:BB:..." into out. */
void
wire_fingerprint_format(const uint8_t fp[WIRE_PIN_LEN],
    char out[WIRE_FP_STRLEN])
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*p = out;
	size_t			 i;

	memcpy(p, "sha256:", 7);
	p += 7;
	for (i = 0; i < WIRE_PIN_LEN; i++) {
		if (i > 0)
			*p++ = ':';
		*p++ = hex[fp[i] >> 4];
		*p++ = hex[fp[i] & 0x0f];
	}
	*p = '\0';
}

/* Parse "sha256:" and 64 hex digits; colons are skipped, as the config's
 * fingerprint option skips them. */
int
wire_fingerprint_parse(const char *s, uint8_t fp[WIRE_PIN_LEN])
{
	uint8_t	out[WIRE_PIN_LEN];
	size_t	n = 0;
	int	hi = -1, v;

	if (strncasecmp(s, "sha256:", 7) != 0)
		return -1;
	for (s += 7; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if ((v = str_hexval((unsigned char)*s)) == -1 || n == WIRE_PIN_LEN)
			return -1;
		if (hi == -1)
			hi = v;
		else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (n != WIRE_PIN_LEN || hi != -1)
		return -1;
	memcpy(fp, out, sizeof out);
	return 0;
}

/*
 * From what a FETCH response says to the summary the index shows.
 *
 * libetpan hands each FETCH response to the session's handler as a
 * msg_att, freed as soon as the handler returns; msg_item_parse() reads
 * the parts quire asks for into a flat struct that points into it, and
 * the summary functions copy out decoded UTF-8. Envelope strings still
 * carry RFC 2047 words and raw 8-bit bytes (LIBETPAN.md 16); they go
 * through mail_decode_header() with the configured fallback charset.
 * Nothing here talks to the server, so the unit tests call it directly.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

static uint32_t
flag_bit(const struct mailimap_flag_fetch *ff)
{
	if (ff->fl_type == MAILIMAP_FLAG_FETCH_RECENT)
		return MF_RECENT;
	if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER || ff->fl_flag == NULL)
		return 0;
	switch (ff->fl_flag->fl_type) {
	case MAILIMAP_FLAG_ANSWERED:	return MF_ANSWERED;
	case MAILIMAP_FLAG_FLAGGED:	return MF_FLAGGED;
	case MAILIMAP_FLAG_DELETED:	return MF_DELETED;
	case MAILIMAP_FLAG_SEEN:	return MF_SEEN;
	case MAILIMAP_FLAG_DRAFT:	return MF_DRAFT;
	default:			return 0;	/* keywords */
	}
}

static void
item_static(const struct mailimap_msg_att_static *st, struct msg_item *it)
{
	switch (st->att_type) {
	case MAILIMAP_MSG_ATT_ENVELOPE:
		it->env = st->att_data.att_env;
		break;
	case MAILIMAP_MSG_ATT_INTERNALDATE:
		it->idate = st->att_data.att_internal_date;
		break;
	case MAILIMAP_MSG_ATT_RFC822_SIZE:
		it->has_size = true;
		it->size = st->att_data.att_rfc822_size;
		break;
	case MAILIMAP_MSG_ATT_UID:
		it->uid = st->att_data.att_uid;
		break;
	case MAILIMAP_MSG_ATT_BODY_SECTION:
		if (st->att_data.att_body_section == NULL)
			break;
		it->has_section = true;
		it->section = st->att_data.att_body_section->sec_body_part;
		it->section_len = it->section == NULL ? 0 :
		    st->att_data.att_body_section->sec_length;
		break;
	default:
		break;
	}
}

static void
item_extension(const struct mailimap_extension_data *ext,
    struct msg_item *it)
{
	const struct mailimap_condstore_fetch_mod_resp *mod;

	if (ext == NULL || ext->ext_extension != &mailimap_extension_condstore ||
	    ext->ext_type != MAILIMAP_CONDSTORE_TYPE_FETCH_DATA)
		return;
	mod = ext->ext_data;
	if (mod != NULL)
		it->modseq = mod->cs_modseq_value;
}

void
msg_item_parse(const struct mailimap_msg_att *att, struct msg_item *it)
{
	clistiter			*i, *j;
	const struct mailimap_msg_att_item *item;

	memset(it, 0, sizeof *it);
	it->seq = att->att_number;
	for (i = clist_begin(att->att_list); i != NULL; i = clist_next(i)) {
		item = clist_content(i);
		switch (item->att_type) {
		case MAILIMAP_MSG_ATT_ITEM_DYNAMIC:
			it->has_flags = true;
			if (item->att_data.att_dyn == NULL ||
			    item->att_data.att_dyn->att_list == NULL)
				break;
			for (j = clist_begin(item->att_data.att_dyn->att_list);
			    j != NULL; j = clist_next(j))
				it->flags |= flag_bit(clist_content(j));
			break;
		case MAILIMAP_MSG_ATT_ITEM_STATIC:
			if (item->att_data.att_static != NULL)
				item_static(item->att_data.att_static, it);
			break;
		case MAILIMAP_MSG_ATT_ITEM_EXTENSION:
			item_extension(item->att_data.att_extension_data, it);
			break;
		default:
			break;
		}
	}
}

/* ---- strings ---- */

/* n bytes of a header value, NULs included (the decoder makes them
 * U+FFFD, BAD-INPUTS 20), to UTF-8. */
static char *
decoded_n(const char *s, size_t n, const char *fallback)
{
	struct buf	 b = BUF_INIT;

	mail_decode_header(s, n, fallback, &b);
	buf_addstr(&b, "");
	return buf_detach(&b);
}

static char *
decoded(const char *s, const char *fallback)
{
	return s != NULL ? decoded_n(s, strlen(s), fallback) : NULL;
}

static char *
plain_utf8(const char *s, size_t n)
{
	struct buf	 b = BUF_INIT;

	charset_add_utf8(s, n, &b);
	buf_addstr(&b, "");
	return str_trim(buf_detach(&b));
}

/* One address as the index shows it: the name, else mailbox@host. */
static void
address_add(const struct mailimap_address *a, const char *fallback,
    struct buf *out)
{
	struct buf	 name = BUF_INIT;

	if (a->ad_personal_name != NULL)
		mail_decode_header(a->ad_personal_name,
		    strlen(a->ad_personal_name), fallback, &name);
	if (name.len > 0 && *str_trim(name.data) != '\0') {
		buf_addstr(out, str_trim(name.data));
	} else {
		if (a->ad_mailbox_name != NULL)
			charset_add_utf8(a->ad_mailbox_name,
			    strlen(a->ad_mailbox_name), out);
		if (a->ad_host_name != NULL) {
			buf_addch(out, '@');
			charset_add_utf8(a->ad_host_name,
			    strlen(a->ad_host_name), out);
		}
	}
	buf_free(&name);
}

/* A list of addresses, ", "-separated; at most `max` of them (0: all).
 * Group markers (no host) are skipped. */
static char *
addresses(clist *list, size_t max, const char *fallback)
{
	struct buf		 b = BUF_INIT;
	clistiter		*i;
	const struct mailimap_address *a;
	size_t			 k = 0;

	if (list == NULL)
		return NULL;
	for (i = clist_begin(list); i != NULL; i = clist_next(i)) {
		a = clist_content(i);
		if (a == NULL || a->ad_host_name == NULL)
			continue;
		if (k > 0)
			buf_addstr(&b, ", ");
		address_add(a, fallback, &b);
		if (++k == max)
			break;
	}
	if (k == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* References and the attachment bit from the HEADER.FIELDS section. */
static void
from_section(const struct msg_item *it, struct msg_summary *out)
{
	struct buf	 v = BUF_INIT;

	if (!it->has_section || it->section == NULL)
		return;
	if (header_field(it->section, it->section_len, "References", &v) &&
	    v.len > 0)
		out->references = plain_utf8(v.data, v.len);
	buf_reset(&v);
	if (header_field(it->section, it->section_len, "Content-Type", &v) &&
	    content_type_mixed(buf_str(&v)))
		out->flags |= MF_ATTACHMENT;
	buf_free(&v);
}

static void
summary_common(const struct msg_item *it, struct msg_summary *out)
{
	memset(out, 0, sizeof *out);
	out->uid = it->uid;
	out->flags = it->flags;
	out->modseq = it->modseq;
	out->size = it->size;
	if (it->idate != NULL)
		out->internal_date = date_from_imap(it->idate);
}

void
summary_from_envelope(const struct msg_item *it, const char *fallback,
    struct msg_summary *out)
{
	const struct mailimap_envelope *e = it->env;

	summary_common(it, out);
	from_section(it, out);
	if (e == NULL)
		return;
	if (e->env_from != NULL)
		out->from = addresses(e->env_from->frm_list, 1, fallback);
	if (e->env_to != NULL)
		out->to = addresses(e->env_to->to_list, 0, fallback);
	if (e->env_cc != NULL)
		out->cc = addresses(e->env_cc->cc_list, 0, fallback);
	out->subject = decoded(e->env_subject, fallback);
	if (e->env_message_id != NULL)
		out->message_id = plain_utf8(e->env_message_id,
		    strlen(e->env_message_id));
	if (e->env_date != NULL)
		out->date = date_parse_rfc5322(e->env_date);
}

/* "Name <a@b>" to "Name"; "<a@b>" or "a@b" to "a@b"; decoded. The first
 * address only: the fallback path does not parse address lists. */
static char *
from_display(const char *v, size_t n, const char *fallback)
{
	struct buf	 b = BUF_INIT;
	const char	*lt, *gt;
	char		*s;

	lt = memchr(v, '<', n);
	if (lt != NULL && lt > v) {
		mail_decode_header(v, (size_t)(lt - v), fallback, &b);
		buf_addstr(&b, "");
		s = str_trim(b.data);
		if (*s == '"' && s[1] != '\0' && s[strlen(s) - 1] == '"') {
			s[strlen(s) - 1] = '\0';
			s++;
		}
		if (*s != '\0') {
			s = xstrdup(s);
			buf_free(&b);
			return s;
		}
		buf_reset(&b);
	}
	if (lt != NULL &&
	    (gt = memchr(lt, '>', n - (size_t)(lt - v))) != NULL)
		charset_add_utf8(lt + 1, (size_t)(gt - lt - 1), &b);
	else
		mail_decode_header(v, n, fallback, &b);
	buf_addstr(&b, "");
	return str_trim(buf_detach(&b));
}

void
summary_from_headers(const struct msg_item *it, const char *fallback,
    struct msg_summary *out)
{
	struct buf	 v = BUF_INIT;
	const char	*h = it->section;
	size_t		 n = it->section_len;

	summary_common(it, out);
	from_section(it, out);
	if (h == NULL)
		return;
	if (header_field(h, n, "From", &v))
		out->from = from_display(buf_str(&v), v.len, fallback);
	buf_reset(&v);
	if (header_field(h, n, "To", &v))
		out->to = decoded_n(buf_str(&v), v.len, fallback);
	buf_reset(&v);
	if (header_field(h, n, "Cc", &v))
		out->cc = decoded_n(buf_str(&v), v.len, fallback);
	buf_reset(&v);
	if (header_field(h, n, "Subject", &v))
		out->subject = decoded_n(buf_str(&v), v.len, fallback);
	buf_reset(&v);
	if (header_field(h, n, "Message-ID", &v))
		out->message_id = plain_utf8(v.data, v.len);
	buf_reset(&v);
	if (header_field(h, n, "Date", &v))
		out->date = date_parse_rfc5322(buf_str(&v));
	buf_free(&v);
}

/* ---- headers ---- */

/* The end of the line at p (its terminator excluded) and the start of
 * the next one. */
static const char *
line_end(const char *p, const char *end, const char **next)
{
	const char	*q = memchr(p, '\n', (size_t)(end - p));

	if (q == NULL) {
		*next = end;
		return end;
	}
	*next = q + 1;
	return q > p && q[-1] == '\r' ? q - 1 : q;
}

/* Blanks off both ends of b, by length: a NUL inside is the value's
 * (BAD-INPUTS 20), not its end. */
static void
buf_trim_n(struct buf *b)
{
	size_t	 k = 0;

	while (b->len > 0 && (b->data[b->len - 1] == ' ' ||
	    b->data[b->len - 1] == '\t'))
		b->len--;
	while (k < b->len && (b->data[k] == ' ' || b->data[k] == '\t'))
		k++;
	if (k > 0)
		memmove(b->data, b->data + k, b->len - k);
	b->len -= k;
	buf_addstr(b, "");
}

bool
header_field(const char *h, size_t n, const char *name, struct buf *out)
{
	const char	*p = h, *end = h + n, *e, *next, *v;
	size_t		 nl = strlen(name);

	while (p < end) {
		e = line_end(p, end, &next);
		if (e == p)
			return false;		/* the blank line ends it */
		v = p + nl;
		if ((size_t)(e - p) > nl && strncasecmp(p, name, nl) == 0) {
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			if (v < e && *v == ':') {
				buf_add(out, v + 1, (size_t)(e - v - 1));
				/* Unfold: continuation lines start with WSP. */
				while (next < end &&
				    (*next == ' ' || *next == '\t')) {
					p = next;
					e = line_end(p, end, &next);
					buf_add(out, p, (size_t)(e - p));
				}
				buf_trim_n(out);
				return true;
			}
		}
		p = next;
	}
	return false;
}

bool
content_type_mixed(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, "multipart/mixed", 15) != 0)
		return false;
	v += 15;
	return *v == '\0' || *v == ';' || *v == ' ' || *v == '\t';
}

/* ---- dates ---- */

/* Seconds since the epoch for a civil UTC time and a zone written as
 * +HHMM (given as the number HHMM with its sign); 0 when out of range. */
static int64_t
civil_time(int year, int month, int day, int hour, int min, int sec,
    int zone)
{
	struct tm	 tm;
	int64_t		 t;
	int		 z = zone < 0 ? -zone : zone, off;

	if (year < 1970 || year > 9999 || month < 1 || month > 12 ||
	    day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 ||
	    min > 59 || sec < 0 || sec > 60 || z > 9959)
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm);
	off = (z / 100) * 3600 + (z % 100) * 60;
	return zone < 0 ? t + off : t - off;
}

int64_t
date_from_imap(const struct mailimap_date_time *dt)
{
	if (dt == NULL)
		return 0;
	return civil_time(dt->dt_year, dt->dt_month, dt->dt_day, dt->dt_hour,
	    dt->dt_min, dt->dt_sec, dt->dt_zone);
}

int64_t
date_parse_rfc5322(const char *s)
{
	struct mailimf_date_time *dt = NULL;
	size_t			 idx = 0;
	int64_t			 t;
	int			 year;

	if (s == NULL ||
	    mailimf_date_time_parse(s, strlen(s), &idx, &dt) !=
	    MAILIMF_NO_ERROR || dt == NULL)
		return 0;
	year = dt->dt_year;
	if (year >= 0 && year < 50)		/* RFC 5322 4.3 */
		year += 2000;
	else if (year >= 50 && year < 1000)
		year += 1900;
	t = civil_time(year, dt->dt_month, dt->dt_day, dt->dt_hour,
	    dt->dt_min, dt->dt_sec, dt->dt_zone);
	mailimf_date_time_free(dt);
	return t;
}

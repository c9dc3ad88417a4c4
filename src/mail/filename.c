/*
 * Attachment names made safe to save under (BAD-INPUTS 26).
 *
 * The name comes from the sender, so it may climb out of the folder
 * ("../../.bashrc", "/etc/passwd"), hide in it (".profile"), cut itself
 * short ("a\0.pdf"), drive the terminal (controls) or disguise its type
 * ("evil<U+202E>fdp.exe" shows as "evilexe.pdf"). What is kept is the last
 * path component with controls replaced by '_', bidi and invisible marks
 * removed (and the name flagged, so the UI can say so), no leading dot,
 * dash or space, no ".." anywhere, no trailing dot or space, and at most
 * MAIL_FILENAME_MAX bytes with the extension kept. Opening it safely
 * (O_EXCL, O_NOFOLLOW, inside the chosen folder) is the saver's job.
 */
#include "config.h"

#include <string.h>

#include "quire/mail.h"

#define MAIL_FILENAME_MAX	200
#define MAIL_EXT_MAX		32

/* Marks that change how a name reads without being seen. */
static bool
fname_hidden(uint32_t cp)
{
	return cp == 0x00ad || cp == 0x034f || cp == 0x061c ||
	    cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x206f) || cp == 0xfeff ||
	    (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

static bool
fname_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029 || cp == UTF8_REPLACEMENT;
}

/* The characters of the last path component, cleaned, into b. */
static bool
fname_clean(const char *s, size_t n, struct buf *b)
{
	size_t		 i, k;
	uint32_t	 cp;
	bool		 flagged = false;

	for (i = n; i > 0; i--) {
		if (s[i - 1] == '/' || s[i - 1] == '\\')
			break;
	}
	for (; i < n; i += k) {
		k = utf8_decode(s + i, n - i, &cp);
		if (fname_hidden(cp))
			flagged = true;
		else if (fname_control(cp))
			buf_addch(b, '_');
		else if (cp == '.' && b->len > 0 && b->data[b->len - 1] == '.')
			continue;
		else if (b->len > 0 || (cp != '.' && cp != ' ' && cp != '-'))
			buf_add(b, s + i, k);
	}
	return flagged;
}

/* Cut to MAIL_FILENAME_MAX bytes, keeping a short extension, at a
 * character boundary. */
static void
fname_cap(struct buf *b)
{
	const char	*dot;
	size_t		 ext = 0, stem;
	char		 tail[MAIL_EXT_MAX + 1];

	if (b->len <= MAIL_FILENAME_MAX)
		return;
	dot = strrchr(b->data, '.');
	if (dot != NULL && dot != b->data &&
	    (size_t)(b->data + b->len - dot) <= MAIL_EXT_MAX)
		ext = (size_t)(b->data + b->len - dot);
	memcpy(tail, b->data + b->len - ext, ext);
	stem = MAIL_FILENAME_MAX - ext;
	while (stem > 0 && ((unsigned char)b->data[stem] & 0xc0) == 0x80)
		stem--;
	while (ext > 0 && stem > 0 && b->data[stem - 1] == '.')
		stem--;		/* the cut must not make ".." */
	b->len = stem;
	buf_add(b, tail, ext);
}

/* A safe basename for saving an attachment. */
char *
mail_safe_filename(const char *name, size_t n, bool *flagged)
{
	struct buf	 b = BUF_INIT;
	bool		 f;

	buf_add(&b, "", 0);
	f = fname_clean(name != NULL ? name : "", name != NULL ? n : 0, &b);
	fname_cap(&b);
	while (b.len > 0 && (b.data[b.len - 1] == '.' ||
	    b.data[b.len - 1] == ' '))
		b.len--;
	b.data[b.len] = '\0';
	if (b.len == 0)
		buf_addstr(&b, "attachment");
	if (flagged != NULL)
		*flagged = f;
	return buf_detach(&b);
}

/*
 * Terminal-safe text: what a sender wrote, made harmless to draw.
 *
 * A terminal obeys bytes, not intentions: ESC ] 0 ; sets its title, ESC ] 52
 * writes the clipboard, CSI 2 J clears the screen, CR and BS overwrite what
 * was drawn, and a C1 CSI (U+009B) does all that in one character. Bidi
 * overrides reorder a name so that "evil<U+202E>fdp.exe" reads "evilexe.pdf",
 * and zero-width characters make two different names look equal. So every
 * code point is sorted into one of four fates: kept, shown in a visible
 * notation (controls, bidi), removed (invisible formatting), or replaced by
 * U+FFFD (invalid UTF-8, NUL). The output is always valid UTF-8.
 *
 * A raw 0x80-0x9F byte is not a C1 control here: in UTF-8 it is a stray
 * continuation byte, so it becomes U+FFFD like any other invalid byte. Text
 * in a legacy charset is converted before it gets here, and an encoded C1
 * code point is shown as <9B>.
 */
#include "config.h"

#include "quire/util.h"

enum safe_fate {
	SAFE_KEEP,
	SAFE_CARET,	/* ^[ */
	SAFE_HEX,	/* <9B> */
	SAFE_MARK,	/* <U+202E> */
	SAFE_DROP,
	SAFE_BAD,	/* U+FFFD */
	SAFE_SPACE,
};

/* utf8_decode() gives U+FFFD for one invalid byte; a real U+FFFD is 3. */
#define SAFE_INVALID(cp, len) ((cp) == UTF8_REPLACEMENT && (len) == 1)

struct safe_range {
	uint32_t	 lo;
	uint32_t	 hi;
};

/* Shown as <U+XXXX>: they reorder text (bidi embeddings, overrides and
 * isolates) or break lines on some terminals (line/paragraph separator). */
static const struct safe_range safe_marked[] = {
	{ 0x2028, 0x2029 }, { 0x202a, 0x202e }, { 0x2066, 0x2069 },
};

/* Removed: format characters that draw nothing. The tags block is here
 * because it can smuggle a whole invisible ASCII message. */
static const struct safe_range safe_dropped[] = {
	{ 0x00ad, 0x00ad },	/* soft hyphen */
	{ 0x061c, 0x061c },	/* Arabic letter mark */
	{ 0x070f, 0x070f },	/* Syriac abbreviation mark */
	{ 0x180e, 0x180e },	/* Mongolian vowel separator */
	{ 0x200b, 0x200f },	/* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	{ 0x2060, 0x2065 },	/* word joiner, invisible operators */
	{ 0x206a, 0x206f },	/* deprecated format characters */
	{ 0xfeff, 0xfeff },	/* BOM, zero-width no-break space */
	{ 0xfff0, 0xfffb },	/* reserved ignorables, interlinear annotation */
	{ 0x1bca0, 0x1bca3 },	/* shorthand format controls */
	{ 0x1d173, 0x1d17a },	/* musical format controls */
	{ 0xe0000, 0xe00ff },	/* language tag, tag characters, reserved */
	{ 0xe01f0, 0xe0fff },	/* reserved ignorables past the selectors */
};

static bool
safe_in(uint32_t cp, const struct safe_range *r, size_t nr)
{
	size_t	 i;

	for (i = 0; i < nr; i++) {
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	}
	return false;
}

static enum safe_fate
safe_classify(uint32_t cp, unsigned flags)
{
	if (cp == 0)
		return SAFE_BAD;
	if (cp == '\t')
		return (flags & SAFE_KEEP_TAB) ? SAFE_KEEP : SAFE_SPACE;
	if (cp == '\n')
		return (flags & SAFE_KEEP_NL) ? SAFE_KEEP : SAFE_SPACE;
	if (cp < 0x20 || cp == 0x7f)
		return SAFE_CARET;
	if (cp < 0x80)
		return SAFE_KEEP;
	if (cp <= 0x9f)
		return SAFE_HEX;
	if (safe_in(cp, safe_marked, nitems(safe_marked)))
		return SAFE_MARK;
	if (safe_in(cp, safe_dropped, nitems(safe_dropped)))
		return SAFE_DROP;
	return SAFE_KEEP;
}

static void
safe_emit(struct buf *out, enum safe_fate fate, uint32_t cp,
    const char *raw, size_t len)
{
	char	 enc[4];

	switch (fate) {
	case SAFE_KEEP:
		buf_add(out, raw, len);
		break;
	case SAFE_CARET:
		buf_addch(out, '^');
		buf_addch(out, (char)(cp ^ 0x40));	/* ESC ^[, DEL ^? */
		break;
	case SAFE_HEX:
		buf_printf(out, "<%02X>", (unsigned)cp);
		break;
	case SAFE_MARK:
		buf_printf(out, "<U+%04X>", (unsigned)cp);
		break;
	case SAFE_DROP:
		break;
	case SAFE_BAD:
		buf_add(out, enc, utf8_encode(UTF8_REPLACEMENT, enc));
		break;
	case SAFE_SPACE:
		buf_addch(out, ' ');
		break;
	}
}

size_t
safe_text(struct buf *out, const char *s, size_t n, unsigned flags)
{
	size_t		 i = 0, len, changed = 0;
	uint32_t	 cp;
	enum safe_fate	 fate;

	buf_grow(out, n);
	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (SAFE_INVALID(cp, len))
			fate = SAFE_BAD;
		else
			fate = safe_classify(cp, flags);
		if (fate != SAFE_KEEP)
			changed++;
		safe_emit(out, fate, cp, s + i, len);
		i += len;
	}
	return changed;
}

char *
safe_strdup(const char *s, size_t n, size_t *changed)
{
	struct buf	 b = BUF_INIT;
	size_t		 c;

	c = safe_text(&b, s, n, 0);
	if (changed != NULL)
		*changed = c;
	return buf_detach(&b);
}

/* One character as utf8_fit() draws it. Controls and invalid bytes are
 * drawn as U+FFFD, one column, so a caller's mistake cannot reach the
 * terminal. */
struct safe_glyph {
	const char	*draw;
	size_t		 drawlen;
	size_t		 len;		/* bytes of input consumed */
	size_t		 width;
};

static void
safe_glyph(const char *s, size_t n, struct safe_glyph *g)
{
	static const char	 bad[] = "\xef\xbf\xbd";
	uint32_t		 cp;
	int			 w;

	g->len = utf8_decode(s, n, &cp);
	w = utf8_cp_width(cp);
	if (w < 0 || SAFE_INVALID(cp, g->len)) {
		g->draw = bad;
		g->drawlen = sizeof bad - 1;
		g->width = 1;
	} else {
		g->draw = s;
		g->drawlen = g->len;
		g->width = (size_t)w;
	}
}

/*
 * Copy characters while they fit in limit columns; return the columns
 * used. Zero-width characters after the last one that fits go with it.
 */
static size_t
safe_copy(struct buf *out, const char *s, size_t n, size_t limit)
{
	struct safe_glyph	 g;
	size_t			 i = 0, used = 0;

	while (i < n) {
		safe_glyph(s + i, n - i, &g);
		if (used + g.width > limit)
			break;
		buf_add(out, g.draw, g.drawlen);
		used += g.width;
		i += g.len;
	}
	return used;
}

static void
safe_pad(struct buf *out, size_t n)
{
	while (n-- > 0)
		buf_addch(out, ' ');
}

size_t
utf8_fit(struct buf *out, const char *s, size_t n, size_t cols, bool pad)
{
	static const char	 ellipsis[] = "\xe2\x80\xa6";	/* U+2026 */
	size_t			 used;

	if (utf8_width(s, n) <= cols)
		used = safe_copy(out, s, n, cols);
	else if (cols == 0)
		return 0;
	else {
		used = safe_copy(out, s, n, cols - 1);
		buf_add(out, ellipsis, sizeof ellipsis - 1);
		used++;
	}
	if (pad && used < cols) {
		safe_pad(out, cols - used);
		used = cols;
	}
	return used;
}

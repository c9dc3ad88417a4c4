/*
 * prompt: the one-line editor under every question that wants text
 * (a folder name, a search).
 *
 * The text is UTF-8 with a byte cursor that always sits on a character
 * boundary. What the user types ends up in an IMAP command, so CR, LF and
 * NUL are refused, typed or pasted (BAD-INPUTS 27), and so is every other
 * control: the caller tells the user why. A bracketed paste (the terminal
 * wraps it in ESC[200~ ... ESC[201~) is inserted as typed, but its Enter
 * is refused rather than taken as "done", so a pasted "a\r\nLOGOUT" can
 * never run.
 */
#include "config.h"

#include <string.h>

#include "ui_priv.h"

void
prompt_init(struct prompt *p, const char *initial)
{
	buf_init(&p->text);
	buf_addstr(&p->text, initial != NULL ? initial : "");
	p->cursor = p->text.len;
	p->pasting = false;
}

void
prompt_free(struct prompt *p)
{
	buf_free(&p->text);
	p->cursor = 0;
}

/* The byte offset of the character before off. */
static size_t
prompt_prev(const struct prompt *p, size_t off)
{
	while (off > 0) {
		off--;
		if (((unsigned char)p->text.data[off] & 0xc0) != 0x80)
			break;
	}
	return off;
}

static size_t
prompt_next(const struct prompt *p, size_t off)
{
	uint32_t	 cp;

	if (off >= p->text.len)
		return p->text.len;
	return off + utf8_decode(p->text.data + off, p->text.len - off, &cp);
}

/* Remove the bytes [from, to). */
static void
prompt_cut(struct prompt *p, size_t from, size_t to)
{
	memmove(p->text.data + from, p->text.data + to, p->text.len - to + 1);
	p->text.len -= to - from;
	p->cursor = from;
}

static void
prompt_insert(struct prompt *p, uint32_t cp)
{
	char	 enc[4];
	size_t	 n = utf8_encode(cp, enc);

	buf_grow(&p->text, n);
	memmove(p->text.data + p->cursor + n, p->text.data + p->cursor,
	    p->text.len - p->cursor + 1);
	memcpy(p->text.data + p->cursor, enc, n);
	p->text.len += n;
	p->cursor += n;
}

/* Ctrl-W: the word before the cursor and the blanks after it. */
static void
prompt_kill_word(struct prompt *p)
{
	size_t	 from = p->cursor;

	while (from > 0 && p->text.data[from - 1] == ' ')
		from--;
	while (from > 0 && p->text.data[from - 1] != ' ')
		from--;
	prompt_cut(p, from, p->cursor);
}

/* Editing keys; false if key is not one. */
static bool
prompt_edit(struct prompt *p, uint32_t key)
{
	switch (key) {
	case QKEY_BACKSPACE:
		if (p->cursor > 0)
			prompt_cut(p, prompt_prev(p, p->cursor), p->cursor);
		return true;
	case QKEY_DELETE:
	case QKEY_CTRL + 'd':
		if (p->cursor < p->text.len)
			prompt_cut(p, p->cursor, prompt_next(p, p->cursor));
		return true;
	case QKEY_CTRL + 'u':
		prompt_cut(p, 0, p->cursor);
		return true;
	case QKEY_CTRL + 'k':
		p->text.data[p->cursor] = '\0';
		p->text.len = p->cursor;
		return true;
	case QKEY_CTRL + 'w':
		prompt_kill_word(p);
		return true;
	case QKEY_LEFT:
	case QKEY_CTRL + 'b':
		p->cursor = prompt_prev(p, p->cursor);
		return true;
	case QKEY_RIGHT:
	case QKEY_CTRL + 'f':
		p->cursor = prompt_next(p, p->cursor);
		return true;
	case QKEY_HOME:
	case QKEY_CTRL + 'a':
		p->cursor = 0;
		return true;
	case QKEY_END:
	case QKEY_CTRL + 'e':
		p->cursor = p->text.len;
		return true;
	}
	return false;
}

enum prompt_result
prompt_key(struct prompt *p, uint32_t key)
{
	if (p->text.data == NULL)
		prompt_init(p, "");
	if (key == UIKEY_PASTE_START || key == UIKEY_PASTE_END) {
		p->pasting = key == UIKEY_PASTE_START;
		return PR_EDITING;
	}
	if (!p->pasting) {
		if (key == QKEY_ENTER)
			return PR_DONE;
		if (key == QKEY_ESC)
			return PR_CANCEL;
		if (prompt_edit(p, key))
			return PR_EDITING;
	}
	/* Controls (a pasted line break, ^@, ^V...) never enter the text. */
	if (key >= QKEY_BASE || key == 0 || utf8_cp_width(key) < 0 ||
	    (key >= 0x80 && key < 0xa0))
		return PR_REFUSED;
	prompt_insert(p, key);
	return PR_EDITING;
}

size_t
prompt_complete(struct prompt *p, const char *const *names, size_t n)
{
	const char	*first = NULL;
	size_t		 i, k, matched = 0, common = 0;

	for (i = 0; i < n; i++) {
		if (strncmp(names[i], buf_str(&p->text), p->text.len) != 0)
			continue;
		if (matched++ == 0) {
			first = names[i];
			common = strlen(first);
			continue;
		}
		for (k = 0; k < common && names[i][k] == first[k]; k++)
			;
		common = k;
	}
	if (matched == 0)
		return 0;
	/* Never stop inside a UTF-8 sequence. */
	while (common > p->text.len &&
	    ((unsigned char)first[common] & 0xc0) == 0x80)
		common--;
	buf_reset(&p->text);
	buf_add(&p->text, first, common);
	p->cursor = p->text.len;
	return matched;
}

/*
 * libFuzzer target: MIME parsing and rendering (src/mail: mime*.c,
 * params.c, decode.c, text.c, flowed.c, render.c, html.c, filename.c).
 *
 * The first byte picks the options (prefer HTML, headers, a small text
 * cap); the rest is a message. It is parsed, its sections chosen and
 * rendered, and each attachment name made safe; the same bytes also go
 * through the HTML converter and every transfer decoder. The promises
 * checked: the tree keeps its caps, lines are valid UTF-8 without LF and
 * as long as they say, decoders never write more than they read, safe names
 * are plain basenames. A broken promise aborts, so the fuzzer reports it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Depth and count of the tree, within the caps. */
static void
check_tree(const struct mail_part *root)
{
	const struct mail_part	*p = root;
	size_t			 count = 0;

	while (p != NULL) {
		count++;
		check(p->depth <= MAIL_MIME_DEPTH_MAX);
		check(p->section != NULL && p->type != NULL);
		if (p->child != NULL) {
			p = p->child;
			continue;
		}
		while (p != NULL && p->next == NULL)
			p = p->parent;
		if (p != NULL)
			p = p->next;
	}
	check(count == root->nparts && count <= MAIL_MIME_PARTS_MAX);
}

static void
check_render(const struct mail_render *r, size_t text_max)
{
	size_t	 i, total = 0;
	char	*safe;
	bool	 flagged;

	for (i = 0; i < r->nlines; i++) {
		check(strlen(r->lines[i].text) == r->lines[i].len);
		check(memchr(r->lines[i].text, '\n', r->lines[i].len) == NULL);
		check(utf8_valid(r->lines[i].text, r->lines[i].len));
		check(r->lines[i].kind <= ML_ATTACHMENT);
		total += r->lines[i].len + 1;
	}
	check(total <= text_max + 256);
	for (i = 0; i < r->nattachments; i++) {
		check(r->attachments[i].section != NULL);
		if (r->attachments[i].filename == NULL)
			continue;
		safe = mail_safe_filename(r->attachments[i].filename,
		    strlen(r->attachments[i].filename), &flagged);
		check(safe[0] != '\0' && safe[0] != '.');
		check(strchr(safe, '/') == NULL && strstr(safe, "..") == NULL);
		check(strlen(safe) <= 200);
		free(safe);
	}
}

static void
fuzz_decoders(const char *s, size_t n)
{
	static const enum mail_encoding encs[] = { MAIL_ENC_BASE64,
	    MAIL_ENC_QP, MAIL_ENC_UUENCODE };
	struct buf	 out = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof encs / sizeof encs[0]; i++) {
		buf_reset(&out);
		mail_decode_body(encs[i], s, n, &out);
		check(out.len <= n);
	}
	buf_reset(&out);
	mail_html_to_text(s, n, &out);
	check(out.len <= MAIL_RENDER_TEXT_MAX + 64 * 1024);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_render_opts	 o;
	struct mail_render	 r;
	struct mail_part	*root;
	struct ptrarray		 sections = PTRARRAY_INIT;
	const char		*msg = (const char *)data + 1;
	size_t			 n = size - 1;

	if (size == 0)
		return 0;
	memset(&o, 0, sizeof o);
	o.prefer_html = data[0] & 1;
	o.headers = (data[0] & 2) != 0;
	o.text_max = data[0] & 4 ? 200 : 0;
	o.fallback_charset = data[0] & 8 ? "windows-1252" : NULL;
	root = mail_mime_parse(msg, n, o.fallback_charset);
	check_tree(root);
	mail_text_sections(root, &o, &sections);
	check(sections.len == 0);	/* a parsed message holds all */
	mail_render(root, &o, &r);
	check_render(&r, o.text_max != 0 ? o.text_max : MAIL_RENDER_TEXT_MAX);
	mail_render_free(&r);
	mail_part_free(&root);
	ptrarray_free(&sections, free);
	fuzz_decoders(msg, n);
	return 0;
}

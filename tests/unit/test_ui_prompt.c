/*
 * The prompts' line editor: typing, moving, deleting by character and
 * word, cancelling, and refusing line breaks, NUL and other controls,
 * typed or pasted (BAD-INPUTS 27); completion by common prefix.
 */
#include "config.h"

#include <string.h>

#include "unit.h"
#include "ui_priv.h"

static void
type(struct prompt *p, const char *s)
{
	uint32_t	 cp;
	size_t		 n;

	while (*s != '\0') {
		n = utf8_decode(s, strlen(s), &cp);
		assert_int_equal(prompt_key(p, cp), PR_EDITING);
		s += n;
	}
}

static void
test_edit(void **state)
{
	struct prompt	 p;

	(void)state;
	prompt_init(&p, NULL);
	type(&p, "héllo wörld");
	assert_string_equal(buf_str(&p.text), "héllo wörld");
	assert_int_equal(prompt_key(&p, QKEY_BACKSPACE), PR_EDITING);
	assert_string_equal(buf_str(&p.text), "héllo wörl");
	prompt_key(&p, QKEY_LEFT);
	prompt_key(&p, QKEY_LEFT);
	prompt_key(&p, QKEY_LEFT);	/* before ö */
	prompt_key(&p, QKEY_BACKSPACE);
	assert_string_equal(buf_str(&p.text), "héllo örl");
	type(&p, "日本");
	assert_string_equal(buf_str(&p.text), "héllo 日本örl");
	prompt_key(&p, QKEY_DELETE);
	assert_string_equal(buf_str(&p.text), "héllo 日本rl");
	prompt_key(&p, QKEY_CTRL + 'w');
	assert_string_equal(buf_str(&p.text), "héllo rl");
	prompt_key(&p, QKEY_END);
	prompt_key(&p, QKEY_CTRL + 'w');
	assert_string_equal(buf_str(&p.text), "héllo ");
	prompt_key(&p, QKEY_CTRL + 'w');
	assert_string_equal(buf_str(&p.text), "");
	prompt_key(&p, QKEY_BACKSPACE);		/* nothing left: fine */
	type(&p, "abc def");
	prompt_key(&p, QKEY_LEFT);
	prompt_key(&p, QKEY_CTRL + 'u');
	assert_string_equal(buf_str(&p.text), "f");
	assert_int_equal(p.cursor, 0);
	assert_int_equal(prompt_key(&p, QKEY_ENTER), PR_DONE);
	assert_int_equal(prompt_key(&p, QKEY_ESC), PR_CANCEL);
	prompt_free(&p);
}

static void
test_refuses_controls(void **state)
{
	struct prompt	 p;

	(void)state;
	prompt_init(&p, "ab");
	assert_int_equal(prompt_key(&p, QKEY_CTRL + '@'), PR_REFUSED); /* NUL */
	assert_int_equal(prompt_key(&p, QKEY_CTRL + 'v'), PR_REFUSED);
	assert_int_equal(prompt_key(&p, 0), PR_REFUSED);
	assert_int_equal(prompt_key(&p, 0x9b), PR_REFUSED);	/* C1 CSI */
	assert_int_equal(prompt_key(&p, 0x7f), PR_REFUSED);
	assert_int_equal(prompt_key(&p, QKEY_F(2)), PR_REFUSED);
	assert_string_equal(buf_str(&p.text), "ab");
	/* A paste of "x\r\nLOGOUT": the line break is refused, not Enter. */
	prompt_key(&p, UIKEY_PASTE_START);
	assert_int_equal(prompt_key(&p, 'x'), PR_EDITING);
	assert_int_equal(prompt_key(&p, QKEY_ENTER), PR_REFUSED);
	assert_int_equal(prompt_key(&p, QKEY_ENTER), PR_REFUSED);
	assert_int_equal(prompt_key(&p, QKEY_ESC), PR_REFUSED);
	assert_int_equal(prompt_key(&p, QKEY_BACKSPACE), PR_REFUSED);
	type(&p, "LOGOUT");
	prompt_key(&p, UIKEY_PASTE_END);
	assert_string_equal(buf_str(&p.text), "abxLOGOUT");
	assert_false(str_has_crlfnul(p.text.data, p.text.len));
	/* After the paste, Enter is Enter again. */
	assert_int_equal(prompt_key(&p, QKEY_ENTER), PR_DONE);
	prompt_free(&p);
}

static void
test_complete(void **state)
{
	static const char *const names[] = {
		"INBOX", "Archive/2023", "Archive/2024", "Sent",
		"Brouillons/été", "Brouillons/étude", "Notes/é", "Notes/è",
	};
	struct prompt	 p;

	(void)state;
	prompt_init(&p, "Ar");
	assert_int_equal(prompt_complete(&p, names, nitems(names)), 2);
	assert_string_equal(buf_str(&p.text), "Archive/202");
	type(&p, "4");
	assert_int_equal(prompt_complete(&p, names, nitems(names)), 1);
	assert_string_equal(buf_str(&p.text), "Archive/2024");
	prompt_free(&p);
	/* The common prefix of "été" and "étude" is "ét", whole characters. */
	prompt_init(&p, "Br");
	assert_int_equal(prompt_complete(&p, names, nitems(names)), 2);
	assert_string_equal(buf_str(&p.text), "Brouillons/ét");
	assert_int_equal(p.cursor, p.text.len);
	prompt_free(&p);
	/* é and è share their first byte: never stop after it. */
	prompt_init(&p, "No");
	assert_int_equal(prompt_complete(&p, names, nitems(names)), 2);
	assert_string_equal(buf_str(&p.text), "Notes/");
	prompt_free(&p);
	prompt_init(&p, "Nope");
	assert_int_equal(prompt_complete(&p, names, nitems(names)), 0);
	assert_string_equal(buf_str(&p.text), "Nope");
	prompt_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_refuses_controls),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests_name("ui_prompt", tests, NULL, NULL);
}

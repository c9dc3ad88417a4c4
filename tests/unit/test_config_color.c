/*
 * Unit tests: colour elements, the default theme and color lines
 * (src/config/color.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quire/config.h"
#include "unit.h"

#define ACCT	"[account a]\nhost = h\nuser = u\npassword_cmd = x\n"

static struct config *
parse_color(const char *line)
{
	char		*text = xasprintf(ACCT "%s\n", line);
	struct config	*cfg = config_parse_string(text, "conf");

	free(text);
	return cfg;
}

static void
test_element_names(void **state)
{
	struct config	*cfg;
	char		*line;
	size_t		 e, f;

	(void)state;
	for (e = 0; e < CE_COUNT; e++) {
		for (f = 0; f < e; f++)
			assert_string_not_equal(config_color_elem_name(e),
			    config_color_elem_name(f));
		line = xasprintf("color %s underline 3 4",
		    config_color_elem_name(e));
		cfg = parse_color(line);
		assert_int_equal(cfg->nerrors, 0);
		for (f = 0; f < CE_COUNT; f++)
			assert_int_equal(cfg->color_set[f], f == e);
		assert_int_equal(cfg->colors[e].attrs, CA_UNDERLINE);
		assert_int_equal(cfg->colors[e].fg, 3);
		assert_int_equal(cfg->colors[e].bg, 4);
		config_free(&cfg);
		free(line);
	}
	assert_string_equal(config_color_elem_name(CE_INDEX_UNREAD),
	    "index.unread");
	assert_string_equal(config_color_elem_name(CE_STATUS_ERROR),
	    "status.error");
	assert_string_equal(config_color_elem_name(CE_PAGER_QUOTE1),
	    "pager.quote1");
	assert_string_equal(config_color_elem_name(CE_FOLDER_CURRENT),
	    "folder.current");
}

static void
test_values(void **state)
{
	static const struct {
		const char	*line;
		unsigned	 attrs;
		int		 fg, bg;
	} rows[] = {
		{ "color index bold yellow default", CA_BOLD, 3,
		  COLOR_DEFAULT },
		{ "color index none black white", 0, 0, 7 },
		{ "color index normal red green", 0, 1, 2 },
		{ "color index bold+underline blue magenta",
		  CA_BOLD | CA_UNDERLINE, 4, 5 },
		{ "color index reverse+dim+italic+blink+standout cyan default",
		  CA_REVERSE | CA_DIM | CA_ITALIC | CA_BLINK | CA_STANDOUT, 6,
		  COLOR_DEFAULT },
		{ "color index none brightblack brightwhite", 0, 8, 15 },
		{ "color index none brightred brightcyan", 0, 9, 14 },
		{ "color index none color0 color255", 0, 0, 255 },
		{ "color index none 17 232", 0, 17, 232 },
		{ "color index \"bold\" default default", CA_BOLD,
		  COLOR_DEFAULT, COLOR_DEFAULT },
	};
	struct config	*cfg;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		cfg = parse_color(rows[i].line);
		if (cfg->nerrors != 0)
			fail_msg("%s: %s", rows[i].line, cfg->errors[0].msg);
		assert_int_equal(cfg->colors[CE_INDEX].attrs,
		    rows[i].attrs);
		assert_int_equal(cfg->colors[CE_INDEX].fg,
		    rows[i].fg);
		assert_int_equal(cfg->colors[CE_INDEX].bg,
		    rows[i].bg);
		config_free(&cfg);
	}
}

static void
test_errors(void **state)
{
	static const struct {
		const char	*line;
		const char	*msg;
	} rows[] = {
		{ "color index bold red", "color takes an element, attributes, "
		  "a foreground and a background" },
		{ "color index bold red blue green", "color takes" },
		{ "color index.unred bold red default", "unknown element "
		  "'index.unred'; did you mean 'index.unread'?" },
		{ "color sidebar bold red default", "unknown element 'sidebar'; "
		  "quire.conf(5) lists the elements" },
		{ "color index heavy red default", "unknown attribute 'heavy'" },
		{ "color index bold+ red default", "unknown attribute ''" },
		{ "color index bold,underline red default",
		  "unknown attribute 'bold,underline'" },
		{ "color index bold purple default", "unknown colour 'purple'; "
		  "use default, a name such as red or brightred, or a number "
		  "from 0 to 255" },
		{ "color index bold red 256", "unknown colour '256'" },
		{ "color index bold red -1", "unknown colour '-1'" },
		{ "color index bold color256 default", "unknown colour "
		  "'color256'" },
		{ "color index bold brightpurple default",
		  "unknown colour 'brightpurple'" },
		{ "color index bold bright default", "unknown colour 'bright'" },
		{ "color index bold Red default", "unknown colour 'Red'" },
	};
	struct config	*cfg;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		cfg = parse_color(rows[i].line);
		assert_int_equal(cfg->nerrors, 1);
		assert_int_equal(cfg->errors[0].line, 5);
		if (strstr(cfg->errors[0].msg, rows[i].msg) == NULL)
			fail_msg("'%s' lacks '%s'", cfg->errors[0].msg,
			    rows[i].msg);
		/* A bad line changes nothing. */
		assert_false(cfg->color_set[CE_INDEX]);
		assert_int_equal(cfg->colors[CE_INDEX].attrs, 0);
		config_free(&cfg);
	}
}

/* The default theme: mostly the terminal's colours, with attributes. */
static void
test_default_theme(void **state)
{
	struct config	*cfg;
	const struct color *c;
	size_t		 e, coloured = 0;

	(void)state;
	cfg = parse_color("");
	c = cfg->colors;
	assert_int_equal(c[CE_NORMAL].fg, COLOR_DEFAULT);
	assert_int_equal(c[CE_NORMAL].bg, COLOR_DEFAULT);
	assert_int_equal(c[CE_NORMAL].attrs, 0);
	assert_true(c[CE_INDEX_UNREAD].attrs & CA_BOLD);
	assert_true(c[CE_FOLDER_UNREAD].attrs & CA_BOLD);
	assert_true(c[CE_INDEX_CURSOR].attrs & CA_REVERSE);
	assert_true(c[CE_STATUS].attrs & CA_REVERSE);
	assert_true(c[CE_INDEX_DELETED].attrs & CA_DIM);
	assert_int_not_equal(c[CE_INDEX_FLAGGED].fg, COLOR_DEFAULT);
	for (e = 0; e < CE_COUNT; e++) {
		/* No background is forced on the user's terminal. */
		assert_int_equal(c[e].bg, COLOR_DEFAULT);
		/* Yellow, blue, cyan and white read badly on one of the
		 * two backgrounds. */
		assert_true(c[e].fg == COLOR_DEFAULT || c[e].fg == 1 ||
		    c[e].fg == 2 || c[e].fg == 5);
		coloured += c[e].fg != COLOR_DEFAULT;
		assert_false(cfg->color_set[e]);
	}
	assert_true(coloured <= 5);
	config_free(&cfg);
}

/* The last color line for an element wins; lines go anywhere. */
static void
test_last_wins(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = config_parse_string("color border bold red default\n" ACCT
	    "color border dim blue default\n", "conf");
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->colors[CE_BORDER].attrs, CA_DIM);
	assert_int_equal(cfg->colors[CE_BORDER].fg, 4);
	assert_true(cfg->color_set[CE_BORDER]);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_element_names),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_default_theme),
		cmocka_unit_test(test_last_wins),
	};

	return cmocka_run_group_tests_name("config_color", tests, NULL, NULL);
}

/*
 * color: the screen elements, the default theme and color lines.
 *
 * Colours are kept as numbers and our own attribute bits, so this module
 * needs no curses; the UI turns them into colour pairs. The default theme
 * leaves the terminal's own colours alone nearly everywhere and leans on
 * attributes (bold, reverse, dim), so it reads on dark and light
 * backgrounds alike; the few colours it uses (red, green, magenta) read on
 * both.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

static const char *const elem_names[CE_COUNT] = {
	[CE_NORMAL] = "normal",
	[CE_STATUS] = "status",
	[CE_STATUS_ERROR] = "status.error",
	[CE_FOLDER] = "folder",
	[CE_FOLDER_UNREAD] = "folder.unread",
	[CE_FOLDER_CURRENT] = "folder.current",
	[CE_INDEX] = "index",
	[CE_INDEX_UNREAD] = "index.unread",
	[CE_INDEX_FLAGGED] = "index.flagged",
	[CE_INDEX_DELETED] = "index.deleted",
	[CE_INDEX_CURSOR] = "index.cursor",
	[CE_PAGER] = "pager",
	[CE_PAGER_HEADER] = "pager.header",
	[CE_PAGER_QUOTE1] = "pager.quote1",
	[CE_PAGER_QUOTE2] = "pager.quote2",
	[CE_PAGER_QUOTE3] = "pager.quote3",
	[CE_PAGER_URL] = "pager.url",
	[CE_PAGER_MATCH] = "pager.match",
	[CE_PAGER_MARKER] = "pager.marker",
	[CE_PROMPT] = "prompt",
	[CE_BORDER] = "border",
};

static const struct {
	const char	*name;
	unsigned	 bit;
} attr_names[] = {
	{ "none", 0 }, { "normal", 0 }, { "bold", CA_BOLD },
	{ "underline", CA_UNDERLINE }, { "reverse", CA_REVERSE },
	{ "dim", CA_DIM }, { "italic", CA_ITALIC }, { "blink", CA_BLINK },
	{ "standout", CA_STANDOUT },
};

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

#define D	COLOR_DEFAULT
static const struct color theme[CE_COUNT] = {
	[CE_NORMAL] = { 0, D, D },
	[CE_STATUS] = { CA_REVERSE, D, D },
	[CE_STATUS_ERROR] = { CA_BOLD | CA_REVERSE, 1, D },
	[CE_FOLDER] = { 0, D, D },
	[CE_FOLDER_UNREAD] = { CA_BOLD, D, D },
	[CE_FOLDER_CURRENT] = { CA_REVERSE, D, D },
	[CE_INDEX] = { 0, D, D },
	[CE_INDEX_UNREAD] = { CA_BOLD, D, D },
	[CE_INDEX_FLAGGED] = { 0, 1, D },
	[CE_INDEX_DELETED] = { CA_DIM, D, D },
	[CE_INDEX_CURSOR] = { CA_REVERSE, D, D },
	[CE_PAGER] = { 0, D, D },
	[CE_PAGER_HEADER] = { CA_BOLD, D, D },
	[CE_PAGER_QUOTE1] = { 0, 2, D },
	[CE_PAGER_QUOTE2] = { 0, 5, D },
	[CE_PAGER_QUOTE3] = { CA_DIM, D, D },
	[CE_PAGER_URL] = { CA_UNDERLINE, D, D },
	[CE_PAGER_MATCH] = { CA_REVERSE, D, D },
	[CE_PAGER_MARKER] = { CA_DIM, D, D },
	[CE_PROMPT] = { CA_BOLD, D, D },
	[CE_BORDER] = { 0, D, D },
};
#undef D

/* The element's name as color lines write it. */
const char *
config_color_elem_name(enum color_elem e)
{
	return e < CE_COUNT ? elem_names[e] : "?";
}

/* The default theme. */
void
color_defaults(struct color *colors)
{
	memcpy(colors, theme, sizeof theme);
}

static const char *
elem_name_at(size_t i)
{
	return elem_names[i];
}

/* "bold+underline"; none and normal mean no attribute. */
static int
parse_attrs(const char *s, unsigned *attrs, char **err)
{
	char	*copy = xstrdup(s), *rest = copy, *w;
	size_t	 i;

	*attrs = 0;
	while ((w = strsep(&rest, "+")) != NULL) {
		for (i = 0; i < nitems(attr_names); i++) {
			if (strcmp(w, attr_names[i].name) == 0)
				break;
		}
		if (i == nitems(attr_names)) {
			*err = xasprintf("unknown attribute '%s'; use none, or "
			    "bold, underline, reverse, dim, italic, blink and "
			    "standout joined with +", w);
			free(copy);
			return -1;
		}
		*attrs |= attr_names[i].bit;
	}
	free(copy);
	return 0;
}

/* default, a name, bright + a name, colorN or N (0-255). */
static int
parse_color(const char *s, int *out, char **err)
{
	const char	*name = s, *orig = s;
	long		 n;
	int		 i, bright = 0;

	if (strcmp(s, "default") == 0) {
		*out = COLOR_DEFAULT;
		return 0;
	}
	if (str_has_prefix(s, "bright")) {
		name += strlen("bright");
		bright = 8;
	}
	for (i = 0; i < 8; i++) {
		if (strcmp(name, color_names[i]) == 0) {
			*out = bright + i;
			return 0;
		}
	}
	if (str_has_prefix(s, "color"))
		s += strlen("color");
	if (str_to_long(s, 0, 255, &n)) {
		*out = (int)n;
		return 0;
	}
	*err = xasprintf("unknown colour '%s'; use default, a name such as red "
	    "or brightred, or a number from 0 to 255", orig);
	return -1;
}

/* The words after "color": ELEMENT ATTRS FG BG. */
int
color_parse(struct config *cfg, char **words, size_t n, char **err)
{
	const char	*near;
	struct color	 c;
	size_t		 e;

	if (n != 4) {
		*err = xstrdup("color takes an element, attributes, a "
		    "foreground and a background, such as: color index.unread "
		    "bold yellow default");
		return -1;
	}
	for (e = 0; e < CE_COUNT; e++) {
		if (strcmp(words[0], elem_names[e]) == 0)
			break;
	}
	if (e == CE_COUNT) {
		near = config_closest(words[0], elem_name_at, CE_COUNT);
		*err = near != NULL ? xasprintf("unknown element '%s'; did you "
		    "mean '%s'?", words[0], near) : xasprintf("unknown element "
		    "'%s'; quire.conf(5) lists the elements", words[0]);
		return -1;
	}
	if (parse_attrs(words[1], &c.attrs, err) != 0 ||
	    parse_color(words[2], &c.fg, err) != 0 ||
	    parse_color(words[3], &c.bg, err) != 0)
		return -1;
	cfg->colors[e] = c;
	cfg->color_set[e] = true;
	return 0;
}

/*
 * config_priv: what the files of the config module share and nobody else
 * needs: the error list, the value parsers of the options table, the bind
 * and color line parsers, and the "did you mean" helper.
 */
#ifndef QUIRE_CONFIG_PRIV_H
#define QUIRE_CONFIG_PRIV_H

#include "quire/config.h"

/* Longest line, and largest file, the parser reads. */
#define CONFIG_MAX_LINE		4096
#define CONFIG_MAX_FILE		(1024 * 1024)
/* Most words a bind or color line has. */
#define CONFIG_MAX_WORDS	8

/* config.c */
/* Append an error; line 0 means the file as a whole. */
void config_add_error(struct config *cfg, const char *file, int line,
    const char *fmt, ...) QUIRE_PRINTF(4, 5);
/* The "no account" sentence shared by config_account and the report. */
char *config_no_account_msg(const struct config *cfg);

/* options.c */
/* Set every option of the scope to its default. */
void opt_defaults(enum opt_scope scope, void *base);
/* Parse value into the option's field of base (struct options or struct
 * account). Returns 0, or -1 with *err ("what is wrong; what to do"). */
int opt_set(const struct opt_def *d, void *base, const char *value,
    char **err);
/* Free the strings the options of the scope own in base. */
void opt_free(enum opt_scope scope, void *base);
/* Index of d in the table. */
size_t opt_index(const struct opt_def *d);
/* Parse a boolean as the file writes it. */
bool opt_parse_bool(const char *s, bool *out);

/* keys.c */
/* Parse the words after "bind" and add the bindings to cfg. */
int keys_parse_bind(struct config *cfg, char **words, size_t n, char **err);

/* color.c */
/* The default theme. */
void color_defaults(struct color *colors);
/* Parse the words after "color" and set the element in cfg. */
int color_parse(struct config *cfg, char **words, size_t n, char **err);

/* The candidate closest to word by edit distance, or NULL if none is close
 * enough to be a likely typo. name(i) gives candidate i of n. */
const char *config_closest(const char *word, const char *(*name)(size_t),
    size_t n);

#endif

# mail: summaries, flags, query language, MIME, RFC 2047, modified UTF-7.
noinst_LIBRARIES += src/mail/libmail.a
src_mail_libmail_a_SOURCES = \
	src/mail/summary.c \
	src/mail/mutf7.c \
	src/mail/rfc2047.c \
	src/mail/charset.c
# MIME: the tree, rendering, decoding, HTML, attachment names.
src_mail_libmail_a_SOURCES += \
	src/mail/mime.c \
	src/mail/mimeparse.c \
	src/mail/mimehdr.c \
	src/mail/params.c \
	src/mail/decode.c \
	src/mail/text.c \
	src/mail/flowed.c \
	src/mail/render.c \
	src/mail/html.c \
	src/mail/filename.c
noinst_HEADERS += src/mail/mime_priv.h
# The search query language: parser, raw IMAP keys, criteria, offline match.
src_mail_libmail_a_SOURCES += \
	src/mail/query.c \
	src/mail/query_raw.c \
	src/mail/query_imap.c \
	src/mail/query_match.c
noinst_HEADERS += src/mail/query_priv.h

# net: the wire under libetpan: socket, TLS, guards, trace.
noinst_LIBRARIES += src/net/libnet.a
src_net_libnet_a_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
src_net_libnet_a_SOURCES = \
	src/net/frame.c \
	src/net/net_priv.h \
	src/net/sock.c \
	src/net/tls.c \
	src/net/trace.c \
	src/net/wire.c

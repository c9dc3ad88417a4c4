# The soak test (issue 9): `make soak`, not part of `make check`.
# quire stays open on a folder while another client changes it and the
# connection is cut every minute; see the top of tests/soak/soak.sh.
# `make soak SOAK_SECONDS=120` tries it short (the other client's counts
# scale with it). The TAP output is also kept in tests/soak/soak.log;
# make fails when a case fails.
SOAK_SECONDS ?= 600
EXTRA_DIST += tests/soak/soak.sh

soak: quire tests/fake/faultproxy tests/fixture/genmail
	@mkdir -p tests/soak
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    QUIRE_BIN='$(abs_top_builddir)/quire' \
	    SOAK_SECONDS='$(SOAK_SECONDS)' LC_ALL=C.UTF-8 \
	    bash -o pipefail -c 'bash "$$0" 2>&1 | tee tests/soak/soak.log' \
	    $(srcdir)/tests/soak/soak.sh && \
	    ! grep -q '^not ok\|^Bail out!' tests/soak/soak.log
CLEANFILES += tests/soak/soak.log
.PHONY: soak

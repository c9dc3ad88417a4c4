# The soak test (issue 9): `make soak`, not part of `make check`.

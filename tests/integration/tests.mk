# Integration tests against the Dovecot fixture.

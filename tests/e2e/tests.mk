# End-to-end tests: the real binary in a private tmux.

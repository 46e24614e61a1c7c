# Installs the Debian packages the build needs, once, on a fresh machine.
# Every part that needs a package adds it to DEPS_PACKAGES; `make deps` is a
# prerequisite of `make test`, `make run` and `make bench`.

# The host build itself: compiler, libc headers, binutils (ASan/UBSan
# runtimes come with gcc).
DEPS_PACKAGES := gcc libc6-dev binutils make

.PHONY: deps
deps:
	@tools/install-deps $(sort $(DEPS_PACKAGES))

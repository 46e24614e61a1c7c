# Installs the Debian packages the build needs, once, on a fresh machine.
# Every part that needs a package adds it to DEPS_PACKAGES; `make deps` is a
# prerequisite of `make test`, `make run` and `make bench`.

DEPS_PACKAGES :=

.PHONY: deps
deps:
	@tools/install-deps $(sort $(DEPS_PACKAGES))

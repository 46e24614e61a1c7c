# Shared settings: output dirs, quiet output, warning set for the library.

BUILD   := build
RESULTS := $(BUILD)/results

ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# The library's flag sets live in mk/lib-flags.txt, shared with rust/build.rs
# and CMakeLists.txt: warnings (DESIGN.md, no exceptions in src/) and
# freestanding (no libc, no builtins turned into libc calls).
lib_flags = $(shell sed -n 's/^$(1)[[:space:]][[:space:]]*//p' mk/lib-flags.txt)
LIB_WARN         := $(call lib_flags,warn)
LIB_FREESTANDING := $(call lib_flags,freestanding)
LIB_SRCS := $(wildcard src/*.c)
# Opt-in objects, not part of the archive: a program links them by name,
# e.g. build/<core>/opt/lock_irq.o for the interrupt-mask lock, or
# build/<core>/opt/lock_none.o to say "no lock needed". The host gets the
# ones that make sense there (no interrupt mask to take).
OPT_SRCS := $(wildcard src/opt/*.c)
OPT_SRCS_HOST := $(filter-out src/opt/lock_irq.c,$(OPT_SRCS))

# Tests get the plain warning set; they cast a lot on purpose.
TEST_WARN := -Wall -Wextra -Werror

TEST_SUITES :=

# Test sources that only make sense on the host (kept out of QEMU images).
TESTS_HOST_ONLY_SRCS := tests/test_default_bump.c tests/test_default_empty.c

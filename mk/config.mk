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

# Test suites. A suite is a make target that prints one TAP stream on
# stdout: a plan line "1..N" (first, so a run that dies part-way shows as a
# plan mismatch), then "ok N - name" / "not ok N - name" per test, anything
# else being commentary ("# " lines for diagnostics), and whose exit status
# is non-zero on any failure. Its last line is its own "N passed, N failed".
# To add one, define the target and register it:
#     TEST_SUITES += my-suite
# `make test` runs every registered suite, in order, under TAP::Harness
# (tools/tap-harness), keeps each one's output in $(RESULTS)/<suite>.log and
# ends with "N passed, N failed" over all test points. $(call tap_run,SUITES)
# runs any list of suites the same way (qemu-test-all, rust-test use it).
TEST_SUITES :=
tap_run = MAKE='$(MAKE)' RESULTS='$(RESULTS)' tools/tap-harness $(1)
# FORCE_FAIL=1 (any non-empty value) adds a failing test to every suite
# family; builds that differ with it live in directories with this suffix,
# so switching it always rebuilds.
FF_SUFFIX := $(if $(FORCE_FAIL),-forcefail)

comma := ,

# Test sources that only make sense on the host (kept out of QEMU images).
TESTS_HOST_ONLY_SRCS := tests/test_default_bump.c tests/test_default_empty.c

# Host test runner: the library sources plus tests/*.c and the host glue,
# built several ways: plain (fast, -O1), under ASan/UBSan, with the default
# heap on the bump backend, and over an empty linker region (the last two
# with their own short test lists). The malloc family is renamed with
# FH_MALLOC_PREFIX so the host's own malloc stays in charge.

# Test files that need a runner of their own (their own list, heap, backend).
HOST_OWN_RUNNER_SRCS := tests/test_default_bump.c tests/test_default_empty.c
HOST_TEST_SRCS := $(LIB_SRCS) $(filter-out $(HOST_OWN_RUNNER_SRCS),$(wildcard tests/*.c)) \
                  $(wildcard tests/host/*.c)
# Such a runner: the library, the harness, its own tests and the host glue.
host_own_runner_srcs = $(LIB_SRCS) tests/runner.c tests/testutil.c $(1) $(wildcard tests/host/*.c)
SRCS_bump-test        := $(call host_own_runner_srcs,tests/test_default_bump.c)
SRCS_empty-heap-test  := $(call host_own_runner_srcs,tests/test_default_empty.c)
HOST_TEST_DEFS := -DTH_HOST -DFH_MALLOC_PREFIX=fh_test_ -Itests -Iinclude -Isrc
# The default heap over the glue's array, at an odd base with an odd size.
HOST_HEAP_SYMS := -Wl,--defsym=__heap_start=host_default_heap+3 \
                  -Wl,--defsym=__heap_end=host_default_heap+3+262139
# A linker script that leaves the default heap nothing.
HEAP_SYMS_empty-heap-test := -Wl,--defsym=__heap_start=host_default_heap+3 \
                             -Wl,--defsym=__heap_end=host_default_heap+3
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# $(call host_test_rules,NAME,CFLAGS): objects and runner in build/NAME$(FF_SUFFIX)/
define host_test_rules
$(BUILD)/$(1)$(FF_SUFFIX)/%.o: %.c $(wildcard include/*.h src/*.h tests/*.h tests/host/*.h)
	$$(call say,CC,$(1)/$$<)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(HOST_CC) -std=c11 -g $(2) $(HOST_TEST_DEFS) \
	    $$(if $$(filter src/%,$$<),$(LIB_WARN),$(TEST_WARN)) \
	    $(if $(FORCE_FAIL),-DTH_FORCE_FAIL) -c $$< -o $$@

$(BUILD)/$(1)$(FF_SUFFIX)/runner: $(patsubst %.c,$(BUILD)/$(1)$(FF_SUFFIX)/%.o,$(or $(SRCS_$(1)),$(HOST_TEST_SRCS)))
	$$(call say,LD,$$@)
	$(Q)$(HOST_CC) $(2) $$^ -o $$@ $(or $(HEAP_SYMS_$(1)),$(HOST_HEAP_SYMS))
endef
$(eval $(call host_test_rules,host-test,-O1))
$(eval $(call host_test_rules,bump-test,-O1 -DFH_BACKEND_BUMP=1 -DTH_TEST_LIST='"test_list_bump.h"'))
$(eval $(call host_test_rules,asan-test,-O1 $(SAN_FLAGS)))
$(eval $(call host_test_rules,empty-heap-test,-O1 -DTH_TEST_LIST='"test_list_empty.h"'))
# FH_HARDEN=1 (src/harden.h): every test again, plus the hardening tests.
$(eval $(call host_test_rules,harden-test,-O1 -DFH_HARDEN=1))

.PHONY: host-test asan-test bump-test empty-heap-test harden-test
# Each prints the runner's TAP stream (a suite, see mk/config.mk).
host-test: $(BUILD)/host-test$(FF_SUFFIX)/runner
	@$<
asan-test: $(BUILD)/asan-test$(FF_SUFFIX)/runner
	@ASAN_OPTIONS=detect_leaks=0 $<
bump-test: $(BUILD)/bump-test$(FF_SUFFIX)/runner
	@$<
empty-heap-test: $(BUILD)/empty-heap-test$(FF_SUFFIX)/runner
	@$<
harden-test: $(BUILD)/harden-test$(FF_SUFFIX)/runner
	@$<

TEST_SUITES += host-test asan-test bump-test empty-heap-test harden-test

# Host test runner: the library sources plus tests/*.c and the host glue,
# built several ways (HOST_VARIANTS, each a suite): plain (fast, -O1), under
# ASan/UBSan, with the default heap on the bump backend, over an empty
# linker region (those two with their own short test lists), hardened
# (FH_HARDEN=1), and the library alone at -O2, at -Os (the size build:
# FH_SPEED off) and at -O2 with the hardware bit-scan forced off (the
# table-based paths the cores without clz/ctz take). The malloc family is
# renamed with FH_MALLOC_PREFIX so the host's own malloc stays in charge.

# Test files that need a runner of their own (their own list, heap, backend).
HOST_OWN_RUNNER_SRCS := tests/test_default_bump.c tests/test_default_empty.c
HOST_TEST_SRCS := $(LIB_SRCS) $(filter-out $(HOST_OWN_RUNNER_SRCS),$(wildcard tests/*.c)) \
                  $(wildcard tests/host/*.c)
# Such a runner: the library, the harness, its own tests and the host glue.
host_own_runner_srcs = $(LIB_SRCS) tests/runner.c tests/testutil.c $(1) $(wildcard tests/host/*.c)
HOST_TEST_DEFS := -DTH_HOST -DFH_MALLOC_PREFIX=fh_test_ -Itests -Iinclude -Isrc
# The default heap over the glue's array, at an odd base with an odd size.
HOST_HEAP_SYMS := -Wl,--defsym=__heap_start=host_default_heap+3 \
                  -Wl,--defsym=__heap_end=host_default_heap+3+262139
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The variants: CFLAGS for every object and the link, LIB for src/ only
# (after CFLAGS, so it wins), SRCS (default HOST_TEST_SRCS), HEAP_SYMS
# (default HOST_HEAP_SYMS), ENV for the run.
HOST_VARIANTS := host-test asan-test bump-test empty-heap-test harden-test \
                 host-test-O2 host-test-Os host-test-nobitscan
HV_host-test_CFLAGS := -O1
HV_asan-test_CFLAGS := -O1 $(SAN_FLAGS)
HV_asan-test_ENV    := ASAN_OPTIONS=detect_leaks=0
HV_bump-test_CFLAGS := -O1 -DFH_BACKEND_BUMP=1 -DTH_TEST_LIST='"test_list_bump.h"'
HV_bump-test_SRCS   := $(call host_own_runner_srcs,tests/test_default_bump.c)
HV_empty-heap-test_CFLAGS := -O1 -DTH_TEST_LIST='"test_list_empty.h"'
HV_empty-heap-test_SRCS   := $(call host_own_runner_srcs,tests/test_default_empty.c)
# A linker script that leaves the default heap nothing.
HV_empty-heap-test_HEAP_SYMS := -Wl,--defsym=__heap_start=host_default_heap+3 \
                                -Wl,--defsym=__heap_end=host_default_heap+3
# FH_HARDEN=1 (src/harden.h): every test again, plus the hardening tests.
HV_harden-test_CFLAGS := -O1 -DFH_HARDEN=1
HV_host-test-O2_CFLAGS := -O1
HV_host-test-O2_LIB    := -O2
HV_host-test-Os_CFLAGS := -O1
HV_host-test-Os_LIB    := -Os
HV_host-test-nobitscan_CFLAGS := -O1
HV_host-test-nobitscan_LIB    := -O2 -DFH_HW_BITSCAN=0

# $(call host_test_rules,NAME): objects and runner in build/NAME$(FF_SUFFIX)/,
# and the target NAME, which prints the runner's TAP stream (mk/config.mk).
define host_test_rules
$(BUILD)/$(1)$(FF_SUFFIX)/%.o: %.c $(wildcard include/*.h src/*.h tests/*.h tests/host/*.h)
	$$(call say,CC,$(1)/$$<)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(HOST_CC) -std=c11 -g $(HV_$(1)_CFLAGS) $(HOST_TEST_DEFS) \
	    $$(if $$(filter src/%,$$<),$(LIB_WARN) $(HV_$(1)_LIB),$(TEST_WARN)) \
	    $(if $(FORCE_FAIL),-DTH_FORCE_FAIL) -c $$< -o $$@

$(BUILD)/$(1)$(FF_SUFFIX)/runner: $(patsubst %.c,$(BUILD)/$(1)$(FF_SUFFIX)/%.o,$(or $(HV_$(1)_SRCS),$(HOST_TEST_SRCS)))
	$$(call say,LD,$$@)
	$(Q)$(HOST_CC) $(HV_$(1)_CFLAGS) $$^ -o $$@ $(or $(HV_$(1)_HEAP_SYMS),$(HOST_HEAP_SYMS))

.PHONY: $(1)
$(1): $(BUILD)/$(1)$(FF_SUFFIX)/runner
	@$(HV_$(1)_ENV) $$<
endef
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_test_rules,$(v))))

TEST_SUITES += $(HOST_VARIANTS)

# The speed build, the size build and the table bit-scan make the same
# decisions: one seeded sequence through each (--walk-trace), listings
# compared with the -O1 build's (tools/variant-walk).
WALK_VARIANTS := host-test-O2 host-test-Os host-test-nobitscan
.PHONY: variant-walk-test
variant-walk-test: $(BUILD)/host-test$(FF_SUFFIX)/runner $(foreach v,$(WALK_VARIANTS),$(BUILD)/$(v)$(FF_SUFFIX)/runner)
	@FORCE_FAIL='$(FORCE_FAIL)' tools/variant-walk $(BUILD)/variant-walk $^
TEST_SUITES += variant-walk-test

# Coverage of src/ by the tests alone (gcov through gcovr, both Debian's):
# the host test variants of mk/host-tests.mk built again with --coverage
# (the library at -O1, at -Os, without bit-scan instructions, on the bump
# backend: each compiles other paths of src/),
# plus every fuzz target replaying its seed corpus (tests/fuzz/replay_main.c:
# the same targets, built by gcc without libFuzzer). tools/coverage-check
# merges them line by line.
#
#   make coverage   suite: runs them, prints line and branch coverage per
#                   file of src/, and fails below COVERAGE_LINES % of lines
#                   or COVERAGE_BRANCHES % of branches (src/ as a whole);
#                   HTML per build in build/coverage/<build>/index.html

DEPS_PACKAGES += gcovr

COVERAGE_LINES    := 95
COVERAGE_BRANCHES := 90
COV_OUT := $(BUILD)/coverage$(FF_SUFFIX)

# A --coverage twin of each host variant, built by the same rules (not a
# suite of its own): a variant someone adds is measured too. Left out: the
# sanitizer build, and -O2, which compiles the same paths as -O1.
COV_HOST_VARIANTS := $(filter-out asan-test host-test-O2,$(HOST_VARIANTS))
COV_HOST_BUILDS := $(addprefix cov-,$(COV_HOST_VARIANTS))
$(foreach v,$(COV_HOST_VARIANTS),\
  $(eval HV_cov-$(v)_CFLAGS := $(HV_$(v)_CFLAGS) --coverage)\
  $(foreach k,LIB SRCS HEAP_SYMS ENV,$(eval HV_cov-$(v)_$(k) := $(HV_$(v)_$(k))))\
  $(eval $(call host_test_rules,cov-$(v))))

# The fuzz targets' corpus replay, by gcc.
COV_FUZZ_DIR := $(BUILD)/cov-fuzz$(FF_SUFFIX)
COV_FUZZ_DEFS := -DFH_MALLOC_PREFIX=fh_fuzz_ $(if $(FORCE_FAIL),-DFZ_FORCE_FAIL)

$(COV_FUZZ_DIR)/lib/%.o: src/%.c $(FUZZ_HDRS)
	$(call say,CC,cov-fuzz/$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=c11 -g -O1 --coverage $(LIB_WARN) $(COV_FUZZ_DEFS) -Iinclude -c $< -o $@

$(COV_FUZZ_DIR)/libfirmheap.a: $(patsubst src/%.c,$(COV_FUZZ_DIR)/lib/%.o,$(LIB_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(COV_FUZZ_DIR)/obj/%.o: tests/fuzz/%.c $(FUZZ_HDRS)
	$(call say,CC,cov-fuzz/$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=c11 -g -O1 -D_DEFAULT_SOURCE $(TEST_WARN) $(COV_FUZZ_DEFS) $(FUZZ_INC) -c $< -o $@

$(COV_FUZZ_DIR)/replay-%: $(COV_FUZZ_DIR)/obj/replay_main.o $(COV_FUZZ_DIR)/obj/fuzz.o \
                          $(COV_FUZZ_DIR)/obj/fuzz_%.o $(COV_FUZZ_DIR)/libfirmheap.a
	$(call say,LD,$@)
	$(Q)$(HOST_CC) --coverage $^ -o $@

# Intermediate objects make would delete: keep them (and their .gcno).
.SECONDARY: $(patsubst %,$(COV_FUZZ_DIR)/obj/%.o,replay_main fuzz $(addprefix fuzz_,$(FUZZ_TARGETS)))

COV_CONFIGS := $(foreach v,$(COV_HOST_BUILDS),'config:$(BUILD)/$(v)$(FF_SUFFIX)') 'config:$(COV_FUZZ_DIR)'
COV_RUNS := $(foreach v,$(COV_HOST_BUILDS),'run:$(HV_$(v)_ENV) $(BUILD)/$(v)$(FF_SUFFIX)/runner') \
            $(foreach t,$(FUZZ_TARGETS),'run:$(COV_FUZZ_DIR)/replay-$(t) tests/fuzz/corpus/$(t)')

.PHONY: coverage
TEST_SUITES += coverage
coverage: $(foreach v,$(COV_HOST_BUILDS),$(BUILD)/$(v)$(FF_SUFFIX)/runner) \
          $(foreach t,$(FUZZ_TARGETS),$(COV_FUZZ_DIR)/replay-$(t))
	$(Q)tools/coverage-check $(COVERAGE_LINES) $(COVERAGE_BRANCHES) $(COV_OUT) $(COV_CONFIGS) $(COV_RUNS)

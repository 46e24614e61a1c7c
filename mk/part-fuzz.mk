# libFuzzer targets (tests/fuzz/): the library and the targets built with
# Debian's clang under ASan+UBSan, the library with -fsanitize=fuzzer-no-link
# so the fuzzer sees its branches. The targets are data (FUZZ_TARGETS); each
# is tests/fuzz/fuzz_<target>.c over the shared model tests/fuzz/fuzz.c.
#
#   make fuzz [FUZZ_SECONDS=N]   fuzz every target N seconds (default 60);
#                                new inputs go to build/fuzz/work-<target>,
#                                crashes to build/fuzz/artifacts-<target>/
#   fuzz-<target>                suite: replay tests/fuzz/corpus/<target>/,
#                                then fuzz FUZZ_RUN_SECONDS (default 3)
#   fuzz-selftest                suite: each broken build (FUZZ_BROKEN) must
#                                be caught by its target
#   fuzz-harden-<target>         suite: the same over FH_HARDEN=1, for the
#                                targets on the default heap (the layer it
#                                hardens); the model knows what changes
#
# FUZZ_LIB_CFLAGS adds flags to the library alone (a variant such as the
# hardened build: FUZZ_LIB_CFLAGS=-DFH_HARDEN=1); FUZZ_CFLAGS to everything.
# Each set of flags builds in its own directory.

DEPS_PACKAGES += clang libclang-rt-14-dev

FUZZ_CC      ?= clang
FUZZ_TARGETS := instance bump malloc regions
FUZZ_SECONDS ?= 60
FUZZ_RUN_SECONDS ?= 3
FUZZ_LIB_CFLAGS ?=
FUZZ_CFLAGS ?=

# One directory per flag set: the flags, squeezed into a name.
fuzz_tag = $(subst =,,$(subst -,,$(subst $(eval) ,_,$(strip $(1)))))
FUZZ_DIR := $(BUILD)/fuzz$(FF_SUFFIX)$(if $(strip $(FUZZ_LIB_CFLAGS) $(FUZZ_CFLAGS)),-$(call fuzz_tag,$(FUZZ_LIB_CFLAGS) $(FUZZ_CFLAGS)))
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_DEFS := -DFH_MALLOC_PREFIX=fh_fuzz_ $(if $(FORCE_FAIL),-DFZ_FORCE_FAIL) $(FUZZ_CFLAGS)
FUZZ_INC  := -Iinclude -Isrc -Itests/fuzz
FUZZ_HDRS := $(wildcard include/*.h src/*.h tests/fuzz/*.h)

# Broken builds for the self-test: name -> target, wrapped symbol; the shim
# is tests/fuzz/broken/<name>.c (never in src/: linked with --wrap only).
FUZZ_BROKEN := overlap_alloc double_free bump_overlap skip_free usable_lie
FUZZ_BROKEN_overlap_alloc := instance fh_alloc
FUZZ_BROKEN_double_free   := instance fh_free
FUZZ_BROKEN_bump_overlap  := bump fh_bump_alloc
FUZZ_BROKEN_skip_free     := malloc fh_default_free
FUZZ_BROKEN_usable_lie    := regions fh_default_usable_size

$(FUZZ_DIR)/lib/%.o: src/%.c $(FUZZ_HDRS)
	$(call say,CC,fuzz/$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -std=c11 -g -O1 $(LIB_WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    $(FUZZ_DEFS) $(FUZZ_LIB_CFLAGS) -Iinclude -c $< -o $@

$(FUZZ_DIR)/libfirmheap.a: $(patsubst src/%.c,$(FUZZ_DIR)/lib/%.o,$(LIB_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/obj/%.o: tests/fuzz/%.c $(FUZZ_HDRS)
	$(call say,CC,fuzz/$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -std=c11 -g -O1 $(TEST_WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    $(FUZZ_DEFS) $(FUZZ_INC) -c $< -o $@

# $(call fuzz_link,OUT,TARGET,EXTRA OBJECTS AND FLAGS)
fuzz_link = $(FUZZ_CC) -g $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_DIR)/obj/fuzz.o \
            $(FUZZ_DIR)/obj/fuzz_$(2).o $(3) $(FUZZ_DIR)/libfirmheap.a -o $(1)

define fuzz_target_rules
$(FUZZ_DIR)/fuzz-$(1): $(FUZZ_DIR)/obj/fuzz.o $(FUZZ_DIR)/obj/fuzz_$(1).o $(FUZZ_DIR)/libfirmheap.a
	$$(call say,LD,$$@)
	$(Q)$$(call fuzz_link,$$@,$(1))

.PHONY: fuzz-$(1)
fuzz-$(1): $(FUZZ_DIR)/fuzz-$(1)
	$(Q)tools/fuzz-check $(1) $$< tests/fuzz/corpus/$(1) $(FUZZ_DIR) $$(FUZZ_RUN_SECONDS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target_rules,$(t))))

define fuzz_broken_rules
$(FUZZ_DIR)/broken-$(1): $(FUZZ_DIR)/obj/fuzz.o $(FUZZ_DIR)/obj/fuzz_$(word 1,$(FUZZ_BROKEN_$(1))).o \
                         $(FUZZ_DIR)/obj/broken/$(1).o $(FUZZ_DIR)/libfirmheap.a
	$$(call say,LD,$$@)
	$(Q)$$(call fuzz_link,$$@,$(word 1,$(FUZZ_BROKEN_$(1))),$(FUZZ_DIR)/obj/broken/$(1).o \
	    -Wl$$(comma)--wrap=$(word 2,$(FUZZ_BROKEN_$(1))))
endef
$(foreach b,$(FUZZ_BROKEN),$(eval $(call fuzz_broken_rules,$(b))))

# The hardened build: harness and library both see FH_HARDEN=1 (FUZZ_CFLAGS).
FUZZ_HARDEN_TARGETS := malloc regions
FUZZ_HARDEN_SUITES  := $(addprefix fuzz-harden-,$(FUZZ_HARDEN_TARGETS))
.PHONY: $(FUZZ_HARDEN_SUITES)
$(FUZZ_HARDEN_SUITES): fuzz-harden-%:
	+$(Q)$(MAKE) --no-print-directory fuzz-$* FUZZ_CFLAGS='$(FUZZ_CFLAGS) -DFH_HARDEN=1'

FUZZ_SUITES := $(addprefix fuzz-,$(FUZZ_TARGETS)) $(FUZZ_HARDEN_SUITES) fuzz-selftest
TEST_SUITES += $(FUZZ_SUITES)

.PHONY: fuzz fuzz-selftest
fuzz-selftest: $(foreach b,$(FUZZ_BROKEN),$(FUZZ_DIR)/broken-$(b))
	$(Q)tools/fuzz-selftest $(FUZZ_DIR) $(foreach b,$(FUZZ_BROKEN),$(b):$(word 1,$(FUZZ_BROKEN_$(b))))

fuzz:
	+@FUZZ_RUN_SECONDS=$(FUZZ_SECONDS) $(call tap_run,$(addprefix fuzz-,$(FUZZ_TARGETS)) $(FUZZ_HARDEN_SUITES))

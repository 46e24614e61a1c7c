# The library: host build plus one cross build per core. Cores are data in
# mk/cores.txt (compiler, Rust targets, CPU flags), the one table that
# rust/build.rs and CMake read too; boards pick a core in boards/<name>/board.mk.

HOST_CC     ?= cc
# The host archive renames the malloc family (fh_host_malloc, ...): linked into
# a host program it must not take over libc's malloc.
HOST_CFLAGS := -std=c11 -O2 -g $(LIB_WARN) -Iinclude -DFH_MALLOC_PREFIX=fh_host_

include mk/cores.mk
# Cores `make cross` must always build: all of them.
CROSS_CHECKED := $(CORES)

CROSS_CFLAGS = $(call lib_flags,cross) $(LIB_WARN) $(LIB_FREESTANDING) -Iinclude

.PHONY: lib cross size cores
lib: $(BUILD)/host/libfirmheap.a $(patsubst src/%.c,$(BUILD)/host/%.o,$(OPT_SRCS_HOST))

# $(call host_lib_rules,DIR,EXTRA_CFLAGS): objects and archive in DIR, and
# the opt-in objects (OPT_SRCS) beside the archive, not in it. Other parts
# build variants with it (mk/part-trace.mk: -m32, FH_TRACE=1).
define host_lib_rules
$(1)/obj/%.o: src/%.c $(wildcard include/*.h src/*.h)
	$$(call say,CC,$$<)
	$(Q)mkdir -p $$(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(2) -fPIC -c $$< -o $$@

$(1)/libfirmheap.a: $(patsubst src/%.c,$(1)/obj/%.o,$(LIB_SRCS))
	$$(call say,AR,$$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(1)/opt/%.o: src/opt/%.c $(wildcard include/*.h src/*.h)
	$$(call say,CC,$$<)
	$(Q)mkdir -p $$(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(2) -fPIC -c $$< -o $$@
endef
$(eval $(call host_lib_rules,$(BUILD)/host))

# $(call core_rules,CORE[,DIR,EXTRA_CFLAGS]): objects, archive and
# undefined-symbol check in DIR (default $(BUILD)/CORE).
define core_rules
$(or $(2),$(BUILD)/$(1))/obj/%.o: src/%.c $(wildcard include/*.h src/*.h)
	$$(call say,CC,$(1)/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) $$(CROSS_CFLAGS) $(3) -c $$< -o $$@

$(or $(2),$(BUILD)/$(1))/opt/%.o: src/opt/%.c $(wildcard include/*.h src/*.h)
	$$(call say,CC,$(1)/opt/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) $$(CROSS_CFLAGS) $(3) -c $$< -o $$@

$(or $(2),$(BUILD)/$(1))/libfirmheap.a: $(patsubst src/%.c,$(or $(2),$(BUILD)/$(1))/obj/%.o,$(LIB_SRCS))
	$$(call say,AR,$$@)
	$(Q)rm -f $$@ && $(CORE_$(1)_CC:gcc=ar) rcs $$@ $$^
	$(Q)tools/check-undefined $(CORE_$(1)_CC) "$(CORE_$(1)_FLAGS)" $(CORE_$(1)_CC:gcc=nm) $$@
endef
$(foreach c,$(CORES),$(eval $(call core_rules,$(c))))

cross: $(foreach c,$(CROSS_CHECKED),$(BUILD)/$(c)/libfirmheap.a \
         $(patsubst src/%.c,$(BUILD)/$(c)/%.o,$(OPT_SRCS)))

# The table, as make read it.
cores:
	@$(foreach c,$(CORES),printf '%-14s %-24s %-30s %s\n' $(c) $(CORE_$(c)_CC) '$(or $(CORE_$(c)_RUST),-)' '$(CORE_$(c)_FLAGS)';)

# What a program that calls the malloc family links from the library
# (tools/size/malloc_program.c), per core.
define size_program_rules
$(BUILD)/$(1)/size/malloc_program.o: tools/size/malloc_program.c
	$$(call say,CC,$(1)/size/$$(notdir $$@))
	$(Q)mkdir -p $$(@D)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) $$(CROSS_CFLAGS) -c $$< -o $$@

$(BUILD)/$(1)/size/malloc-program.elf: $(BUILD)/$(1)/size/malloc_program.o $(BUILD)/$(1)/libfirmheap.a $(BUILD)/$(1)/opt/lock_none.o
	$$(call say,LD,$$@)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) -nostdlib -nostartfiles -Wl,--gc-sections -e fh_size_start \
	    -Wl,--defsym=__heap_start=0x1000 -Wl,--defsym=__heap_end=0x2000 $$^ -lgcc -o $$@
endef
$(foreach c,$(CORES),$(eval $(call size_program_rules,$(c))))

size: cross $(foreach c,$(CORES),$(BUILD)/$(c)/size/malloc-program.elf)
	@tools/size-report $(BUILD) $(foreach c,$(CORES),$(c):$(CORE_$(c)_CC:gcc=size))

.PHONY: cross-test
cross-test:
	+@MAKE="$(MAKE)" FORCE_FAIL="$(FORCE_FAIL)" OPT_OBJS='$(patsubst src/%.c,%.o,$(OPT_SRCS))' \
	    tools/cross-test $(CROSS_CHECKED)

TEST_SUITES += cross-test

# The same with clang, for every core that has a target triple (its Rust
# target in mk/cores.txt): a user's LLVM toolchain builds the library too.
CLANG_CORES := $(foreach c,$(CORES),$(if $(CORE_$(c)_RUST),$(c)))
.PHONY: cross-test-clang
cross-test-clang: deps
	@FORCE_FAIL="$(FORCE_FAIL)" SRCS='$(LIB_SRCS)' WARN='$(LIB_WARN)' FREESTANDING='$(LIB_FREESTANDING)' \
	    tools/cross-test-clang $(foreach c,$(CLANG_CORES),'$(c)|$(CORE_$(c)_RUST)|$(CORE_$(c)_CC)|$(CORE_$(c)_FLAGS)')

TEST_SUITES += cross-test-clang

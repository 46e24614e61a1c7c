# The library: host build plus one cross build per core. Cores are data here
# (compiler and CPU flags); boards pick a core in boards/<name>/board.mk.

HOST_CC     ?= cc
# The host archive renames the malloc family (fh_host_malloc, ...): linked into
# a host program it must not take over libc's malloc.
HOST_CFLAGS := -std=c11 -O2 -g $(LIB_WARN) -Iinclude -DFH_MALLOC_PREFIX=fh_host_

CORES := cortex-m0 cortex-m3 cortex-m4f cortex-m33 rv32imac rv64imac
CORE_cortex-m0_CC     := arm-none-eabi-gcc
CORE_cortex-m0_FLAGS  := -mcpu=cortex-m0 -mthumb
CORE_cortex-m3_CC     := arm-none-eabi-gcc
CORE_cortex-m3_FLAGS  := -mcpu=cortex-m3 -mthumb
CORE_cortex-m4f_CC    := arm-none-eabi-gcc
CORE_cortex-m4f_FLAGS := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
CORE_cortex-m33_CC    := arm-none-eabi-gcc
CORE_cortex-m33_FLAGS := -mcpu=cortex-m33 -mthumb -mfloat-abi=soft
CORE_rv32imac_CC      := riscv64-unknown-elf-gcc
CORE_rv32imac_FLAGS   := -march=rv32imac_zicsr -mabi=ilp32 -mcmodel=medany
CORE_rv64imac_CC      := riscv64-unknown-elf-gcc
CORE_rv64imac_FLAGS   := -march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany
# Cores `make cross` must always build (issue: M0, M3, rv32imac at least).
CROSS_CHECKED := $(CORES)

CROSS_CFLAGS = -std=c11 -Os -g $(LIB_WARN) $(LIB_FREESTANDING) \
               -ffunction-sections -fdata-sections -Iinclude

.PHONY: lib cross size
lib: $(BUILD)/host/libfirmheap.a $(patsubst src/%.c,$(BUILD)/host/%.o,$(OPT_SRCS))

$(BUILD)/host/obj/%.o: src/%.c $(wildcard include/*.h src/*.h) | $(BUILD)/host/obj
	$(call say,CC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/host/libfirmheap.a: $(patsubst src/%.c,$(BUILD)/host/obj/%.o,$(LIB_SRCS))
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/host/obj:
	$(Q)mkdir -p $@

# Opt-in objects (OPT_SRCS) are built beside the archive, not into it.
$(BUILD)/host/opt/%.o: src/opt/%.c $(wildcard include/*.h src/*.h)
	$(call say,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -fPIC -c $< -o $@

# $(call core_rules,CORE): objects, archive and undefined-symbol check.
define core_rules
$(BUILD)/$(1)/obj/%.o: src/%.c $(wildcard include/*.h src/*.h)
	$$(call say,CC,$(1)/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) $$(CROSS_CFLAGS) -c $$< -o $$@

$(BUILD)/$(1)/opt/%.o: src/opt/%.c $(wildcard include/*.h src/*.h)
	$$(call say,CC,$(1)/opt/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) $$(CROSS_CFLAGS) -c $$< -o $$@

$(BUILD)/$(1)/libfirmheap.a: $(patsubst src/%.c,$(BUILD)/$(1)/obj/%.o,$(LIB_SRCS))
	$$(call say,AR,$$@)
	$(Q)rm -f $$@ && $(CORE_$(1)_CC:gcc=ar) rcs $$@ $$^
	$(Q)tools/check-undefined $(CORE_$(1)_CC) "$(CORE_$(1)_FLAGS)" $(CORE_$(1)_CC:gcc=nm) $$@
endef
$(foreach c,$(CORES),$(eval $(call core_rules,$(c))))

cross: $(foreach c,$(CROSS_CHECKED),$(BUILD)/$(c)/libfirmheap.a \
         $(patsubst src/%.c,$(BUILD)/$(c)/%.o,$(OPT_SRCS)))

size: cross
	@tools/size-report $(BUILD) $(foreach c,$(CORES),$(c):$(CORE_$(c)_CC:gcc=size))

.PHONY: cross-test
cross-test:
	@MAKE="$(MAKE)" tools/run-logged $(RESULTS)/cross-test.log tools/cross-test $(CROSS_CHECKED)

TEST_SUITES += cross-test

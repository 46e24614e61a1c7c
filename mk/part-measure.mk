# make bench-contract: the instruction counts behind the README's numbers for
# issue 9 (bench/contract/measure.c): the default heap's first call (lazy,
# fh_default_init, fh_default_init_zeroed) and the cost of FH_HARDEN=1, on
# the RISC-V boards (minstret under -icount shift=0). Writes
# build/bench/contract.txt; not a test, nothing is judged.

MEASURE_BOARDS   := $(foreach b,$(BOARDS),$(if $(filter riscv,$(BOARD_$(b)_ARCH)),$(b)))
MEASURE_VARIANTS := lazy early zeroed harden-lazy harden-early
MEASURE_DEFS_lazy         := -DMEASURE_LAZY
MEASURE_DEFS_early        := -DMEASURE_EARLY
MEASURE_DEFS_zeroed       := -DMEASURE_ZEROED
MEASURE_DEFS_harden-lazy  := -DMEASURE_LAZY
MEASURE_DEFS_harden-early := -DMEASURE_EARLY
# Which library a variant links: plain, or built with FH_HARDEN=1.
measure_lib = $(BUILD)/measure/$(1)/$(if $(findstring harden,$(2)),lib-harden,lib-plain).a

# $(call measure_rules,BOARD)
define measure_rules
$(BUILD)/measure/$(1)/lib-plain/%.o: src/%.c $(wildcard include/*.h src/*.h)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(CORE_$$(BOARD_$(1)_CORE)_FLAGS) $$(CROSS_CFLAGS) -c $$< -o $$@
$(BUILD)/measure/$(1)/lib-harden/%.o: src/%.c $(wildcard include/*.h src/*.h)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(CORE_$$(BOARD_$(1)_CORE)_FLAGS) $$(CROSS_CFLAGS) -DFH_HARDEN=1 -c $$< -o $$@
$(foreach l,plain harden,
$(BUILD)/measure/$(1)/lib-$(l).a: $(patsubst src/%.c,$(BUILD)/measure/$(1)/lib-$(l)/%.o,$(LIB_SRCS))
	$(Q)rm -f $$@ && $$(FW_$(1)_CC:gcc=ar) rcs $$@ $$^
)$(foreach v,$(MEASURE_VARIANTS),
$(BUILD)/measure/$(1)/$(v).o: bench/contract/measure.c bench/counter.h $$(FW_$(1)_FLAGS_DEPS)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(LIB_WARN) -Ibench $(MEASURE_DEFS_$(v)) -c $$< -o $$@
$(BUILD)/measure/$(1)/$(v).elf: $(BUILD)/measure/$(1)/$(v).o $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) \
                                $(call measure_lib,$(1),$(v))
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -o $$@ $$^ -lgcc
)
endef
$(foreach b,$(MEASURE_BOARDS),$(eval $(call measure_rules,$(b))))

.PHONY: bench-contract
bench-contract: deps $(foreach b,$(MEASURE_BOARDS),$(foreach v,$(MEASURE_VARIANTS),$(BUILD)/measure/$(b)/$(v).elf))
	$(Q)mkdir -p $(BUILD)/bench && rm -f $(BUILD)/bench/contract.txt
	$(Q)$(foreach b,$(MEASURE_BOARDS),$(foreach v,$(MEASURE_VARIANTS),\
	    tools/qemu-run $(BUILD)/measure/$(b)/$(v).elf $(FW_$(b)_QEMU) -icount shift=0 \
	    | sed 's|^|$(b) $(v) |' >>$(BUILD)/bench/contract.txt || exit 1;))
	@cat $(BUILD)/bench/contract.txt

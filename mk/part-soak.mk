# The soak test (tests/target/soak.c): SOAK_OPS operations on the default
# heap through every front end while a fast timer interrupt allocates and
# frees too, with contents and fh_check checked throughout.
#
#   make soak [SOAK_BOARDS=...] [SOAK_OPS=n]   a million operations per board
#   soak-short (suite, in make test)           SOAK_SHORT_OPS per board
#
# The image is the boards' test glue (tests/target/main.c, the harness)
# with the soak as its only test, built per board and operation count.

SOAK_BOARDS    ?= virt-rv32
SOAK_OPS       ?= 1000000
SOAK_SHORT_OPS := 50000
SOAK_SRCS := tests/runner.c tests/testutil.c tests/target/main.c tests/target/actors.c \
             tests/target/soak.c
SOAK_DIR  := soak$(if $(FORCE_FAIL),-forcefail)

# $(call soak_rules,BOARD,OPS): build/BOARD/SOAK_DIR-OPS.elf
define soak_rules
SOAK_$(1)_$(2)_OBJS := $$(call fw_objs,$(1),$(SOAK_DIR)-$(2),$(SOAK_SRCS))

$(BUILD)/$(1)/$(SOAK_DIR)-$(2)/%.o: %.c $$(FW_$(1)_FLAGS_DEPS) mk/part-soak.mk
	$$(call say,CC,$(1)/$(SOAK_DIR)-$(2)/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(FW_TEST_DEFS) -DSOAK_OPS=$(2)u \
	    -DTH_TEST_LIST='"soak_list.h"' -UTH_BOARD_TESTS -c $$< -o $$@

$(BUILD)/$(1)/$(SOAK_DIR)-$(2).elf: $$(FW_$(1)_ARCH_OBJS) $$(SOAK_$(1)_$(2)_OBJS) $$(FW_$(1)_LIB) \
                                   boards/$(1)/memory.ld linker/sections.ld
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -o $$@ \
	    $$(FW_$(1)_ARCH_OBJS) $$(SOAK_$(1)_$(2)_OBJS) $$(FW_$(1)_LIB) -lgcc

-include $$(patsubst %.o,%.d,$$(SOAK_$(1)_$(2)_OBJS))
endef
$(foreach b,$(SOAK_BOARDS),$(foreach n,$(sort $(SOAK_OPS) $(SOAK_SHORT_OPS)),\
  $(eval $(call soak_rules,$(b),$(n)))))

# $(call soak_run,OPS,LOG): every board's soak image, each its own result line
soak_run = status=0; \
	$(foreach b,$(SOAK_BOARDS),QEMU_TIMEOUT=$(SOAK_TIMEOUT) tools/run-logged $(2) \
	    tools/qemu-verdict test $(b) $(BUILD)/$(b)/$(SOAK_DIR)-$(1).elf $(FW_$(b)_QEMU) || status=1;) \
	exit $$status
SOAK_TIMEOUT ?= 600

.PHONY: soak soak-short
soak: deps $(foreach b,$(SOAK_BOARDS),$(BUILD)/$(b)/$(SOAK_DIR)-$(SOAK_OPS).elf)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/$@.log
	$(Q)$(call soak_run,$(SOAK_OPS),$(RESULTS)/$@.log)

TEST_SUITES += soak-short
soak-short: $(foreach b,$(SOAK_BOARDS),$(BUILD)/$(b)/$(SOAK_DIR)-$(SOAK_SHORT_OPS).elf)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/$@.log
	$(Q)$(call soak_run,$(SOAK_SHORT_OPS),$(RESULTS)/$@.log)

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
SOAK_TIMEOUT   ?= 600
SOAK_SRCS := tests/runner.c tests/testutil.c tests/target/main.c tests/target/actors.c \
             tests/target/soak.c
SOAK_DIR  := soak$(if $(FORCE_FAIL),-forcefail)

$(foreach b,$(SOAK_BOARDS),$(foreach n,$(sort $(SOAK_OPS) $(SOAK_SHORT_OPS)),\
  $(eval $(call fw_list_image_rules,$(b),$(SOAK_DIR)-$(n),$(SOAK_SRCS),soak_list.h,\
    -DSOAK_OPS=$(n)u,$(FW_$(b)_ARCH_OBJS) $(FW_$(b)_LOCK)))))

.PHONY: soak soak-short
soak: deps $(foreach b,$(SOAK_BOARDS),$(BUILD)/$(b)/$(SOAK_DIR)-$(SOAK_OPS).elf)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/$@.log
	$(Q)export QEMU_TIMEOUT=$(SOAK_TIMEOUT); \
	$(call fw_verdicts,$(RESULTS)/$@.log,$(SOAK_BOARDS),$(SOAK_DIR)-$(SOAK_OPS))

TEST_SUITES += soak-short
soak-short: $(foreach b,$(SOAK_BOARDS),$(BUILD)/$(b)/$(SOAK_DIR)-$(SOAK_SHORT_OPS).elf)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/$@.log
	$(Q)$(call fw_verdicts,$(RESULTS)/$@.log,$(SOAK_BOARDS),$(SOAK_DIR)-$(SOAK_SHORT_OPS))

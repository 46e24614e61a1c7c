# The soak test (tests/target/soak.c): SOAK_OPS operations on the default
# heap through every front end while a fast timer interrupt allocates and
# frees too, with contents and fh_check checked throughout.
#
#   make soak [SOAK_BOARDS=...] [SOAK_OPS=n]   a million operations per board
#                                              (soak-<board>, under the TAP harness)
#   soak-short-<board> (suites, in make test)  SOAK_SHORT_OPS per board
#
# The image is the boards' test glue (tests/target/main.c, the harness)
# with the soak as its only test, built per board and operation count.

SOAK_BOARDS    ?= virt-rv32
SOAK_OPS       ?= 1000000
SOAK_SHORT_OPS := 50000
SOAK_TIMEOUT   ?= 600
SOAK_SRCS := tests/runner.c tests/testutil.c tests/target/main.c tests/target/actors.c \
             tests/target/soak.c
SOAK_DIR  := soak$(FF_SUFFIX)

$(foreach b,$(SOAK_BOARDS),$(foreach n,$(sort $(SOAK_OPS) $(SOAK_SHORT_OPS)),\
  $(eval $(call fw_list_image_rules,$(b),$(SOAK_DIR)-$(n),$(SOAK_SRCS),soak_list.h,\
    -DSOAK_OPS=$(n)u,$(FW_$(b)_ARCH_OBJS) $(FW_$(b)_LOCK)))))

.PHONY: soak
$(foreach b,$(SOAK_BOARDS),\
  $(eval $(call fw_image_suite,soak-$(b),$(b),$(SOAK_DIR)-$(SOAK_OPS)))\
  $(eval soak-$(b): QEMU_TIMEOUT := $(SOAK_TIMEOUT))\
  $(eval $(call fw_image_suite,soak-short-$(b),$(b),$(SOAK_DIR)-$(SOAK_SHORT_OPS))))
soak: deps
	+@$(call tap_run,$(addprefix soak-,$(SOAK_BOARDS)))

TEST_SUITES += $(addprefix soak-short-,$(SOAK_BOARDS))

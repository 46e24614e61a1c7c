# smp-test-<board> (suites): two harts and a timer interrupt on one default
# heap, under the multi-hart lock (arch/<arch>/smp/lock.c instead of the
# boards' single-core src/opt/lock_irq.c), on every board whose board.mk sets
# SMP_HARTS (the -smp count QEMU gets). tests/target/smp.c has the test.

SMP_BOARDS := $(foreach b,$(BOARDS),$(if $(BOARD_$(b)_SMP_HARTS),$(b)))
SMP_SRCS   := tests/runner.c tests/testutil.c tests/target/main.c tests/target/actors.c \
              tests/target/smp.c
SMP_DIR    := smp$(FF_SUFFIX)
# The startup objects with the multi-hart lock in place of the single-core one.
smp_start = $(FW_$(1)_ARCH_OBJS) $(call fw_objs,$(1),arch,arch/$(BOARD_$(1)_ARCH)/smp/lock.c)
$(foreach b,$(SMP_BOARDS),$(eval SMP_QEMU_$(b) := -smp $(BOARD_$(b)_SMP_HARTS)))

$(foreach b,$(SMP_BOARDS),$(eval $(call fw_list_image_rules,$(b),$(SMP_DIR),$(SMP_SRCS),\
  smp_list.h,,$(call smp_start,$(b)))))

# One suite per board, smp-test-<board>; `make smp-test` runs them all.
SMP_SUITES := $(addprefix smp-test-,$(SMP_BOARDS))
$(foreach b,$(SMP_BOARDS),$(eval $(call fw_image_suite,smp-test-$(b),$(b),$(SMP_DIR),$(SMP_QEMU_$(b)))))
TEST_SUITES += $(SMP_SUITES)
.PHONY: smp-test
smp-test:
	+@$(call tap_run,$(SMP_SUITES))

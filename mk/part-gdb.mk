# gdb-test-<board> (suites): tools/gdb/firmheap.py, the GDB script that reads a
# stopped target's heaps, against the firmware's own report of the same
# heaps. tests/gdb/target.c sets up the heaps and prints fh_dump and its
# fh_walk listing; tools/gdb/test-gdb runs it in QEMU under gdb-multiarch
# (QEMU's gdb stub over a pipe: no TCP port, so parallel runs never clash)
# and compares what the script prints at the firmware's breakpoint.
#
#   make gdb-test [GDB_BOARDS=...]   one Cortex-M and one 64-bit RISC-V board,
#                                    under the TAP harness
#
# FORCE_FAIL=1 builds the firmware with a misstated walk line: the
# comparison must fail.

DEPS_PACKAGES += gdb-multiarch python3 qemu-system-arm qemu-system-misc

GDB_BOARDS ?= mps2-an385 virt-rv64
GDB_DIR    := gdb$(FF_SUFFIX)
GDB_TIMEOUT ?= 60

$(foreach b,$(GDB_BOARDS),$(eval $(call fw_list_image_rules,$(b),$(GDB_DIR),tests/gdb/target.c,,,\
  $(FW_$(b)_ARCH_OBJS) $(FW_$(b)_LOCK))))

# A suite per board (TAP from tools/gdb/test-gdb); `make gdb-test` runs them.
GDB_SUITES := $(addprefix gdb-test-,$(GDB_BOARDS))
.PHONY: gdb-test $(GDB_SUITES)
TEST_SUITES += $(GDB_SUITES)
gdb-test:
	+@$(call tap_run,$(GDB_SUITES))

$(GDB_SUITES): gdb-test-%: $(BUILD)/%/$(GDB_DIR).elf
	$(Q)tools/gdb/test-gdb --timeout $(GDB_TIMEOUT) --work $(BUILD)/$*/$(GDB_DIR)-run \
	    $< $(FW_$*_QEMU)

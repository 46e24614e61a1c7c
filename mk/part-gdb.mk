# gdb-test (suite): tools/gdb/firmheap.py, the GDB script that reads a
# stopped target's heaps, against the firmware's own report of the same
# heaps. tests/gdb/target.c sets up the heaps and prints fh_dump and its
# fh_walk listing; tools/gdb/test-gdb runs it in QEMU under gdb-multiarch
# (QEMU's gdb stub over a pipe: no TCP port, so parallel runs never clash)
# and compares what the script prints at the firmware's breakpoint.
#
#   make gdb-test [GDB_BOARDS=...]   one Cortex-M and one 64-bit RISC-V board
#
# FORCE_FAIL=1 builds the firmware with a misstated walk line: the
# comparison must fail.

DEPS_PACKAGES += gdb-multiarch python3 qemu-system-arm qemu-system-misc

GDB_BOARDS ?= mps2-an385 virt-rv64
GDB_DIR    := gdb$(if $(FORCE_FAIL),-forcefail)
GDB_TIMEOUT ?= 60

$(foreach b,$(GDB_BOARDS),$(eval $(call fw_list_image_rules,$(b),$(GDB_DIR),tests/gdb/target.c,,,\
  $(FW_$(b)_ARCH_OBJS) $(FW_$(b)_LOCK))))

.PHONY: gdb-test
TEST_SUITES += gdb-test
gdb-test: $(foreach b,$(GDB_BOARDS),$(BUILD)/$(b)/$(GDB_DIR).elf)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/$@.log
	$(Q)status=0; \
	$(foreach b,$(GDB_BOARDS),tools/run-logged $(RESULTS)/$@.log tools/gdb/test-gdb \
	    --timeout $(GDB_TIMEOUT) --work $(BUILD)/$(b)/$(GDB_DIR)-run \
	    $(BUILD)/$(b)/$(GDB_DIR).elf $(FW_$(b)_QEMU) || status=1;) \
	exit $$status

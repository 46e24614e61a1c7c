# link-test: a user's fh_lock/fh_unlock must be the lock the default
# heap runs under however firmware supplies it, or the link must fail naming
# fh_lock (tools/link-test has the cases). Run for the host and for one
# cross target, whose images run in QEMU.

LINK_TEST_BOARD := virt-rv32
LINK_TEST_CORE  := $(BOARD_$(LINK_TEST_BOARD)_CORE)
LINK_TEST_DIR   := $(BUILD)/link-test

# Two suites (TAP from tools/link-test): link-test-host and
# link-test-<board>; `make link-test` runs both.
LINK_TEST_SUITES := link-test-host link-test-$(LINK_TEST_BOARD)
.PHONY: link-test $(LINK_TEST_SUITES)
TEST_SUITES += $(LINK_TEST_SUITES)

link-test:
	+@$(call tap_run,$(LINK_TEST_SUITES))

link-test-host: $(BUILD)/host/libfirmheap.a $(BUILD)/host/opt/lock_none.o \
                tools/link-test tests/link/main.c tests/link/user_lock.c
	$(Q)FORCE_FAIL='$(FORCE_FAIL)' \
	LT_CC='$(HOST_CC)' LT_AR=ar LT_CFLAGS='-std=c11 -O1 $(TEST_WARN) -Iinclude -DLINK_TEST_HOST' \
	LT_LDFLAGS='-Wl,--defsym=__heap_start=link_test_heap -Wl,--defsym=__heap_end=link_test_heap+65536' \
	LT_LIBS= LT_LIBDIR=$(BUILD)/host LT_NOLOCK=$(BUILD)/host/opt/lock_none.o LT_QEMU= \
	LT_DIR=$(LINK_TEST_DIR)/host tools/link-test host

link-test-$(LINK_TEST_BOARD): $(BUILD)/$(LINK_TEST_CORE)/libfirmheap.a $(BUILD)/$(LINK_TEST_CORE)/opt/lock_none.o \
           $(FW_$(LINK_TEST_BOARD)_ARCH_OBJS) tools/link-test tests/link/main.c tests/link/user_lock.c
	$(Q)FORCE_FAIL='$(FORCE_FAIL)' \
	LT_CC='$(FW_$(LINK_TEST_BOARD)_CC)' LT_AR='$(FW_$(LINK_TEST_BOARD)_CC:gcc=ar)' \
	LT_CFLAGS='$(FW_$(LINK_TEST_BOARD)_CFLAGS)' \
	LT_LDFLAGS='$(FW_$(LINK_TEST_BOARD)_LDFLAGS) $(FW_$(LINK_TEST_BOARD)_ARCH_OBJS)' \
	LT_LIBS=-lgcc LT_LIBDIR=$(BUILD)/$(LINK_TEST_CORE) \
	LT_NOLOCK=$(BUILD)/$(LINK_TEST_CORE)/opt/lock_none.o LT_QEMU='$(FW_$(LINK_TEST_BOARD)_QEMU)' \
	LT_DIR=$(LINK_TEST_DIR)/$(LINK_TEST_BOARD) tools/link-test $(LINK_TEST_BOARD)

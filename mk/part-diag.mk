# Diagnostics that need a program of their own (suites diag-test-<case>,
# host; `make diag-test` runs them all):
#   first use  the default heap's first-use check (tests/diag/first_use.c),
#              once per region case and backend; each case is its own
#              process because the first use happens once per program;
#   link       a program that uses the default heap but defines no
#              __heap_start/__heap_end must fail to link, and the linker's
#              message must name the fix (src/default_heap.c's
#              firmheap_needs___heap_start_... function).
# fh_dump is tested with the rest of the library (tests/test_diag.c).
# The programs are single-threaded: they link the no-op lock.

DIAG_OUT := $(BUILD)/diag-test$(FF_SUFFIX)
DIAG_CFLAGS := -std=c11 -g -O1 $(TEST_WARN) -Iinclude -Isrc -DFH_MALLOC_PREFIX=fh_test_ \
               $(if $(FORCE_FAIL),-DTH_FORCE_FAIL)
DIAG_SRCS := $(LIB_SRCS) src/opt/lock_none.c
# case name -> expected kind, region size, extra flags
DIAG_CASES := no-heap too-small usable bump-no-heap
DIAG_no-heap       := FH_ERR_NO_HEAP 0
DIAG_too-small     := FH_ERR_HEAP_TOO_SMALL 40
DIAG_usable        := 0 4096
DIAG_bump-no-heap  := FH_ERR_NO_HEAP 0 -DFH_BACKEND_BUMP=1

define diag_case_rules
$(DIAG_OUT)/$(1): tests/diag/first_use.c $(DIAG_SRCS) $(wildcard include/*.h src/*.h) mk/part-diag.mk
	$$(call say,CC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$(HOST_CC) $(DIAG_CFLAGS) -DFU_EXPECT=$(word 1,$(DIAG_$(1))) $(wordlist 3,9,$(DIAG_$(1))) \
	    $$< $(DIAG_SRCS) -o $$@ -Wl,--defsym=__heap_start=fu_region+3 \
	    -Wl,--defsym=__heap_end=fu_region+3+$(word 2,$(DIAG_$(1)))
endef
$(foreach c,$(DIAG_CASES),$(eval $(call diag_case_rules,$(c))))

# A suite per case (each program prints TAP), and one for the link;
# `make diag-test` runs them all.
DIAG_SUITES := $(addprefix diag-test-,$(DIAG_CASES) link)
.PHONY: diag-test $(DIAG_SUITES)
TEST_SUITES += $(DIAG_SUITES)
diag-test:
	+@$(call tap_run,$(DIAG_SUITES))

$(foreach c,$(DIAG_CASES),$(eval diag-test-$(c): $(DIAG_OUT)/$(c) ; @$$<))

diag-test-link: $(DIAG_SRCS) tests/diag/first_use.c
	$(Q)mkdir -p $(DIAG_OUT)
	$(Q)FORCE_FAIL=$(FORCE_FAIL) tools/tap-one "no __heap_start: the link fails, naming the fix" \
	    tools/link-must-fail firmheap_needs___heap_start \
	    $(HOST_CC) $(DIAG_CFLAGS) -DFU_EXPECT=0 tests/diag/first_use.c $(DIAG_SRCS) -o $(DIAG_OUT)/no-symbols

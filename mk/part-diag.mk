# Diagnostics that need a program of their own (suite diag-test, host):
#   first use  the default heap's first-use check (tests/diag/first_use.c),
#              once per region case and backend; each case is its own
#              process because the first use happens once per program;
#   link       a program that uses the default heap but defines no
#              __heap_start/__heap_end must fail to link, and the linker's
#              message must name the fix (src/default_heap.c's
#              firmheap_needs___heap_start_... function).
# fh_dump is tested with the rest of the library (tests/test_diag.c).
# The programs are single-threaded: they link the no-op lock.

DIAG_OUT := $(BUILD)/diag-test$(HT)
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

.PHONY: diag-test
TEST_SUITES += diag-test
diag-test: $(addprefix $(DIAG_OUT)/,$(DIAG_CASES))
	@rm -f $(RESULTS)/$@.log
	$(Q)status=0; \
	$(foreach c,$(DIAG_CASES),tools/run-logged $(RESULTS)/$@.log $(DIAG_OUT)/$(c) || status=1;) \
	tools/run-logged $(RESULTS)/$@.log tools/link-must-fail firmheap_needs___heap_start \
	    $(HOST_CC) $(DIAG_CFLAGS) -DFU_EXPECT=0 tests/diag/first_use.c $(DIAG_SRCS) \
	    -o $(DIAG_OUT)/no-symbols || status=1; \
	exit $$status

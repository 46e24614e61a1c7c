# Allocation traces (issue 11): recording on the target (the library built
# with FH_TRACE=1), the replayer core shared with the benchmark
# (tools/trace/replay.c), the host replayer tools/fh-trace runs, the
# recorders of the example traces in traces/, and the `trace-test` suite.
#
#   make trace-tools   build/trace/fh-replay-64 and -32 (tools/fh-trace builds
#                      them itself when needed)
#   make traces        re-record traces/*.fht from the libraries in Debian
#   make trace-test    suites trace-test-*: unit tests (host and boards), the
#                      fh-trace command line, a board's recording replayed on
#                      the host, FH_TRACE=1 builds for every core
#   make trace-cost    instructions per default-heap call with tracing on/off
#
# Library variants live under build/trace/, apart from everything else: a
# 32-bit host build for replaying 32-bit traces, FH_TRACE=1 builds for the
# recorders (host) and for every core.

# qemu-user: qemu-i386 runs the 32-bit replayer where the kernel cannot.
DEPS_PACKAGES += python3 python3-matplotlib gcc-multilib qemu-user \
                 libmbedtls-dev libcjson-dev liblua5.4-dev zlib1g-dev

TRACE_OUT := $(BUILD)/trace
TRACE_HDRS := $(wildcard include/*.h src/*.h) tools/trace/replay.h
# Boards whose image records its own trace in `make trace-test`: one per arch.
TRACE_BOARDS := virt-rv32 mps2-an385

# ---- library variants --------------------------------------------------------

$(eval $(call host_lib_rules,$(TRACE_OUT)/host32,-m32))
$(eval $(call host_lib_rules,$(TRACE_OUT)/host-rec,-DFH_TRACE=1))
# The recorders' library: 4-byte fields (their heap lies below 4 GiB).
$(eval $(call host_lib_rules,$(TRACE_OUT)/host-rec4,-DFH_TRACE=1 -DFH_TRACE_WORD_BYTES=4))
$(foreach c,$(CORES),$(eval $(call core_rules,$(c),$(TRACE_OUT)/$(c),-DFH_TRACE=1)))

# The replayer core builds freestanding for every core, with the library's
# warnings: the benchmark images link it.
define trace_core_replay
$(TRACE_OUT)/$(1)/replay.o: tools/trace/replay.c $(TRACE_HDRS)
	$$(call say,CC,trace/$(1)/replay.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$(CORE_$(1)_CC) $(CORE_$(1)_FLAGS) $(CROSS_CFLAGS) -Itools/trace -c $$< -o $$@
endef
$(foreach c,$(CORES),$(eval $(call trace_core_replay,$(c))))

# ---- the host replayer (tools/fh-trace runs it) --------------------------------

TRACE_REPLAY_SRCS := tools/trace/fh_replay.c tools/trace/replay.c
TRACE_CFLAGS := -std=c11 -O2 -g $(LIB_WARN) -Iinclude -Itools/trace

$(TRACE_OUT)/fh-replay-64: $(TRACE_REPLAY_SRCS) $(TRACE_HDRS) $(BUILD)/host/libfirmheap.a
	$(call say,LD,$@)
	$(Q)$(HOST_CC) $(TRACE_CFLAGS) $(TRACE_REPLAY_SRCS) $(BUILD)/host/libfirmheap.a -o $@
$(TRACE_OUT)/fh-replay-32: $(TRACE_REPLAY_SRCS) $(TRACE_HDRS) $(TRACE_OUT)/host32/libfirmheap.a
	$(call say,LD,$@)
	$(Q)$(HOST_CC) -m32 $(TRACE_CFLAGS) $(TRACE_REPLAY_SRCS) $(TRACE_OUT)/host32/libfirmheap.a -o $@

.PHONY: trace-tools
trace-tools: $(TRACE_OUT)/fh-replay-64 $(TRACE_OUT)/fh-replay-32

# ---- unit tests: host runner ---------------------------------------------------

# The harness (tests/runner.c, tests/host/glue.c) with the trace tests'
# own list, over the FH_TRACE=1 host library and the replayer core.
TRACE_TEST_DEFS := -DFH_TRACE=1 -Itests -Itests/trace -Iinclude -Isrc \
                   -Itools/trace $(if $(FORCE_FAIL),-DTH_FORCE_FAIL)
TRACE_UNIT := $(TRACE_OUT)/unit$(FF_SUFFIX)
TRACE_UNIT_SRCS := tests/runner.c tests/host/glue.c tests/host/walk_trace.c tests/host/host_lock.c \
                   tests/trace/test_trace.c tests/trace/host_semihost.c

$(TRACE_UNIT)/%.o: %.c $(TRACE_HDRS) $(wildcard tests/*.h tests/trace/*.h)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=c11 -O1 -g $(TEST_WARN) -DTH_HOST $(TRACE_TEST_DEFS) \
	    -DTH_TEST_LIST='"test_list_trace.h"' -c $< -o $@
$(TRACE_UNIT)/replay.o: tools/trace/replay.c $(TRACE_HDRS)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TRACE_CFLAGS) -c $< -o $@
$(TRACE_UNIT)/runner: $(patsubst %.c,$(TRACE_UNIT)/%.o,$(TRACE_UNIT_SRCS)) $(TRACE_UNIT)/replay.o \
                      $(TRACE_OUT)/host-rec/libfirmheap.a
	$(call say,LD,$@)
	$(Q)$(HOST_CC) $^ -o $@ $(HOST_HEAP_SYMS)

# The same harness over the bump backend, with its own short list.
TRACE_UNIT_BUMP := $(TRACE_OUT)/unit-bump$(FF_SUFFIX)
$(eval $(call host_lib_rules,$(TRACE_OUT)/host-rec-bump,-DFH_TRACE=1 -DFH_BACKEND_BUMP=1))
$(TRACE_UNIT_BUMP)/%.o: %.c $(TRACE_HDRS) $(wildcard tests/*.h tests/trace/*.h)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=c11 -O1 -g $(TEST_WARN) -DTH_HOST $(TRACE_TEST_DEFS) -DFH_BACKEND_BUMP=1 \
	    -DTH_TEST_LIST='"test_list_trace_bump.h"' -c $< -o $@
$(TRACE_UNIT_BUMP)/runner: $(patsubst %.c,$(TRACE_UNIT_BUMP)/%.o,$(TRACE_UNIT_SRCS)) \
                           $(TRACE_UNIT)/replay.o $(TRACE_OUT)/host-rec-bump/libfirmheap.a
	$(call say,LD,$@)
	$(Q)$(HOST_CC) $^ -o $@ $(HOST_HEAP_SYMS)

# ---- unit tests: board images that record over semihosting ------------------------

# $(call trace_board_rules,BOARD): build/trace/BOARD/<test dir>.elf, linked as
# the board's test image is (mk/part-boards.mk), with the FH_TRACE=1 library.
define trace_board_rules
TRACE_$(1)_DIR  := $(TRACE_OUT)/$(1)/$(FW_TEST_DIR)
TRACE_$(1)_FILE := $(TRACE_OUT)/$(1)/recorded$(FF_SUFFIX).fht
TRACE_$(1)_CORE := $$(BOARD_$(1)_CORE)
TRACE_$(1)_CFLAGS = $$(filter-out -DTH_BOARD_TESTS,$$(FW_$(1)_CFLAGS)) $(FW_TEST_DEFS) \
                    -Itests/trace -Itools/trace -DFH_TRACE=1 -DTH_TEST_LIST='"test_list_trace.h"' \
                    -DTT_TRACE_PATH='"$$(TRACE_$(1)_FILE)"'
TRACE_$(1)_OBJS := $$(patsubst %.c,$$(TRACE_$(1)_DIR)/%.o,tests/runner.c tests/trace/test_trace.c \
                   tests/trace/target_main.c tools/trace/replay.c)

$$(TRACE_$(1)_DIR)/%.o: %.c $(TRACE_HDRS) $(wildcard tests/*.h tests/trace/*.h) boards/$(1)/board.mk
	$$(call say,CC,trace/$(1)/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(TRACE_$(1)_CFLAGS) -c $$< -o $$@

$$(TRACE_$(1)_DIR).elf: $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) $$(TRACE_$(1)_OBJS) \
                        $(TRACE_OUT)/$$(TRACE_$(1)_CORE)/libfirmheap.a boards/$(1)/memory.ld
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -o $$@ $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) $$(TRACE_$(1)_OBJS) \
	    $(TRACE_OUT)/$$(TRACE_$(1)_CORE)/libfirmheap.a -lgcc
endef
$(foreach b,$(TRACE_BOARDS),$(eval $(call trace_board_rules,$(b))))

# ---- the suites -----------------------------------------------------------------

# Each prints TAP (mk/config.mk); `make trace-test` runs them all. A board's
# image records its trace (trace-test-<board>), which trace-test-replay-<board>,
# next, replays on the host: every block must land at the board's offset.
TRACE_SUITES := trace-test-unit trace-test-unit-bump trace-test-fh-trace \
                $(foreach b,$(TRACE_BOARDS),trace-test-$(b) trace-test-replay-$(b)) \
                trace-test-builds
.PHONY: trace-test $(TRACE_SUITES)
TEST_SUITES += $(TRACE_SUITES)
trace-test:
	+@$(call tap_run,$(TRACE_SUITES))

trace-test-unit: $(TRACE_UNIT)/runner
	@$<
trace-test-unit-bump: $(TRACE_UNIT_BUMP)/runner
	@$<
trace-test-fh-trace: trace-tools
	@FORCE_FAIL=$(FORCE_FAIL) tools/trace/test-fh-trace

define trace_board_suites
trace-test-$(1): $$(TRACE_$(1)_DIR).elf
	@rm -f $$(TRACE_$(1)_FILE)
	$(Q)tools/qemu-run $$< $$(FW_$(1)_QEMU)
trace-test-replay-$(1): trace-tools
	$(Q)tools/tap-one "$(1): the host replay of its recording matches the board block for block" \
	    tools/fh-trace replay --compare $$(TRACE_$(1)_FILE)
endef
$(foreach b,$(TRACE_BOARDS),$(eval $(call trace_board_suites,$(b))))

trace-test-builds:
	+$(Q)MAKE="$(MAKE)" tools/trace/build-check \
	    $(foreach c,$(CORES),$(TRACE_OUT)/$(c)/libfirmheap.a $(TRACE_OUT)/$(c)/replay.o)

# ---- the example traces (make traces) --------------------------------------------

# Each recorder is a host program over the FH_TRACE=1 host library (its
# malloc family is fh_host_malloc & co.; one thread: src/opt/lock_none.c)
# and one library from Debian,
# hooked through that library's own allocator interface. No PIE: the
# recording heap then sits at the same address every run, and so do the
# recorded addresses (re-recording gives the same files).
TRACE_REC := $(TRACE_OUT)/record
TRACE_REC_CFLAGS := -std=gnu11 -O1 -g $(TEST_WARN) -Iinclude -Isrc -Itools/trace/record \
                    -DFH_MALLOC_PREFIX=fh_host_ -fno-pie
TRACE_REC_HEAP := -Wl,--defsym=__heap_start=rec_heap -Wl,--defsym=__heap_end=rec_heap+0x4000000
TRACE_MBEDTLS_LIBS := -Wl,--wrap=calloc -Wl,--wrap=free -Wl,--wrap=time \
                      -Wl,-Bstatic -lmbedtls -lmbedx509 -lmbedcrypto -Wl,-Bdynamic
TRACE_RECORDERS := cjson zlib lua mbedtls_tls mbedtls_selftest
TRACE_REC_INC_lua := -I/usr/include/lua5.4
TRACE_REC_LIBS_cjson := -lcjson
TRACE_REC_LIBS_zlib := -lz
TRACE_REC_LIBS_lua := -llua5.4 -lm
TRACE_REC_LIBS_mbedtls_tls := $(TRACE_MBEDTLS_LIBS)
TRACE_REC_LIBS_mbedtls_selftest := $(TRACE_MBEDTLS_LIBS)
TRACE_REC_OBJS_mbedtls_tls := $(TRACE_REC)/mbedtls_wrap.o
TRACE_REC_OBJS_mbedtls_selftest := $(TRACE_REC)/mbedtls_wrap.o

$(TRACE_REC)/%.o: tools/trace/record/%.c tools/trace/record/record.h $(TRACE_HDRS)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TRACE_REC_CFLAGS) $(TRACE_REC_INC_$*) -c $< -o $@
define trace_recorder_rule
$(TRACE_REC)/$(1): $(TRACE_REC)/$(1).o $(TRACE_REC_OBJS_$(1)) $(TRACE_REC)/record.o \
                   $(TRACE_OUT)/host-rec4/libfirmheap.a $(TRACE_OUT)/host-rec4/opt/lock_none.o
	$$(call say,LD,$$@)
	$(Q)$(HOST_CC) -no-pie $$^ $(TRACE_REC_LIBS_$(1)) $(TRACE_REC_HEAP) -o $$@
endef
$(foreach r,$(TRACE_RECORDERS),$(eval $(call trace_recorder_rule,$(r))))

# The example traces: name := recorder and its arguments.
TRACE_EXAMPLE_cjson             := cjson
TRACE_EXAMPLE_zlib              := zlib
TRACE_EXAMPLE_lua               := lua
TRACE_EXAMPLE_mbedtls-tls-ecdsa := mbedtls_tls ecdsa
TRACE_EXAMPLE_mbedtls-tls-rsa   := mbedtls_tls rsa
TRACE_EXAMPLE_mbedtls-selftest  := mbedtls_selftest
TRACE_EXAMPLES := cjson zlib lua mbedtls-tls-ecdsa mbedtls-tls-rsa mbedtls-selftest

define trace_example_rule
traces/$(1).fht: $(TRACE_REC)/$(firstword $(TRACE_EXAMPLE_$(1)))
	$$(call say,RECORD,$$@)
	$(Q)mkdir -p traces
	$(Q)$$< $$@.tmp $(wordlist 2,9,$(TRACE_EXAMPLE_$(1))) && mv $$@.tmp $$@
endef
$(foreach t,$(TRACE_EXAMPLES),$(eval $(call trace_example_rule,$(t))))

.PHONY: traces trace-recorders
trace-recorders: deps $(patsubst %,$(TRACE_REC)/%,$(TRACE_RECORDERS))
# Re-records every example trace (they are checked in: nothing else needs this).
traces: trace-recorders
	$(Q)rm -f $(patsubst %,traces/%.fht,$(TRACE_EXAMPLES))
	$(Q)$(MAKE) --no-print-directory $(patsubst %,traces/%.fht,$(TRACE_EXAMPLES))

# ---- what recording costs (make trace-cost) ------------------------------------------

# One image without FH_TRACE and one with it, on the benchmark's RISC-V board,
# counted with minstret under -icount shift=0 (see bench/counter.h).
TRACE_COST_BOARD := virt-rv32
TRACE_COST_CORE := $(BOARD_$(TRACE_COST_BOARD)_CORE)
TRACE_COST_CFLAGS = $(filter-out -DTH_BOARD_TESTS,$(FW_$(TRACE_COST_BOARD)_CFLAGS)) -Ibench \
                    -DCOST_TRACE_PATH='"$(TRACE_OUT)/cost.fht"'
TRACE_COST_LIB_0 := $(BUILD)/$(TRACE_COST_CORE)/libfirmheap.a
TRACE_COST_LIB_1 := $(TRACE_OUT)/$(TRACE_COST_CORE)/libfirmheap.a

define trace_cost_rules
$(TRACE_OUT)/cost-$(1).o: tools/trace/cost.c $(TRACE_HDRS) bench/counter.h
	$$(call say,CC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(TRACE_COST_BOARD)_CC) $$(TRACE_COST_CFLAGS) -DCOST_TRACE=$(1) -c $$< -o $$@
$(TRACE_OUT)/cost-$(1).elf: $(TRACE_OUT)/cost-$(1).o $$(FW_$(TRACE_COST_BOARD)_ARCH_OBJS) \
                            $$(FW_$(TRACE_COST_BOARD)_LOCK) $(TRACE_COST_LIB_$(1))
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(TRACE_COST_BOARD)_CC) $$(FW_$(TRACE_COST_BOARD)_LDFLAGS) -o $$@ $$^ -lgcc
endef
$(eval $(call trace_cost_rules,0))
$(eval $(call trace_cost_rules,1))

.PHONY: trace-cost
trace-cost: deps $(TRACE_OUT)/cost-0.elf $(TRACE_OUT)/cost-1.elf
	$(Q)for i in 0 1; do tools/qemu-run $(TRACE_OUT)/cost-$$i.elf $(FW_$(TRACE_COST_BOARD)_QEMU) \
	    -icount shift=0 || exit 1; done

# ---- recording on a board (make trace-record BOARD=...) ------------------------------

# Runs the trace test image on BOARD: it records its workload over
# semihosting into build/trace/BOARD/recorded.fht, for tools/fh-trace.
.PHONY: trace-record
trace-record: deps $(if $(filter $(BOARD),$(TRACE_BOARDS)),$(TRACE_$(BOARD)_DIR).elf)
	$(if $(filter $(BOARD),$(TRACE_BOARDS)),,$(error trace-record: no trace image for BOARD=$(BOARD); boards: $(TRACE_BOARDS)))
	$(Q)tools/qemu-run $(TRACE_$(BOARD)_DIR).elf $(FW_$(BOARD)_QEMU)
	@echo "recorded: $(TRACE_$(BOARD)_FILE)"

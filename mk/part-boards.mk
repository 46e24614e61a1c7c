# Bare-metal images under QEMU: the test runner, the demo and the fault
# probe, for every board in boards/<name>/.
#
# Boards are data. Each boards/<name>/board.mk sets the variables listed in
# BOARD_VARS; this file loads every board once into BOARD_<name>_<VAR> (so
# one make run can build and run all of them) and then loads $(BOARD)'s
# again so plain $(ARCH), $(CORE), ... describe the selected board. Nothing
# below tests a board's name.
#
# Targets:
#   make run [BOARD=x]        demo firmware in QEMU (the README's first command)
#   make qemu-test [BOARD=x]  the test image on one board
#   make qemu-test-<board>    suite: that board's test image (its TAP)
#   make qemu-test-all        every board's suite, under the TAP harness
#   make qemu-fault           suite: each deliberate fault (FAULT_KINDS) ends
#                             each board's run
#   make images               build every image for every board, run nothing
# FORCE_FAIL=1 builds the test images with -DTH_FORCE_FAIL (one test fails
# on purpose) and adds a fault probe that does not fault, to prove a failure
# turns the run red.

BOARD ?= mps2-an385
BOARDS := $(sort $(patsubst boards/%/board.mk,%,$(wildcard boards/*/board.mk)))
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error unknown BOARD '$(BOARD)'; known boards: $(BOARDS))
endif

BOARD_VARS := DESCRIPTION ARCH CORE QEMU QEMU_MACHINE QEMU_OPTS RAM \
              TEST_ARENA TEST_SCALE IRQ_TEST BOARD_DEFS FAULT_ADDR SMP_HARTS
# Cleared before each include, so a variable a board leaves out is empty
# rather than the previous board's.
fw_clear_board_vars = $(foreach v,$(BOARD_VARS),$(eval $(v) :=))
$(foreach b,$(BOARDS),\
  $(fw_clear_board_vars)\
  $(eval include boards/$(b)/board.mk)\
  $(foreach v,$(BOARD_VARS),$(eval BOARD_$(b)_$(v) := $$($(v)))))
$(fw_clear_board_vars)
include boards/$(BOARD)/board.mk

DEPS_PACKAGES += qemu-system-arm qemu-system-misc \
                 gcc-arm-none-eabi binutils-arm-none-eabi \
                 gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf

QEMU_TIMEOUT ?= 60
export QEMU_TIMEOUT

# Test objects differ with FORCE_FAIL, so they get their own directory.
FW_TEST_DIR  := test$(FF_SUFFIX)
FW_TEST_DEFS := $(if $(FORCE_FAIL),-DTH_FORCE_FAIL)

# Test sources that cannot run on a board (need libc or a big heap); the
# lead may list files here. Tests listed under TH_HOST_TEST are skipped by
# the runner on target, but their files are still compiled.
TESTS_HOST_ONLY_SRCS ?=

FW_TEST_SRCS  = $(filter-out $(TESTS_HOST_ONLY_SRCS),$(wildcard tests/*.c)) \
                tests/target/main.c tests/target/irq_safety.c tests/target/actors.c
FW_DEMO_SRCS  = $(wildcard demo/*.c)
FW_FAULT_SRCS = tests/target/fault_probe.c

# The fault probe is built once per kind, as build/<board>/fault-<kind>.elf;
# FAULT_DEFS_<kind> selects the kind (see tests/target/fault_probe.c). The
# bad load reads the board's FAULT_ADDR, an address its memory map leaves
# unmapped; a board without one (FAULT_ADDR empty: every address answers)
# skips that probe, and qemu-fault says so without counting it.
FAULT_KINDS := illegal load
FAULT_DEFS_illegal :=
FAULT_DEFS_load     = -DFW_FAULT_LOAD -DFW_FAULT_ADDR=$(BOARD_$(1)_FAULT_ADDR)
# FORCE_FAIL adds a probe that does not fault: qemu-fault must go red.
FAULT_KINDS += $(if $(FORCE_FAIL),none)
FAULT_DEFS_none := -DFW_FAULT_NONE
# $(call fault_kinds_of,BOARD): the kinds that board can run.
fault_kinds_of = $(if $(BOARD_$(1)_FAULT_ADDR),$(FAULT_KINDS),$(filter-out load,$(FAULT_KINDS)))
# Startup code: shared C part plus the board's arch.
fw_arch_srcs  = $(wildcard arch/common/*.c arch/$(1)/*.c arch/$(1)/*.S)

# Everything on a board is built with the core flags from mk/lib.mk. gnu11
# for the statement expressions and range initialisers in arch/. Startup
# code, demo and probe also take the library's full warning set; the tests
# (shared with the host) take theirs.
FW_CFLAGS := -std=gnu11 -Os -g $(TEST_WARN) $(LIB_FREESTANDING) \
             -ffunction-sections -fdata-sections -MMD -MP \
             -Iinclude -Isrc -Iarch/common -Itests -Itests/target

# libgcc (64-bit division, for one) from the multilib that matches the core.
fw_link_flags = $(CORE_$(1)_LINK_FLAGS)

# $(call fw_objs,BOARD,SUBDIR,SOURCES)
fw_objs = $(patsubst %,$(BUILD)/$(1)/$(2)/%.o,$(basename $(3)))

# $(call fw_board_rules,BOARD): objects, the three images and the run command.
define fw_board_rules
FW_$(1)_CC     := $$(CORE_$$(BOARD_$(1)_CORE)_CC)
FW_$(1)_LIB    := $(BUILD)/$$(BOARD_$(1)_CORE)/libfirmheap.a
FW_$(1)_CFLAGS := $$(CORE_$$(BOARD_$(1)_CORE)_FLAGS) $$(FW_CFLAGS) \
                  -Iarch/$$(BOARD_$(1)_ARCH) $$(BOARD_$(1)_BOARD_DEFS) \
                  -DFW_BOARD_NAME='"$(1)"' -DTH_ARENA_SIZE=$$(BOARD_$(1)_TEST_ARENA) \
                  -DTH_SCALE=$$(BOARD_$(1)_TEST_SCALE) \
                  $$(if $$(BOARD_$(1)_IRQ_TEST),-DTH_BOARD_TESTS)
FW_$(1)_ARCH_OBJS  := $$(call fw_objs,$(1),arch,$$(call fw_arch_srcs,$$(BOARD_$(1)_ARCH)))
# The boards' lock is the interrupt-mask lock users pick too (src/opt/lock_irq.c,
# built beside the core's archive): images that use the default heap link it.
FW_$(1)_LOCK       := $(BUILD)/$$(BOARD_$(1)_CORE)/opt/lock_irq.o
FW_$(1)_TEST_OBJS  := $$(call fw_objs,$(1),$(FW_TEST_DIR),$$(FW_TEST_SRCS))
FW_$(1)_DEMO_OBJS  := $$(call fw_objs,$(1),demo,$$(FW_DEMO_SRCS))
FW_$(1)_LDFLAGS := $$(call fw_link_flags,$$(BOARD_$(1)_CORE)) -nostdlib -nostartfiles \
                   -Wl,--gc-sections -Wl,--fatal-warnings -Wl,--no-warn-rwx-segments -Llinker -Lboards/$(1) \
                   -T boards/$(1)/memory.ld
# The board's data and these rules are baked into the objects' flags.
FW_$(1)_FLAGS_DEPS := boards/$(1)/board.mk mk/part-boards.mk
FW_$(1)_QEMU := $$(BOARD_$(1)_QEMU) -M $$(BOARD_$(1)_QEMU_MACHINE) $$(BOARD_$(1)_QEMU_OPTS)

$(BUILD)/$(1)/arch/%.o: %.c $$(FW_$(1)_FLAGS_DEPS)
	$$(call say,CC,$(1)/arch/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(LIB_WARN) -c $$< -o $$@

$(BUILD)/$(1)/arch/%.o: %.S $$(FW_$(1)_FLAGS_DEPS)
	$$(call say,AS,$(1)/arch/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(LIB_WARN) -c $$< -o $$@

$(BUILD)/$(1)/$(FW_TEST_DIR)/%.o: %.c $$(FW_$(1)_FLAGS_DEPS)
	$$(call say,CC,$(1)/$(FW_TEST_DIR)/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(FW_TEST_DEFS) -c $$< -o $$@

$(BUILD)/$(1)/demo/%.o: %.c $$(FW_$(1)_FLAGS_DEPS)
	$$(call say,CC,$(1)/demo/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(LIB_WARN) -c $$< -o $$@

$(BUILD)/$(1)/$(FW_TEST_DIR).elf: $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) $$(FW_$(1)_TEST_OBJS) $$(FW_$(1)_LIB) \
                                  boards/$(1)/memory.ld linker/sections.ld
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -Wl,-Map=$$(@:.elf=.map) -o $$@ \
	    $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) $$(FW_$(1)_TEST_OBJS) $$(FW_$(1)_LIB) -lgcc

$(BUILD)/$(1)/demo.elf: $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) $$(FW_$(1)_DEMO_OBJS) $$(FW_$(1)_LIB) \
                        boards/$(1)/memory.ld linker/sections.ld
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -Wl,-Map=$$(@:.elf=.map) -o $$@ \
	    $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_LOCK) $$(FW_$(1)_DEMO_OBJS) $$(FW_$(1)_LIB) -lgcc

-include $$(patsubst %.o,%.d,$$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_TEST_OBJS) \
           $$(FW_$(1)_DEMO_OBJS))
endef
$(foreach b,$(BOARDS),$(eval $(call fw_board_rules,$(b))))

# $(call fw_fault_rules,BOARD,KIND): one fault probe image. The probe does
# not allocate: it links no library.
define fw_fault_rules
FW_$(1)_FAULT_$(2)_OBJS := $$(call fw_objs,$(1),fault-$(2),$$(FW_FAULT_SRCS))

$(BUILD)/$(1)/fault-$(2)/%.o: %.c $$(FW_$(1)_FLAGS_DEPS)
	$$(call say,CC,$(1)/fault-$(2)/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $$(call FAULT_DEFS_$(2),$(1)) $(LIB_WARN) -c $$< -o $$@

$(BUILD)/$(1)/fault-$(2).elf: $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_FAULT_$(2)_OBJS) \
                              boards/$(1)/memory.ld linker/sections.ld
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -Wl,-Map=$$(@:.elf=.map) -o $$@ \
	    $$(FW_$(1)_ARCH_OBJS) $$(FW_$(1)_FAULT_$(2)_OBJS) -lgcc

-include $$(patsubst %.o,%.d,$$(FW_$(1)_FAULT_$(2)_OBJS))
endef
$(foreach b,$(BOARDS),$(foreach k,$(call fault_kinds_of,$(b)),$(eval $(call fw_fault_rules,$(b),$(k)))))

# $(call fw_list_image_rules,BOARD,NAME,SOURCES,LIST,DEFS,START_OBJS):
# build/BOARD/NAME.elf, the test harness with a test list of its own (LIST,
# e.g. the soak's) and no board tests, over the given startup objects (and
# lock: FW_<board>_LOCK or another).
define fw_list_image_rules
FW_$(1)_$(2)_OBJS := $$(call fw_objs,$(1),$(2),$(3))

$(BUILD)/$(1)/$(2)/%.o: %.c $$(FW_$(1)_FLAGS_DEPS)
	$$(call say,CC,$(1)/$(2)/$$*.o)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_CFLAGS) $(FW_TEST_DEFS) -DTH_TEST_LIST='"$(strip $(4))"' \
	    -UTH_BOARD_TESTS $(5) -c $$< -o $$@

$(BUILD)/$(1)/$(2).elf: $(6) $$(FW_$(1)_$(2)_OBJS) $$(FW_$(1)_LIB) \
                        boards/$(1)/memory.ld linker/sections.ld
	$$(call say,LD,$$@)
	$(Q)$$(FW_$(1)_CC) $$(FW_$(1)_LDFLAGS) -o $$@ $(6) $$(FW_$(1)_$(2)_OBJS) $$(FW_$(1)_LIB) -lgcc

-include $$(patsubst %.o,%.d,$$(FW_$(1)_$(2)_OBJS))
endef

# $(call fw_image_suite,SUITE,BOARD,IMAGE[,QEMU_EXTRA]): a suite (see
# mk/config.mk) that runs build/BOARD/IMAGE.elf in QEMU; the image prints
# its own TAP (tests/runner.c), and a crash, trap or timeout part-way is a
# plan mismatch and a non-zero exit status.
define fw_image_suite
.PHONY: $(1)
$(1): $(BUILD)/$(2)/$(3).elf
	$(Q)tools/qemu-run $$< $$(FW_$(2)_QEMU) $(4)
endef

FW_ALL_TEST_IMAGES  := $(foreach b,$(BOARDS),$(BUILD)/$(b)/$(FW_TEST_DIR).elf)
FW_ALL_FAULT_IMAGES := $(foreach b,$(BOARDS),$(foreach k,$(call fault_kinds_of,$(b)),$(BUILD)/$(b)/fault-$(k).elf))

.PHONY: run qemu-test qemu-test-all qemu-fault images boards

run: deps $(BUILD)/$(BOARD)/demo.elf
	$(call say,QEMU,$(BUILD)/$(BOARD)/demo.elf)
	$(Q)tools/qemu-run $(BUILD)/$(BOARD)/demo.elf $(FW_$(BOARD)_QEMU)

images: $(FW_ALL_TEST_IMAGES) $(FW_ALL_FAULT_IMAGES) \
        $(foreach b,$(BOARDS),$(BUILD)/$(b)/demo.elf)

# Suites for `make test`: one per board, and qemu-fault, one test point per
# board and fault kind (a kind a board cannot run is a comment, not a test).
QEMU_TEST_SUITES := $(addprefix qemu-test-,$(BOARDS))
TEST_SUITES += $(QEMU_TEST_SUITES) qemu-fault
$(foreach b,$(BOARDS),$(eval $(call fw_image_suite,qemu-test-$(b),$(b),$(FW_TEST_DIR))))

qemu-test: deps qemu-test-$(BOARD)

qemu-test-all:
	+@$(call tap_run,$(QEMU_TEST_SUITES))

qemu-fault: $(FW_ALL_FAULT_IMAGES)
	@echo 1..$(words $^)
	$(Q)pass=0; fail=0; \
	$(foreach b,$(BOARDS),$(foreach k,$(call fault_kinds_of,$(b)), \
	if tools/qemu-expect-fault $(BUILD)/$(b)/fault-$(k).elf $(FW_$(b)_QEMU); then \
	    echo "ok - $(b)/$(k): fault reported, exit status 1"; pass=$$((pass + 1)); \
	else \
	    echo "not ok - $(b)/$(k): no fault report or wrong exit status"; fail=$$((fail + 1)); \
	fi;) \
	$(foreach k,$(filter-out $(call fault_kinds_of,$(b)),$(FAULT_KINDS)), \
	echo "# skip $(b)/$(k): boards/$(b)/board.mk sets no FAULT_ADDR (not a test)";)) \
	echo "$$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# The board table, from the board files themselves.
boards:
	@$(foreach b,$(BOARDS),printf '%-11s %-9s %-11s %s\n' $(b) $(BOARD_$(b)_ARCH) \
	    $(BOARD_$(b)_CORE) '$(BOARD_$(b)_DESCRIPTION)';)

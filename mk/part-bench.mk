# The benchmark battery (issue 8). `make bench` builds one QEMU image per
# (board, allocator), each holding the whole job plan (bench/plan.c); the
# runner (tools/bench-run) asks each image for its plan, splits it into
# boots, runs them in parallel under -icount, and tools/bench-report turns
# the output into bench/results.md, docs/bench.md and the plots in docs/.
# `make bench-host` runs the same battery on the host against
# build/host/libfirmheap.a (efficiency and self-checks in seconds).
# `bench-smoke` (part of `make test`) runs the cut-down plan on one image.
#
# Boards are read as data from boards/<name>/board.mk; nothing here branches
# on a board name.

DEPS_PACKAGES += qemu-system-misc qemu-system-arm gcc-riscv64-unknown-elf \
                 gcc-arm-none-eabi libnewlib-arm-none-eabi \
                 picolibc-riscv64-unknown-elf gnuplot-nox python3 valgrind

BENCH_OUT := $(BUILD)/bench

# ---- per-board bench data ---------------------------------------------------
# Board -> the allocators measured on it: instruction counts on the RISC-V
# board (minstret), SysTick ticks on the Cortex-M one.
BENCH_BOARDS := virt-rv32 mps2-an385
BENCH_ALLOCS_virt-rv32  := fh-O2 fh-Os fh-bump picolibc
BENCH_ALLOCS_mps2-an385 := fh-O2 fh-bump newlib newlib-nano
# -icount shift: 0 on RISC-V (1 ns per instruction, minstret exact). On the
# M3, SysTick runs at the 25 MHz core clock (40 ns per tick), so at shift=0 a
# tick would be 40 instructions; shift=6 (64 ns per instruction) makes a tick
# 0.625 instructions, and the image measures the ratio itself.
# Which half of the plan an image runs (bench/plan.c), where not both:
# firmheap's efficiency is the same at -Os and on the M3 (same 32-bit
# layout, same region addresses), so those run the timing jobs only.
BENCH_WHAT_virt-rv32_fh-Os    := timing
BENCH_WHAT_mps2-an385_fh-O2   := timing
BENCH_ICOUNT_virt-rv32  := 0
BENCH_ICOUNT_mps2-an385 := 6
# Memory past the linker's RAM for 32 MiB heaps and their slot table
# (bench/plat_target.c): QEMU gets BENCH_QEMU_MEM, the image uses
# BENCH_POOL bytes from the end of the linker's RAM (4 MiB on virt). A board
# without them runs heaps up to 256 KiB from .bss.
BENCH_QEMU_MEM_virt-rv32 := 64M
BENCH_POOL_virt-rv32     := 50331648

# board.mk is data; read one field without letting it set our variables.
bench_board = $(strip $(shell sed -n 's/^$(2)[[:space:]]*:=[[:space:]]*//p' boards/$(1)/board.mk))

# The QEMU command per board, for tools/bench-run and the smoke run.
bench_qemu = $(call bench_board,$(1),QEMU) -M $(call bench_board,$(1),QEMU_MACHINE) \
             $(call bench_board,$(1),QEMU_OPTS) -icount shift=$(BENCH_ICOUNT_$(1)) \
             $(if $(BENCH_QEMU_MEM_$(1)),-m $(BENCH_QEMU_MEM_$(1)))

# ---- sources -----------------------------------------------------------------
# The trace replayer core, shared with tools/fh-trace, and the recorded
# traces, smallest first (the smoke run replays the first). A board with a
# pool replays them (bench/wl_trace.c); so does the host build. Where the
# tree has no replayer, the plan simply has no trace jobs. The images read
# the files at run time, so nothing here depends on them (mk/part-trace.mk
# would re-record a checked-in trace that a rule asked to be up to date).
BENCH_REPLAY_SRC := $(wildcard tools/trace/replay.c)
BENCH_TRACE_FILES := $(if $(BENCH_REPLAY_SRC),$(shell ls -Sr traces/*.fht 2>/dev/null))
BENCH_TRACE_DEFS := '-DBENCH_TRACES="$(BENCH_TRACE_FILES)"'
# Shared by every image and the host build; plat_*.c and the adapters apart.
BENCH_CORE_SRCS := main plan dist slots stats wl_time wl_eff \
                   $(if $(BENCH_REPLAY_SRC),wl_trace)
# Adapter objects per allocator kind (the name's part before the first '-'
# picks the adapter, the rest the library build).
BENCH_FH_OBJS   = adapt_fh-$(1) worst
BENCH_LIBC_OBJS = libc-$(1) sbrk

BENCH_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
                -fno-builtin -fno-tree-loop-distribute-patterns \
                -ffunction-sections -fdata-sections
BENCH_LIB_CFLAGS := -std=c11 -g $(LIB_WARN) $(LIB_FREESTANDING) \
                    -ffunction-sections -fdata-sections -Iinclude

# C libraries of the peers, by allocator name. Each gives headers (an
# -isystem flag or nothing for the toolchain's own) and the archive.
PICOLIBC_DIR := /usr/lib/picolibc/riscv64-unknown-elf
BENCH_LIBC_INC_picolibc := -isystem $(PICOLIBC_DIR)/include
BENCH_LIBC_A_picolibc    = $(PICOLIBC_DIR)/lib/rv32imac/ilp32/libc.a
BENCH_LIBC_INC_newlib   :=
BENCH_LIBC_A_newlib      = $(shell arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -print-file-name=libc.a)
BENCH_LIBC_INC_newlib-nano :=
BENCH_LIBC_A_newlib-nano   = $(shell arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -print-file-name=libc_nano.a)

BENCH_HDRS := $(wildcard bench/*.h include/*.h tests/xorshift.h tools/trace/replay.h)

# $(call bench_board_rules,BOARD): objects, library builds and images.
define bench_board_rules
B_$(1)_ARCH  := $(call bench_board,$(1),ARCH)
B_$(1)_CORE  := $(call bench_board,$(1),CORE)
B_$(1)_CC     = $$(CORE_$$(B_$(1)_CORE)_CC)
B_$(1)_FLAGS  = $$(CORE_$$(B_$(1)_CORE)_FLAGS)
B_$(1)_OBJ   := $(BENCH_OUT)/$(1)/obj
# The startup code is the boards' (mk/part-boards.mk builds these objects,
# under the same names it uses for the test images).
B_$(1)_START_OBJS := $$(patsubst %,$(BUILD)/$(1)/arch/%.o,$$(basename $$(wildcard \
                     arch/common/*.c arch/$$(B_$(1)_ARCH)/*.c arch/$$(B_$(1)_ARCH)/*.S)))
# Peers bring their own memcpy; the startup's byte loop would slow them.
B_$(1)_START_NOSTR := $$(filter-out %/string.o,$$(B_$(1)_START_OBJS))
B_$(1)_DEFS := $(if $(BENCH_POOL_$(1)),-DBENCH_POOL_BYTES=$(BENCH_POOL_$(1))u $(BENCH_TRACE_DEFS))
B_$(1)_COMPILE = $$(B_$(1)_CC) $$(B_$(1)_FLAGS) $$(BENCH_CFLAGS) $$(B_$(1)_DEFS) \
                 -Ibench -Itests -Iinclude -Itools/trace -Iarch/common -Iarch/$$(B_$(1)_ARCH)

# The library at -O2 (the speed build) and -Os (the size build).
$(BENCH_OUT)/$(1)/lib-%.a: $$(LIB_SRCS) $$(wildcard include/*.h src/*.h)
	$$(call say,AR,$$@)
	$(Q)rm -rf $$@.d && mkdir -p $$@.d
	$(Q)for s in $$(LIB_SRCS); do \
	    $$(B_$(1)_CC) $$(B_$(1)_FLAGS) -$$* $$(BENCH_LIB_CFLAGS) -c $$$$s \
	        -o $$@.d/$$$$(basename $$$$s .c).o || exit 1; done
	$(Q)rm -f $$@ && $$(B_$(1)_CC:gcc=ar) rcs $$@ $$@.d/*.o

$$(B_$(1)_OBJ)/%.o: bench/%.c $(BENCH_HDRS) mk/part-bench.mk
	$$(call say,CC,bench/$(1)/$$*.o)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_COMPILE) -c $$< -o $$@
$$(B_$(1)_OBJ)/replay.o: tools/trace/replay.c $(BENCH_HDRS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_COMPILE) -c $$< -o $$@
$$(B_$(1)_OBJ)/adapt_fh-%.o: bench/adapt_fh.c $(BENCH_HDRS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_COMPILE) '-DBENCH_FH_NAME="fh-$$*"' -c $$< -o $$@
$$(B_$(1)_OBJ)/libc-%.o: bench/adapt_libc.c $(BENCH_HDRS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_COMPILE) $$(BENCH_LIBC_INC_$$*) '-DBENCH_LIBC_NAME="$$*"' -c $$< -o $$@

B_$(1)_CORE_OBJS = $$(patsubst %,$$(B_$(1)_OBJ)/%.o,$(BENCH_CORE_SRCS) plat_target \
                     $(if $(BENCH_REPLAY_SRC),replay))
# libgcc from the core's multilib (mk/cores.mk: CORE_<core>_LINK_FLAGS).
B_$(1)_LINK = $$(B_$(1)_CC) $$(CORE_$$(B_$(1)_CORE)_LINK_FLAGS) -nostdlib -nostartfiles -static \
              -Wl,--gc-sections -Wl,--no-warn-rwx-segments -Lboards/$(1) -Llinker -Tboards/$(1)/memory.ld

# firmheap, one image per library build (fh-O2, fh-Os).
$(BENCH_OUT)/$(1)/fh-%.elf: $$(B_$(1)_CORE_OBJS) $$(patsubst %,$$(B_$(1)_OBJ)/%.o,$$(call BENCH_FH_OBJS,%)) \
                            $$(B_$(1)_START_OBJS) $(BENCH_OUT)/$(1)/lib-%.a
	$$(call say,LD,$$@)
	$(Q)$$(B_$(1)_LINK) $$^ -lgcc -o $$@
$(BENCH_OUT)/$(1)/fh-bump.elf: $$(B_$(1)_CORE_OBJS) $$(B_$(1)_OBJ)/adapt_bump.o \
                               $$(B_$(1)_START_OBJS) $(BENCH_OUT)/$(1)/lib-O2.a
	$$(call say,LD,$$@)
	$(Q)$$(B_$(1)_LINK) $$^ -lgcc -o $$@
endef

# $(call bench_libc_rules,BOARD,LIBC): the image of one C library peer.
define bench_libc_rules
$(BENCH_OUT)/$(1)/$(2).elf: $$(B_$(1)_CORE_OBJS) $$(patsubst %,$$(B_$(1)_OBJ)/%.o,$$(call BENCH_LIBC_OBJS,$(2))) \
                            $$(B_$(1)_START_NOSTR)
	$$(call say,LD,$$@)
	$(Q)$$(B_$(1)_LINK) $$^ -Wl,--start-group $$(BENCH_LIBC_A_$(2)) -lgcc -Wl,--end-group -o $$@
endef

$(foreach b,$(BENCH_BOARDS),$(eval $(call bench_board_rules,$(b))))
$(foreach b,$(BENCH_BOARDS),$(foreach l,$(filter-out fh-%,$(BENCH_ALLOCS_$(b))),\
    $(eval $(call bench_libc_rules,$(b),$(l)))))

BENCH_IMAGES := $(foreach b,$(BENCH_BOARDS),$(foreach a,$(BENCH_ALLOCS_$(b)),$(BENCH_OUT)/$(b)/$(a).elf))
# What the runner is given: image:words.
BENCH_RUNS := $(foreach b,$(BENCH_BOARDS),$(foreach a,$(BENCH_ALLOCS_$(b)),\
                $(BENCH_OUT)/$(b)/$(a).elf:$(BENCH_WHAT_$(b)_$(a))))

# Keep the objects make would otherwise delete as intermediates.
.SECONDARY: $(foreach b,$(BENCH_BOARDS),$(B_$(b)_CORE_OBJS) $(BENCH_OUT)/$(b)/lib-O2.a $(BENCH_OUT)/$(b)/lib-Os.a \
    $(patsubst %,$(B_$(b)_OBJ)/%.o,adapt_bump $(call BENCH_FH_OBJS,O2) $(call BENCH_FH_OBJS,Os) \
      $(foreach l,$(filter-out fh-%,$(BENCH_ALLOCS_$(b))),$(call BENCH_LIBC_OBJS,$(l)))))

# ---- host build --------------------------------------------------------------
BENCH_HOST := $(BENCH_OUT)/host/bench
$(BENCH_HOST): $(patsubst %,bench/%.c,$(BENCH_CORE_SRCS) plat_host adapt_fh worst) \
               $(BENCH_REPLAY_SRC) $(BENCH_HDRS) $(BUILD)/host/libfirmheap.a
	$(call say,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOST_CC) -std=c11 -O2 -g -Wall -Wextra -Werror '-DBENCH_FH_NAME="fh-host"' \
	    $(BENCH_TRACE_DEFS) -Ibench -Itests -Iinclude -Itools/trace \
	    $(filter %.c,$^) $(BUILD)/host/libfirmheap.a -o $@

# ---- targets -----------------------------------------------------------------
.PHONY: bench bench-images bench-smoke bench-host
bench-images: $(BENCH_IMAGES)

# Peers measured outside the repository (their figures only; see README,
# Numbers): merged into the tables, labelled as such.
BENCH_PEERS := $(if $(wildcard bench/peers.json),--peers bench/peers.json)
# The runner niced: the battery is long and the machine may be shared.
bench: deps bench-images cross $(BENCH_HOST)
	@rm -rf $(BENCH_OUT)/out
	@nice tools/bench-run $(BENCH_OUT)/out \
	    $(foreach b,$(BENCH_BOARDS),'$(b)=$(call bench_qemu,$(b))') -- $(BENCH_RUNS)
	@tools/size-report $(BUILD) $(foreach c,$(CORES),$(c):$(CORE_$(c)_CC:gcc=size)) >$(BENCH_OUT)/out/size.txt
	@nice tools/bench-callgrind $(BENCH_HOST) $(BENCH_OUT)/out/callgrind.txt \
	    kind=churn heap=262144 seed=1 dist=mixed
	@tools/bench-report $(BENCH_OUT)/out bench/results.md docs $(BENCH_PEERS)
	@echo "bench: wrote bench/results.md, docs/bench.md, docs/bench-*.png"

# The efficiency half of the plan (patterns and traces) on the host unless
# BENCH_ARGS says otherwise (bench/main.c: timing, eff, kind=, dist=,
# heap=, base=, seed=, free=).
BENCH_ARGS ?= eff
bench-host: $(BENCH_HOST)
	@rm -rf $(BENCH_OUT)/host-out && mkdir -p $(BENCH_OUT)/host-out/host/fh-host
	@$(BENCH_HOST) $(BENCH_ARGS) >$(BENCH_OUT)/host-out/host/fh-host/all.txt; \
	    status=$$?; tools/bench-report --summary $(BENCH_OUT)/host-out; \
	    tail -n 1 $(BENCH_OUT)/host-out/host/fh-host/all.txt; exit $$status

# Smoke: the cut-down plan on the RISC-V board; passes on the image's own
# self-checks (its TAP and exit status), never on timing.
# A suite (see mk/config.mk): the image prints the TAP itself, one test
# point per job; FORCE_FAIL=1 adds one that fails on purpose.
TEST_SUITES += bench-smoke
bench-smoke: $(BENCH_OUT)/virt-rv32/fh-O2.elf
	@tools/qemu-run $< $(call bench_qemu,virt-rv32) \
	    -semihosting-config arg=smoke $(if $(FORCE_FAIL),-semihosting-config arg=forcefail)

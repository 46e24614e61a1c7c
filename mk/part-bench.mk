# Benchmarks (issue 5): `make bench` builds one QEMU image per (board,
# allocator, workload), runs them all under -icount, and turns their output
# into bench/results.md, docs/bench.md and the plots in docs/. The smoke
# suite `bench-smoke` (part of `make test`) runs one short workload so the
# benchmark code keeps building and its self-checks keep holding.
#
# Boards are read as data from boards/<name>/board.mk; nothing here branches
# on a board name. Why one image per workload: a C library's malloc cannot be
# reset, so every peer starts each workload from a fresh boot.

DEPS_PACKAGES += qemu-system-misc qemu-system-arm gcc-riscv64-unknown-elf \
                 gcc-arm-none-eabi libnewlib-arm-none-eabi \
                 picolibc-riscv64-unknown-elf gnuplot-nox python3 valgrind

BENCH_OUT := $(BUILD)/bench
BENCH_WLS := churn-small mixed small wide realloc adv-addr adv-reverse \
             adv-holes adv-4k eff-mixed eff-small eff-wide lifo
# The workloads whose frees are LIFO: the only ones the bump heap can run.
BENCH_LIFO_WLS := adv-reverse adv-4k lifo
BENCH_SMOKE_WL := churn-small

# Board -> the allocators measured on it. Instruction counts on the RISC-V
# board (minstret), SysTick ticks on the Cortex-M one.
BENCH_BOARDS := virt-rv32 mps2-an385
BENCH_ALLOCS_virt-rv32  := fh-buddy fh-buddy-Os fh-bump picolibc
BENCH_ALLOCS_mps2-an385 := fh-buddy fh-bump newlib newlib-nano
# -icount shift: 0 on RISC-V (1 ns per instruction, minstret exact). On the
# M3, SysTick runs at the 25 MHz core clock (40 ns per tick), so at shift=0 a
# tick would be 40 instructions; shift=6 (64 ns per instruction) makes a tick
# 0.625 instructions, and the image measures the ratio itself.
BENCH_ICOUNT_virt-rv32  := 0
BENCH_ICOUNT_mps2-an385 := 6

# board.mk is data; read one field without letting it set our variables.
bench_board = $(strip $(shell sed -n 's/^$(2)[[:space:]]*:=[[:space:]]*//p' boards/$(1)/board.mk))

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

# $(call bench_board_rules,BOARD): objects, library builds and images.
define bench_board_rules
B_$(1)_ARCH  := $(call bench_board,$(1),ARCH)
B_$(1)_CORE  := $(call bench_board,$(1),CORE)
B_$(1)_CC     = $$(CORE_$$(B_$(1)_CORE)_CC)
B_$(1)_FLAGS  = $$(CORE_$$(B_$(1)_CORE)_FLAGS)
B_$(1)_DIR   := $(BENCH_OUT)/$(1)
# The startup code is the boards' (mk/part-boards.mk builds these objects,
# under the same names it uses for the test images).
B_$(1)_START_OBJS := $$(patsubst %,$(BUILD)/$(1)/arch/%.o,$$(basename $$(wildcard \
                     arch/common/*.c arch/$$(B_$(1)_ARCH)/*.c arch/$$(B_$(1)_ARCH)/*.S)))
# Peers bring their own memcpy; the startup's byte loop would slow them.
B_$(1)_START_NOSTR := $$(filter-out %/string.o,$$(B_$(1)_START_OBJS))
B_$(1)_INC := -Ibench -Itests -Iinclude -Iarch/common -Iarch/$$(B_$(1)_ARCH)

# The library at -O2 (the speed build) and -Os (the size build).
$(BENCH_OUT)/$(1)/lib-O2/%.o: src/%.c $$(wildcard include/*.h src/*.h)
	$$(call say,CC,bench/$(1)/lib-O2/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_CC) $$(B_$(1)_FLAGS) -O2 $$(BENCH_LIB_CFLAGS) -c $$< -o $$@
$(BENCH_OUT)/$(1)/lib-Os/%.o: src/%.c $$(wildcard include/*.h src/*.h)
	$$(call say,CC,bench/$(1)/lib-Os/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_CC) $$(B_$(1)_FLAGS) -Os $$(BENCH_LIB_CFLAGS) -c $$< -o $$@
$(BENCH_OUT)/$(1)/lib-O2.a: $$(patsubst src/%.c,$(BENCH_OUT)/$(1)/lib-O2/%.o,$$(LIB_SRCS))
	$(Q)rm -f $$@ && $$(B_$(1)_CC:gcc=ar) rcs $$@ $$^
$(BENCH_OUT)/$(1)/lib-Os.a: $$(patsubst src/%.c,$(BENCH_OUT)/$(1)/lib-Os/%.o,$$(LIB_SRCS))
	$(Q)rm -f $$@ && $$(B_$(1)_CC:gcc=ar) rcs $$@ $$^

# Bench objects shared by every allocator on this board.
$(BENCH_OUT)/$(1)/obj/%.o: bench/%.c $$(wildcard bench/*.h include/*.h)
	$$(call say,CC,bench/$(1)/$$(notdir $$@))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_CC) $$(B_$(1)_FLAGS) $$(BENCH_CFLAGS) $$(B_$(1)_INC) -c $$< -o $$@
$(BENCH_OUT)/$(1)/obj/main-%.o: bench/main.c $$(wildcard bench/*.h)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_CC) $$(B_$(1)_FLAGS) $$(BENCH_CFLAGS) $$(B_$(1)_INC) '-DBENCH_WL="$$*"' -c $$< -o $$@
$(BENCH_OUT)/$(1)/obj/smoke$(FF_SUFFIX)-%.o: bench/main.c $$(wildcard bench/*.h)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_CC) $$(B_$(1)_FLAGS) $$(BENCH_CFLAGS) $$(B_$(1)_INC) '-DBENCH_WL="$$*"' -DBENCH_SMOKE \
	    $(if $(FORCE_FAIL),-DBENCH_FORCE_FAIL) -c $$< -o $$@
$(BENCH_OUT)/$(1)/obj/libc-%.o: bench/adapt_libc.c $$(wildcard bench/*.h)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_CC) $$(B_$(1)_FLAGS) $$(BENCH_CFLAGS) $$(BENCH_LIBC_INC_$$*) $$(B_$(1)_INC) '-DBENCH_LIBC_NAME="$$*"' -c $$< -o $$@

B_$(1)_COMMON = $(BENCH_OUT)/$(1)/obj/stats.o $(BENCH_OUT)/$(1)/obj/workloads.o \
                $(BENCH_OUT)/$(1)/obj/plat_target.o
# libgcc from the core's multilib (mk/cores.mk: CORE_<core>_LINK_FLAGS).
B_$(1)_LINK = $$(B_$(1)_CC) $$(CORE_$$(B_$(1)_CORE)_LINK_FLAGS) -nostdlib -nostartfiles -static \
              -Wl,--gc-sections -Wl,--no-warn-rwx-segments -Lboards/$(1) -Llinker -Tboards/$(1)/memory.ld

# One image per allocator kind and workload (the % is the workload).
$(BENCH_OUT)/$(1)/fh-buddy/%.elf: $(BENCH_OUT)/$(1)/obj/main-%.o $(BENCH_OUT)/$(1)/obj/adapt_buddy.o $$(B_$(1)_COMMON) $$(B_$(1)_START_OBJS) $(BENCH_OUT)/$(1)/lib-O2.a
	$$(call say,LD,$$@)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_LINK) $$^ -lgcc -o $$@
$(BENCH_OUT)/$(1)/fh-buddy-Os/%.elf: $(BENCH_OUT)/$(1)/obj/main-%.o $(BENCH_OUT)/$(1)/obj/adapt_buddy.o $$(B_$(1)_COMMON) $$(B_$(1)_START_OBJS) $(BENCH_OUT)/$(1)/lib-Os.a
	$$(call say,LD,$$@)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_LINK) $$^ -lgcc -o $$@
$(BENCH_OUT)/$(1)/fh-bump/%.elf: $(BENCH_OUT)/$(1)/obj/main-%.o $(BENCH_OUT)/$(1)/obj/adapt_bump.o $$(B_$(1)_COMMON) $$(B_$(1)_START_OBJS) $(BENCH_OUT)/$(1)/lib-O2.a
	$$(call say,LD,$$@)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_LINK) $$^ -lgcc -o $$@
$(BENCH_OUT)/$(1)/smoke$(FF_SUFFIX)/%.elf: $(BENCH_OUT)/$(1)/obj/smoke$(FF_SUFFIX)-%.o $(BENCH_OUT)/$(1)/obj/adapt_buddy.o $$(B_$(1)_COMMON) $$(B_$(1)_START_OBJS) $(BENCH_OUT)/$(1)/lib-O2.a
	$$(call say,LD,$$@)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_LINK) $$^ -lgcc -o $$@
endef

# $(call bench_libc_rules,BOARD,LIBC): the images of one C library peer.
define bench_libc_rules
$(BENCH_OUT)/$(1)/$(2)/%.elf: $(BENCH_OUT)/$(1)/obj/main-%.o $(BENCH_OUT)/$(1)/obj/libc-$(2).o $(BENCH_OUT)/$(1)/obj/sbrk.o $$(B_$(1)_COMMON) $$(B_$(1)_START_NOSTR)
	$$(call say,LD,$$@)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(B_$(1)_LINK) $$^ -Wl,--start-group $$(BENCH_LIBC_A_$(2)) -lgcc -Wl,--end-group -o $$@
endef

$(foreach b,$(BENCH_BOARDS),$(eval $(call bench_board_rules,$(b))))
$(foreach b,$(BENCH_BOARDS),$(foreach l,$(filter-out fh-%,$(BENCH_ALLOCS_$(b))),$(eval $(call bench_libc_rules,$(b),$(l)))))

# Every image `make bench` runs: bump only where its frees are LIFO.
bench_wls_for = $(if $(filter fh-bump,$(1)),$(BENCH_LIFO_WLS),$(BENCH_WLS))
BENCH_IMAGES := $(foreach b,$(BENCH_BOARDS),$(foreach a,$(BENCH_ALLOCS_$(b)),\
                  $(foreach w,$(call bench_wls_for,$(a)),$(BENCH_OUT)/$(b)/$(a)/$(w).elf)))

# The QEMU command per board, for tools/bench-run (board:qemu args...).
bench_qemu = $(call bench_board,$(1),QEMU) -M $(call bench_board,$(1),QEMU_MACHINE) \
             $(call bench_board,$(1),QEMU_OPTS) -icount shift=$(BENCH_ICOUNT_$(1))

# Keep the objects make would otherwise delete as intermediates.
.SECONDARY: $(foreach b,$(BENCH_BOARDS),$(addprefix $(BENCH_OUT)/$(b)/obj/,\
    stats.o workloads.o plat_target.o adapt_buddy.o adapt_bump.o sbrk.o \
    $(patsubst %,libc-%.o,$(filter-out fh-%,$(BENCH_ALLOCS_$(b)))) \
    $(patsubst %,main-%.o,$(BENCH_WLS)) smoke$(FF_SUFFIX)-$(BENCH_SMOKE_WL).o))

.PHONY: bench bench-images bench-smoke
bench-images: $(BENCH_IMAGES)

bench: deps bench-images cross $(BENCH_OUT)/host/bench-fh-buddy
	@rm -rf $(BENCH_OUT)/out
	@tools/bench-run $(BENCH_OUT)/out $(foreach b,$(BENCH_BOARDS),'$(b)=$(call bench_qemu,$(b))') -- $(BENCH_IMAGES)
	@tools/size-report $(BUILD) $(foreach c,$(CORES),$(c):$(CORE_$(c)_CC:gcc=size)) >$(BENCH_OUT)/out/size.txt
	@$(BENCH_OUT)/host/bench-fh-buddy >$(BENCH_OUT)/out/host.txt
	@tools/bench-callgrind $(BENCH_OUT)/host/bench-fh-buddy $(BENCH_OUT)/out/callgrind.txt
	@tools/bench-report $(BENCH_OUT)/out bench/results.md docs
	@echo "bench: wrote bench/results.md, docs/bench.md, docs/bench-*.png"

# Host build of the same workloads, for callgrind's per-function breakdown.
$(BENCH_OUT)/host/bench-fh-buddy: $(wildcard bench/*.c bench/*.h) $(BUILD)/host/libfirmheap.a
	$(call say,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOST_CC) -std=c11 -O2 -g -Wall -Wextra -Werror -DBENCH_HOST -Ibench -Itests -Iinclude \
	    bench/main.c bench/stats.c bench/workloads.c bench/plat_host.c bench/adapt_buddy.c \
	    $(BUILD)/host/libfirmheap.a -o $@

# Smoke: one short workload on the RISC-V board; passes on the image's own
# self-checks (its TAP and exit status), never on timing. A suite (see
# mk/config.mk); FORCE_FAIL=1 builds it with one failing self-check.
TEST_SUITES += bench-smoke
bench-smoke: $(BENCH_OUT)/virt-rv32/smoke$(FF_SUFFIX)/$(BENCH_SMOKE_WL).elf
	@tools/qemu-run $< $(call bench_qemu,virt-rv32)

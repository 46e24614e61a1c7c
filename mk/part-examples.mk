# Users' own firmware (examples/), each built with its own build system the
# way a user would and run in QEMU: a suite example-<name> each (part of
# `make test`; `make examples` runs them all).
#
#   c-own-linker  no C library; a vendor-style linker script that INCLUDEs
#                 heap.ld; the fault report; fh_dump (-> `make heapmap`)
#   newlib-nano   newlib's own allocations on firmheap through the newlib glue
#   newlib-full   the same with full newlib
#   picolibc      picolibc's crt0 and linker script, the picolibc glue
#   cmake         CMake (examples/cmake): through add_subdirectory, buddy
#   cmake-fetch   the same through FetchContent from a file:// archive of
#                 this tree, bump backend, no lock (firmheap_lock_none); and
#                 the library and its locks alone with the RISC-V toolchain
#                 file (built, not run)
#   rust-release  a cargo project (examples/rust) with its own
#   rust-debug    .cargo/config.toml, release and debug builds, with Debian's
#                 cargo and rustc and the sysroot mk/part-rust.mk builds
#
# The Arm examples run on examples/lm3s6965/ (QEMU lm3s6965evb, a machine
# boards/ does not ship: the user's own board); picolibc on the riscv32 virt
# machine, whose QEMU command is boards/virt-rv32's. Besides running them,
# the suite links c-own-linker with a .bss too big for heap.ld's checks (the
# link must fail, naming the limit) and renders its heap dump with
# tools/heapmap (example-link-<bytes>, example-cmake-riscv, example-heapmap:
# one test each, tools/tap-one). The examples print TAP (examples/common/
# check.h, examples/rust); a build that fails leaves no plan, a failure.

DEPS_PACKAGES += gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf \
                 picolibc-riscv64-unknown-elf qemu-system-arm qemu-system-misc \
                 gnuplot-nox python3 cmake

EX_OUT := $(BUILD)/examples$(FF_SUFFIX)
EX_CFLAGS := $(if $(FORCE_FAIL),-DEX_FORCE_FAIL)
# examples/lm3s6965/board.mk is data: read a field without letting it set ours.
ex_board = $(strip $(shell sed -n 's/^$(1)[[:space:]]*:=[[:space:]]*//p' examples/lm3s6965/board.mk))
EX_LM3S_QEMU := $(call ex_board,QEMU) -M $(call ex_board,QEMU_MACHINE)

# Per example: the build command, the image it leaves, the QEMU command.
EX_MAKE = $(MAKE) --no-print-directory -s -C examples/$(1) O=$(CURDIR)/$(EX_OUT)/$(2) \
          EXTRA_CFLAGS='$(EX_CFLAGS)' $(3)
EXAMPLES += c-own-linker newlib-nano newlib-full picolibc
EX_BUILD_c-own-linker = $(call EX_MAKE,c-own-linker,c-own-linker)
EX_QEMU_c-own-linker  = $(EX_LM3S_QEMU)
EX_BUILD_newlib-nano  = $(call EX_MAKE,newlib,newlib-nano,LIBC=nano)
EX_QEMU_newlib-nano   = $(EX_LM3S_QEMU)
EX_BUILD_newlib-full  = $(call EX_MAKE,newlib,newlib-full,LIBC=full)
EX_QEMU_newlib-full   = $(EX_LM3S_QEMU)
EX_BUILD_picolibc     = $(call EX_MAKE,picolibc,picolibc)
EX_QEMU_picolibc      = $(FW_virt-rv32_QEMU)

# CMake: configure (toolchain file, core from the board's data) and build.
EX_CMAKE = cmake -S examples/cmake -B $(EX_OUT)/$(1) -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/arm-none-eabi.cmake \
           -DFIRMHEAP_CORE=$(call ex_board,CORE) -DEX_FORCE_FAIL=$(if $(FORCE_FAIL),ON,OFF) $(2) >/dev/null && \
           cmake --build $(EX_OUT)/$(1) >/dev/null
EXAMPLES += cmake cmake-fetch
EX_BUILD_cmake = $(call EX_CMAKE,cmake)
EX_QEMU_cmake  = $(EX_LM3S_QEMU)
# FetchContent keeps what it fetched: start afresh so it takes this tree.
EX_SRC_ARCHIVE := $(EX_OUT)/firmheap-src.tar.gz
EX_BUILD_cmake-fetch = rm -rf $(EX_OUT)/cmake-fetch && mkdir -p $(EX_OUT) && \
    tar -czf $(EX_SRC_ARCHIVE) --exclude=./build --exclude=./.git --exclude=./rust/target \
        --transform 's,^\.,firmheap,' . && \
    $(call EX_CMAKE,cmake-fetch,-DFIRMHEAP_URL=file://$(CURDIR)/$(EX_SRC_ARCHIVE) -DFIRMHEAP_BACKEND=bump -DEX_LOCK=none)
EX_QEMU_cmake-fetch = $(EX_LM3S_QEMU)
EX_CMAKE_RISCV = cmake -S . -B $(EX_OUT)/cmake-riscv -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/riscv64-unknown-elf.cmake \
                 -DFIRMHEAP_CORE=rv32imc >/dev/null && \
                 cmake --build $(EX_OUT)/cmake-riscv --target firmheap firmheap_lock_irq firmheap_lock_none >/dev/null

# Rust: the board's core gives the target (mk/cores.txt); the sysroot
# (core, alloc) comes through RUSTFLAGS, as README tells users.
EX_RUST_TARGET := $(CORE_$(call ex_board,CORE)_RUST)
EX_CARGO = $(MAKE) --no-print-directory -s $(RUST_OUT)/sysroot-$(EX_RUST_TARGET)/.stamp && \
    rm -f examples/rust/Cargo.lock && (cd examples/rust && \
    $(if $(FORCE_FAIL),EX_FORCE_FAIL=1) RUSTC_BOOTSTRAP=1 RUSTC=$(RUST_FW_RUSTC) \
    RUSTFLAGS="--sysroot $(CURDIR)/$(RUST_OUT)/sysroot-$(EX_RUST_TARGET)" \
    CARGO_TARGET_DIR=$(CURDIR)/$(EX_OUT)/rust $(RUST_FW_CARGO) build --offline -q $(1))
EXAMPLES += rust-release rust-debug
EX_BUILD_rust-release = $(call EX_CARGO,--release)
EX_IMAGE_rust-release = $(EX_OUT)/rust/$(EX_RUST_TARGET)/release/firmheap-example
EX_QEMU_rust-release  = $(EX_LM3S_QEMU)
EX_BUILD_rust-debug   = $(call EX_CARGO,)
EX_IMAGE_rust-debug   = $(EX_OUT)/rust/$(EX_RUST_TARGET)/debug/firmheap-example
EX_QEMU_rust-debug    = $(EX_LM3S_QEMU)

ex_image = $(or $(EX_IMAGE_$(1)),$(EX_OUT)/$(1)/firmware.elf)

# heap.ld's checks: .bss sizes (EX_BSS_BYTES) that leave a heap below
# lm3s6965.ld's __heap_min_size, and that run into the stack reserve.
EX_LINK_CHECKS := 50000:__heap_min_size 62000:stack.reserve

# The suites. example-heapmap draws the dump example-c-own-linker left, so
# it comes after it.
EX_SUITES := $(addprefix example-,$(EXAMPLES)) \
             $(foreach c,$(EX_LINK_CHECKS),example-link-$(firstword $(subst :, ,$(c)))) \
             example-cmake-riscv example-heapmap
.PHONY: examples heapmap $(EX_SUITES)
TEST_SUITES += $(EX_SUITES)
examples: deps
	+@$(call tap_run,$(EX_SUITES))

# Build (the example's own way), then run; the output is kept for heapmap.
# Expanded when the recipe runs: the Rust ones need mk/part-rust.mk's names.
define ex_suite_rules
example-$(1):
	$(Q)mkdir -p $(EX_OUT)
	$(Q)$$(EX_BUILD_$(1))
	$(Q)tools/qemu-run $$(call ex_image,$(1)) $$(EX_QEMU_$(1)) >$(EX_OUT)/$(1).out 2>&1; \
	status=$$$$?; cat $(EX_OUT)/$(1).out; exit $$$$status
endef
$(foreach e,$(EXAMPLES),$(eval $(call ex_suite_rules,$(e))))

define ex_link_rules
example-link-$(1):
	$(Q)FORCE_FAIL=$(FORCE_FAIL) tools/tap-one "heap.ld refuses a $(1)-byte .bss, naming $(2)" \
	    tools/link-must-fail $(2) $$(call EX_MAKE,c-own-linker,link-check-$(1)) EXTRA_CFLAGS=-DEX_BSS_BYTES=$(1)
endef
$(foreach c,$(EX_LINK_CHECKS),$(eval $(call ex_link_rules,$(firstword $(subst :, ,$(c))),$(lastword $(subst :, ,$(c))))))

example-cmake-riscv:
	$(Q)tools/tap-one "cmake: the library and locks for rv32imc with cmake/riscv64-unknown-elf.cmake" \
	    sh -c '$(EX_CMAKE_RISCV)'

example-heapmap:
	$(Q)tools/tap-one "tools/heapmap draws c-own-linker's dump" \
	    tools/heapmap $(EX_OUT)/c-own-linker.out $(EX_OUT)/heapmap.png

# The README's heap picture: c-own-linker's dump, drawn.
heapmap: deps example-c-own-linker
	$(Q)tools/heapmap $(EX_OUT)/c-own-linker.out docs/heapmap.png \
	    "c-own-linker example (lm3s6965evb, 64 KiB RAM)"
	@echo "heapmap: wrote docs/heapmap.png"

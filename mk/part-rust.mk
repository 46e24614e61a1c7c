# Rust: the firmheap crate's host tests (cargo), its cargo cross builds, and
# a Rust firmware image per Rust-capable board, run in QEMU. Each is a suite
# of `make test` (TAP, see mk/config.mk); `make rust-test` runs them all under
# the TAP harness.
#
# Two toolchains on purpose (README.md ("Using firmheap from Rust"):
#   host tests  cargo/rustc from PATH (rustup's, or Debian's 1.63), --offline;
#   firmware    Debian's rustc (RUST_FW_RUSTC) with a core/compiler_builtins/
#               alloc sysroot we compile from Debian's sources, since no
#               prebuilt target std is installed and nothing may be fetched.
# The firmware path uses the crate's own build.rs (compiled and run by hand,
# the way cargo would) so the C library is built exactly as crate users get
# it, and links with the boards' startup objects and linker scripts from
# mk/part-boards.mk (FW_<board>_ARCH_OBJS, FW_<board>_LDFLAGS, FW_<board>_QEMU).

DEPS_PACKAGES += rustc cargo rust-src librust-compiler-builtins-dev

RUST_FW_RUSTC   ?= /usr/bin/rustc
RUST_FW_CARGO   ?= /usr/bin/cargo
RUST_HOST_RUSTC ?= rustc
CARGO           ?= cargo
RUST_HOST        = $(shell $(RUST_HOST_RUSTC) -vV 2>/dev/null | sed -n 's/^host: //p')

# A board runs the Rust firmware if its core has a Rust target in
# mk/cores.txt (CORE_<core>_RUST) and it is listed in RUST_BOARDS.
RUST_BOARDS ?= mps2-an385 virt-rv32

# FORCE_FAIL=1 (as in mk/part-boards.mk) builds everything with one case
# that fails on purpose, to prove a failure turns the suite red.
ifneq ($(FORCE_FAIL),)
RUST_FW_NAME   := rust-fw-forcefail
RUST_FORCE_ENV := FIRMHEAP_FORCE_FAIL=1
else
RUST_FW_NAME   := rust-fw
RUST_FORCE_ENV :=
endif

RUST_OUT  := $(BUILD)/rust
# Same opt level and panic strategy as the sysroot (rust/tools/build-sysroot).
RUST_FW_FLAGS := --edition 2021 -C opt-level=s -C panic=abort -C debuginfo=1
RUST_CRATE_SRCS := $(wildcard rust/src/*.rs)
RUST_FW_SRCS    := rust/firmware/main.rs rust/tests/cases/alloc_cases.rs

.PHONY: rust-test rust-host-test rust-fw rust-sysroots

# --- per target: sysroot, C library through build.rs, the crate's rlib ----

# The build script, compiled once for the host.
$(RUST_OUT)/build-script: rust/build.rs
	$(call say,RUSTC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(RUST_HOST_RUSTC) --edition 2021 -O --crate-name build_script $< -o $@

# $(call rust_target_rules,TRIPLE)
define rust_target_rules
$(RUST_OUT)/sysroot-$(1)/.stamp: rust/tools/build-sysroot
	$$(call say,SYSROOT,$(1))
	$(Q)rust/tools/build-sysroot $(RUST_FW_RUSTC) $(1) $(RUST_OUT)/sysroot-$(1)
	$(Q)touch $$@

# Run build.rs with the variables cargo would set; keep its cargo: lines.
$(RUST_OUT)/$(1)/c/libfirmheap.a: $(RUST_OUT)/build-script $(LIB_SRCS) $(wildcard include/*.h src/*.h) \
                                  rust/c/abi_check.c
	$$(call say,BUILDRS,$(1))
	$(Q)mkdir -p $$(@D)
	$(Q)TARGET=$(1) HOST=$$(RUST_HOST) OUT_DIR=$(CURDIR)/$$(@D) \
	    CARGO_MANIFEST_DIR=$(CURDIR)/rust $(RUST_OUT)/build-script >$$(@D)/cargo-lines.txt

# The crate, with the C library bundled into the rlib as cargo does.
$(RUST_OUT)/$(1)/libfirmheap.rlib: $(RUST_CRATE_SRCS) $(RUST_OUT)/$(1)/c/libfirmheap.a \
                                   $(RUST_OUT)/sysroot-$(1)/.stamp
	$$(call say,RUSTC,$$@)
	$(Q)RUSTC_BOOTSTRAP=1 $(RUST_FW_RUSTC) $(RUST_FW_FLAGS) --target $(1) \
	    --sysroot $(RUST_OUT)/sysroot-$(1) -C embed-bitcode=yes \
	    --cfg 'feature="lock"' --crate-type rlib --crate-name firmheap rust/src/lib.rs \
	    -L native=$(RUST_OUT)/$(1)/c -l static=firmheap -o $$@
endef
RUST_TARGETS := $(sort $(foreach b,$(RUST_BOARDS),$(CORE_$(BOARD_$(b)_CORE)_RUST)))
$(foreach t,$(RUST_TARGETS),$(eval $(call rust_target_rules,$(t))))

# --- per board: the firmware image ----------------------------------------

# -C lto=fat: without it the allocator shim pulls in Arm unwinding tables
# that a panic=abort image has no use for. The link itself is the boards'
# (same startup objects, scripts and flags as the C test image) without
# the boards' lock: the crate's lock feature supplies fh_lock/fh_unlock, as
# it does for crate users, so that is the lock these images test.
define rust_board_rules
RUST_$(1)_TARGET := $$(CORE_$$(BOARD_$(1)_CORE)_RUST)
RUST_$(1)_OBJS   := $$(FW_$(1)_ARCH_OBJS)
$(BUILD)/$(1)/$(RUST_FW_NAME).elf: $(RUST_FW_SRCS) $(RUST_OUT)/$$(RUST_$(1)_TARGET)/libfirmheap.rlib \
                           $$(RUST_$(1)_OBJS) boards/$(1)/memory.ld linker/sections.ld
	$$(call say,RUSTC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$(RUST_FORCE_ENV) RUSTC_BOOTSTRAP=1 $(RUST_FW_RUSTC) $(RUST_FW_FLAGS) -C lto=fat \
	    --target $$(RUST_$(1)_TARGET) --sysroot $(RUST_OUT)/sysroot-$$(RUST_$(1)_TARGET) \
	    --crate-type bin --crate-name rust_fw rust/firmware/main.rs \
	    --extern firmheap=$(RUST_OUT)/$$(RUST_$(1)_TARGET)/libfirmheap.rlib \
	    -C linker=$$(FW_$(1)_CC) \
	    $$(foreach f,$$(FW_$(1)_LDFLAGS) -Wl$$(comma)-Map=$$(@:.elf=.map) $$(RUST_$(1)_OBJS) -lgcc,-C link-arg=$$(f)) \
	    -o $$@
endef
$(foreach b,$(RUST_BOARDS),$(eval $(call rust_board_rules,$(b))))

RUST_FW_IMAGES := $(foreach b,$(RUST_BOARDS),$(BUILD)/$(b)/$(RUST_FW_NAME).elf)

rust-sysroots: $(foreach t,$(RUST_TARGETS),$(RUST_OUT)/sysroot-$(t)/.stamp)
rust-fw: $(RUST_FW_IMAGES)

# --- the suites ------------------------------------------------------------

# rust-cargo-<test>: one cargo test binary, rust/tests/<test>.rs, with
# RUST_CARGO_ARGS_<test> (rust/tools/host-test makes its output TAP).
# rust-cross-<triple>: the crate built by cargo exactly as README.md ("Using
# firmheap from Rust") tells users (rust/tools/cargo-cross).
# rust-fw-<board>: the firmware image under QEMU. A build failure prints no
# plan and fails the suite like a crash.
RUST_CARGO_TESTS := $(basename $(notdir $(wildcard rust/tests/*.rs)))
RUST_CARGO_ARGS_bump := --features bump
RUST_HOST_SUITES := $(addprefix rust-cargo-,$(RUST_CARGO_TESTS))
RUST_SUITES := $(RUST_HOST_SUITES) $(addprefix rust-cross-,$(RUST_TARGETS)) \
               $(addprefix rust-fw-,$(RUST_BOARDS))
TEST_SUITES += $(RUST_SUITES)
.PHONY: $(RUST_SUITES)

$(RUST_HOST_SUITES): rust-cargo-%:
	$(Q)$(RUST_FORCE_ENV) CARGO=$(CARGO) CARGO_TARGET_DIR=$(CURDIR)/$(RUST_OUT)/cargo \
	    rust/tools/host-test rust/Cargo.toml $* $(RUST_CARGO_ARGS_$*)

$(addprefix rust-cross-,$(RUST_TARGETS)): rust-cross-%: $(RUST_OUT)/sysroot-%/.stamp
	$(Q)FW_RUSTC=$(RUST_FW_RUSTC) FW_CARGO=$(RUST_FW_CARGO) \
	    rust/tools/cargo-cross rust/Cargo.toml $* $(RUST_OUT)/sysroot-$*

$(addprefix rust-fw-,$(RUST_BOARDS)): rust-fw-%: $(BUILD)/%/$(RUST_FW_NAME).elf
	$(Q)tools/qemu-run $< $(FW_$*_QEMU)

rust-host-test:
	+@$(call tap_run,$(RUST_HOST_SUITES))

rust-test:
	+@$(call tap_run,$(RUST_SUITES))

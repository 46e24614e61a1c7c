# firmheap — one non-recursive build. `make help` lists the targets.
#
# The pieces live in mk/*.mk, one job each; boards are data in boards/<name>/.

.DEFAULT_GOAL := lib
.SUFFIXES:
.DELETE_ON_ERROR:

include mk/config.mk
include mk/deps.mk
include mk/lib.mk
include mk/host-tests.mk
include $(sort $(wildcard mk/part-*.mk))

.PHONY: test help clean

# Every suite registered in TEST_SUITES (see mk/config.mk for what a suite
# is) runs under TAP::Harness, which Debian's perl carries; the last line is
# "N passed, N failed" over every test point, and any failure, crash or
# missing plan makes `make test` fail.
DEPS_PACKAGES += perl

test: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	+@$(call tap_run,$(TEST_SUITES))

# Everything the build and the tests made; cargo's own target folders too.
clean:
	rm -rf $(BUILD) rust/target examples/*/build rust/Cargo.lock examples/rust/Cargo.lock

help:
	@echo "make run          demo firmware on BOARD (default $(BOARD)) in QEMU"
	@echo "make test         every suite, all boards, Rust; installs what it needs"
	@echo "make deps         install the Debian packages (apt-get, as root)"
	@echo "make lib          host library build/host/libfirmheap.a"
	@echo "make cross        the library for every core, undefined-symbol checked"
	@echo "make size         .text/.data/.bss per core"
	@echo "make host-test    host unit, exhaustive and randomized tests"
	@echo "make asan-test    the same under ASan/UBSan"
	@echo "make bump-test    the front ends over the bump backend"
	@echo "make cross-test   freestanding build check, one test per core"
	@echo "make cross-test-clang  the same with clang, one test per core"
	@echo "make qemu-test    test image on BOARD in QEMU"
	@echo "make qemu-test-all / qemu-fault   every board: tests / a deliberate fault"
	@echo "make images       build every board image, run nothing"
	@echo "make boards       the board table"
	@echo "make rust-test    Rust crate tests and Rust firmware (rust-host-test, rust-fw)"
	@echo "make empty-heap-test / harden-test   host runners: empty linker region / FH_HARDEN=1"
	@echo "make link-test    a user's lock in an object or archive (host, virt-rv32)"
	@echo "make soak         a million operations under a fast timer interrupt (soak-short: 50,000)"
	@echo "make smp-test     two harts on one default heap (QEMU virt -smp 2)"
	@echo "make bench-contract  first-call and FH_HARDEN instruction counts"
	@echo "make examples     users' own firmware (examples/: C, newlib, picolibc, CMake, Rust) in QEMU"
	@echo "make diag-test    default heap's first-use check, missing-__heap_start link message"
	@echo "make gdb-test     tools/gdb/firmheap.py against QEMU's gdb stub (mps2-an385, virt-rv64)"
	@echo "make heapmap      docs/heapmap.png from the c-own-linker example's fh_dump"
	@echo "make cores        the table of cores (mk/cores.txt) as make reads it"
	@echo "make clean        remove build/ and cargo's output"
	@echo "make bench        instruction-count benchmarks -> bench/results.md, docs/*.png"
	@echo "make bench-host   the battery's efficiency patterns and traces on the host, in seconds"
	@echo "make trace-test   traces: recording, replay, fh-trace, board recordings replayed on the host"
	@echo "make trace-record a board's firmware records its heap: build/trace/BOARD/recorded.fht"
	@echo "make traces       re-record the example traces in traces/ (mbedTLS, cJSON, Lua, zlib)"
	@echo "make trace-cost   instructions per default-heap call with tracing off and on (virt-rv32)"
	@echo "make fuzz         each libFuzzer target FUZZ_SECONDS (60) seconds; fuzz-selftest"
	@echo "make coverage     line/branch coverage of src/ by the tests, gated (95%/90%)"
	@echo "V=1 shows full commands; FORCE_FAIL=1 adds a failing test everywhere."

# QEMU's generic RISC-V machine, 64-bit: 64-bit size_t and pointers.
# Same map as virt-rv32.
DESCRIPTION   := QEMU riscv64 virt, rv64imac
ARCH          := riscv
CORE          := rv64imac
QEMU          := qemu-system-riscv64
QEMU_MACHINE  := virt
QEMU_OPTS     := -bios none -m 16M
RAM           := 4 MiB (of 16)
TEST_ARENA    := 262144
TEST_SCALE    := 10
IRQ_TEST      := clint
BOARD_DEFS    := -DFW_CLINT_BASE=0x2000000u -DFW_TIMER_HZ=10000000u
# A word load from here faults (the probe's bad load): nothing is mapped
# between the goldfish RTC (0x101000) and the CLINT at 0x2000000.
FAULT_ADDR    := 0x00200000u
# Harts for the multi-hart test (make smp-test: QEMU -smp, arch/riscv/smp/lock.c).
SMP_HARTS     := 2

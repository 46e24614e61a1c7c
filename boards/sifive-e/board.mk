# SiFive Freedom E (E31-like): rv32imac, code executes in place from SPI
# flash (the mask ROM jumps to 0x20400000), 16 KiB DTIM RAM at 0x80000000.
# The small RISC-V target.
DESCRIPTION   := SiFive Freedom E (sifive_e), rv32imac, 16 KiB RAM
ARCH          := riscv
CORE          := rv32imac
QEMU          := qemu-system-riscv32
QEMU_MACHINE  := sifive_e
QEMU_OPTS     :=
RAM           := 16 KiB
TEST_ARENA    := 5120
TEST_SCALE    := 1
IRQ_TEST      := clint
BOARD_DEFS    := -DFW_CLINT_BASE=0x2000000u -DFW_TIMER_HZ=10000000u
# A word load from here faults (the probe's bad load): nothing is mapped
# between the mask ROM (ending 0x2fff) and the CLINT at 0x2000000.
FAULT_ADDR    := 0x00200000u

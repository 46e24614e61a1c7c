# BBC micro:bit (nRF51822): Cortex-M0, ARMv6-M (no CLZ, no divide),
# 256 KiB flash at 0, 16 KiB RAM at 0x20000000. The small Arm target.
DESCRIPTION   := BBC micro:bit (nRF51), Cortex-M0 (ARMv6-M), 16 KiB RAM
ARCH          := arm
CORE          := cortex-m0
QEMU          := qemu-system-arm
QEMU_MACHINE  := microbit
QEMU_OPTS     :=
RAM           := 16 KiB
TEST_ARENA    := 5120
TEST_SCALE    := 1
IRQ_TEST      := systick
BOARD_DEFS    := -DFW_CPU_HZ=16000000
# A word load from here faults (the probe's bad load): the nRF51 model
# answers 0x40000000-0x5fffffff (read-as-zero where no peripheral is) and
# 0xf0000000 up, but nothing in between.
FAULT_ADDR    := 0x60000000u

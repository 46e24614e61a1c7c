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

# Arm MPS2 with the AN385 FPGA image: Cortex-M3, 4 MiB code SSRAM at 0,
# 4 MiB data SSRAM at 0x20000000. The common QEMU Cortex-M board.
DESCRIPTION   := Arm MPS2 AN385, Cortex-M3 (ARMv7-M)
ARCH          := arm
CORE          := cortex-m3
QEMU          := qemu-system-arm
QEMU_MACHINE  := mps2-an385
QEMU_OPTS     := -net none
RAM           := 4 MiB
TEST_ARENA    := 262144
TEST_SCALE    := 10
IRQ_TEST      := systick
BOARD_DEFS    := -DFW_CPU_HZ=25000000
# A word load from here faults (the probe's bad load): nothing is mapped
# between the peripherals (ending 0x43ffffff) and the PPB at 0xe0000000.
FAULT_ADDR    := 0x60000000u

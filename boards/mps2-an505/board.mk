# Arm MPS2+ with the AN505 FPGA image: Cortex-M33 (ARMv8-M Mainline with
# TrustZone). The core starts Secure, so the image lives at the Secure
# aliases: code SSRAM at 0x10000000, data SSRAM at 0x38000000.
DESCRIPTION   := Arm MPS2+ AN505, Cortex-M33 (ARMv8-M Mainline)
ARCH          := arm
CORE          := cortex-m33
QEMU          := qemu-system-arm
QEMU_MACHINE  := mps2-an505
QEMU_OPTS     := -net none
RAM           := 2 MiB
TEST_ARENA    := 262144
TEST_SCALE    := 10
IRQ_TEST      := systick
BOARD_DEFS    := -DFW_CPU_HZ=20000000
# A word load from here faults (the probe's bad load): nothing is mapped
# between the Secure peripherals (ending 0x58009fff) and the PSRAM at 0x80000000.
FAULT_ADDR    := 0x60000000u

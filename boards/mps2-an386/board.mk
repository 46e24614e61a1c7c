# Arm MPS2 with the AN386 FPGA image: Cortex-M4 with single-precision FPU
# (built hard-float, so startup must enable the FPU). Same map as AN385.
DESCRIPTION   := Arm MPS2 AN386, Cortex-M4F (ARMv7E-M, FPU)
ARCH          := arm
CORE          := cortex-m4f
QEMU          := qemu-system-arm
QEMU_MACHINE  := mps2-an386
QEMU_OPTS     := -net none
RAM           := 4 MiB
TEST_ARENA    := 262144
TEST_SCALE    := 10
IRQ_TEST      := systick
BOARD_DEFS    := -DFW_CPU_HZ=25000000
# A word load from here faults (the probe's bad load): nothing is mapped
# between the peripherals (ending 0x43ffffff) and the PPB at 0xe0000000.
FAULT_ADDR    := 0x60000000u

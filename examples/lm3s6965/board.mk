# The examples' board: QEMU's lm3s6965evb (TI Stellaris LM3S6965,
# Cortex-M3, 256 KiB flash, 64 KiB SRAM). Not one of firmheap's boards/:
# it stands for the user's own. Data only, read by the examples' builds and
# by mk/part-examples.mk.
CORE         := cortex-m3
QEMU         := qemu-system-arm
QEMU_MACHINE := lm3s6965evb

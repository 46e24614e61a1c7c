/*
 * The fault probe's two deliberate faults (tests/target/fault_probe.c).
 *
 * fw_illegal_instruction: executes a permanently undefined Thumb encoding
 * (UDF #0). With UsageFault disabled (the reset state) it escalates to
 * HardFault.
 *
 * fw_bad_load(addr): one word load from addr, which the caller picks so that
 * nothing answers there (the board's FAULT_ADDR). The bus error is a precise
 * BusFault; with BusFault disabled (the reset state) it escalates to
 * HardFault, whose report shows CFSR.PRECISERR and BFAR = addr. A plain LDR
 * in its own function, so the faulting PC is this one instruction.
 */
    .syntax unified
    .thumb
    .text
    .global fw_illegal_instruction
    .type fw_illegal_instruction, %function
    .thumb_func
fw_illegal_instruction:
    udf #0
    bx lr
    .size fw_illegal_instruction, . - fw_illegal_instruction

    .global fw_bad_load
    .type fw_bad_load, %function
    .thumb_func
fw_bad_load:
    ldr r0, [r0]
    bx lr
    .size fw_bad_load, . - fw_bad_load

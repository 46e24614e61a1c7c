/*
 * The fault probe's two deliberate faults (tests/target/fault_probe.c).
 *
 * fw_illegal_instruction: an all-zero 32-bit word is defined to be illegal
 * in every RISC-V ISA (mcause 2, illegal instruction).
 *
 * fw_bad_load(addr): one word load from addr, which the caller picks so that
 * nothing answers there (the board's FAULT_ADDR): mcause 5, load access
 * fault, with mtval = addr. Returns the word if, against expectation, the
 * load succeeds.
 */
    .text
    .balign 4
    .global fw_illegal_instruction
    .type fw_illegal_instruction, @function
fw_illegal_instruction:
    .word 0
    ret
    .size fw_illegal_instruction, . - fw_illegal_instruction

    .global fw_bad_load
    .type fw_bad_load, @function
fw_bad_load:
    lw a0, 0(a0)
    ret
    .size fw_bad_load, . - fw_bad_load

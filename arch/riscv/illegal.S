/*
 * fw_illegal_instruction: an all-zero 32-bit word is defined to be illegal
 * in every RISC-V ISA. The fault probe uses it to prove a trap ends the run
 * (mcause 2, illegal instruction).
 */
    .text
    .balign 4
    .global fw_illegal_instruction
    .type fw_illegal_instruction, @function
fw_illegal_instruction:
    .word 0
    ret
    .size fw_illegal_instruction, . - fw_illegal_instruction

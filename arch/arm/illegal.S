/*
 * fw_illegal_instruction: executes a permanently undefined Thumb encoding
 * (UDF #0). With UsageFault disabled (the reset state) it escalates to
 * HardFault; the fault probe uses it to prove a fault ends the run.
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

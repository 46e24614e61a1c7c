/*
 * The Arm semihosting trap for M-profile cores: BKPT with the immediate the
 * specification reserves for it (0xAB). r0 = operation, r1 = argument; the
 * debugger (QEMU) leaves the result in r0. Alone in this file so the C side
 * stays portable (arch/common/semihost.c).
 */
    .syntax unified
    .thumb
    .text
    .global sh_trap
    .type sh_trap, %function
    .thumb_func
sh_trap:
    bkpt 0xab
    bx lr
    .size sh_trap, . - sh_trap

/*
 * Machine-mode trap entry (mtvec, direct mode). Saves the registers a C
 * function may clobber, calls fw_trap(mcause, mepc, mtval) and returns with
 * mret. Exceptions never come back (fw_trap prints and exits); interrupts
 * (the timer) do, so the frame has to be complete for them.
 *
 * Frame, 16 registers (a multiple of 16 bytes on RV32 and RV64, keeping sp
 * aligned as the ABI requires):
 *   ra t0 t1 t2 a0 a1 a2 a3 a4 a5 a6 a7 t3 t4 t5 t6
 */
#include "asm.h"

#define FRAME_REGS 16

    .text
    .balign 4
    .global fw_trap_entry
    .type fw_trap_entry, @function
fw_trap_entry:
    addi sp, sp, -FRAME_REGS * REGBYTES
    REG_S ra,  0 * REGBYTES(sp)
    REG_S t0,  1 * REGBYTES(sp)
    REG_S t1,  2 * REGBYTES(sp)
    REG_S t2,  3 * REGBYTES(sp)
    REG_S a0,  4 * REGBYTES(sp)
    REG_S a1,  5 * REGBYTES(sp)
    REG_S a2,  6 * REGBYTES(sp)
    REG_S a3,  7 * REGBYTES(sp)
    REG_S a4,  8 * REGBYTES(sp)
    REG_S a5,  9 * REGBYTES(sp)
    REG_S a6, 10 * REGBYTES(sp)
    REG_S a7, 11 * REGBYTES(sp)
    REG_S t3, 12 * REGBYTES(sp)
    REG_S t4, 13 * REGBYTES(sp)
    REG_S t5, 14 * REGBYTES(sp)
    REG_S t6, 15 * REGBYTES(sp)

    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    call fw_trap

    REG_L ra,  0 * REGBYTES(sp)
    REG_L t0,  1 * REGBYTES(sp)
    REG_L t1,  2 * REGBYTES(sp)
    REG_L t2,  3 * REGBYTES(sp)
    REG_L a0,  4 * REGBYTES(sp)
    REG_L a1,  5 * REGBYTES(sp)
    REG_L a2,  6 * REGBYTES(sp)
    REG_L a3,  7 * REGBYTES(sp)
    REG_L a4,  8 * REGBYTES(sp)
    REG_L a5,  9 * REGBYTES(sp)
    REG_L a6, 10 * REGBYTES(sp)
    REG_L a7, 11 * REGBYTES(sp)
    REG_L t3, 12 * REGBYTES(sp)
    REG_L t4, 13 * REGBYTES(sp)
    REG_L t5, 14 * REGBYTES(sp)
    REG_L t6, 15 * REGBYTES(sp)
    addi sp, sp, FRAME_REGS * REGBYTES
    mret
    .size fw_trap_entry, . - fw_trap_entry

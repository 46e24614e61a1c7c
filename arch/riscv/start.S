/*
 * RISC-V reset entry. Placed first in the image (section .text.start) so the
 * boards that jump to the start of flash/RAM land here. Sets the global
 * pointer (with relaxation off, or the assembler would compute gp relative
 * to itself), the stack and the trap vector, then the shared C startup.
 * Interrupts stay off (mstatus.MIE is 0 at reset) until a test enables them.
 *
 * On a machine with several harts every hart starts here; only hart 0 goes
 * on. The others park (fw_hart_park) until fw_hart_start (harts.c) hands
 * them a stack and a function.
 */
#include "asm.h"
#include "harts.h"

/* mie.MSIE / mip.MSIP: the machine software interrupt (CLINT msip). */
#define MIX_MSI (1 << 3)
/* log2 of a mailbox's size, four registers (harts.c, fw_hart_box): 16 or 32 bytes. */
#define BOX_SHIFT (3 + REGBYTES / 4)

    .section .text.start, "ax"
    .global _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la t0, fw_trap_entry
    csrw mtvec, t0          /* direct mode: the entry is 4-byte aligned */
    csrr t0, mhartid
    bnez t0, fw_hart_park
    la sp, __stack_top
    call fw_cstart
1:  j 1b                    /* fw_cstart never returns (exit) */
    .size _start, . - _start

/*
 * A hart other than 0, with no stack: sleeps until its software interrupt,
 * then takes the stack from its mailbox (none yet: sleep again) and runs
 * fw_hart_entry(hartid). Interrupts stay globally off; with MSIE on, wfi
 * still wakes on a pending software interrupt. A hart id past FW_HARTS_MAX
 * is never woken.
 */
    .text
    .type fw_hart_park, @function
fw_hart_park:
    li t1, MIX_MSI
    csrw mie, t1
2:  wfi
    csrr t1, mip
    andi t1, t1, MIX_MSI
    beqz t1, 2b
    csrr t0, mhartid
    la t1, fw_clint_msip    /* msip[hart] = 0: the wake-up is taken */
    REG_L t1, 0(t1)
    slli t2, t0, 2
    add t1, t1, t2
    sw zero, 0(t1)
    li t1, FW_HARTS_MAX
    bgeu t0, t1, 2b
    la t1, fw_hart_boxes
    slli t2, t0, BOX_SHIFT
    add t1, t1, t2
    fence rw, rw            /* the box is read after the wake-up */
    REG_L sp, 0(t1)
    beqz sp, 2b
    mv a0, t0
    call fw_hart_entry
    j 2b
    .size fw_hart_park, . - fw_hart_park

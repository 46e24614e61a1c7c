/*
 * RISC-V reset entry. Placed first in the image (section .text.start) so the
 * boards that jump to the start of flash/RAM land here. Sets the global
 * pointer (with relaxation off, or the assembler would compute gp relative
 * to itself), the stack and the trap vector, then the shared C startup.
 * Interrupts stay off (mstatus.MIE is 0 at reset) until a test enables them.
 */
    .section .text.start, "ax"
    .global _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, fw_trap_entry
    csrw mtvec, t0          /* direct mode: the entry is 4-byte aligned */
    call fw_cstart
1:  j 1b                    /* fw_cstart never returns (exit) */
    .size _start, . - _start

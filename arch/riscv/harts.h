/*
 * Starting the other harts of a multi-hart RISC-V machine (QEMU virt with
 * -smp N). Every hart enters _start at reset; all but hart 0 park there
 * (start.S: fw_hart_park) in wfi, woken only by a machine software
 * interrupt, with no stack and no access to memory that .bss clearing could
 * disturb. fw_hart_start gives a parked hart a stack and a function through
 * its mailbox and raises its software interrupt (the CLINT's msip word,
 * FW_CLINT_BASE from the board); the hart runs fn(arg) and parks again when
 * it returns.
 */
#ifndef FW_RISCV_HARTS_H
#define FW_RISCV_HARTS_H

/* Harts that can be started (hart ids 1 .. FW_HARTS_MAX - 1). Plain
 * number: start.S reads it too. */
#define FW_HARTS_MAX 8

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/*
 * Starts parked hart `hart` running fn(arg) on the stack that ends at
 * stack_top (16-byte aligned). Returns true once the hart has started; false
 * if it is hart 0, out of range, already running, or did not answer (the
 * machine has no such hart).
 */
bool fw_hart_start(unsigned hart, void (*fn)(void *), void *arg, void *stack_top);

/* True once the function given to the hart has returned. */
bool fw_hart_done(unsigned hart);

#endif /* __ASSEMBLER__ */
#endif

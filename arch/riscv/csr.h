/*
 * Machine-mode CSR bits the startup code uses, by name.
 */
#ifndef FW_RISCV_CSR_H
#define FW_RISCV_CSR_H

#define MSTATUS_MIE (1u << 3)  /* machine interrupts globally enabled */
#define MIE_MTIE    (1u << 7)  /* machine timer interrupt enabled */
#define IRQ_M_TIMER 7u         /* mcause code of the machine timer interrupt */

/* mcause's top bit: set for interrupts, clear for exceptions. */
#define MCAUSE_INTERRUPT ((uintptr_t)1 << (__riscv_xlen - 1))

#define csr_read(csr) ({ uintptr_t v_; __asm volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_set(csr, bits) __asm volatile("csrs " #csr ", %0" ::"r"((uintptr_t)(bits)) : "memory")
#define csr_clear(csr, bits) __asm volatile("csrc " #csr ", %0" ::"r"((uintptr_t)(bits)) : "memory")

#endif

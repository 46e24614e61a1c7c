/*
 * Cortex-M vector table and reset entry. The table goes first in flash
 * (section .vectors, placed by linker/sections.ld): word 0 is the initial
 * stack pointer, word 1 the reset handler, then the system exceptions and a
 * few external IRQs. The hardware loads SP itself, so Reset_Handler can be
 * plain C. Everything we do not expect goes to fw_fault_entry, which prints
 * the exception and exits 1.
 */
#include "fw.h"

extern uint32_t __stack_top[];
void fw_cstart(void);
void fw_fault_entry(void);
void SysTick_Handler(void);
void Reset_Handler(void);

/* Coprocessor access control: CP10/CP11 are the FPU. */
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define CPACR_CP10_CP11_FULL (0xfu << 20)

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    /* Hard-float code may touch FP registers anywhere; an FPU still off at
     * reset would make that a UsageFault. */
    SCB_CPACR |= CPACR_CP10_CP11_FULL;
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    fw_cstart();
}

/* External IRQs with a slot: enough that a stray one reports instead of
 * fetching a vector from whatever follows the table. */
#define FW_NR_IRQS 32

typedef void (*vector)(void);

__attribute__((section(".vectors"), used))
const vector fw_vectors[16 + FW_NR_IRQS] = {
    [0] = (vector)(uintptr_t)__stack_top,
    [1] = Reset_Handler,
    [2 ... 14] = fw_fault_entry, /* NMI, HardFault, ..., PendSV */
    [15] = SysTick_Handler,
    [16 ... 16 + FW_NR_IRQS - 1] = fw_fault_entry,
};

/* The ELF entry point (sections.ld says ENTRY(_start) for every arch). */
void _start(void) __attribute__((alias("Reset_Handler")));

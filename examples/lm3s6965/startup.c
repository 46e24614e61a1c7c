/*
 * A user's startup code for the LM3S6965 (Cortex-M3): the vector table and
 * a reset handler that gives .data its values, clears .bss and runs main.
 * The symbols are the linker script's (lm3s6965.ld); the stack top is the
 * one heap.ld exports. Faults go to firmheap's fault report
 * (arch/arm/fault_entry.S), which prints the decoded fault and exits 1.
 */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], __stack_top[];
int main(void);
void Reset_Handler(void);
void fw_fault_entry(void);

void Reset_Handler(void)
{
    const volatile uint32_t *from = _sidata;
    volatile uint32_t *to = _sdata;
    while (to < _edata)
        *to++ = *from++;
    for (to = _sbss; to < _ebss;)
        *to++ = 0;
    exit(main());
}

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16])(void) = {
    (void (*)(void))(uintptr_t)__stack_top, /* initial stack pointer */
    Reset_Handler,
    fw_fault_entry, fw_fault_entry, fw_fault_entry, fw_fault_entry, /* NMI .. BusFault */
    fw_fault_entry, fw_fault_entry, fw_fault_entry, fw_fault_entry, /* UsageFault .. */
    fw_fault_entry, fw_fault_entry, fw_fault_entry, fw_fault_entry, /* .. SVCall .. */
    fw_fault_entry, fw_fault_entry,                                 /* .. PendSV, SysTick */
};

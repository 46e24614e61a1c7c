/*
 * What every image (tests, demo, fault probe) may use from the startup code,
 * whatever the arch: console output, exit, and a periodic timer interrupt.
 * arch/common implements the arch-neutral parts; arch/<arch>/ the rest.
 */
#ifndef FW_H
#define FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int main(void);

/* Stops the machine; QEMU exits with status. Never returns. _exit is the
 * same without any clean-up: what the fault handlers call, since with a C
 * library exit() would flush stdio first, which may be what broke. */
_Noreturn void exit(int status);
_Noreturn void _exit(int status);

/* Console (semihosting; QEMU 7.2 sends it to its stderr). */
void fw_print(const char *s);
void fw_putc(char c);             /* line-buffered: appears at '\n' */
void fw_print_hex(uintptr_t v);   /* 0x-prefixed, no leading zeros */
void fw_print_dec(uintmax_t v);
void fw_print_pad(const char *s, unsigned width); /* left-aligned in width columns */

/*
 * Periodic timer interrupt calling isr every period_us microseconds of
 * emulated time (SysTick on Cortex-M, the CLINT machine timer on RISC-V).
 * Interrupts are globally enabled on return. Returns false if the board has
 * no timer. fw_timer_stop() masks it again.
 */
bool fw_timer_start(uint32_t period_us, void (*isr)(void));
void fw_timer_stop(void);

/* Global interrupt mask (PRIMASK / mstatus.MIE), for tests of fh_lock. */
bool fw_irqs_enabled(void);
void fw_irqs_set(bool enabled);

/* Executes an instruction the core does not have (the fault probe). */
void fw_illegal_instruction(void);

#endif

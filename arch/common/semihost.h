/*
 * Semihosting: the debugger (here QEMU, -semihosting-config enable=on) serves
 * a few "system calls" that the target raises with a special trap. We need
 * two of them: print a string, and stop with an exit code.
 *
 * The call convention is the same on Arm and RISC-V: operation number in the
 * first argument register, a pointer to a parameter block (or the argument
 * itself) in the second, result back in the first. Only the trap instruction
 * differs, so it lives alone in arch/<arch>/semihost_trap.S as sh_trap().
 */
#ifndef FW_SEMIHOST_H
#define FW_SEMIHOST_H

#include <stdint.h>

/* Operation numbers, from the Arm semihosting specification (RISC-V reuses them). */
#define SH_SYS_WRITE0        0x04 /* arg: pointer to a NUL-terminated string */
#define SH_SYS_EXIT          0x18 /* 32-bit: arg is the reason itself; code lost */
#define SH_SYS_EXIT_EXTENDED 0x20 /* arg: { reason, subcode }; subcode = exit code */

/* Reason codes for SYS_EXIT(_EXTENDED). */
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026 /* normal end; subcode is the status */
#define SH_ADP_STOPPED_RUNTIME_ERROR    0x20023 /* used only if the extended call fails */

/* The trap itself (arch/<arch>/semihost_trap.S). */
uintptr_t sh_trap(uintptr_t op, uintptr_t arg);

void sh_write0(const char *s);
/* Ends the QEMU run; the host process exits with status. Never returns. */
_Noreturn void sh_exit(int status);

#endif

/*
 * C side of the RISC-V trap vector: the machine timer interrupt goes to the
 * timer (timer.c); anything else is a fault, reported with mcause, mepc and
 * mtval before _exit(1), so a crash ends the run with a verdict instead of
 * looping back into the faulting instruction until the timeout.
 */
#include "fw.h"
#include "csr.h"

void fw_trap(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval);
void fw_timer_interrupt(void);

static const char *const exception_names[] = {
    "instruction address misaligned", "instruction access fault",
    "illegal instruction", "breakpoint", "load address misaligned",
    "load access fault", "store address misaligned", "store access fault",
    "ecall from U-mode", "ecall from S-mode", "reserved", "ecall from M-mode",
    "instruction page fault", "load page fault", "reserved", "store page fault",
};

static void field(const char *name, uintptr_t value)
{
    fw_print(" ");
    fw_print(name);
    fw_print("=");
    fw_print_hex(value);
}

void fw_trap(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval)
{
    uintptr_t code = mcause & ~MCAUSE_INTERRUPT;
    if ((mcause & MCAUSE_INTERRUPT) && code == IRQ_M_TIMER) {
        fw_timer_interrupt();
        return;
    }
    fw_print("\n*** trap: ");
    if (mcause & MCAUSE_INTERRUPT)
        fw_print("unexpected interrupt");
    else if (code < sizeof exception_names / sizeof exception_names[0])
        fw_print(exception_names[code]);
    else
        fw_print("unknown exception");
    fw_print(":");
    field("mcause", mcause);
    field("mepc", mepc);
    field("mtval", mtval);
    fw_print("\n");
    _exit(1);
}

/*
 * Fault report for Cortex-M: print where it happened and why, then _exit(1) so
 * a crashed test run ends at once with a verdict instead of spinning until
 * the timeout.
 *
 * The stacked frame gives PC (the faulting instruction), LR and xPSR. The
 * fault status registers exist only on ARMv7-M and ARMv8-M Mainline; ARMv6-M
 * (Cortex-M0/M0+) has just the HardFault with no syndrome. Their set bits
 * are printed by name with what each means (ARMv7-M ARM B3.2.15, B3.2.16;
 * ARMv8-M adds STKOF), and a fault address only when its VALID bit says it
 * holds one:
 *
 *   *** HardFault: pc=0x1f2 lr=0x1e5 xpsr=0x1000003 exc_return=0xfffffff9
 *       cfsr=0x8200: PRECISERR (precise data bus error) BFARVALID (bfar holds the address)
 *       hfsr=0x40000000: FORCED (a configurable fault escalated to HardFault)
 *       bfar=0x60000000
 *
 * Reusable in your own firmware (README, "Fault report"): compile this file
 * and fault_entry.S, point the fault vectors at fw_fault_entry, and provide
 * fw_print(const char *) (your console) and _exit(int) (newlib and picolibc
 * have one: with semihosting it ends a QEMU run with the status). It needs nothing else
 * from this tree: numbers are formatted by include/firmheap_diag.h.
 */
#include "fw.h"
#include "firmheap_diag.h"

/* Stacked exception frame, in words (ARMv7-M ARM B1.5.6). */
enum { FRAME_R0, FRAME_R1, FRAME_R2, FRAME_R3, FRAME_R12, FRAME_LR, FRAME_PC, FRAME_XPSR };

/* Low bits of xPSR/IPSR hold the active exception number. */
#define IPSR_EXCEPTION_MASK 0x1ffu

#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__)
#define HAVE_FAULT_STATUS 1
#define SCB_CFSR  (*(volatile uint32_t *)0xE000ED28u) /* configurable fault status */
#define SCB_HFSR  (*(volatile uint32_t *)0xE000ED2Cu) /* hard fault status */
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u) /* memory manage fault address */
#define SCB_BFAR  (*(volatile uint32_t *)0xE000ED38u) /* bus fault address */

#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

typedef struct {
    uint32_t mask;
    const char *name; /* the bit's name in the Arm manuals, then what it means */
} fault_bit;

/* CFSR = UFSR (31:16) | BFSR (15:8) | MMFSR (7:0). */
static const fault_bit cfsr_bits[] = {
    {1u << 0, "IACCVIOL (instruction fetch from a no-execute or protected address)"},
    {1u << 1, "DACCVIOL (data access to a protected address)"},
    {1u << 3, "MUNSTKERR (MPU fault while unstacking on exception return)"},
    {1u << 4, "MSTKERR (MPU fault while stacking on exception entry)"},
    {1u << 5, "MLSPERR (MPU fault during lazy FP state save)"},
    {CFSR_MMARVALID, "MMARVALID (mmfar holds the address)"},
    {1u << 8, "IBUSERR (bus error on instruction fetch)"},
    {1u << 9, "PRECISERR (precise data bus error)"},
    {1u << 10, "IMPRECISERR (imprecise data bus error: pc is past the access)"},
    {1u << 11, "UNSTKERR (bus error while unstacking on exception return)"},
    {1u << 12, "STKERR (bus error while stacking on exception entry: stack overflow?)"},
    {1u << 13, "LSPERR (bus error during lazy FP state save)"},
    {CFSR_BFARVALID, "BFARVALID (bfar holds the address)"},
    {1u << 16, "UNDEFINSTR (undefined instruction)"},
    {1u << 17, "INVSTATE (invalid EPSR state: a branch to an even address, Thumb bit clear?)"},
    {1u << 18, "INVPC (invalid EXC_RETURN on exception return)"},
    {1u << 19, "NOCP (coprocessor access with the coprocessor off: FPU not enabled?)"},
    {1u << 20, "STKOF (stack pointer went below its limit)"},
    {1u << 24, "UNALIGNED (unaligned access with unaligned trapping on)"},
    {1u << 25, "DIVBYZERO (integer division by zero with the trap on)"},
};

static const fault_bit hfsr_bits[] = {
    {1u << 1, "VECTTBL (bus error reading the vector table)"},
    {1u << 30, "FORCED (a configurable fault escalated to HardFault)"},
    {1u << 31, "DEBUGEVT (debug event while halting debug is off)"},
};
#else
#define HAVE_FAULT_STATUS 0
#endif

static const char *const exception_names[] = {
    "thread", "reset", "NMI", "HardFault", "MemManage", "BusFault",
    "UsageFault", "SecureFault", "reserved", "reserved", "reserved",
    "SVCall", "DebugMonitor", "reserved", "PendSV", "SysTick",
};

static void field(const char *sep, const char *name, uintptr_t value)
{
    char buf[FH_FMT_BUF];
    fw_print(sep);
    fw_print(name);
    fw_print("=");
    fw_print(fh_fmt_hex(buf, value));
}

#if HAVE_FAULT_STATUS
/* "    name=0x...: BIT (meaning) BIT (meaning)" for a non-zero register. */
static void decode(const char *name, uint32_t value, const fault_bit *bits, size_t n)
{
    if (value == 0)
        return;
    field("\n    ", name, value);
    fw_print(":");
    for (size_t i = 0; i < n; i++) {
        if (value & bits[i].mask) {
            fw_print(" ");
            fw_print(bits[i].name);
        }
    }
}
#endif

_Noreturn void fw_fault_report(const uint32_t *frame, uint32_t exc_return);

_Noreturn void fw_fault_report(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= IPSR_EXCEPTION_MASK;

    fw_print("\n*** ");
    if (ipsr < sizeof exception_names / sizeof exception_names[0]) {
        fw_print(exception_names[ipsr]);
    } else {
        char buf[FH_FMT_BUF];
        fw_print("unexpected IRQ ");
        fw_print(fh_fmt_dec(buf, ipsr - 16u));
    }
    fw_print(":");
    field(" ", "pc", frame[FRAME_PC]);
    field(" ", "lr", frame[FRAME_LR]);
    field(" ", "xpsr", frame[FRAME_XPSR]);
    field(" ", "exc_return", exc_return);
#if HAVE_FAULT_STATUS
    uint32_t cfsr = SCB_CFSR;
    decode("cfsr", cfsr, cfsr_bits, sizeof cfsr_bits / sizeof cfsr_bits[0]);
    decode("hfsr", SCB_HFSR, hfsr_bits, sizeof hfsr_bits / sizeof hfsr_bits[0]);
    if (cfsr & CFSR_MMARVALID)
        field("\n    ", "mmfar", SCB_MMFAR);
    if (cfsr & CFSR_BFARVALID)
        field("\n    ", "bfar", SCB_BFAR);
#endif
    fw_print("\n");
    _exit(1);
}

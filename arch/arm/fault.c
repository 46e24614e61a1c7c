/*
 * Fault report for Cortex-M: print where it happened and why, then exit 1 so
 * a crashed test run ends at once with a verdict instead of spinning until
 * the timeout.
 *
 * The stacked frame gives PC (the faulting instruction), LR and xPSR. The
 * fault status registers exist only on ARMv7-M and ARMv8-M Mainline; ARMv6-M
 * (Cortex-M0) has just the HardFault with no syndrome.
 */
#include "fw.h"

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
#else
#define HAVE_FAULT_STATUS 0
#endif

static const char *const exception_names[] = {
    "thread", "reset", "NMI", "HardFault", "MemManage", "BusFault",
    "UsageFault", "SecureFault", "reserved", "reserved", "reserved",
    "SVCall", "DebugMonitor", "reserved", "PendSV", "SysTick",
};

static void field(const char *name, uintptr_t value)
{
    fw_print(" ");
    fw_print(name);
    fw_print("=");
    fw_print_hex(value);
}

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
        fw_print("unexpected IRQ ");
        fw_print_dec(ipsr - 16u);
    }
    fw_print(":");
    field("pc", frame[FRAME_PC]);
    field("lr", frame[FRAME_LR]);
    field("xpsr", frame[FRAME_XPSR]);
    field("exc_return", exc_return);
#if HAVE_FAULT_STATUS
    field("cfsr", SCB_CFSR);
    field("hfsr", SCB_HFSR);
    field("mmfar", SCB_MMFAR);
    field("bfar", SCB_BFAR);
#endif
    fw_print("\n");
    exit(1);
}

/*
 * fh_lock/fh_unlock as a nestable critical section on the core's global
 * interrupt mask: PRIMASK on Cortex-M, mstatus.MIE on RISC-V (machine mode).
 * Single-core: masking interrupts on one core does not stop another (several
 * RISC-V harts need arch/riscv/smp/lock.c). This is the lock firmheap's own
 * boards link, and the one users pick with FIRMHEAP_LOCK=irq (mk/firmheap.mk)
 * or the CMake target firmheap_lock_irq.
 *
 * Opt-in, like src/opt/lock_none.c: not part of libfirmheap.a, so that a
 * program that chose no lock fails to link instead of running unlocked.
 *
 *   fh_lock:   mask, reading the old state in the same step;
 *              depth 0 -> 1: remember that old state
 *   fh_unlock: depth 1 -> 0: put back what the outermost lock found
 *
 * So a call made with interrupts already masked (from an interrupt handler,
 * or inside the caller's own critical section) never turns them on early.
 * The depth and the saved state are only touched with interrupts masked, so
 * an interrupt never sees them half-updated.
 */
#include "firmheap.h"

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'

/* Masks interrupts; non-zero if they were enabled before. */
static inline uintptr_t irqs_mask(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask" : "=r"(primask));
    __asm volatile("cpsid i" ::: "memory");
    return ~primask & 1u;
}

static inline void irqs_unmask(void)
{
    __asm volatile("cpsie i" ::: "memory");
}

#elif defined(__riscv)

#define LOCK_MSTATUS_MIE 8u /* mstatus bit 3: machine interrupts enabled */

/* csrrci clears MIE and returns the old mstatus in one instruction: no
 * interrupt can land between reading and masking. Non-zero if they were
 * enabled before. */
static inline uintptr_t irqs_mask(void)
{
    uintptr_t mstatus;
    __asm volatile("csrrci %0, mstatus, %1" : "=r"(mstatus) : "i"(LOCK_MSTATUS_MIE) : "memory");
    return mstatus & LOCK_MSTATUS_MIE;
}

static inline void irqs_unmask(void)
{
    __asm volatile("csrsi mstatus, %0" ::"i"(LOCK_MSTATUS_MIE) : "memory");
}

#else
#error "lock_irq.c: no interrupt mask known for this target (Cortex-M and RISC-V only); use lock_none.c or your own fh_lock/fh_unlock"
#endif

static uint32_t lock_depth;
static uintptr_t irqs_were_enabled; /* non-zero: the outermost lock found them on */

void fh_lock(void)
{
    uintptr_t enabled = irqs_mask();
    if (lock_depth++ == 0)
        irqs_were_enabled = enabled;
}

void fh_unlock(void)
{
    if (lock_depth == 0)
        return; /* unbalanced unlock: ignore rather than unmask by surprise */
    if (--lock_depth == 0 && irqs_were_enabled)
        irqs_unmask();
}

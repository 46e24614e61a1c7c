/*
 * fh_lock/fh_unlock for Cortex-M: a nestable critical section on PRIMASK.
 *
 * The outermost lock remembers whether interrupts were enabled before and
 * only the matching outermost unlock restores that, so an allocator call
 * made from code that already masked interrupts (or from an ISR) never turns
 * them back on early. The depth counter is only touched with PRIMASK set, so
 * an interrupt cannot observe it half-updated.
 */
#include "firmheap.h"

static uint32_t lock_depth;
static uint32_t primask_before;

void fh_lock(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask" : "=r"(primask));
    __asm volatile("cpsid i" ::: "memory");
    if (lock_depth++ == 0)
        primask_before = primask;
}

void fh_unlock(void)
{
    if (lock_depth == 0)
        return; /* unbalanced unlock: ignore rather than unmask by surprise */
    if (--lock_depth == 0 && (primask_before & 1u) == 0)
        __asm volatile("cpsie i" ::: "memory");
}

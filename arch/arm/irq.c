/*
 * The global interrupt mask on Cortex-M (PRIMASK), for tests that check what
 * fh_lock does to it (arch/common/fw.h). Apart from the lock
 * (src/opt/lock_irq.c) so that an image can swap the lock (the Rust crate's,
 * a user's) and keep these, and so that the tests read the mask through
 * code of their own, not the lock's.
 */
#include "fw.h"

bool fw_irqs_enabled(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask" : "=r"(primask));
    return (primask & 1u) == 0;
}

void fw_irqs_set(bool enabled)
{
    if (enabled)
        __asm volatile("cpsie i" ::: "memory");
    else
        __asm volatile("cpsid i" ::: "memory");
}

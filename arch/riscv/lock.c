/*
 * fh_lock/fh_unlock for RISC-V: a nestable critical section on mstatus.MIE.
 *
 * csrrci clears MIE and returns the old value in one instruction, so no
 * interrupt can slip in between reading and masking. The outermost lock
 * keeps the old MIE; only the matching outermost unlock restores it, so code
 * running with interrupts already off (a trap handler) stays that way.
 */
#include "firmheap.h"
#include "csr.h"

static uint32_t lock_depth;
static uintptr_t mie_before;

void fh_lock(void)
{
    uintptr_t mstatus;
    __asm volatile("csrrci %0, mstatus, %1" : "=r"(mstatus) : "i"(MSTATUS_MIE) : "memory");
    if (lock_depth++ == 0)
        mie_before = mstatus & MSTATUS_MIE;
}

void fh_unlock(void)
{
    if (lock_depth == 0)
        return; /* unbalanced unlock: ignore rather than unmask by surprise */
    if (--lock_depth == 0 && mie_before)
        __asm volatile("csrsi mstatus, %0" ::"i"(MSTATUS_MIE) : "memory");
}

/*
 * fh_lock/fh_unlock for several RISC-V harts sharing one default heap: the
 * interrupt mask of src/opt/lock_irq.c plus a spinlock, nestable per hart.
 * Opt-in: link this object instead of lock_irq.o (needs the A extension:
 * amoswap).
 *
 *   fh_lock:   mask this hart's interrupts (csrrci mstatus.MIE, one step)
 *              if this hart holds the lock already: one level deeper
 *              else spin on amoswap.w.aq until the word was 0, then own it
 *   fh_unlock: one level up; at the outermost, release (amoswap.w.rl 0)
 *              and restore the interrupt state the outermost lock found
 *
 * Interrupts are masked before the spin, so an interrupt handler on this
 * hart cannot ask for the lock this hart holds (it would spin forever).
 * `owner` is the holder's hart id + 1 (0: free); another hart may read it
 * at any time, but only ever sees 0 or a hart that is not itself, so the
 * "already mine" test needs no atomic read-modify-write. depth and
 * mie_before are touched by the holder only.
 *
 * A spinning hart waits for at most one masked section of each other hart
 * (the allocator's worst case); there is no fairness beyond what the
 * memory system gives.
 */
#include "firmheap.h"
#include "csr.h"

static uint32_t lock_word;         /* 1: held */
static volatile uint32_t owner;    /* hart id + 1 of the holder, 0: none */
static uint32_t depth;             /* holder's nesting */
static uintptr_t mie_before;       /* holder's mstatus.MIE before its outermost lock */

/* Times a hart found the lock held by another: for tests and tuning. */
volatile uint32_t fh_lock_contended;

static uint32_t this_hart(void)
{
    return (uint32_t)csr_read(mhartid) + 1u;
}

void fh_lock(void)
{
    uintptr_t mstatus;
    __asm volatile("csrrci %0, mstatus, %1" : "=r"(mstatus) : "i"(MSTATUS_MIE) : "memory");
    uint32_t me = this_hart();
    if (owner == me) {
        depth++;
        return;
    }
    if (__atomic_exchange_n(&lock_word, 1u, __ATOMIC_ACQUIRE) != 0) {
        fh_lock_contended++;
        while (__atomic_exchange_n(&lock_word, 1u, __ATOMIC_ACQUIRE) != 0)
            while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED) != 0)
                ;
    }
    owner = me;
    depth = 1;
    mie_before = mstatus & MSTATUS_MIE;
}

void fh_unlock(void)
{
    if (owner != this_hart())
        return; /* unbalanced, or not ours: ignore rather than unmask by surprise */
    if (--depth != 0)
        return;
    uintptr_t restore = mie_before;
    owner = 0;
    __atomic_store_n(&lock_word, 0u, __ATOMIC_RELEASE);
    if (restore)
        __asm volatile("csrsi mstatus, %0" ::"i"(MSTATUS_MIE) : "memory");
}

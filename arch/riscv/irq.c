/*
 * The global interrupt mask on RISC-V (mstatus.MIE), for tests that check
 * what fh_lock does to it (arch/common/fw.h). Apart from the lock
 * (src/opt/lock_irq.c) so that an image can swap the lock (the multi-hart
 * one, the Rust crate's, a user's) and keep these, and so that the tests
 * read the mask through code of their own, not the lock's.
 */
#include "fw.h"
#include "csr.h"

bool fw_irqs_enabled(void)
{
    return (csr_read(mstatus) & MSTATUS_MIE) != 0;
}

void fw_irqs_set(bool enabled)
{
    if (enabled)
        csr_set(mstatus, MSTATUS_MIE);
    else
        csr_clear(mstatus, MSTATUS_MIE);
}

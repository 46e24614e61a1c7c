/*
 * fw_timer_start/stop on RISC-V: the CLINT machine timer. mtime counts at
 * FW_TIMER_HZ; the interrupt is pending while mtime >= mtimecmp, so each
 * tick moves mtimecmp one period on. CLINT address and rate are board data
 * (FW_CLINT_BASE, FW_TIMER_HZ from boards/<board>/board.mk).
 */
#include "fw.h"
#include "csr.h"

#if !defined(FW_CLINT_BASE) || !defined(FW_TIMER_HZ)
#error "FW_CLINT_BASE and FW_TIMER_HZ must come from boards/<board>/board.mk"
#endif

/* Hart 0's registers in the CLINT (SiFive layout, which QEMU follows). */
#define CLINT_MTIMECMP ((volatile uint32_t *)(FW_CLINT_BASE + 0x4000u))
#define CLINT_MTIME    ((volatile uint32_t *)(FW_CLINT_BASE + 0xBFF8u))

static void (*volatile timer_isr)(void);
static uint64_t period_ticks;

void fw_timer_interrupt(void);

static uint64_t mtime_read(void)
{
    /* Two 32-bit halves: re-read if the high half moved in between. */
    uint32_t hi, lo;
    do {
        hi = CLINT_MTIME[1];
        lo = CLINT_MTIME[0];
    } while (hi != CLINT_MTIME[1]);
    return ((uint64_t)hi << 32) | lo;
}

/* The largest low half: with it in place, no half-written compare value is
 * earlier than mtime. */
#define MTIMECMP_LOW_MAX 0xffffffffu

static void mtimecmp_write(uint64_t when)
{
    /* Low half to all-ones first so the half-written value is never in the
     * past (which would fire a spurious interrupt). */
    CLINT_MTIMECMP[0] = MTIMECMP_LOW_MAX;
    CLINT_MTIMECMP[1] = (uint32_t)(when >> 32);
    CLINT_MTIMECMP[0] = (uint32_t)when;
}

void fw_timer_interrupt(void)
{
    mtimecmp_write(mtime_read() + period_ticks);
    void (*isr)(void) = timer_isr;
    if (isr)
        isr();
}

bool fw_timer_start(uint32_t period_us, void (*isr)(void))
{
    period_ticks = (uint64_t)(FW_TIMER_HZ / 1000000u) * period_us;
    if (period_ticks == 0)
        return false;
    timer_isr = isr;
    mtimecmp_write(mtime_read() + period_ticks);
    csr_set(mie, MIE_MTIE);
    csr_set(mstatus, MSTATUS_MIE);
    return true;
}

void fw_timer_stop(void)
{
    csr_clear(mie, MIE_MTIE);
    timer_isr = 0;
}

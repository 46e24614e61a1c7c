/*
 * fw_timer_start/stop on Cortex-M: the SysTick timer, clocked from the core
 * clock (FW_CPU_HZ, from the board), which every M-profile core QEMU models
 * has. Its exception (number 15) lands in SysTick_Handler below.
 */
#include "fw.h"

#ifndef FW_CPU_HZ
#error "FW_CPU_HZ (core clock) must come from boards/<board>/board.mk"
#endif

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u) /* control and status */
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u) /* reload value */
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u) /* current value */

#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1) /* raise the exception at zero */
#define SYST_CSR_CLKSOURCE (1u << 2) /* 1 = core clock */
#define SYST_RVR_MAX       0x00ffffffu

static void (*volatile timer_isr)(void);

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    void (*isr)(void) = timer_isr;
    if (isr)
        isr();
}

bool fw_timer_start(uint32_t period_us, void (*isr)(void))
{
    uint32_t ticks = (uint32_t)(FW_CPU_HZ / 1000000u) * period_us;
    if (ticks == 0 || ticks - 1u > SYST_RVR_MAX)
        return false;
    timer_isr = isr;
    SYST_RVR = ticks - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
    __asm volatile("cpsie i" ::: "memory");
    return true;
}

void fw_timer_stop(void)
{
    SYST_CSR = 0;
    timer_isr = 0;
}

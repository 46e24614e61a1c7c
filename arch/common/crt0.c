/*
 * Arch-neutral C startup, entered from the per-arch reset code once a stack
 * exists: give .data its initial values, clear .bss, run main, and hand its
 * result to exit(). Nothing here may rely on initialised data or a zeroed
 * .bss, since making them so is its job.
 *
 * Symbols come from linker/sections.ld:
 *   __data_load  where .data's initial image sits (flash, or RAM itself)
 *   __data_start, __data_end   where .data runs
 *   __bss_start, __bss_end
 */
#include "fw.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];

void fw_cstart(void);

void fw_cstart(void)
{
    /* Word loops through volatile pointers: GCC must not turn them into
     * memcpy/memset calls, which might themselves use .data. The sections
     * are word-aligned and word-sized by the linker script. */
    if (&__data_load[0] != &__data_start[0]) {
        volatile uint32_t *src = __data_load;
        for (volatile uint32_t *dst = __data_start; dst < __data_end;)
            *dst++ = *src++;
    }
    for (volatile uint32_t *dst = __bss_start; dst < __bss_end;)
        *dst++ = 0;
    exit(main());
}

_Noreturn void _exit(int status)
{
    extern _Noreturn void sh_exit(int status);
    sh_exit(status);
}

_Noreturn void exit(int status)
{
    _exit(status);
}

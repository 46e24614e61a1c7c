/*
 * The two semihosting calls the images use, over the per-arch trap.
 *
 * Exit goes through SYS_EXIT_EXTENDED because plain SYS_EXIT on 32-bit Arm
 * and RV32 takes only a reason code: QEMU would turn every verdict into
 * "success" or "failure" by reason, losing the status we want to pass on.
 */
#include "semihost.h"

void sh_write0(const char *s)
{
    sh_trap(SH_SYS_WRITE0, (uintptr_t)s);
}

_Noreturn void sh_exit(int status)
{
    /* The block is read by the host while we are stopped: a local is fine. */
    volatile uintptr_t block[2] = {SH_ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)status};
    sh_trap(SH_SYS_EXIT_EXTENDED, (uintptr_t)block);
    /* Only reached without a semihosting host: try the older call, then park. */
    sh_trap(SH_SYS_EXIT, status ? SH_ADP_STOPPED_RUNTIME_ERROR : SH_ADP_STOPPED_APPLICATION_EXIT);
    for (;;) {
    }
}

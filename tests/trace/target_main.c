/*
 * Glue for the trace test image on a board (`make trace-test`): harness
 * output on the semihosting console, a 64 KiB scratch arena, the board's
 * real semihosting trap for the file sink, and the file it writes, named
 * by the build (TT_TRACE_PATH, relative to where QEMU runs). Exits with the
 * verdict; tools/trace/qemu-record-test then replays that file on the host.
 */
#include "fw.h"
#include "harness.h"
#include "semihost.h"
#include "trace_glue.h"

#ifndef TT_TRACE_PATH
#error "TT_TRACE_PATH: the host file the image records to (mk/part-trace.mk)"
#endif
#ifndef FW_BOARD_NAME
#define FW_BOARD_NAME "unknown board"
#endif

static unsigned char arena[64u * 1024u] __attribute__((aligned(16)));

void th_print(const char *s)
{
    fw_print(s);
}

void *th_arena(size_t *size)
{
    *size = sizeof arena;
    return arena;
}

unsigned th_scale(void)
{
    return 1u;
}

fh_semihost_call_fn tt_semihost_call(void)
{
    return sh_trap;
}

const char *tt_trace_path(void)
{
    return TT_TRACE_PATH;
}

unsigned tt_workload_steps(void)
{
    return 1500u;
}

int main(void)
{
    fw_print("firmheap trace tests on " FW_BOARD_NAME ", recording to " TT_TRACE_PATH "\n");
    return th_run_all();
}

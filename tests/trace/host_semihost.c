/*
 * A fake semihosting host for the trace tests on the host: SYS_OPEN,
 * SYS_WRITE and SYS_CLOSE act on one in-memory file, with the argument
 * blocks laid out as the Arm semihosting specification says. Lets the
 * semihosting sink be tested without a debugger.
 */
#include "harness.h"
#include "trace_glue.h"

#define FAKE_OPEN 0x01u
#define FAKE_CLOSE 0x02u
#define FAKE_WRITE 0x05u
#define FAKE_HANDLE 7

unsigned char tt_fake_file[TT_FAKE_FILE_MAX];
size_t tt_fake_len;
unsigned tt_fake_writes;
size_t tt_fake_largest_write;
bool tt_fake_refuse_open, tt_fake_refuse_write;
static bool fake_open;

uintptr_t tt_fake_semihost(uintptr_t op, uintptr_t arg)
{
    const uintptr_t *block = (const uintptr_t *)arg;
    switch (op) {
    case FAKE_OPEN:
        /* block: name, mode ("wb" = 5), name length */
        if (tt_fake_refuse_open || block[1] != 5u || block[2] == 0)
            return (uintptr_t)-1;
        fake_open = true;
        tt_fake_len = 0;
        tt_fake_writes = 0;
        tt_fake_largest_write = 0;
        return FAKE_HANDLE;
    case FAKE_WRITE: {
        /* block: handle, data, length; returns bytes NOT written */
        size_t n = block[2];
        tt_fake_writes++;
        if (n > tt_fake_largest_write)
            tt_fake_largest_write = n;
        if (!fake_open || block[0] != FAKE_HANDLE || tt_fake_refuse_write ||
            tt_fake_len + n > TT_FAKE_FILE_MAX)
            return n;
        const unsigned char *d = (const unsigned char *)block[1];
        for (size_t i = 0; i < n; i++)
            tt_fake_file[tt_fake_len++] = d[i];
        return 0;
    }
    case FAKE_CLOSE:
        if (!fake_open || block[0] != FAKE_HANDLE)
            return (uintptr_t)-1;
        fake_open = false;
        return 0;
    default:
        return (uintptr_t)-1;
    }
}

fh_semihost_call_fn tt_semihost_call(void)
{
    return tt_fake_semihost;
}

const char *tt_trace_path(void)
{
    return "recorded.fht";
}

unsigned tt_workload_steps(void)
{
    return 4000u;
}

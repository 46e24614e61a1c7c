/*
 * Trace sink 2: a file on the debug host, written through semihosting
 * (QEMU -semihosting-config enable=on, or a debug probe). Records collect
 * in a small buffer and go out in one SYS_WRITE when it is full and at
 * close, so a trap (the core halts while the host works) comes every
 * FH_TRACE_SEMIHOST_BUF bytes, not every record. Built only with FH_TRACE=1.
 *
 * The semihosting call itself is the caller's (an argument), so the
 * library stays free of any arch's trap instruction.
 */
#include "firmheap.h"
#include "firmheap_trace.h"

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

#include "trace.h"

#if FH_TRACE

/* Operation numbers and the open mode, from the Arm semihosting spec. */
#define SH_SYS_OPEN 0x01u
#define SH_SYS_CLOSE 0x02u
#define SH_SYS_WRITE 0x05u
#define SH_MODE_WB 5u /* fopen "wb" */

bool fh_trace_semihost_open(fh_trace_semihost *s, fh_semihost_call_fn call, const char *path)
{
    size_t len = 0;
    while (path[len] != '\0')
        len++;
    uintptr_t block[3] = {(uintptr_t)path, SH_MODE_WB, len};
    s->call = call;
    s->fill = 0;
    s->failed = 0;
    s->handle = (intptr_t)call(SH_SYS_OPEN, (uintptr_t)block);
    return s->handle != -1;
}

static void flush(fh_trace_semihost *s)
{
    if (s->fill == 0)
        return;
    uintptr_t block[3] = {(uintptr_t)s->handle, (uintptr_t)s->buf, s->fill};
    /* SYS_WRITE returns the number of bytes it did not write. */
    if (s->call(SH_SYS_WRITE, (uintptr_t)block) != 0)
        s->failed++;
    s->fill = 0;
}

void fh_trace_semihost_sink(void *semihost, const void *bytes, size_t n)
{
    fh_trace_semihost *s = semihost;
    if (s->handle == -1 || n > FH_TRACE_SEMIHOST_BUF) {
        s->failed++;
        return;
    }
    if (s->fill + n > FH_TRACE_SEMIHOST_BUF)
        flush(s);
    const unsigned char *b = bytes;
    for (size_t i = 0; i < n; i++)
        s->buf[s->fill + i] = b[i];
    s->fill += (uint32_t)n;
}

bool fh_trace_semihost_close(fh_trace_semihost *s)
{
    if (s->handle == -1)
        return false;
    flush(s);
    uintptr_t block[1] = {(uintptr_t)s->handle};
    bool closed = s->call(SH_SYS_CLOSE, (uintptr_t)block) == 0;
    s->handle = -1;
    return closed && s->failed == 0;
}

#endif /* FH_TRACE */

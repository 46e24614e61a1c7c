/*
 * What the trace tests need from their platform beyond tests/harness.h: the
 * semihosting call the file sink uses and the file it writes. On a board
 * (tests/trace/target_main.c) that is the real trap and a file on the host
 * that tools/trace/qemu-record-test replays afterwards; on the host
 * (tests/trace/host_semihost.c) a fake that keeps the "file" in memory.
 */
#ifndef TT_GLUE_H
#define TT_GLUE_H

#include "firmheap_trace.h"

fh_semihost_call_fn tt_semihost_call(void);
const char *tt_trace_path(void);
/* Steps of the recorded workload: a few thousand on the host, fewer on boards. */
unsigned tt_workload_steps(void);

/* The fake host (host builds only): the bytes written to the last file
 * opened, and switches that make the next call fail. */
extern unsigned char tt_fake_file[];
extern size_t tt_fake_len;
extern unsigned tt_fake_writes;     /* SYS_WRITE calls since the last open */
extern size_t tt_fake_largest_write;
extern bool tt_fake_refuse_open, tt_fake_refuse_write;
uintptr_t tt_fake_semihost(uintptr_t op, uintptr_t arg);
#define TT_FAKE_FILE_MAX (256u * 1024u)

#endif

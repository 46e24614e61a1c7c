/*
 * The default heap's first-use check, in a process of its own: the first
 * use happens once per program, and the region comes from the link
 * (mk/part-diag.mk builds this file once per case, with --defsym regions):
 *
 *   FU_EXPECT=FH_ERR_NO_HEAP         __heap_end == __heap_start
 *   FU_EXPECT=FH_ERR_HEAP_TOO_SMALL  40 bytes: no room for bookkeeping + a block
 *   FU_EXPECT=0                      a usable region: the check stays silent
 *
 * Built with the library's sources, buddy or bump backend. Prints TAP (a
 * line per check, the plan after the last) and "N passed, N failed"; the
 * exit status is the verdict.
 */
#include <stdio.h>

#include "firmheap.h"
#include "malloc_names.h"

extern char __heap_start[];

/* The region the --defsym symbols point into. */
char fu_region[4096] __attribute__((aligned(16)));

static unsigned hook_calls;
static fh_error hook_err;
static const void *hook_ptr;

void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr)
{
    (void)h;
    hook_calls++;
    hook_err = err;
    hook_ptr = ptr;
}

static unsigned passed, failed;

static void check(int ok, const char *what)
{
    if (ok)
        passed++;
    else
        failed++;
    printf("%s %u - %s\n", ok ? "ok" : "not ok", passed + failed, what);
}

int main(void)
{
    void *p = FH_NAME(malloc)(16);
    if (FU_EXPECT) {
        check(p == NULL, "malloc fails without a usable default heap");
        check(hook_calls == 1, "the error hook heard of it once");
        check(hook_err == FU_EXPECT, "with the expected kind");
        check(hook_ptr == __heap_start, "and the region's start");
        check(FH_NAME(malloc)(16) == NULL && hook_calls == 1, "a second use does not report again");
    } else {
        check(p != NULL, "malloc works on a usable default heap");
        check(hook_calls == 0, "and the check stays silent");
        FH_NAME(free)(p);
    }
#ifdef TH_FORCE_FAIL
    check(0, "forced failure (FORCE_FAIL)");
#endif
    printf("1..%u\n%u passed, %u failed\n", passed + failed, passed, failed);
    return failed != 0;
}

/*
 * The const entry points on a heap mapped read-only (host only: mmap,
 * mprotect, fork). fh_usable_size, fh_check, fh_get_stats, fh_walk and
 * fh_owns take a const handle and must never write through it, not even a
 * counter, so a heap in read-only memory (a snapshot in flash, a debugger's
 * view, a heap another core owns) can be inspected. The calls run in a child
 * process, so a write shows up as the child dying of SIGSEGV instead of
 * taking the runner with it.
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define RO_REGION 65536u

static void walk_nothing(void *ctx, void *addr, size_t size, bool used)
{
    (void)addr;
    (void)size;
    (void)used;
    ++*(unsigned *)ctx;
}

/* Everything a reader may do; the exit status says which check failed. */
static int read_only_calls(const fh_heap *h, unsigned char *live)
{
    unsigned blocks = 0;
    fh_stats s;
    if (fh_usable_size(h, live) != fh_usable_size_for(300, 64))
        return 10;
    if (fh_usable_size(h, live + 16) != 0 || fh_usable_size(h, &blocks) != 0)
        return 11;
    if (!fh_check(h))
        return 12;
    fh_get_stats(h, &s);
    if (s.live_allocs != 1)
        return 13;
    fh_walk(h, walk_nothing, &blocks);
    if (blocks == 0 || !fh_owns(h, live))
        return 14;
    return 0;
}

void test_const_calls_on_a_read_only_heap(void)
{
    unsigned char *region = mmap(NULL, RO_REGION, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(region != MAP_FAILED);
    if (region == MAP_FAILED)
        return;
    fh_heap *h = fh_init(region + 5, RO_REGION - 5);
    unsigned char *live = h ? fh_alloc(h, 300, 64) : NULL;
    CHECK(live != NULL);
    CHECK(mprotect(region, RO_REGION, PROT_READ) == 0);
    pid_t child = fork();
    if (child == 0)
        _exit(live ? read_only_calls(h, live) : 1);
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status)); /* not killed by SIGSEGV */
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    munmap(region, RO_REGION);
}

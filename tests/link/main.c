/*
 * The program of the link test (tools/link-test): one allocation from the
 * default heap, which must run under the program's own lock. The lock under
 * test (tests/link/user_lock.c) counts its calls in lock_witness, defined
 * here so that nothing in this file pulls the lock's archive member in: the
 * linker must find it for the library's sake alone.
 *
 * Exit status: 0 the lock ran, 2 the heap worked but no lock of ours ran
 * (src/opt/lock_none.c, or a silent fallback), 1 the heap failed.
 */
#include "firmheap.h"

#define STATUS_LOCKED 0
#define STATUS_HEAP_FAILED 1
#define STATUS_NO_LOCK 2

unsigned lock_witness;

#ifdef LINK_TEST_HOST
/* The host has no linker script: the test links __heap_start/__heap_end
 * into this array with --defsym. */
unsigned char link_test_heap[64 * 1024] __attribute__((aligned(16)));
#endif

int main(void);
int main(void)
{
    void *p = fh_default_alloc(100, 16);
    if (p == NULL)
        return STATUS_HEAP_FAILED;
    fh_default_free(p);
    return lock_witness ? STATUS_LOCKED : STATUS_NO_LOCK;
}

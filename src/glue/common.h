/*
 * What the C-library glues (newlib.c, picolibc.c) share: mallinfo filled
 * from firmheap's statistics, malloc_stats as an fh_dump to stderr, and
 * sbrk refused. Static functions, included by one glue object per program;
 * compiled against the C library's own headers (struct mallinfo, stderr,
 * errno), which newlib and picolibc lay out alike.
 */
#ifndef FH_GLUE_COMMON_H
#define FH_GLUE_COMMON_H

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>

#include "firmheap.h"
#include "firmheap_diag.h"

/*
 * mallinfo over every region of the default heap:
 *   arena     bytes of all regions (bookkeeping included)
 *   ordblks   free blocks
 *   usmblks   peak bytes in use (newlib's "maximum total allocated")
 *   uordblks  bytes in use,  fordblks  bytes free
 * The rest (mmap, fastbins, keepcost) has no meaning here and stays 0.
 * All 0 on the bump backend, which keeps no statistics.
 */
static struct mallinfo fh_glue_mallinfo(void)
{
    struct mallinfo mi = {0};
    fh_heap *h;
    for (unsigned i = 0; (h = fh_default_region(i)) != NULL; i++) {
        fh_stats s;
        fh_get_stats(h, &s);
        mi.arena += s.total_bytes + s.metadata_bytes;
        for (unsigned k = 0; k < FH_NR_ORDERS; k++)
            mi.ordblks += s.free_blocks[k];
        mi.usmblks += s.peak_used_bytes;
        mi.uordblks += s.used_bytes;
        mi.fordblks += s.free_bytes;
    }
    return mi;
}

static void fh_glue_stderr_putc(char c)
{
    fputc(c, stderr);
}

/* malloc_stats: the dump of every region. The lock holds the heap still
 * between fh_dump's walks (it nests, so stdio may allocate meanwhile). */
static void fh_glue_malloc_stats(void)
{
    fh_heap *h;
    fh_lock();
    for (unsigned i = 0; (h = fh_default_region(i)) != NULL; i++)
        fh_dump(h, fh_glue_stderr_putc);
    fh_unlock();
}

/* sbrk would grow a second heap beside firmheap's, over RAM the linker
 * script gave firmheap (newlib's `end` and picolibc's __heap_start are
 * where __heap_start is): refuse, and report it. */
static void *fh_glue_refuse_sbrk(void)
{
    fh_error_hook(NULL, FH_ERR_SBRK, NULL);
    errno = ENOMEM;
    return (void *)-1;
}

#endif

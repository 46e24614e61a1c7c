/*
 * Example: firmheap under newlib (built twice: newlib-nano and full newlib),
 * with firmheap's newlib glue (src/glue/newlib.c) linked as an object.
 *
 * newlib's own functions allocate through _malloc_r & co., not malloc; the
 * glue sends them to firmheap. The proof: printf's stdout buffer, strdup's
 * and asprintf's strings are blocks of firmheap's default heap, freeing
 * them is accepted, newlib never calls sbrk (the glue reports any call:
 * one deliberate call checks that), and mallinfo/malloc_stats speak for
 * firmheap. Console and exit: newlib over rdimon (semihosting).
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmheap.h"

static void check_print(const char *s)
{
    fputs(s, stdout);
}
#include "check.h"

void initialise_monitor_handles(void); /* rdimon: semihosting stdin/out/err */
int asprintf(char **out, const char *fmt, ...); /* a GNU extension in newlib */
void *sbrk(ptrdiff_t increment);

static bool from_firmheap(const void *p)
{
    return p != NULL && fh_default_usable_size(p) > 0;
}

static size_t used_bytes(void)
{
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    return s.used_bytes;
}

int main(void)
{
    initialise_monitor_handles();
    printf("newlib (%s) example: newlib's allocations on firmheap\n", EX_LIBC_NAME);
    CHECK(from_firmheap(stdout->_bf._base));

    size_t before = used_bytes();
    char *dup = strdup("strdup goes through _malloc_r");
    CHECK(from_firmheap(dup));
    free(dup);

    char *text = NULL;
    int n = asprintf(&text, "asprintf %d %s", 42, "grows its buffer with _realloc_r");
    CHECK(n > 0 && from_firmheap(text));
    free(text);
    CHECK(used_bytes() == before);

    void *aligned = memalign(256, 100); /* newlib's memalign: _memalign_r */
    CHECK(from_firmheap(aligned) && ((uintptr_t)aligned & 255u) == 0);
    struct mallinfo mi = mallinfo();
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    CHECK(mi.uordblks == s.used_bytes && mi.fordblks == s.free_bytes);
    CHECK(mi.arena == s.total_bytes + s.metadata_bytes);
    free(aligned);

    fprintf(stderr, "malloc_stats():\n");
    malloc_stats();

    CHECK(errors_of_kind[FH_ERR_SBRK] == 0); /* newlib never asked for a second heap */
    errno = 0;
    CHECK(sbrk(64) == (void *)-1 && errno == ENOMEM);
    CHECK(errors_of_kind[FH_ERR_SBRK] == 1); /* and would have been heard */

    fh_get_stats(fh_default(), &s);
    CHECK(s.rejected_frees == 0);
    CHECK(errors_reported() == 1);
    CHECK(fh_check(fh_default()));
    int status = check_report();
    fflush(stdout);
    return status;
}

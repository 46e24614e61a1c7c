/*
 * Example: firmheap under picolibc, on QEMU's riscv32 virt machine, with
 * picolibc's own startup code (crt0-semihost) and linker script
 * (picolibc.ld, which already exports __heap_start/__heap_end), plus
 * firmheap's picolibc glue (src/glue/picolibc.c) linked as an object.
 *
 * picolibc's internals call malloc by name, so strdup and asprintf land on
 * firmheap with no glue at all; the glue supplies mallinfo and
 * malloc_stats (picolibc's would drag in its own allocator: "multiple
 * definition of malloc") and refuses sbrk. Console and exit: picolibc's
 * semihosting.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmheap.h"

static void check_print(const char *s)
{
    fputs(s, stdout);
}
#include "check.h"

int asprintf(char **out, const char *fmt, ...);
void *sbrk(ptrdiff_t increment);
extern char __heap_start[], __heap_end[]; /* from picolibc.ld */

static bool from_firmheap(const void *p)
{
    return p != NULL && fh_default_usable_size(p) > 0;
}

int main(void)
{
    printf("picolibc example: firmheap over picolibc.ld's heap region\n");
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    CHECK(s.total_bytes + s.metadata_bytes == (size_t)(__heap_end - __heap_start));

    char *dup = strdup("strdup calls malloc");
    CHECK(from_firmheap(dup));
    free(dup);
    char *text = NULL;
    CHECK(asprintf(&text, "asprintf %d", 42) > 0 && from_firmheap(text));
    free(text);

    char *keep = malloc(300); /* used below, so the compiler keeps the call */
    CHECK(from_firmheap(keep));
    struct mallinfo mi = mallinfo();
    fh_get_stats(fh_default(), &s);
    CHECK(mi.uordblks == s.used_bytes && mi.fordblks == s.free_bytes && mi.uordblks >= 300);
    CHECK(mi.arena == (size_t)(__heap_end - __heap_start));
    fprintf(stderr, "malloc_stats():\n");
    malloc_stats();
    free(keep);

    CHECK(errors_of_kind[FH_ERR_SBRK] == 0);
    errno = 0;
    CHECK(sbrk(64) == (void *)-1 && errno == ENOMEM);
    CHECK(errors_of_kind[FH_ERR_SBRK] == 1);

    fh_get_stats(fh_default(), &s);
    CHECK(s.rejected_frees == 0 && s.used_bytes == 0);
    CHECK(errors_reported() == 1);
    CHECK(fh_check(fh_default()));
    return check_report();
}

/*
 * Example: firmheap as a CMake dependency (CMakeLists.txt), in firmware on
 * newlib-nano with the newlib glue and the fault report linked as CMake
 * object libraries. Built twice by the test suite: through add_subdirectory
 * with the buddy backend, and through FetchContent with the bump backend
 * (EX_BACKEND_BUMP): the cache options reach the library either way, and
 * so does the config header (FH_CONFIG_MAX_REGIONS 2: one bank beside the
 * linker's region).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmheap.h"

static void check_print(const char *s)
{
    fputs(s, stdout);
}
#include "check.h"

void initialise_monitor_handles(void);
extern char __heap_start[], __heap_end[];

static bool in_heap(const void *p)
{
    return (const char *)p >= __heap_start && (const char *)p < __heap_end;
}

int main(void)
{
    static char bank1[2048], bank2[2048];
    initialise_monitor_handles();
    printf("cmake example: firmheap through CMake, %s backend\n", EX_BACKEND_BUMP ? "bump" : "buddy");

    char *dup = strdup("newlib's strdup, through the glue");
    CHECK(in_heap(dup) && strcmp(dup, "newlib's strdup, through the glue") == 0);
    free(dup);
    if (EX_BACKEND_BUMP) {
        CHECK(fh_default() == NULL);          /* no buddy heap at all */
        CHECK(!fh_add_region(bank1, sizeof bank1));
        char *a = malloc(10), *b = malloc(10);
        CHECK(in_heap(a) && b == a + 16);     /* bump: the next 8-aligned byte */
        free(b);                              /* only the newest block goes back */
    } else {
        CHECK(fh_default() != NULL);
        CHECK(fh_add_region(bank1, sizeof bank1));   /* region 2 of 2 */
        CHECK(!fh_add_region(bank2, sizeof bank2));  /* the config header's limit */
    }
    CHECK(errors_reported() == 0);
    int status = check_report();
    fflush(stdout);
    return status;
}

/*
 * The smallest program that uses the malloc family: what a firmware that
 * calls malloc, calloc, realloc and free pulls out of libfirmheap.a.
 * `make size` links it per core with --gc-sections and reports the text it
 * gains beyond its own (the linker defines the heap symbols). Never run.
 */
#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
void fh_size_start(void);

void fh_size_start(void)
{
    void *p = malloc(10);
    p = realloc(p, 100);
    free(p);
    free(calloc(3, 4));
    for (;;)
        ;
}

/*
 * The malloc family as the tests see it: the host test build renames it with
 * FH_MALLOC_PREFIX (fh_test_malloc, ...) so the host's own malloc stays in
 * charge; on the boards the names are the plain ones.
 */
#ifndef TH_MALLOC_NAMES_H
#define TH_MALLOC_NAMES_H

#include <stddef.h>

#ifndef FH_MALLOC_PREFIX
#define FH_MALLOC_PREFIX
#endif
#define TM_CAT2(a, b) a##b
#define TM_CAT(a, b) TM_CAT2(a, b)
#define M(name) TM_CAT(FH_MALLOC_PREFIX, name)

void *M(malloc)(size_t size);
void M(free)(void *ptr);
void *M(calloc)(size_t nmemb, size_t size);
void *M(realloc)(void *ptr, size_t size);
void *M(aligned_alloc)(size_t align, size_t size);
int M(posix_memalign)(void **out, size_t align, size_t size);
void *M(memalign)(size_t align, size_t size);
size_t M(malloc_usable_size)(void *ptr);

extern char __heap_start[];
extern char __heap_end[];

#endif

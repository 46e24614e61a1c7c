/*
 * The malloc family's names and prototypes, in one place for src/malloc.c
 * and the tests. FH_MALLOC_PREFIX renames them (fh_test_malloc, fh_host_malloc,
 * ...) so a host program can carry them beside libc's own; on a target the
 * prefix is empty and they are the plain C names.
 */
#ifndef FH_MALLOC_NAMES_H
#define FH_MALLOC_NAMES_H

#include <stddef.h>

#ifndef FH_MALLOC_PREFIX
#define FH_MALLOC_PREFIX
#endif
#define FH_CAT2(a, b) a##b
#define FH_CAT(a, b) FH_CAT2(a, b)
#define FH_NAME(name) FH_CAT(FH_MALLOC_PREFIX, name)

void *FH_NAME(malloc)(size_t size);
void FH_NAME(free)(void *ptr);
void *FH_NAME(calloc)(size_t nmemb, size_t size);
void *FH_NAME(realloc)(void *ptr, size_t size);
void *FH_NAME(aligned_alloc)(size_t align, size_t size);
int FH_NAME(posix_memalign)(void **out, size_t align, size_t size);
void *FH_NAME(memalign)(size_t align, size_t size);
size_t FH_NAME(malloc_usable_size)(void *ptr);

#endif

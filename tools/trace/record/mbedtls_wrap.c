/*
 * Debian builds mbedTLS without MBEDTLS_PLATFORM_MEMORY, so its calloc and
 * free cannot be redirected at run time: the mbedTLS recorders link with
 * -Wl,--wrap=calloc,--wrap=free, which sends the static mbedTLS archives'
 * calls here (glibc's own allocations stay with glibc).
 *
 * time() is wrapped too: TLS puts the clock into its random values and
 * checks certificates against it. A fixed clock, inside the validity of
 * mbedTLS's test certificates, keeps the traces the same on every run and
 * every date.
 */
#include <time.h>

#include "record.h"

void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *ptr);
time_t __wrap_time(time_t *t);

/* 2021-06-01 00:00:00 UTC */
#define RECORD_CLOCK ((time_t)1622505600)

time_t __wrap_time(time_t *t)
{
    if (t)
        *t = RECORD_CLOCK;
    return RECORD_CLOCK;
}

void *__wrap_calloc(size_t n, size_t size)
{
    return FH_NAME(calloc)(n, size);
}

void __wrap_free(void *ptr)
{
    FH_NAME(free)(ptr);
}

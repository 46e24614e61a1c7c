/*
 * picolibc glue: mallinfo and malloc_stats over firmheap's statistics.
 *
 * picolibc's internals already call malloc/free/realloc by their plain
 * names, so firmheap's malloc family serves them with no glue, and
 * picolibc's linker script exports __heap_start/__heap_end. What breaks is
 * mallinfo() and malloc_stats(): picolibc's live in objects of its own
 * allocator, so calling them links that allocator too ("multiple
 * definition of malloc"). This object defines both over firmheap, and an
 * sbrk that refuses and reports (FH_ERR_SBRK): picolibc's would hand out
 * [__heap_start, __heap_end), the very RAM firmheap manages.
 *
 * Link it as an object, before libfirmheap.a and picolibc's libc:
 *
 *     riscv64-unknown-elf-gcc --specs=picolibc.specs ... main.o glue_picolibc.o -lfirmheap
 */
#include <unistd.h>

#include "common.h"

struct mallinfo mallinfo(void)
{
    return fh_glue_mallinfo();
}

void malloc_stats(void)
{
    fh_glue_malloc_stats();
}

/* Declared by <unistd.h> only outside strict C modes. */
void *sbrk(ptrdiff_t increment);

void *sbrk(ptrdiff_t increment)
{
    (void)increment;
    return fh_glue_refuse_sbrk();
}

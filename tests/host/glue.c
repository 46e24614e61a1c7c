/*
 * Host glue for the test runner: stdout for output, a 4 MiB scratch arena,
 * and the default heap's region. The library only references __heap_start and
 * __heap_end; here they bracket a static array, with an odd base and size as
 * a real linker script might leave them (see the --defsym in mk/host-tests.mk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define HOST_ARENA_SIZE (4u << 20)

/* The default heap's backing store; the linker places the symbols inside it. */
unsigned char host_default_heap[256 * 1024 + 64] __attribute__((aligned(64)));

void th_print(const char *s)
{
    fputs(s, stdout);
}

void *th_arena(size_t *size)
{
    static unsigned char *arena;
    if (arena == NULL)
        arena = aligned_alloc(4096, HOST_ARENA_SIZE);
    *size = HOST_ARENA_SIZE;
    return arena;
}

unsigned th_scale(void)
{
    return 100u;
}

int th_walk_trace(void); /* walk_trace.c */

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "--walk-trace") == 0)
        return th_walk_trace();
    return th_run_all();
}

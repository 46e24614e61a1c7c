/*
 * Host glue for `make bench-host`: stdout, argv as the command line, and a
 * pool with the same low address bits as the target's regions (one page,
 * or one page + 0x1230, past a 256 KiB boundary). The host has no exact
 * per-call counter: its runs give efficiency and self-checks in seconds;
 * instruction counts come from QEMU (or callgrind on this binary).
 * Pointers are 64-bit here, so bookkeeping and placement differ a little
 * from the 32-bit targets, where the headline figures come from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define PIN (256u * 1024u)
#define REGION_MAX (32u * 1024u * 1024u)
#define SLOTS_MAX (2u * 1024u * 1024u)

static char cmdline[4096];
static unsigned char *pool;

int bench_main(void);
int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* a FAIL line survives a crash after it */
    for (int i = 1; i < argc; i++) {
        strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 2u);
        strcat(cmdline, " ");
    }
    pool = aligned_alloc(PIN, REGION_MAX + PIN);
    if (!pool) {
        fputs("bench-host: no memory for the regions\n", stderr);
        return 1;
    }
    return bench_main();
}

void bench_platform_init(void) {}
void bench_puts(const char *s) { fputs(s, stdout); }
const char *bench_cmdline(void) { return cmdline; }

void *bench_region(size_t heap_bytes, unsigned base)
{
    return heap_bytes <= REGION_MAX ? pool + (base ? BENCH_BASE_SKEW1 : BENCH_BASE_SKEW0) : 0;
}

bool bench_read_file(const char *path, void *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    *len = fread(buf, 1, cap, f);
    bool ok = !ferror(f) && fgetc(f) == EOF;
    fclose(f);
    return ok;
}

void *bench_slot_room(size_t slot_bytes, uint32_t *n)
{
    *n = SLOTS_MAX;
    return calloc(SLOTS_MAX, slot_bytes);
}

/*
 * The recorders' heap and trace file. The default heap is a 64 MiB array
 * (the link puts __heap_start/__heap_end around it, as on the host test
 * runner): large enough that no library request fails, so the trace holds
 * what each library asked for. The recorders link without PIE, so the
 * array, and with it every recorded address, is the same on every run, and
 * lies below 4 GiB: the library they link records 4-byte fields
 * (FH_TRACE_WORD_BYTES=4), as a 32-bit target would.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "record.h"

unsigned char rec_heap[64u << 20] __attribute__((aligned(4096)));

static FILE *out;
static const char *out_path;

static void file_sink(void *ctx, const void *bytes, size_t n)
{
    fwrite(bytes, 1, n, ctx);
}

void rec_start(const char *path)
{
    if ((uintptr_t)rec_heap + sizeof rec_heap > UINT32_MAX) {
        fprintf(stderr, "recorder: heap above 4 GiB: link without PIE (-no-pie)\n");
        exit(2);
    }
    out_path = path;
    out = fopen(path, "wb");
    if (out == NULL) {
        perror(path);
        exit(2);
    }
    fh_trace_start(file_sink, out);
}

void rec_stop(void)
{
    fh_trace_stop();
    if (ferror(out) || fclose(out) != 0) {
        perror(out_path);
        exit(2);
    }
}

_Noreturn void rec_fail(const char *what, long code)
{
    fprintf(stderr, "recorder: %s failed (%ld)\n", what, code);
    exit(1);
}

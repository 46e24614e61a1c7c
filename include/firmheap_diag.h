/*
 * firmheap diagnostics: a heap dump for a console, and the number
 * formatting it uses, for firmware with no printf.
 *
 * fh_dump prints a heap's statistics, a one-line bar map of the whole heap
 * and one line per block, through a putc function you give it: a UART
 * write, semihosting, fputc to stderr. It reads the heap only through the
 * public walkers (fh_get_stats, fh_walk), never writes to it, and lives in
 * its own object of the library: firmware that never calls it does not
 * carry it. tools/heapmap renders a dump as a picture.
 *
 * The format, one record per line, fields as key=value so a script can read
 * it (addresses in hex, sizes in bytes, decimal):
 *
 *   fh_dump heap=0x20000a18
 *   stats total=61424 used=3200 free=58224 peak=4096 largest_free=32768
 *         bookkeeping=512 live=5 allocs=9 frees=4 failed=0 rejected=0
 *   free_blocks 0:1 4:2 11:1              order:count, orders with any
 *   map start=0x20000c00 end=0x2000f000 cell=1024 [##+.........]
 *   used addr=0x20000c00 size=112         one line per live allocation
 *   free addr=0x20000c70 size=400         one line per run of free blocks
 *   end used=5 free=7
 *
 * ("stats" is a single line; it is folded here.) In the map each cell
 * covers `cell` bytes: '#' all used, '.' all free, '+' both, ' ' neither
 * (not part of the heap's blocks).
 *
 * Cost: three walks of the heap (fh_walk: proportional to its size in
 * pages plus live objects) and one putc per character. Not thread-safe: the caller keeps
 * the heap still (for the default heap: fh_lock() around the call).
 */
#ifndef FIRMHEAP_DIAG_H
#define FIRMHEAP_DIAG_H

#include <stdint.h>

#include "firmheap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes one character of the dump. */
typedef void (*fh_putc_fn)(char c);

/* Prints h as described above; a NULL h prints "fh_dump heap=none". */
void fh_dump(const fh_heap *h, fh_putc_fn putc_fn);

/* ---- formatting without libc, division or libgcc -----------------------
 * Each writes v into buf (at least FH_FMT_BUF bytes) from the end and
 * returns where the NUL-terminated text starts. Header-only, so startup
 * code and fault handlers can use them without linking anything.
 */
#define FH_FMT_BUF 24 /* "0x" + 16 hex digits, or 20 decimal digits, + NUL */

static inline char *fh_fmt_hex(char *buf, uintptr_t v)
{
    char *p = buf + FH_FMT_BUF - 1;
    *p = '\0';
    do {
        *--p = "0123456789abcdef"[v & 15u];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    return p;
}

static inline char *fh_fmt_dec(char *buf, uintmax_t v)
{
    /* One digit per power of ten by repeated subtraction: ARMv6-M has no
     * divide instruction and the library must not need libgcc's. */
    static const uint64_t pow10[] = {
        10000000000000000000u, 1000000000000000000u, 100000000000000000u,
        10000000000000000u, 1000000000000000u, 100000000000000u,
        10000000000000u, 1000000000000u, 100000000000u, 10000000000u,
        1000000000u, 100000000u, 10000000u, 1000000u, 100000u, 10000u,
        1000u, 100u, 10u, 1u};
    char *p = buf;
    for (unsigned i = 0; i < sizeof pow10 / sizeof pow10[0]; i++) {
        char d = '0';
        while (v >= pow10[i]) {
            v -= pow10[i];
            d++;
        }
        if (d != '0' || p != buf || pow10[i] == 1u)
            *p++ = d;
    }
    *p = '\0';
    return buf;
}

#ifdef __cplusplus
}
#endif

#endif /* FIRMHEAP_DIAG_H */

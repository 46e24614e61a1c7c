/*
 * Number formatting for the console, without libc and without a divide
 * instruction (ARMv6-M has none; the repeated subtraction below is cheap for
 * the few numbers we print, and avoids pulling 64-bit division from libgcc).
 */
#include "fw.h"
#include "semihost.h"

void fw_print(const char *s)
{
    sh_write0(s);
}

void fw_print_hex(uintptr_t v)
{
    char buf[2 + 2 * sizeof v + 1];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = "0123456789abcdef"[v & 15u];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    fw_print(p);
}

void fw_print_dec(uintmax_t v)
{
    /* One digit per power of ten, largest first; uintmax_t is 64 bits here. */
    static const uint64_t pow10[] = {
        10000000000000000000u, 1000000000000000000u, 100000000000000000u,
        10000000000000000u, 1000000000000000u, 100000000000000u,
        10000000000000u, 1000000000000u, 100000000000u, 10000000000u,
        1000000000u, 100000000u, 10000000u, 1000000u, 100000u, 10000u,
        1000u, 100u, 10u, 1u};
    char buf[24];
    char *p = buf;
    bool started = false;
    for (size_t i = 0; i < sizeof pow10 / sizeof pow10[0]; i++) {
        char d = '0';
        while (v >= pow10[i]) {
            v -= pow10[i];
            d++;
        }
        if (d != '0' || started || pow10[i] == 1u) {
            *p++ = d;
            started = true;
        }
    }
    *p = '\0';
    fw_print(buf);
}

void fw_print_pad(const char *s, unsigned width)
{
    unsigned n = 0;
    fw_print(s);
    while (s[n])
        n++;
    while (n++ < width)
        fw_print(" ");
}

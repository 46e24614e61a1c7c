/*
 * Console output for the images: strings go straight to semihosting; numbers
 * are formatted by firmheap_diag.h's header-only helpers (no libc, no divide
 * instruction: ARMv6-M has none, and no 64-bit division from libgcc).
 */
#include "fw.h"
#include "firmheap_diag.h"
#include "semihost.h"

void fw_print(const char *s)
{
    sh_write0(s);
}

/* Characters are gathered into lines: one semihosting call per line rather
 * than per character (fh_dump prints through this). */
void fw_putc(char c)
{
    static char line[81];
    static unsigned n;
    line[n++] = c;
    if (c == '\n' || n == sizeof line - 1) {
        line[n] = '\0';
        fw_print(line);
        n = 0;
    }
}

void fw_print_hex(uintptr_t v)
{
    char buf[FH_FMT_BUF];
    fw_print(fh_fmt_hex(buf, v));
}

void fw_print_dec(uintmax_t v)
{
    char buf[FH_FMT_BUF];
    fw_print(fh_fmt_dec(buf, v));
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

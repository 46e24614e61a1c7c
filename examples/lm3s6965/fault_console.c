/*
 * The board's console for firmheap's fault report (arch/arm/fault.c wants
 * fw_print), for firmware with a C library: straight to
 * the semihosting stderr, without stdio, which may be what broke.
 */
#include <string.h>
#include <unistd.h>

void fw_print(const char *s);

void fw_print(const char *s)
{
    write(2, s, strlen(s));
}

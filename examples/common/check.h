/*
 * The examples' test bookkeeping, shared by the C examples: CHECK prints a
 * TAP line per check ("ok N - what" / "not ok N - what"), check_report()
 * prints the plan after the last ("1..N": a run that dies part-way has
 * none) and the "N passed, N failed" line, and returns main's exit status. Also an error
 * hook that counts what firmheap reported, by kind, so an example can
 * prove that nothing was rejected and no second heap was asked for.
 *
 * Include it in exactly one file of a program, after defining
 *   static void check_print(const char *s);   (the example's console)
 * Numbers are formatted by firmheap_diag.h, so it needs no libc.
 * EX_FORCE_FAIL (make test FORCE_FAIL=1) adds one failing check.
 */
#ifndef EX_CHECK_H
#define EX_CHECK_H

#include "firmheap.h"
#include "firmheap_diag.h"

static unsigned check_passed, check_failed;

static void check_line(bool ok, const char *what)
{
    char buf[FH_FMT_BUF];
    if (ok)
        check_passed++;
    else
        check_failed++;
    check_print(ok ? "ok " : "not ok ");
    check_print(fh_fmt_dec(buf, check_passed + check_failed));
    check_print(" - ");
    check_print(what);
    check_print("\n");
}

#define CHECK(cond) check_line((cond) ? true : false, #cond)

/* What fh_error_hook heard, by kind (index: fh_error). */
#define EX_ERROR_KINDS 16u
static unsigned errors_of_kind[EX_ERROR_KINDS];

void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr)
{
    (void)h;
    (void)ptr;
    errors_of_kind[(unsigned)err < EX_ERROR_KINDS ? (unsigned)err : 0]++;
}

static unsigned errors_reported(void)
{
    unsigned n = 0;
    for (unsigned k = 0; k < EX_ERROR_KINDS; k++)
        n += errors_of_kind[k];
    return n;
}

static int check_report(void)
{
#ifdef EX_FORCE_FAIL
    check_line(false, "forced failure (FORCE_FAIL)");
#endif
    char buf[FH_FMT_BUF];
    check_print("1..");
    check_print(fh_fmt_dec(buf, check_passed + check_failed));
    check_print("\n");
    check_print(fh_fmt_dec(buf, check_passed));
    check_print(" passed, ");
    check_print(fh_fmt_dec(buf, check_failed));
    check_print(" failed\n");
    return check_failed ? 1 : 0;
}

#endif

/*
 * Runs every test listed in tests/test_list.h, prints the results as TAP
 * (plan, "ok N - name" / "not ok N - name", failed checks as "# FAIL"
 * diagnostics) and reports through the return value: 0 if all passed. The
 * list is an X-macro so a test exists in one place and both the host runner
 * and the QEMU images pick it up. Host-only tests (those needing libc or a
 * lot of memory) are listed under TH_HOST_TEST.
 */
#include "harness.h"

/* Which list: the whole suite, or a build-specific one (the bump backend). */
#ifndef TH_TEST_LIST
#define TH_TEST_LIST "test_list.h"
#endif

#define TH_TEST(name) void test_##name(void);
#define TH_HOST_TEST(name) TH_TEST(name)
#include TH_TEST_LIST
#ifdef TH_BOARD_TESTS
#include "board_tests.h"
#endif
#undef TH_TEST
#undef TH_HOST_TEST

typedef struct {
    const char *name;
    void (*fn)(void);
} th_entry;

static const th_entry th_tests[] = {
#define TH_TEST(name) {#name, test_##name},
#ifdef TH_HOST
#define TH_HOST_TEST(name) TH_TEST(name)
#else
#define TH_HOST_TEST(name)
#endif
#include TH_TEST_LIST
#ifdef TH_BOARD_TESTS
#include "board_tests.h" /* tests/target/: tests that need a real board (IRQs) */
#endif
};

static unsigned th_failures_in_test;

void th_memset(void *dst, int c, size_t n)
{
    volatile unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
}

void th_print_u(uintmax_t v)
{
    char buf[24];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + (unsigned)(v % 10u));
        v /= 10u;
    } while (v);
    th_print(p);
}

void th_print_x(uintmax_t v)
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
    th_print(p);
}

/* A failed check becomes a TAP diagnostic line ("# FAIL file:line: expr"),
 * printed before the test's "not ok". The first few per test only: a broken
 * loop should not print a million lines. */
static bool th_fail_line(const char *file, int line)
{
    if (++th_failures_in_test > 5)
        return false;
    th_print("# FAIL ");
    th_print(file);
    th_print(":");
    th_print_u((uintmax_t)line);
    th_print(": ");
    return true;
}

void th_check(bool ok, const char *expr, const char *file, int line)
{
    if (ok || !th_fail_line(file, line))
        return;
    th_print(expr);
    th_print("\n");
}

/* "4096 = 0x1000", and "(-1)" too where the value is a negative integer
 * converted to uintmax_t. */
static void th_print_value(uintmax_t v)
{
    th_print_u(v);
    th_print(" = ");
    th_print_x(v);
    if (v > (uintmax_t)INTMAX_MAX) {
        th_print(" (-");
        th_print_u(0u - v);
        th_print(")");
    }
}

void th_check_eq(uintmax_t a, uintmax_t b, const char *a_expr, const char *b_expr,
                 const char *file, int line)
{
    if (a == b || !th_fail_line(file, line))
        return;
    th_print(a_expr);
    th_print(" == ");
    th_print(b_expr);
    th_print(" (left ");
    th_print_value(a);
    th_print(", right ");
    th_print_value(b);
    th_print(")\n");
}

unsigned th_failures(void)
{
    return th_failures_in_test;
}

#ifdef TH_FORCE_FAIL
/* Proves the verdict path: `make test FORCE_FAIL=1` must go red. */
void test_forced_failure(void);
void test_forced_failure(void) { CHECK_EQ(1 + 1, 3); }
#define TH_FORCED 1u
#else
#define TH_FORCED 0u
#endif

/* Runs one test and prints its TAP line; true if it passed. */
static bool th_run_one(unsigned number, const char *name, void (*fn)(void))
{
    th_failures_in_test = 0;
    fn();
    bool ok = th_failures_in_test == 0;
    th_print(ok ? "ok " : "not ok ");
    th_print_u(number);
    th_print(" - ");
    th_print(name);
    th_print("\n");
    return ok;
}

/* TAP: the plan first, so a run that dies part-way is a plan mismatch; one
 * line per test; the runner's own "N passed, N failed" last. */
int th_run_all(void)
{
    unsigned n = (unsigned)(sizeof th_tests / sizeof th_tests[0]), passed = 0;
    th_print("1..");
    th_print_u(n + TH_FORCED);
    th_print("\n");
    for (unsigned i = 0; i < n; i++)
        passed += th_run_one(i + 1u, th_tests[i].name, th_tests[i].fn);
#ifdef TH_FORCE_FAIL
    passed += th_run_one(n + 1u, "forced_failure", test_forced_failure);
#endif
    th_print_u(passed);
    th_print(" passed, ");
    th_print_u(n + TH_FORCED - passed);
    th_print(" failed\n");
    return passed == n + TH_FORCED ? 0 : 1;
}
